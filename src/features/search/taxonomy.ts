import type { CompetenceLevel } from '../../db/schema.js';
import { buildExpansionIndex, type ExpansionIndex, type TaxonomyTerm } from './query.js';
import { words } from './text.js';

/** One area as the search sees it: keys, labels, synonyms, ancestors and network concept. */
export interface AreaInfo {
  id: string;
  /** `cluster-slug:CODE`, unique across the network. */
  key: string;
  code: string;
  clusterId: string;
  clusterSlug: string;
  labelIt: string;
  labelEn: string | null;
  synonymsIt: string[];
  synonymsEn: string[];
  parentId: string | null;
  retired: boolean;
  conceptCode: string | null;
  conceptLabelIt: string | null;
  conceptLabelEn: string | null;
  position: number;
}

export interface ClusterInfo {
  id: string;
  slug: string;
  name: string;
  number: number;
}

export interface TaxonomyRows {
  areas: AreaInfo[];
  clusters: ClusterInfo[];
}

/** Stems of every taxonomy word in both configurations, looked up once per taxonomy version. */
export type StemLookup = (words: string[]) => Promise<Map<string, string[]>>;

/** The network's taxonomies in memory: small (hundreds to tens of thousands of areas), read on every query. */
export class TaxonomySnapshot {
  readonly byId = new Map<string, AreaInfo>();
  readonly byKey = new Map<string, AreaInfo>();
  readonly clustersById = new Map<string, ClusterInfo>();
  readonly clustersBySlug = new Map<string, ClusterInfo>();
  expansion: ExpansionIndex = buildExpansionIndex([], new Map());

  constructor(rows: TaxonomyRows) {
    for (const c of rows.clusters) {
      this.clustersById.set(c.id, c);
      this.clustersBySlug.set(c.slug, c);
    }
    for (const a of rows.areas) {
      this.byId.set(a.id, a);
      this.byKey.set(a.key, a);
    }
  }

  /** The area and its ancestors, nearest first (guards against a cycle). */
  lineage(area: AreaInfo): AreaInfo[] {
    const out: AreaInfo[] = [];
    let current: AreaInfo | undefined = area;
    while (current && out.length < 10 && !out.includes(current)) {
      out.push(current);
      current = current.parentId ? this.byId.get(current.parentId) : undefined;
    }
    return out;
  }

  top(area: AreaInfo): AreaInfo {
    const lineage = this.lineage(area);
    return lineage[lineage.length - 1]!;
  }

  /** Keys a document declaring these areas carries: each area, its ancestors, bare codes, concepts. */
  keysFor(areaIds: Iterable<string>): { keys: string[]; top: string[] } {
    const keys = new Set<string>();
    const top = new Set<string>();
    for (const id of areaIds) {
      const area = this.byId.get(id);
      if (!area) continue;
      for (const a of this.lineage(area)) {
        keys.add(a.key);
        keys.add(a.code);
        if (a.conceptCode) keys.add(`concept:${a.conceptCode}`);
      }
      top.add(this.top(area).key);
    }
    return { keys: [...keys], top: [...top] };
  }

  label(area: AreaInfo, lang: 'it' | 'en'): string {
    return lang === 'en' ? (area.labelEn ?? area.labelIt) : area.labelIt;
  }

  /** Label of a facet or filter key (an area key, a bare code, or `concept:<code>`). */
  labelOfKey(key: string, lang: 'it' | 'en'): string {
    const area = this.byKey.get(key);
    if (area) return this.label(area, lang);
    if (key.startsWith('concept:')) {
      const code = key.slice('concept:'.length);
      const a = [...this.byId.values()].find((x) => x.conceptCode === code);
      return a ? ((lang === 'en' ? a.conceptLabelEn : null) ?? a.conceptLabelIt ?? code) : code;
    }
    return key;
  }

  /**
   * Every label and synonym, in both languages (retired areas too: their codes stay resolvable),
   * of the areas that expand a query: sub-areas only. A top-level area's words are generic
   * ("analisi", "software", "green") and would drag half the network into every query; documents
   * declaring a sub-area carry their ancestors' labels anyway.
   */
  termTexts(): { areaKey: string; text: string }[] {
    const out: { areaKey: string; text: string }[] = [];
    for (const a of this.byId.values()) {
      if (!a.parentId && !a.conceptCode) continue;
      for (const text of [a.labelIt, a.labelEn, ...a.synonymsIt, ...a.synonymsEn]) {
        if (text) out.push({ areaKey: a.key, text });
      }
    }
    return out;
  }

  /** Build the synonym expansion index, stemming each word with both configurations. */
  async prepare(stem: StemLookup): Promise<void> {
    const texts = this.termTexts();
    const allWords = [...new Set(texts.flatMap((t) => words(t.text)))];
    const stems = allWords.length > 0 ? await stem(allWords) : new Map<string, string[]>();
    const terms: TaxonomyTerm[] = [];
    for (const { areaKey, text } of texts) {
      const groups = words(text)
        .map((w) => stems.get(w) ?? [])
        .filter((g) => g.length > 0);
      if (groups.length > 0 && groups.length <= 6) terms.push({ areaKey, words: groups });
    }
    const related = new Map<string, string[]>();
    const byConcept = new Map<string, string[]>();
    for (const a of this.byId.values()) {
      if (a.conceptCode) byConcept.set(a.conceptCode, [...(byConcept.get(a.conceptCode) ?? []), a.key]);
    }
    for (const a of this.byId.values()) {
      const siblings = a.conceptCode ? (byConcept.get(a.conceptCode) ?? []) : [];
      related.set(a.key, [...new Set([a.key, ...siblings, ...(a.conceptCode ? [`concept:${a.conceptCode}`] : [])])]);
    }
    this.expansion = buildExpansionIndex(terms, related);
  }
}

export const LEVEL_ORDER: Record<CompetenceLevel, number> = { core: 0, experienced: 1, emerging: 2 };
