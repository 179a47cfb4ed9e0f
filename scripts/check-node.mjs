// npm test must run on the Node 24 LTS binary that the pinned `node` devDependency puts first on
// the PATH of npm scripts; the machine's own Node may be older.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(`npm test expects Node 24 from the "node" devDependency but found ${process.version}; run npm install.`);
  process.exit(1);
}
console.log(`Testing on Node ${process.version}`);
