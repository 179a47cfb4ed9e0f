// Runs s3rver 3.7.1 for the S3 tests: node s3rver-child.cjs <directory> <bucket>; prints its port.
'use strict';

const S3rver = require('s3rver');
const FilesystemStore = require('s3rver/lib/stores/filesystem');

// s3rver stores each key segment as one file name (plus a 22-byte suffix), and Linux allows 255
// bytes per name, so a longer segment crashes the server with ENAMETOOLONG; S3 allows a 1,024-byte
// key. Longer segments are stored as a chain of directories, each piece ending in \u0001, a
// character no valid key contains (the ports refuse control characters).
const PIECE_BYTES = 200;
const MARK = '\u0001';

function pieces(segment) {
  const out = [];
  let current = '';
  for (const char of segment) {
    if (Buffer.byteLength(current + char) > PIECE_BYTES) {
      out.push(current);
      current = '';
    }
    current += char;
  }
  out.push(current);
  return out;
}

FilesystemStore.encodeKeyPath = (key) =>
  key
    .split('/')
    .map((segment) => pieces(segment).join(`${MARK}/`))
    .join('/');
FilesystemStore.decodeKeyPath = (keyPath) => keyPath.split(`${MARK}/`).join('');

const [directory, bucket] = process.argv.slice(2);
new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: bucket, configs: [] }] })
  .run()
  .then(({ port }) => console.log(`S3rver listening on 127.0.0.1:${port}`))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
