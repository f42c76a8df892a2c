/**
 * `npm run teams:icons`: draws the Teams app icons from the brand colour in `data/brand.yml`:
 * `teams/color.png` (192x192, a white speech bubble on the brand colour) and `teams/outline.png`
 * (32x32, the bubble's white outline on transparent, as Teams requires). Run again after a
 * brand change; the PNGs are committed so packaging needs no drawing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../src/config.js';
import { encodePng } from './png.js';

type Shape = (x: number, y: number) => boolean;

/** A speech bubble in a unit square: rounded body plus a tail at the lower left. */
function bubble(inset: number): Shape {
  const [l, t, r, b, rad] = [0.16 + inset, 0.2 + inset, 0.84 - inset, 0.7 - inset, 0.12];
  const body: Shape = (x, y) => {
    if (x < l || x > r || y < t || y > b) return false;
    const cx = Math.min(Math.max(x, l + rad), r - rad);
    const cy = Math.min(Math.max(y, t + rad), b - rad);
    return (x - cx) ** 2 + (y - cy) ** 2 <= rad ** 2;
  };
  // Tail: triangle (0.3,0.6) (0.46,0.6) (0.26,0.84), shrunk with the inset.
  const tail: Shape = (x, y) => {
    const [ax, ay, bx, by, cx, cy] = [0.3 + inset, 0.6, 0.46 - inset, 0.6, 0.26 + inset * 0.6, 0.84 - inset * 1.6];
    const s = (px: number, py: number, qx: number, qy: number) => (x - qx) * (py - qy) - (px - qx) * (y - qy);
    const d1 = s(ax, ay, bx, by), d2 = s(bx, by, cx, cy), d3 = s(cx, cy, ax, ay);
    return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
  };
  return (x, y) => body(x, y) || tail(x, y);
}

/** Renders a shape with 4x4 supersampling: coverage in 0..1 per pixel. */
function coverage(size: number, shape: Shape): Float64Array {
  const out = new Float64Array(size * size);
  for (let py = 0; py < size; py++) for (let px = 0; px < size; px++) {
    let hits = 0;
    for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) if (shape((px + (sx + 0.5) / 4) / size, (py + (sy + 0.5) / 4) / size)) hits++;
    out[py * size + px] = hits / 16;
  }
  return out;
}

function hex(c: string): [number, number, number] {
  return [1, 3, 5].map((i) => Number.parseInt(c.slice(i, i + 2), 16)) as [number, number, number];
}

const brand = parse(readFileSync(join(ROOT, 'data', 'brand.yml'), 'utf8')) as { colors: { primary: string; onPrimary: string } };
const [pr, pg, pb] = hex(brand.colors.primary);
const [wr, wg, wb] = hex(brand.colors.onPrimary);

// Colour icon: brand background, bubble in the "on primary" colour.
const C = 192;
const fill = coverage(C, bubble(0));
const color = new Uint8Array(C * C * 4);
for (let i = 0; i < C * C; i++) {
  const a = fill[i];
  color.set([Math.round(pr + (wr - pr) * a), Math.round(pg + (wg - pg) * a), Math.round(pb + (wb - pb) * a), 255], i * 4);
}
writeFileSync(join(ROOT, 'teams', 'color.png'), encodePng(C, C, color));

// Outline icon: white outline only, transparent everywhere else (Teams' rule for outline icons).
const O = 32;
const outer = bubble(-0.06), inner = bubble(0.02);
const ring = coverage(O, (x, y) => outer(x, y) && !inner(x, y));
const outline = new Uint8Array(O * O * 4);
for (let i = 0; i < O * O; i++) outline.set([255, 255, 255, Math.round(ring[i] * 255)], i * 4);
writeFileSync(join(ROOT, 'teams', 'outline.png'), encodePng(O, O, outline));
console.log('wrote teams/color.png (192x192) and teams/outline.png (32x32)');
