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
