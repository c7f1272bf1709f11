// Draws the tray/status icons (16 px, 32 px @2x, 128 px @8x) into renderer/assets/tray/ and the
// 512 px app icon into renderer/assets/icon.png.
// Shapes are signed-distance functions sampled 4×4 per pixel, so edges are anti-aliased.
// Run: node scripts/draw-icons.mjs (the PNGs are committed; this only re-creates them).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

const out = new URL('../renderer/assets/tray/', import.meta.url).pathname;

// Shapes live in a 16×16 unit space; each returns a signed distance (< 0 inside).
const circle = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) - r;
const segment = (ax, ay, bx, by, w) => (x, y) => {
  const [dx, dy] = [bx - ax, by - ay];
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - ax - t * dx, y - ay - t * dy) - w / 2;
};
const arc = (cx, cy, r, w, from, to) => (x, y) => {
  let a = Math.atan2(y - cy, x - cx);
  if (a < from) a += 2 * Math.PI;
  if (a >= from && a <= to) return Math.abs(Math.hypot(x - cx, y - cy) - r) - w / 2;
  const end = (t) => Math.hypot(x - cx - r * Math.cos(t), y - cy - r * Math.sin(t)) - w / 2;
  return Math.min(end(from), end(to));
};
const triangle = (p) => (x, y) => {
  // Inside when on the same side of all three edges; distance approximated by the nearest edge.
  let d = -Infinity;
  for (let i = 0; i < 3; i++) {
    const [ax, ay] = p[i];
    const [bx, by] = p[(i + 1) % 3];
    const [nx, ny] = [by - ay, ax - bx];
    const len = Math.hypot(nx, ny);
    d = Math.max(d, ((x - ax) * nx + (y - ay) * ny) / len);
  }
  return d;
};
const union =
  (...shapes) =>
  (x, y) =>
    Math.min(...shapes.map((s) => s(x, y)));

const WHITE = [255, 255, 255];
const ICONS = {
  ok: {
    color: [22, 150, 75],
    glyph: union(segment(4.6, 8.3, 7, 10.7, 1.9), segment(7, 10.7, 11.5, 5.6, 1.9)),
  },
  syncing: {
    color: [37, 99, 235],
    glyph: union(
      arc(8, 8, 3.9, 1.7, -Math.PI * 0.15, Math.PI * 1.35),
      triangle([
        [9.4, 3.0],
        [13.6, 5.6],
        [9.2, 7.3],
      ]),
    ),
  },
  paused: {
    color: [107, 114, 128],
    glyph: union(segment(6.2, 5, 6.2, 11, 2), segment(9.8, 5, 9.8, 11, 2)),
  },
  attention: {
    color: [217, 119, 6],
    glyph: union(segment(8, 4.2, 8, 8.9, 2), circle(8, 11.4, 1.15)),
  },
};

function render(size, { color, glyph }) {
  const disc = circle(8, 8, 7.4);
  const px = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let base = 0;
      let mark = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const ux = ((x + (sx + 0.5) / n) * 16) / size;
          const uy = ((y + (sy + 0.5) / n) * 16) / size;
          if (disc(ux, uy) < 0) base++;
          if (disc(ux, uy) < 0 && glyph(ux, uy) < 0) mark++;
        }
      }
      const a = base / (n * n);
      const g = base ? mark / base : 0;
      const i = (y * size + x) * 4;
      for (let c = 0; c < 3; c++) px[i + c] = Math.round(color[c] * (1 - g) + WHITE[c] * g);
      px[i + 3] = Math.round(a * 255);
    }
  }
  return png(size, size, px);
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

function png(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++)
    rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The app icon (installers, window, notifications): a white cloud with an up arrow on blue. */
function appIcon(size) {
  const box = (x, y) => {
    // Rounded square 1..15 with corner radius 3.4.
    const [qx, qy] = [Math.abs(x - 8) - 7 + 3.4, Math.abs(y - 8) - 7 + 3.4];
    return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - 3.4;
  };
  const cloud = union(
    // Every lobe's bottom and the base bar end on the same line (y = 11.65): a flat base.
    circle(5.6, 9.2, 2.45),
    circle(8.4, 7.4, 3.2),
    circle(11.0, 9.5, 2.15),
    segment(5.6, 10.35, 11.0, 10.35, 2.6),
  );
  const arrow = union(
    segment(8.3, 12.2, 8.3, 7.6, 1.3),
    triangle([
      [8.3, 5.4],
      [10.4, 8.2],
      [6.2, 8.2],
    ]),
  );
  const px = Buffer.alloc(size * size * 4);
  const n = 4;
  const top = [59, 130, 246];
  const bottom = [29, 78, 216];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let inBox = 0;
      let white = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const ux = ((x + (sx + 0.5) / n) * 16) / size;
          const uy = ((y + (sy + 0.5) / n) * 16) / size;
          if (box(ux, uy) >= 0) continue;
          inBox++;
          if (cloud(ux, uy) < 0 && arrow(ux, uy) >= 0) white++;
        }
      }
      const t = y / size;
      const i = (y * size + x) * 4;
      const w = inBox ? white / inBox : 0;
      for (let c = 0; c < 3; c++) {
        const base = top[c] * (1 - t) + bottom[c] * t;
        px[i + c] = Math.round(base * (1 - w) + 255 * w);
      }
      px[i + 3] = Math.round((inBox / (n * n)) * 255);
    }
  }
  return png(size, size, px);
}

mkdirSync(out, { recursive: true });
writeFileSync(join(out, '..', 'icon.png'), appIcon(512));
for (const [name, icon] of Object.entries(ICONS)) {
  writeFileSync(join(out, `${name}.png`), render(16, icon));
  writeFileSync(join(out, `${name}@2x.png`), render(32, icon));
  // A larger copy for the window's own icon and notifications.
  writeFileSync(join(out, `${name}@8x.png`), render(128, icon));
}
console.log(`icons written to ${out}`);
