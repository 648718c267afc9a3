import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LOMBARDY_PROVINCES } from '../../platform/identifiers/index.js';
import { MAP_HEIGHT, MAP_WIDTH, PROVINCE_SHAPES } from './lombardy-provinces.js';
import { colourClasses, COLOURS, labelColour } from './pages.js';

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

type Point = [number, number];

/** The rings of an SVG path made of absolute M, L and Z commands; throws on anything else. */
function rings(d: string): Point[][] {
  if (!/^(M-?[\d.]+ -?[\d.]+(L-?[\d.]+ -?[\d.]+)*Z)+$/.test(d)) throw new Error(`not an M/L/Z path: ${d.slice(0, 60)}…`);
  return d
    .split('Z')
    .filter(Boolean)
    .map((ring) =>
      ring
        .slice(1)
        .split('L')
        .map((pair) => pair.split(' ').map(Number) as Point),
    );
}

/** Even–odd rule over every ring, as the SVG is filled. */
function inside([x, y]: Point, polygon: Point[][]): boolean {
  let result = false;
  for (const ring of polygon) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!;
      const [xj, yj] = ring[j]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) result = !result;
    }
  }
  return result;
}

function distanceToOutline([x, y]: Point, polygon: Point[][]): number {
  let min = Infinity;
  for (const ring of polygon) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [ax, ay] = ring[j]!;
      const [bx, by] = ring[i]!;
      const [dx, dy] = [bx - ax, by - ay];
      const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy || 1)));
      min = Math.min(min, Math.hypot(x - (ax + t * dx), y - (ay + t * dy)));
    }
  }
  return min;
}

const shapes = Object.entries(PROVINCE_SHAPES).map(([code, shape]) => ({ code, ...shape, polygon: rings(shape.d) }));
const byCode = new Map(shapes.map((s) => [s.code, s]));
const bounds = (code: string) => {
  const points = byCode.get(code)!.polygon.flat();
  return { left: Math.min(...points.map((p) => p[0])), right: Math.max(...points.map((p) => p[0])), top: Math.min(...points.map((p) => p[1])), bottom: Math.max(...points.map((p) => p[1])) };
};

describe('the province outlines', () => {
  it('has one outline for each of the twelve provinces, keyed by sigla', () => {
    expect(Object.keys(PROVINCE_SHAPES).sort()).toEqual(LOMBARDY_PROVINCES.map((p) => p.sigla).sort());
  });

  it('draws each province as closed rings of M/L/Z commands inside the viewBox', () => {
    for (const { code, polygon } of shapes) {
      expect(polygon.length, code).toBeGreaterThan(0);
      for (const ring of polygon) {
        expect(ring.length, code).toBeGreaterThanOrEqual(3);
        for (const [x, y] of ring) {
          expect(Number.isFinite(x) && Number.isFinite(y), code).toBe(true);
          expect(x >= 0 && x <= MAP_WIDTH && y >= 0 && y <= MAP_HEIGHT, `${code} ${x},${y}`).toBe(true);
        }
      }
    }
  });

  it('puts each label inside its own province, clear of the border, and in no other province', () => {
    for (const { code, label, polygon } of shapes) {
      const point: Point = [label.x, label.y];
      expect(inside(point, polygon), code).toBe(true);
      expect(distanceToOutline(point, polygon), code).toBeGreaterThanOrEqual(6);
      for (const other of shapes) if (other.code !== code) expect(inside(point, other.polygon), `${code} in ${other.code}`).toBe(false);
    }
  });

  it('keeps shared borders shared: neighbours have vertices in common, provinces far apart none', () => {
    const vertices = (code: string) => new Set(byCode.get(code)!.polygon.flat().map((p) => p.join(',')));
    for (const [a, b] of [['MI', 'MB'], ['MI', 'LO'], ['LO', 'PV'], ['LO', 'CR'], ['CR', 'MN'], ['BS', 'MN'], ['SO', 'CO'], ['SO', 'LC'], ['BG', 'LC'], ['VA', 'CO'], ['MI', 'VA'], ['BG', 'BS']] as const) {
      const shared = [...vertices(a)].filter((v) => vertices(b).has(v));
      expect(shared.length, `${a}–${b}`).toBeGreaterThanOrEqual(2);
    }
    // And provinces that do not touch share nothing.
    expect([...vertices('VA')].filter((v) => vertices('MN').has(v))).toEqual([]);
  });

  it('looks like Lombardy: Sondrio reaches furthest north, Mantova east, Pavia (the Oltrepò) south', () => {
    const all = shapes.map((s) => bounds(s.code));
    expect(bounds('SO').top).toBe(Math.min(...all.map((b) => b.top)));
    expect(bounds('MN').right).toBe(Math.max(...all.map((b) => b.right)));
    expect(bounds('PV').bottom).toBe(Math.max(...all.map((b) => b.bottom)));
    // Sondrio is the long east–west Valtellina (with the Valchiavenna going north at its west end).
    expect(bounds('SO').right - bounds('SO').left).toBeGreaterThan(1.4 * (bounds('SO').bottom - bounds('SO').top));
  });

  it('stays a small module (the page inlines every path)', () => {
    expect(fs.statSync(new URL('./lombardy-provinces.ts', import.meta.url)).size).toBeLessThan(30 * 1024);
  });
});

describe('the choropleth', () => {
  it('writes every province label with at least 4.5:1 contrast on its own fill (axe cannot measure SVG text)', () => {
    // The label carries a halo in its province's fill (pages.tsx, app.css), so it stands on that
    // fill even where it overhangs a border.
    COLOURS.forEach((colour, cls) => expect(contrast(colour, labelColour(cls)), colour).toBeGreaterThanOrEqual(4.5));
  });

  it('splits the counts into at most four classes that cover 1..max without gaps', () => {
    expect(colourClasses([0, 0])).toEqual([]);
    expect(colourClasses([1])).toEqual([{ from: 1, to: 1 }]);
    for (const max of [2, 3, 7, 12, 100, 4999]) {
      const classes = colourClasses([0, max]);
      expect(classes.length).toBeLessThanOrEqual(4);
      expect(classes[0]!.from).toBe(1);
      expect(classes[classes.length - 1]!.to).toBe(max);
      classes.slice(1).forEach((c, i) => expect(c.from).toBe(classes[i]!.to + 1));
    }
  });
});
