import { convert } from 'html-to-text';
import { detectLanguage } from '../matching/text.js';

/**
 * The Knowledge Share export format (Italian university spin-offs): parsing, validation and HTML
 * cleaning. Turning entries into organisations and offers is the importer's job (importer.ts).
 */
export interface KsEntry {
  id: number;
  name: string;
  /** Where the name came from: the description (or abstract) stating it, or the payoff. */
  nameSource: 'description' | 'payoff';
  payoff: string;
  abstract: string;
  description: string;
  sections: { enablingTechnologies: string; mainApplications: string; targetCustomers: string; competitiveAdvantages: string };
  lang: 'it' | 'en';
  trl: number | null;
  categories: string[];
  tags: string[];
  lookingFor: string[];
  owners: { id: number; name: string; type: string }[];
}

export interface KsProblem {
  /** The entry's id when it has one, otherwise its position in the file (from 1). */
  id: string;
  messages: string[];
}

/** HTML of the source as plain text: tags removed, entities decoded, bullets kept, links dropped. */
export function cleanHtml(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') return '';
  // The export turned every ';' into a bullet line, entities included ("R&amp\n• D"): repair them,
  // and keep a space where a bold heading follows a sentence ("others.<b>The problem</b>").
  const source = value
    .replace(/&(amp|lt|gt|quot|apos|nbsp|#\d+)\n• /g, '&$1;')
    .replace(/([.:;!?])(<(?:b|strong|br|p)\b)/gi, '$1 $2');
  const text = convert(source, {
    wordwrap: false,
    preserveNewlines: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'ul', options: { itemPrefix: '• ' } },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
    ],
  });
  return text
    .replace(/\u00a0/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/([a-z])\.([A-Z][a-z])/g, '$1. $2')
    // List items the export glued together ("distribution networkMeasurement of…"): an all
    // lower-case word running into a capitalised one starts a new line (camel-case names such as
    // PlantBit or iPhone do not match).
    .replace(/\b([a-z]{3,})([A-Z][a-z]{2,})/g, '$1\n$2')
    .trim();
}

const NAME_VERBS =
  'is|was|has|have|had|develops|developed|designs|offers|offer|provides|provide|aims|uses|produces|operates|specializes|specialises|specialized|specialised|creates|created|supports|carries|deals|makes|realizes|realises|helps|brings|combines|applies|integrates|manufactures|markets|promotes|focuses|redefines|revolutionizes|revolutionises|accelerates|enhances|employs|proposes|implements|advises|works|leverages|develop|represents|allows|enables|transforms|builds|accompanies|analyzes|analyses|monitors|strives|stands|innovates|reinvents|ensures|intends|sells|exploits|adopts|consists|engineers|è|ha|sviluppa|offre|opera|nasce|propone|realizza|produce';
const NAME_PATTERN = new RegExp(
  `^\\s*["“«]?((?:[A-Z0-9]|[a-z]+[A-Z])[^\\s,;:.!?()]*(?:[ ][A-Z0-9&][^\\s,;:!?()]*){0,4}?(?:,?\\s+(?:S\\.?r\\.?l\\.?s?|SRL|Srl|S\\.p\\.A\\.|Ltd|srls))?)["”»]?(?:\\s*\\([^)]{1,80}\\))?(?:\\s+[-–—]\\s+[^,.;]{3,80}?)?\\s*(?:'s\\b|’s\\b|,?\\s+(?:${NAME_VERBS})\\s)`,
);
const GENERIC_FIRST_WORDS = new Set(
  'the this our it we a an innovative development start startup spin company research production design creation sale sales support through within together from with thanks starting leveraging born founded academic first new its their platform system solution solutions services service technology technologies software digital advanced high innovation university project mission goal objective aim team business product products by in since after over una un il la lo le gli lo sviluppo progetto azienda società'.split(
    ' ',
  ),
);

/** The spin-off's name when a sentence of the text states it ("Deep Radars designs…"), else null. */
export function nameStatedIn(text: string): string | null {
  const m = NAME_PATTERN.exec(text);
  if (!m?.[1]) return null;
  const name = m[1].replace(/["“”«»]/g, '').trim();
  const firstWord = name.split(/[\s-]/)[0] ?? '';
  // "The startup…", "Innovative start-up…": a description, not a name (acronyms such as DEEP pass).
  if (GENERIC_FIRST_WORDS.has(firstWord.toLowerCase()) && !/^[A-Z0-9]{2,}$/.test(firstWord)) return null;
  if (name.length < 2 || name.length > 80) return null;
  return name;
}

function text(value: unknown): string {
  return typeof value === 'string' ? cleanHtml(value) : '';
}

function names(value: unknown, key: 'name' | 'label'): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((item) => (item && typeof item === 'object' ? (item as Record<string, unknown>)[key] : undefined))
    .filter((v): v is string => typeof v === 'string' && v.trim() !== '')
    .map((v) => cleanHtml(v));
}

/**
 * Parse a whole export. Each entry needs an integer id, a payoff, a description or an abstract,
 * at least one owner university with a name, and (when present) a TRL from 1 to 9; every problem
 * of an entry is reported with its id.
 */
export function parseKnowledgeShare(data: unknown): { entries: KsEntry[]; problems: KsProblem[] } {
  const entries: KsEntry[] = [];
  const problems: KsProblem[] = [];
  if (!Array.isArray(data)) {
    return { entries, problems: [{ id: '(file)', messages: ['the file must contain a JSON array of entries'] }] };
  }
  const seen = new Set<number>();
  data.forEach((raw, index) => {
    const messages: string[] = [];
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      problems.push({ id: `#${index + 1}`, messages: ['the entry is not an object'] });
      return;
    }
    const e = raw as Record<string, unknown>;
    const id = e.id;
    const label = typeof id === 'number' || typeof id === 'string' ? String(id) : `#${index + 1}`;
    if (typeof id !== 'number' || !Number.isInteger(id) || id <= 0) messages.push('id must be a positive integer');
    else if (seen.has(id)) messages.push('id appears more than once in the file');
    const payoff = text(e.payoff);
    const abstract = text(e.abstract);
    const description = text(e.description);
    if (!payoff) messages.push('payoff is missing');
    if (!abstract && !description) messages.push('description and abstract are both missing');
    const owners = Array.isArray(e.owners)
      ? e.owners.flatMap((o) => {
          if (!o || typeof o !== 'object') return [];
          const owner = o as Record<string, unknown>;
          return typeof owner.id === 'number' && typeof owner.name === 'string' && owner.name.trim()
            ? [{ id: owner.id, name: cleanHtml(owner.name), type: typeof owner.organizationType === 'string' ? owner.organizationType : 'research_body' }]
            : [];
        })
      : [];
    if (owners.length === 0) messages.push('owners must name at least one university or research body (id and name)');
    let trl: number | null = null;
    if (e.trl !== undefined && e.trl !== null) {
      const value = typeof e.trl === 'object' ? (e.trl as Record<string, unknown>).value : e.trl;
      if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 9) trl = value;
      else messages.push('trl.value must be an integer from 1 to 9');
    }
    if (messages.length > 0) {
      problems.push({ id: label, messages });
      return;
    }
    seen.add(id as number);
    const stated = nameStatedIn(description) ?? nameStatedIn(abstract);
    const sections = {
      enablingTechnologies: text(e.enablingTechnologies),
      mainApplications: text(e.mainApplications),
      targetCustomers: text(e.targetCustomers),
      competitiveAdvantages: text(e.competitiveAdvantages),
    };
    entries.push({
      id: id as number,
      name: stated ?? payoff,
      nameSource: stated ? 'description' : 'payoff',
      payoff,
      abstract,
      description,
      sections,
      lang: detectLanguage(`${payoff} ${abstract} ${description}`),
      trl,
      categories: names(e.categories, 'name'),
      tags: names(e.tags, 'name'),
      lookingFor: names(e.lookingFor, 'label'),
      owners,
    });
  });
  return { entries, problems };
}
