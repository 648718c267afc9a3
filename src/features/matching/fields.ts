import type { FieldText } from './analyse.js';
import type { TextLang } from './text.js';

/** What the matcher reads of an offer or a need (a subset of the stored row). */
export interface MatchableItem {
  title_it: string | null;
  title_en: string | null;
  summary_it?: string | null;
  summary_en?: string | null;
  description_it: string | null;
  description_en: string | null;
  categories?: string[];
  tags?: string[];
  /** Labels (both languages) of the item's taxonomy codes. */
  taxonomyLabels?: string[];
}

/**
 * The fields of an item with their weights: the title says most about what is offered, then the
 * summary and the categories; long descriptions count once. Each bilingual field carries its
 * declared language; categories and tags are English in the Knowledge Share corpus and detected.
 */
export function itemFields(item: MatchableItem): FieldText[] {
  const fields: FieldText[] = [];
  const add = (text: string | null | undefined, lang: TextLang | undefined, weight: number) => {
    if (text && text.trim()) fields.push({ text, lang, weight });
  };
  add(item.title_it, 'it', 3);
  add(item.title_en, 'en', 3);
  add(item.summary_it, 'it', 2);
  add(item.summary_en, 'en', 2);
  add(item.description_it, 'it', 1);
  add(item.description_en, 'en', 1);
  const labels = [...(item.categories ?? []), ...(item.tags ?? [])].join('. ');
  add(labels, undefined, 2);
  add((item.taxonomyLabels ?? []).join('. '), undefined, 2);
  return fields;
}

/** What the matcher reads of a profile: a search document of the competence map (issue 5). */
export interface ProfileSource {
  kind: string;
  payload: {
    name: string;
    descriptionIt: string | null;
    descriptionEn: string | null;
    competences: { key: string; it: string; en: string | null; textIt: string | null; textEn: string | null }[];
    facilities?: string[];
    facility?: { accreditations: string[] };
    person?: { headline: string | null; keywords: string[] };
  };
}

/**
 * The fields of a profile with their weights, as for an item: what it declares it can do (its
 * competences, with the taxonomy's labels in both languages, a facility's name, an expert's
 * headline and keywords) counts more than its description. Offers are matched on their own.
 */
export function profileFields(source: ProfileSource): FieldText[] {
  const fields: FieldText[] = [];
  const add = (text: string | null | undefined, lang: TextLang | undefined, weight: number) => {
    if (text && text.trim()) fields.push({ text, lang, weight });
  };
  const p = source.payload;
  add(p.name, undefined, source.kind === 'facility' ? 2 : 1);
  // A declared area brings its labels; a free-text competence is its own text (label fields empty).
  for (const c of p.competences) {
    add(c.it, 'it', 2);
    add(c.en, 'en', 2);
    add(c.textIt, 'it', 2);
    add(c.textEn, 'en', 2);
  }
  if (p.person) {
    add(p.person.headline, undefined, 2);
    add(p.person.keywords.join('. '), undefined, 2);
  }
  add(p.facility?.accreditations.join('. '), undefined, 1);
  add(p.descriptionIt, 'it', 1);
  add(p.descriptionEn, 'en', 1);
  add((p.facilities ?? []).join('. '), undefined, 1);
  return fields;
}
