// Writes a gzip sibling (`file.gz`) next to each compressible file of dist/,
// so the server sends scripts and styles compressed without compressing on
// every request (it picks `.gz` when the browser accepts gzip). Runs after
// `vite build`: the service worker's precache list, made by the build, names
// the plain files only.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, gzipSync } from 'node:zlib';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|webmanifest|txt)$/;
/** Smaller files gain little and cost a header's worth of bytes. */
const MIN_BYTES = 1024;

let files = 0;
let before = 0;
let after = 0;
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      walk(path);
      continue;
    }
    if (!COMPRESSIBLE.test(name)) continue;
    const data = readFileSync(path);
    if (data.length < MIN_BYTES) continue;
    const gz = gzipSync(data, { level: constants.Z_BEST_COMPRESSION });
    // Keep only what saves at least a tenth.
    if (gz.length > data.length * 0.9) continue;
    writeFileSync(`${path}.gz`, gz);
    files += 1;
    before += data.length;
    after += gz.length;
  }
};
walk(dist);
console.log(`precompressed ${files} files: ${(before / 1024).toFixed(1)} kB → ${(after / 1024).toFixed(1)} kB gzip`);
