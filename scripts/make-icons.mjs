// Draws the tray icons (one per state, 1x and 2x, coloured and macOS template) and the app icon for
// every package: build/icons/NxN.png (Linux), build/icon.ico (Windows), build/icon.icns (macOS) and
// build/icon.png. Run `node scripts/make-icons.mjs` from the project root after changing a shape; the
// output is committed, so packaging needs no icon converter.
import { mkdirSync, writeFileSync } from 'node:fs';
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

// App icon, one design for every package: a white camera on a Zoom-blue rounded square, drawn at
// each size (sharper at 16 px than a scaled-down 1024 px) and packed for each OS.
const tile = roundRect(0.5, 0.5, 15.5, 15.5, 3.5);
const glyph = (x, y) => body((x - 3) * 1.6 + 0.5, (y - 3.2) * 1.6) || lens((x - 3) * 1.6 + 0.5, (y - 3.2) * 1.6);
function appIcon(size) {
  const bg = draw(size, tile, [11, 92, 255]);
  const fg = draw(size, glyph, [255, 255, 255]);
  for (let i = 0; i < size * size; i++) {
    const a = fg[i * 4 + 3] / 255;
    for (let c = 0; c < 3; c++) bg[i * 4 + c] = Math.round(bg[i * 4 + c] * (1 - a) + 255 * a);
  }
  return bg;
}
const rgbaBySize = new Map();
const rgba = (size) => rgbaBySize.get(size) ?? rgbaBySize.set(size, appIcon(size)).get(size);
const pngOf = (size) => png(size, rgba(size));

/** A 32-bit BMP icon image (BITMAPINFOHEADER, bottom-up BGRA, then the 1-bit AND mask), as Windows and NSIS read. */
function icoBitmap(size, pixels) {
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8); // colour rows plus mask rows
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  const colour = Buffer.alloc(size * size * 4);
  const maskStride = Math.ceil(size / 32) * 4;
  const mask = Buffer.alloc(maskStride * size);
  for (let y = 0; y < size; y++) {
    const row = size - 1 - y;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixels.subarray((y * size + x) * 4, (y * size + x) * 4 + 4);
      colour.set([b, g, r, a], (row * size + x) * 4);
      if (a === 0) mask[row * maskStride + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return Buffer.concat([header, colour, mask]);
}

/** ICONDIR + one ICONDIRENTRY per image; 256 px as PNG (Vista+), smaller ones as BMP for every reader. */
function ico(sizes) {
  const images = sizes.map((size) => (size >= 256 ? pngOf(size) : icoBitmap(size, rgba(size))));
  const dir = Buffer.alloc(6 + 16 * sizes.length);
  dir.writeUInt16LE(0, 0);
  dir.writeUInt16LE(1, 2); // 1 = icon
  dir.writeUInt16LE(sizes.length, 4);
  let offset = dir.length;
  sizes.forEach((size, i) => {
    const e = 6 + 16 * i;
    dir[e] = size >= 256 ? 0 : size; // 0 means 256
    dir[e + 1] = size >= 256 ? 0 : size;
    dir.writeUInt16LE(1, e + 4); // colour planes
    dir.writeUInt16LE(32, e + 6); // bits per pixel
    dir.writeUInt32LE(images[i].length, e + 8);
    dir.writeUInt32LE(offset, e + 12);
    offset += images[i].length;
  });
  return Buffer.concat([dir, ...images]);
}

/** Apple icon image: 'icns' + length, then (type, length, PNG) elements; sizes per type as iconutil writes them. */
function icns(entries) {
  const parts = entries.map(([type, size]) => {
    const data = pngOf(size);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

mkdirSync('build/icons', { recursive: true });
// Linux: the hicolor sizes the deb installs and the AppImage embeds (electron-builder reads build/icons/NxN.png).
for (const size of [16, 24, 32, 48, 64, 128, 256, 512]) writeFileSync(`build/icons/${size}x${size}.png`, pngOf(size));
// Windows: the exe, the installer and the uninstaller; electron-builder wants 256 px in it.
writeFileSync('build/icon.ico', ico([16, 24, 32, 48, 64, 128, 256]));
// macOS: up to 1024 px (512@2x) for Finder and the dmg.
writeFileSync(
  'build/icon.icns',
  icns([
    ['icp4', 16],
    ['ic11', 32], // 16@2x
    ['icp5', 32],
    ['ic12', 64], // 32@2x
    ['ic07', 128],
    ['ic13', 256], // 128@2x
    ['ic08', 256],
    ['ic14', 512], // 256@2x
    ['ic09', 512],
    ['ic10', 1024], // 512@2x
  ]),
);
// The largest rendering, for anything that wants a plain PNG.
writeFileSync('build/icon.png', pngOf(1024));
