// Runs s3rver 3.7.1 for the S3 tests: node s3rver-child.cjs <directory> <bucket>; prints its port.
'use strict';

const path = require('node:path');
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

// S3 keeps leading and trailing spaces in XML values (a DeleteObjects <Key>); s3rver's parser trims
// them by default, so a batch delete of "name " removed nothing.
const xmlParser = require(require.resolve('fast-xml-parser', { paths: [path.dirname(require.resolve('s3rver'))] }));
const parse = xmlParser.parse;
xmlParser.parse = (xml, options, validation) => parse(xml, { ...options, trimValues: false }, validation);

// S3 URL-decodes x-amz-copy-source completely; s3rver uses decodeURI, which leaves the escapes of
// reserved characters (%2B, %23, %3F, ...) in place and then finds no such key. Decoding here and
// re-encoding with encodeURI gives s3rver's decodeURI exactly the decoded name.
const ObjectController = require('s3rver/lib/controllers/object');
const putObjectCopy = ObjectController.putObjectCopy;
ObjectController.putObjectCopy = (ctx) => {
  ctx.headers['x-amz-copy-source'] = encodeURI(decodeURIComponent(ctx.headers['x-amz-copy-source']));
  return putObjectCopy(ctx);
};

const [directory, bucket] = process.argv.slice(2);
new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: bucket, configs: [] }] })
  .run()
  .then(({ port }) => console.log(`S3rver listening on 127.0.0.1:${port}`))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
