/**
 * Builds src/features/search/lombardy-provinces.ts, the province outlines of the map page, from
 * openpolis/geojson-italy (data ISTAT, CC BY 4.0, © 2018-2021 Openpolis).
 *
 *   npx tsx scripts/province-map.ts [input] [output]
 *
 * `input` is a TopoJSON file, or a directory holding one: either the whole
 * `topojson/limits_IT_provinces.topo.json`, or an excerpt of it with the same `transform`, the
 * Lombard `geometries` and only the arcs they use, keyed by their index (`{"arcs": {"13": [...]}}`).
 * Default: /tmp/provinces. Nothing is downloaded here; the source is fetched by hand.
 *
 * Each shared border (a TopoJSON arc) is simplified once, so that neighbouring provinces still
 * meet exactly; then the outlines are projected and rounded, and each gets a label point well
 * inside it (the pole of inaccessibility, found by a grid search).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type Point = [number, number];
type Ring = Point[];

interface Topology {
  transform: { scale: [number, number]; translate: [number, number] };
  arcs: Point[][] | Record<string, Point[]>;
  geometries?: Geometry[];
  objects?: Record<string, { geometries: Geometry[] }>;
}

interface Geometry {
  type: 'Polygon' | 'MultiPolygon';
  arcs: number[][] | number[][][];
  properties: { prov_acr: string; prov_name: string; reg_istat_code: string };
}

/** Width of the SVG viewBox; the height follows from the projection. */
const WIDTH = 600;
const PADDING = 8;
/** Douglas–Peucker tolerance, in viewBox units. */
const TOLERANCE = 0.9;
/** Rings smaller than this (viewBox units²) are dropped: Campione d'Italia would be a speck. */
const MIN_RING_AREA = 30;
/** Equirectangular projection true to scale at the latitude of Milan. */
const COS_LAT = Math.cos((45.6 * Math.PI) / 180);

function readTopology(input: string): Topology {
  let file = input;
  if (fs.statSync(input).isDirectory()) {
    const candidates = fs.readdirSync(input).filter((name) => name.endsWith('.json') && /province|limits_IT/.test(name));
    const full = candidates.find((name) => name === 'limits_IT_provinces.topo.json');
    const pick = full ?? candidates.find((name) => name.includes('excerpt')) ?? candidates[0];
    if (!pick) throw new Error(`no TopoJSON file in ${input}`);
    file = path.join(input, pick);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Topology;
}

function lombardGeometries(topology: Topology): Geometry[] {
  const all = topology.geometries ?? Object.values(topology.objects ?? {}).flatMap((o) => o.geometries);
  const lombard = all.filter((g) => g.properties.reg_istat_code === '03');
  if (lombard.length !== 12) throw new Error(`expected the 12 provinces of Lombardy, found ${lombard.length}`);
  return lombard;
}

/** Decodes one quantized, delta-encoded arc to lon/lat. */
function decodeArc(topology: Topology, index: number): Point[] {
  const raw = Array.isArray(topology.arcs) ? topology.arcs[index] : topology.arcs[String(index)];
  if (!raw) throw new Error(`arc ${index} is missing from the input`);
  const [sx, sy] = topology.transform.scale;
  const [tx, ty] = topology.transform.translate;
  let x = 0;
  let y = 0;
  return raw.map(([dx, dy]) => {
    x += dx;
    y += dy;
    return [x * sx + tx, y * sy + ty] as Point;
  });
}

function perpendicularDistance(p: Point, a: Point, b: Point): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const length = Math.hypot(dx, dy);
  if (length === 0) return Math.hypot(p[0] - a[0], p[1] - a[1]);
  return Math.abs(dy * p[0] - dx * p[1] + b[0] * a[1] - b[1] * a[0]) / length;
}

function douglasPeucker(points: Point[], tolerance: number): Point[] {
  if (points.length <= 2) return points;
  const first = points[0]!;
  const last = points[points.length - 1]!;
  if (first[0] === last[0] && first[1] === last[1]) {
    // A closed arc: split it at its farthest point so that both halves have distinct ends.
    let far = 1;
    points.forEach((p, i) => {
      if (Math.hypot(p[0] - first[0], p[1] - first[1]) > Math.hypot(points[far]![0] - first[0], points[far]![1] - first[1])) far = i;
    });
    return [...douglasPeucker(points.slice(0, far + 1), tolerance).slice(0, -1), ...douglasPeucker(points.slice(far), tolerance)];
  }
  let index = 0;
  let max = 0;
  for (let i = 1; i < points.length - 1; i++) {
    const d = perpendicularDistance(points[i]!, first, last);
    if (d > max) [index, max] = [i, d];
  }
  if (max <= tolerance) return [first, last];
  return [...douglasPeucker(points.slice(0, index + 1), tolerance).slice(0, -1), ...douglasPeucker(points.slice(index), tolerance)];
}

function ringArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) sum += (ring[j]![0] + ring[i]![0]) * (ring[j]![1] - ring[i]![1]);
  return Math.abs(sum / 2);
}

/** Even–odd rule over all rings, as SVG's `fill-rule="evenodd"` and the unit test read it. */
export function insidePolygon(p: Point, rings: Ring[]): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!;
      const [xj, yj] = ring[j]!;
      if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

function distanceToEdges(p: Point, rings: Ring[]): number {
  let min = Infinity;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const a = ring[j]!;
      const b = ring[i]!;
      const dx = b[0] - a[0];
      const dy = b[1] - a[1];
      const t = dx === 0 && dy === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)));
      min = Math.min(min, Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy)));
    }
  }
  return min;
}

/** The inside point farthest from the outline (coarse grid, then two finer passes around the best). */
function labelPoint(rings: Ring[]): Point {
  const xs = rings.flat().map((p) => p[0]);
  const ys = rings.flat().map((p) => p[1]);
  let [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  let best: Point | undefined;
  let bestDistance = -1;
  for (let pass = 0; pass < 3; pass++) {
    const steps = 60;
    for (let i = 0; i <= steps; i++) {
      for (let j = 0; j <= steps; j++) {
        const p: Point = [Math.round(x0 + ((x1 - x0) * i) / steps), Math.round(y0 + ((y1 - y0) * j) / steps)];
        if (!insidePolygon(p, rings)) continue;
        const d = distanceToEdges(p, rings);
        if (d > bestDistance) [best, bestDistance] = [p, d];
      }
    }
    if (!best) throw new Error('no label point found');
    const span = Math.max(x1 - x0, y1 - y0) / 8;
    [x0, x1, y0, y1] = [best[0] - span, best[0] + span, best[1] - span, best[1] + span];
  }
  return best!;
}

function main(): void {
  const input = process.argv[2] ?? '/tmp/provinces';
  const output = process.argv[3] ?? fileURLToPath(new URL('../src/features/search/lombardy-provinces.ts', import.meta.url));
  const topology = readTopology(input);
  const geometries = lombardGeometries(topology);
  const polygonsOf = (g: Geometry): number[][][] => (g.type === 'Polygon' ? [g.arcs as number[][]] : (g.arcs as number[][][]));

  // Projection bounds from every arc the provinces use.
  const used = [...new Set(geometries.flatMap((g) => polygonsOf(g).flat(2).map((i) => (i < 0 ? ~i : i))))];
  const lonlat = new Map(used.map((i) => [i, decodeArc(topology, i)]));
  const all = [...lonlat.values()].flat();
  const minLon = Math.min(...all.map((p) => p[0]));
  const maxLon = Math.max(...all.map((p) => p[0]));
  const minLat = Math.min(...all.map((p) => p[1]));
  const maxLat = Math.max(...all.map((p) => p[1]));
  const k = (WIDTH - 2 * PADDING) / ((maxLon - minLon) * COS_LAT);
  const height = Math.ceil((maxLat - minLat) * k + 2 * PADDING);
  const project = ([lon, lat]: Point): Point => [PADDING + (lon - minLon) * COS_LAT * k, PADDING + (maxLat - lat) * k];
  const round = (v: number) => Math.round(v * 10) / 10;

  // Simplify and round each arc once: shared borders stay identical on both sides.
  const arcs = new Map(
    [...lonlat].map(([i, points]) => {
      const simplified = douglasPeucker(points.map(project), TOLERANCE).map(([x, y]) => [round(x), round(y)] as Point);
      return [i, simplified.filter((p, n) => n === 0 || p[0] !== simplified[n - 1]![0] || p[1] !== simplified[n - 1]![1])];
    }),
  );
  const ringOf = (indexes: number[]): Ring => {
    const ring: Ring = [];
    for (const index of indexes) {
      const arc = index < 0 ? [...arcs.get(~index)!].reverse() : arcs.get(index)!;
      ring.push(...(ring.length > 0 ? arc.slice(1) : arc));
    }
    const [first, last] = [ring[0]!, ring[ring.length - 1]!];
    if (first[0] !== last[0] || first[1] !== last[1]) throw new Error(`ring ${indexes.join(',')} does not close`);
    return ring.slice(0, -1);
  };

  const shapes = geometries
    .map((g) => {
      const rings = polygonsOf(g)
        .map((polygon) => polygon.map(ringOf))
        .filter((polygon) => ringArea(polygon[0]!) >= MIN_RING_AREA)
        .flat();
      const d = rings.map((ring) => `M${ring.map(([x, y]) => `${x} ${y}`).join('L')}Z`).join('');
      const [x, y] = labelPoint(rings);
      return { code: g.properties.prov_acr, name: g.properties.prov_name, d, x, y, points: rings.reduce((n, r) => n + r.length, 0) };
    })
    .sort((a, b) => a.code.localeCompare(b.code));

  const body = shapes.map((s) => `  // ${s.name}: ${s.points} points\n  ${s.code}: { label: { x: ${s.x}, y: ${s.y} }, d: '${s.d}' },`).join('\n');
  const source = `/**
 * The twelve provinces of Lombardy as SVG paths, for the map of members (pages.tsx).
 *
 * GENERATED by scripts/province-map.ts — do not edit by hand.
 * Source: openpolis/geojson-italy, topojson/limits_IT_provinces.topo.json; data ISTAT, processed by
 * openpolis, licence CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/), © 2018-2021 Openpolis.
 * Modified: the borders are simplified (Douglas–Peucker, ${TOLERANCE} units), projected (equirectangular,
 * x scaled by cos 45.6°) into a ${WIDTH}×${height} box and rounded to 0.1; the Campione d'Italia exclave
 * is left out. Each label point lies well inside its province.
 */

export interface ProvinceShape {
  /** Absolute M/L/Z commands only. */
  readonly d: string;
  readonly label: { readonly x: number; readonly y: number };
}

export const MAP_WIDTH = ${WIDTH};
export const MAP_HEIGHT = ${height};

/** Keyed by sigla, as LOMBARDY_PROVINCES names the provinces. */
export const PROVINCE_SHAPES: Readonly<Record<string, ProvinceShape>> = {
${body}
};
`;
  fs.writeFileSync(output, source);
  console.log(`${output}: ${shapes.length} provinces, ${(Buffer.byteLength(source) / 1024).toFixed(1)} KB, viewBox ${WIDTH}×${height}`);
}

main();
