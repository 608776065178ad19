// Draws the app icons (a house with a heart) into public/ as PNG and SVG.
// Run with `npm run icons`; the outputs are committed, so builds need nothing here.
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';

const out = new URL('../public/', import.meta.url);
const from = [91, 61, 245];
const to = [236, 72, 153];

// Shapes in a 0..1 unit square; each returns whether a point is inside.
function roundedRect(x, y, r, inset) {
  const lo = inset, hi = 1 - inset;
  if (x < lo || x > hi || y < lo || y > hi) return false;
  const cx = Math.min(Math.max(x, lo + r), hi - r);
  const cy = Math.min(Math.max(y, lo + r), hi - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}
function house(x, y, s) {
  // Scale around the centre so maskable icons keep the mark in the safe zone.
  x = (x - 0.5) / s + 0.5;
  y = (y - 0.5) / s + 0.5;
  const roof = y >= 0.2 && y <= 0.48 && Math.abs(x - 0.5) <= (y - 0.2) * (0.32 / 0.28) + 0.0;
  const body = x >= 0.26 && x <= 0.74 && y >= 0.46 && y <= 0.8;
  return roof || body;
}
function heart(x, y, s) {
  x = (x - 0.5) / s + 0.5;
  y = (y - 0.5) / s + 0.5;
  const hx = (x - 0.5) / 0.15;
  const hy = -(y - 0.6) / 0.15;
  return (hx * hx + hy * hy - 1) ** 3 - hx * hx * hy ** 3 <= 0;
}

function draw(size, { maskable }) {
  const png = new PNG({ width: size, height: size });
  const ss = 4;
  const markScale = maskable ? 0.72 : 0.92;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let bg = 0, white = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const x = (px + (sx + 0.5) / ss) / size;
          const y = (py + (sy + 0.5) / ss) / size;
          const inBg = maskable ? true : roundedRect(x, y, 0.2, 0.02);
          if (!inBg) continue;
          bg++;
          if (house(x, y, markScale) && !heart(x, y, markScale)) white++;
        }
      }
      const n = ss * ss;
      const t = (px + py) / (2 * size);
      const grad = from.map((c, i) => c + (to[i] - c) * t);
      const w = white / Math.max(bg, 1);
      const i = (py * size + px) * 4;
      png.data[i] = Math.round(grad[0] * (1 - w) + 255 * w);
      png.data[i + 1] = Math.round(grad[1] * (1 - w) + 255 * w);
      png.data[i + 2] = Math.round(grad[2] * (1 - w) + 255 * w);
      png.data[i + 3] = Math.round((255 * bg) / n);
    }
  }
  return PNG.sync.write(png);
}

writeFileSync(new URL('pwa-192.png', out), draw(192, { maskable: false }));
writeFileSync(new URL('pwa-512.png', out), draw(512, { maskable: false }));
writeFileSync(new URL('maskable-512.png', out), draw(512, { maskable: true }));
writeFileSync(new URL('apple-touch-icon.png', out), draw(180, { maskable: true }));
writeFileSync(
  new URL('favicon.svg', out),
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="rgb(${from})"/><stop offset="1" stop-color="rgb(${to})"/>
  </linearGradient></defs>
  <rect x="1" y="1" width="62" height="62" rx="13" fill="url(#g)"/>
  <path d="M32 13 L52 31 H47 V51 H17 V31 H12 Z" fill="#fff"/>
  <path d="M32 46 C24 40 22 36 24.5 33 C27 30.5 30.5 31.5 32 34 C33.5 31.5 37 30.5 39.5 33 C42 36 40 40 32 46 Z" fill="url(#g)"/>
</svg>
`,
);
console.log('icons written to public/');
