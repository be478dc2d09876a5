// Draws Ferry's icon (a white download arrow over a hull line, on a blue rounded square) and writes
// it as PNGs with nothing but node:zlib: build/icon.png (512 px, electron-builder derives every
// platform's icon from it) and assets/ (the window and tray icons the app loads at run time).
// Run it again after changing the drawing; the PNGs are committed.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Coverage of the shapes at a point in unit coordinates: [r, g, b, a] in 0..255. */
function shade(x, y) {
  const m = 0.06;
  const r = 0.2;
  // Signed-distance test for the rounded square.
  const qx = Math.max(Math.abs(x - 0.5) - (0.5 - m - r), 0);
  const qy = Math.max(Math.abs(y - 0.5) - (0.5 - m - r), 0);
  if (Math.hypot(qx, qy) > r) return [0, 0, 0, 0];
  const white = [255, 255, 255, 255];
  const inShaft = x >= 0.43 && x <= 0.57 && y >= 0.18 && y <= 0.5;
  // Arrow head: below y=0.46, narrowing to the tip at (0.5, 0.7).
  const inHead = y >= 0.46 && y <= 0.7 && Math.abs(x - 0.5) <= 0.23 * (0.7 - y) / 0.24;
  const inHull = y >= 0.77 && y <= 0.84 && Math.hypot(Math.max(Math.abs(x - 0.5) - 0.22, 0), 0) <= 0.035;
  if (inShaft || inHead || inHull) return white;
  const t = y;
  return [Math.round(46 - 19 * t), Math.round(124 - 45 * t), Math.round(246 - 55 * t), 255];
}

function render(size) {
  const samples = 4;
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      // Supersampled, so the edges are smooth at 16 px as at 512 px.
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const c = shade((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          acc[0] += c[0] * c[3];
          acc[1] += c[1] * c[3];
          acc[2] += c[2] * c[3];
          acc[3] += c[3];
        }
      }
      const o = (py * size + px) * 4;
      const a = acc[3];
      rgba[o] = a ? Math.round(acc[0] / a) : 0;
      rgba[o + 1] = a ? Math.round(acc[1] / a) : 0;
      rgba[o + 2] = a ? Math.round(acc[2] / a) : 0;
      rgba[o + 3] = Math.round(a / (samples * samples));
    }
  }
  return rgba;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bits per channel
  ihdr[9] = 6; // RGBA
  // Each row starts with filter type 0 (none); deflate does the compressing.
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const outputs = [
  ['build/icon.png', 512],
  ['assets/icon.png', 256],
  ['assets/tray.png', 16],
  ['assets/tray@2x.png', 32],
];
for (const [file, size] of outputs) {
  const target = path.join(root, file);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, encodePng(size, render(size)));
  console.log(`${file} (${size}×${size})`);
}
