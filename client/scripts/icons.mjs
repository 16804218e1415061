// Draws the app icons in client/public from the favicon's shapes (no network, no image tools):
// `node client/scripts/icons.mjs`. Full-bleed background, the mark inside the maskable safe zone.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../public');
const BG = [0x8a, 0x4a, 0x5c];
const FG = [0xfb, 0xf4, 0xec];

/** Coverage of the mark at (x, y) in the favicon's 32-unit grid, scaled into the safe zone. */
function inMark(x, y) {
  // Scaled 1.2 around its centre the mark stays inside the maskable safe circle (radius 40 %).
  const u = 16 + (x - 16) / 1.2;
  const v = 16 + (y - 16) / 1.2 + 1;
  const dot = (cx, cy, r) => (u - cx) ** 2 + (v - cy) ** 2 <= r * r;
  if (dot(12, 21, 2) || dot(20, 21, 2)) return true;
  if (dot(9, 21, 1.5) || dot(23, 21, 1.5)) return true;
  if (v > 21) return false;
  // The arch: an ellipse centred at (16, 21), radii 7 × 10, stroked 3 units wide.
  const d = Math.sqrt(((u - 16) / 7) ** 2 + ((v - 21) / 10) ** 2);
  // Distance to the curve ≈ |d − 1| / |∇d|.
  const grad = Math.sqrt(((u - 16) / 49) ** 2 + ((v - 21) / 100) ** 2) / (d || 1);
  return Math.abs(d - 1) / (grad || 1) <= 1.5;
}

function draw(size) {
  const png = new PNG({ width: size, height: size });
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let hits = 0;
      for (let sy = 0; sy < n; sy++)
        for (let sx = 0; sx < n; sx++) if (inMark(((px + (sx + 0.5) / n) / size) * 32, ((py + (sy + 0.5) / n) / size) * 32)) hits++;
      const a = hits / (n * n);
      const i = (py * size + px) * 4;
      for (let c = 0; c < 3; c++) png.data[i + c] = Math.round(BG[c] * (1 - a) + FG[c] * a);
      png.data[i + 3] = 255;
    }
  }
  fs.writeFileSync(path.join(out, `icon-${size}.png`), PNG.sync.write(png));
}

for (const size of [180, 192, 512]) draw(size);
