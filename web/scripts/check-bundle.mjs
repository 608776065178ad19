// Fails the build when the JavaScript a first visit downloads (the entry
// script and its modulepreloads in dist/index.html) exceeds the budget.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET = 250 * 1024;
const dist = new URL('../dist/', import.meta.url);
const html = readFileSync(new URL('index.html', dist), 'utf8');
const srcs = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\/([^"]+\.js)"/g)].map((m) => m[1]);
let total = 0;
for (const src of new Set(srcs)) {
  const size = gzipSync(readFileSync(new URL(src, dist))).length;
  total += size;
  console.log(`  ${src}: ${(size / 1024).toFixed(1)} kB gzip`);
}
console.log(`first-load JavaScript: ${(total / 1024).toFixed(1)} kB gzip (budget ${BUDGET / 1024} kB)`);
if (srcs.length === 0 || total > BUDGET) {
  console.error(srcs.length === 0 ? 'check-bundle: no entry script found in dist/index.html' : 'check-bundle: over budget; lazy-load more');
  process.exit(1);
}
