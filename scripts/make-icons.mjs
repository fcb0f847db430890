// Draws the tray icons (one per state, 1x and 2x, coloured and macOS template) and the app icon.
// Run `node scripts/make-icons.mjs` after changing a shape; the PNGs are committed.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

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
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

// Shapes in a 16×16 design grid.
const roundRect = (x0, y0, x1, y1, r) => (x, y) => {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const triangle = (ax, ay, bx, by, cx, cy) => (x, y) => {
  const s = (px, py, qx, qy) => (x - qx) * (py - qy) - (px - qx) * (y - qy);
  const d1 = s(ax, ay, bx, by), d2 = s(bx, by, cx, cy), d3 = s(cx, cy, ax, ay);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
};
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

const body = roundRect(0.5, 3.5, 10.5, 12.5, 2);
const bodyHole = roundRect(2, 5, 9, 11, 1);
const lens = triangle(10.5, 8, 15.5, 4.5, 15.5, 11.5);
const badge = circle(13, 13, 3);
const badgeRing = circle(13, 13, 4.3);
const badgeHole = circle(13, 13, 1.6);

/** Per state: which pixels are ink. Badges say busy/error without colour (macOS template images). */
const SHAPES = {
  'signed-out': (x, y) => (body(x, y) && !bodyHole(x, y)) || lens(x, y),
  ready: (x, y) => body(x, y) || lens(x, y),
  busy: (x, y) => ((body(x, y) || lens(x, y)) && !badgeRing(x, y)) || (badge(x, y) && !badgeHole(x, y)),
  error: (x, y) => ((body(x, y) || lens(x, y)) && !badgeRing(x, y)) || badge(x, y),
};
const COLOURS = { 'signed-out': [138, 138, 138], ready: [11, 92, 255], busy: [245, 166, 35], error: [224, 40, 40] };

function draw(size, inside, [r, g, b], grid = 16) {
  const out = Buffer.alloc(size * size * 4);
  const samples = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let hits = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = ((px + (sx + 0.5) / samples) / size) * grid;
          const y = ((py + (sy + 0.5) / samples) / size) * grid;
          if (inside(x, y)) hits++;
        }
      }
      out.set([r, g, b, Math.round((255 * hits) / samples ** 2)], (py * size + px) * 4);
    }
  }
  return out;
}

for (const [state, shape] of Object.entries(SHAPES)) {
  for (const [suffix, size] of [['', 16], ['@2x', 32]]) {
    writeFileSync(`assets/tray/${state}${suffix}.png`, png(size, draw(size, shape, COLOURS[state])));
    writeFileSync(`assets/tray/${state}Template${suffix}.png`, png(size, draw(size, shape, [0, 0, 0])));
  }
}

// App icon (electron-builder): a white camera on a Zoom-blue rounded square.
const APP = 512;
const tile = roundRect(0.5, 0.5, 15.5, 15.5, 3.5);
const glyph = (x, y) => body((x - 3) * 1.6 + 0.5, (y - 3.2) * 1.6) || lens((x - 3) * 1.6 + 0.5, (y - 3.2) * 1.6);
const bg = draw(APP, tile, [11, 92, 255]);
const fg = draw(APP, glyph, [255, 255, 255]);
for (let i = 0; i < APP * APP; i++) {
  const a = fg[i * 4 + 3] / 255;
  for (let c = 0; c < 3; c++) bg[i * 4 + c] = Math.round(bg[i * 4 + c] * (1 - a) + 255 * a);
}
writeFileSync('build/icon.png', png(APP, bg));
