import fs from "node:fs";
import path from "node:path";
import { encodePng } from "./png";

/**
 * Draws Leeway's mark (a bold "L" with a leaf at its shoulder) and writes every icon the
 * manifests use. Run with `npx tsx manifests/scripts/icons.ts`; the PNGs are committed.
 *
 * Shapes are described in a unit square and sampled 4×4 per pixel, so edges are smooth at any size.
 */

export const BRAND = { r: 0x0f, g: 0x7b, b: 0x6c }; // Leeway teal, also the manifest's accentColor

type Shape = (x: number, y: number) => boolean;

const roundedSquare =
  (inset: number, radius: number): Shape =>
  (x, y) => {
    const cx = Math.max(inset + radius - x, 0, x - (1 - inset - radius));
    const cy = Math.max(inset + radius - y, 0, y - (1 - inset - radius));
    return x >= inset && x <= 1 - inset && y >= inset && y <= 1 - inset && cx * cx + cy * cy <= radius * radius;
  };

const rect =
  (x0: number, y0: number, x1: number, y1: number): Shape =>
  (x, y) =>
    x >= x0 && x <= x1 && y >= y0 && y <= y1;

/** A pointed leaf (the lens between two circles) of half-length a and half-width b, turned by `angle`. */
const leaf =
  (cx: number, cy: number, a: number, b: number, angle: number): Shape =>
  (x, y) => {
    const dx = x - cx;
    const dy = y - cy;
    const u = dx * Math.cos(angle) + dy * Math.sin(angle);
    const v = -dx * Math.sin(angle) + dy * Math.cos(angle);
    const d = (a * a - b * b) / (2 * b);
    const r2 = (d + b) * (d + b);
    return u * u + (v - d) * (v - d) <= r2 && u * u + (v + d) * (v + d) <= r2;
  };

const union =
  (...shapes: Shape[]): Shape =>
  (x, y) =>
    shapes.some((s) => s(x, y));

/** The mark inside a square of side `scale` centred in the unit square. */
function mark(scale: number): Shape {
  const at = (v: number) => 0.5 + (v - 0.5) * scale;
  const stem = rect(at(0.24), at(0.16), at(0.42), at(0.84));
  const foot = rect(at(0.24), at(0.66), at(0.74), at(0.84));
  const sprout = leaf(at(0.65), at(0.34), 0.2 * scale, 0.09 * scale, -Math.PI / 4);
  return union(stem, foot, sprout);
}

/** Coverage (0..1) of a shape over one pixel, from 4×4 samples. */
function coverage(shape: Shape, px: number, py: number, size: number): number {
  let hits = 0;
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) if (shape((px + (i + 0.5) / 4) / size, (py + (j + 0.5) / 4) / size)) hits++;
  return hits / 16;
}

/** A full-colour icon: white mark on a teal rounded square, transparent outside it. */
export function colorIcon(size: number): Buffer {
  const background = roundedSquare(0, size <= 20 ? 0.16 : 0.2);
  const glyph = mark(0.78);
  const px = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const bg = coverage(background, x, y, size);
      const fg = coverage(glyph, x, y, size);
      const o = (y * size + x) * 4;
      px[o] = Math.round(BRAND.r + (255 - BRAND.r) * fg);
      px[o + 1] = Math.round(BRAND.g + (255 - BRAND.g) * fg);
      px[o + 2] = Math.round(BRAND.b + (255 - BRAND.b) * fg);
      px[o + 3] = Math.round(255 * bg);
    }
  }
  return encodePng(size, size, px);
}

/** The Teams outline icon: the white mark alone on a transparent background. */
export function outlineIcon(size: number): Buffer {
  const glyph = mark(0.9);
  const px = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const o = (y * size + x) * 4;
      px[o] = px[o + 1] = px[o + 2] = 255;
      px[o + 3] = Math.round(255 * coverage(glyph, x, y, size));
    }
  }
  return encodePng(size, size, px);
}

/** Every icon file and its pixel size; the package check reads this list too. */
export const ICON_FILES: Record<string, { size: number; draw: (size: number) => Buffer }> = {
  "color.png": { size: 192, draw: colorIcon },
  "outline.png": { size: 32, draw: outlineIcon },
  "addin-16.png": { size: 16, draw: colorIcon },
  "addin-32.png": { size: 32, draw: colorIcon },
  "addin-64.png": { size: 64, draw: colorIcon },
  "addin-80.png": { size: 80, draw: colorIcon },
  "addin-128.png": { size: 128, draw: colorIcon },
};

if (require.main === module) {
  const dir = path.resolve(__dirname, "..", "icons");
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, { size, draw }] of Object.entries(ICON_FILES)) {
    fs.writeFileSync(path.join(dir, name), draw(size));
    process.stdout.write(`${name} ${size}x${size}\n`);
  }
}
