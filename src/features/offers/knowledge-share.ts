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

// ------------------------------------------------------------------ the spin-off's name

/**
 * The export has no name field: the name is in the texts ("Deep Radars designs…", "Psoriatrix:
 * free your skin…", "…developed by PepTiDa srl"). Every place that looks like a name stating itself
 * is a candidate with a weight; the same name (spelled with or without its legal form) adds up over
 * the fields, and the best one wins if it has enough evidence. Otherwise the payoff stands in.
 */
const VERBS = [
  // English: what a company does, in the third person (and the few plurals and slips of the source)
  'is', 'was', 'has', 'have', 'had', 'are', 'will', 'can', 'could', 'would', 'may', 'aims', 'aim', 'intends',
  'develops', 'develop', 'developed', 'designs', 'designed', 'offers', 'offer', 'offera', 'provides', 'provide',
  'supports', 'allows', 'enables', 'uses', 'utilizes', 'utilises', 'produces', 'produced', 'creates', 'created', 'integrates', 'operates',
  'proposes', 'helps', 'combines', 'carries', 'deals', 'specializes', 'specialises', 'specialized', 'specialised',
  'focuses', 'leverages', 'represents', 'transforms', 'applies', 'employs', 'delivers', 'overcomes', 'realizes',
  'realises', 'makes', 'implements', 'monetizes', 'works', 'acts', 'serves', 'differs', 'enhances', 'advises',
  'brings', 'competes', 'forecasts', 'redefines', 'revolutionizes', 'revolutionises', 'reinvents', 'innovates',
  'adopts', 'positions', 'improves', 'consists', 'accelerates', 'relies', 'promotes', 'recycles', 'guides', 'guide',
  'coordinates', 'manufactures', 'markets', 'sells', 'introduces', 'originates', 'translates', 'automates',
  'generates', 'seeks', 'addresses', 'reduces', 'studies', 'stands', 'strives', 'ensures', 'exploits', 'engineers',
  'builds', 'democratizes', 'digitizes', 'connects', 'commercializes', 'commercialises', 'industrializes',
  'regenerates', 'analyzes', 'analyses', 'monitors', 'manages', 'secures', 'identifies', 'covers', 'hosts', 'owns',
  'invented', 'invents', 'holds', 'values', 'puts', 'gives', 'believes', 'accompanies', 'collaborates', 'valorises',
  'valorizes', 'takes', 'presents', 'wants', 'possesses', 'treats', 'emerged', 'started', 'began', 'partners',
  // Italian
  'è', 'ha', 'sviluppa', 'offre', 'opera', 'nasce', 'propone', 'realizza', 'produce', 'progetta', 'fornisce',
];
const UPPER = 'A-ZÀ-Ý';
/** A word of a name: capitalised, a digit, or lower case running into capitals (pioNIRS, eNextGen, i-MUSE). */
/** Letters of a word of a name; an apostrophe only inside it (Ud'A Lab, not the possessive of Rozes'). */
const WORD_REST = `(?:[\\p{L}\\p{N}_&+.®-]|['’](?=[${UPPER}]))*`;
const FIRST_WORD = `(?:[${UPPER}0-9]${WORD_REST}|[a-z]{1,4}-?[${UPPER}]${WORD_REST})`;
const NEXT_WORD = `(?:[${UPPER}0-9&]${WORD_REST})`;
const CONNECTOR = `(?:and|of|for|di|de|del|della|e|&|to)`;
const NAME_WORDS = `${FIRST_WORD}(?:(?:\\s+${CONNECTOR})?\\s+${NEXT_WORD}){0,4}?`;
/** A legal form, as the source writes it: Srl, S.r.l., s.r.l.s., SRLS, S.p.A., Ltd, GmbH. */
const LEGAL = `(?:[Ss]\\.?[Rr]\\.?[Ll]\\.?(?:[Ss]\\.?)?|[Ss]\\.?[Pp]\\.?[Aa]\\.?|Ltd\\.?|LTD|GmbH|Soc\\.?\\s?Coop\\.?)`;
const VERB = `(?:${VERBS.join('|')})`;
/**
 * A sentence that opens with a name and a verb: `Name [Srl] [(Acronym)] [– what it is –] [, an
 * innovative SME,] [lower-case words] verb…`, or a possessive (`RARA FACTORY's mission…`).
 */
const SUBJECT = new RegExp(
  `^["“«]?(${NAME_WORDS})["”»]?` +
    `(\\s+["“][^"”]{2,40}["”])?` +
    `(,?\\s+${LEGAL}(?=[\\s,(]))?` +
    `(?:\\s*\\([^)]{1,100}\\))?` +
    `(,?\\s+${LEGAL}(?=[\\s,]))?` +
    `(?:\\s+[-–—]\\s*[^.;,]{2,80}?(?:\\s*[-–—])?(?=\\s+${VERB}[\\s,]))?` +
    `(?:,\\s+[^,.;:]{2,120}?,(?=\\s+${VERB}[\\s,]))?` +
    // Lower-case words after a name in capitals ("SWAN networks is…"), never a verb or a joining word.
    `((?:\\s+(?!(?:${VERB}|and|or|to|also|not|now|[a-z]+ly)\\b)[a-z][a-z.]{1,15}){1,2}(?=\\s+${VERB}[\\s,]))?` +
    `(?:(?:\\s+(?:also|now|still|further|[a-z]+ly))?\\s+(${VERB})[\\s,]|['’]s?\\s)`,
  'u',
);
/** `…developed by PepTiDa srl`, `…by Nuvidea srls`: a name with its legal form anywhere. */
const WITH_LEGAL = new RegExp(`(?:^|[\\s(])(${FIRST_WORD}(?:\\s+${NEXT_WORD}){0,3}?)\\s+(${LEGAL})(?=[\\s,.;)]|$)`, 'gu');
/** `The academic spin-off XFlieS has…`, `the purpose of CTLup is…`. */
const AFTER_NOUN = new RegExp(`\\b(?:spin-?off|start-?up|startup|purpose of|mission of|goal of)\\s+(${NAME_WORDS})\\s+${VERB}[\\s,]`, 'gu');
/** A payoff led by the name: `Psoriatrix: free your skin`, `Poweremp - Power under control`, `Mobyforall, the best…`. */
const PAYOFF_HEAD = new RegExp(`^["“]?(${FIRST_WORD}(?:\\s+${NEXT_WORD}){0,2})["”]?\\s*(?::|\\s[-–—]\\s|,\\s+(?:the|a|an|your)\\s)`, 'u');
/** What the sentence says the subject is: a company (good) or a product of one (not the spin-off). */
const COMPANY_WORDS = /^(?:is|was)\s+(?:(?:a|an|the|first|one|of|leading|pioneering|innovative|new|italian|academic|university|deep[- ]tech|research[- ]based|high[- ]tech|biotech(?:nology)?|benefit|certified|highly|specialised|specialized|young|small|\w+-based)\s+){0,5}(?:spin-?off|start-?up|startup|company|sme|corporation|firm|enterprise|boutique)\b|^(?:was|has been)\s+(?:founded|born|established|created|set up)\b/i;
const MAKES = new RegExp(
  `^(?:has\\s+developed|have\\s+developed|developed|develops|is\\s+developing|has\\s+launched|launched|has\\s+patented|patented|has\\s+created|created|has\\s+invented|invented)\\s+(?:a\\s+|an\\s+|the\\s+|its\\s+)?[‘'"“]?(${FIRST_WORD}(?:\\s+${NEXT_WORD}){0,2}?)[’'"”]?(?=[\\s,.;:]|$)`,
  'u',
);
/** What a maker does (a product "allows", "identifies", "is a platform"; a company develops and sells it). */
const MAKER_VERBS = /^(?:develops|designs|manufactures|produces|realizes|realises|markets|sells|advises|helps|supports|has developed)\b/i;
const PRODUCT_WORDS = /^(?:is|was)\s+(?:a|an|the)\s+(?:[\w+-]+\s+){0,6}?(?:system|platform|software|sw|app|application|device|therapy|drug|product|tool|kit|sensor|model|method|solution|technology|treatment|molecule|service|project|examination|test)\b/i;
/** `…developed by PepTiDa srl`, `…sold directly by Morecognition`: the maker of a product. */
const MADE_BY = new RegExp(
  `\\b(?:developed|produced|sold|created|manufactured|marketed|commercialised|commercialized|designed|made)\\s+(?:\\w+ly\\s+)?by\\s+(${NAME_WORDS}(?:,?\\s+${LEGAL})?)(?=[\\s,.;]|$)`,
  'gu',
);
/** A maker that is an owner university or institute, not the spin-off. */
const INSTITUTION = /universit|politecnico|department|dipartimento|institut|istituto|cnr|school|scuola|ateneo|laborator/i;
/** What a product looks like in the texts: made by someone, developed by the subject, a named device… */
const PRODUCT_NOUNS = 'device|platform|app|application|software|sw|system|product|service|programme|program|project|technology|method|model|kit|sensor|tool|solution|test'
  .split('|')
  .map((w) => `[${w[0]}${w[0]!.toUpperCase()}]${w.slice(1)}`)
  .join('|');
const COINED = /\p{Ll}\p{Lu}|\p{L}\p{N}|\p{N}\p{L}|®|^[\p{Lu}-]{3,}$/u;
const ACRONYM = new RegExp(`(${FIRST_WORD}(?:\\s+${NEXT_WORD}){1,5}?)\\s+\\(([\\p{Lu}\\p{N}]{2,8})\\)`, 'gu');
/** Each looked for on its own (they overlap: "…developed a Medical Device Software (RiAtlas Healthcare)"). */
const PRODUCT_MENTIONS = [
  `\\b(?:developed|develops|developing|launched|created|designed|patented|invented|introduced)\\s+(?:a|an|the|its)?\\s*[‘'"“]?(${FIRST_WORD})[’'"”]?`,
  `\\bthe\\s+[‘'"“]?(${FIRST_WORD}(?:\\s+${NEXT_WORD}){0,2}?)[’'"”]?\\s+(?:${PRODUCT_NOUNS})\\b`,
  `[‘"“](${FIRST_WORD}(?:\\s+${NEXT_WORD}){0,2}?)[’"”]`,
  `\\b(?:${PRODUCT_NOUNS})\\s*\\((${FIRST_WORD}(?:\\s+${NEXT_WORD}){0,2}?)\\)`,
  `\\b(?:${PRODUCT_NOUNS})\\s+(${FIRST_WORD})(?=[\\s,.;:]|$)`,
].map((source) => new RegExp(source, 'gu'));
/** First words of a sentence that describe rather than name ("The startup…", "Innovative start-up…"). */
const GENERIC_FIRST_WORDS = new Set(
  'the this that these those our it its their funding his her we you your a an each every all both many most some such one two three first second main core key current today currently innovative development start start-up startup spin-off spinoff company research production design creation sale sales support through within together from with thanks starting leveraging using based born founded academic new platform system solution solutions services service technology technologies software digital advanced high innovation university project mission goal objective aim team business product products by in on at as for of to since after before during over under between among towards via per also moreover furthermore finally then here there while when where which who what how if una un il la lo le gli sviluppo progetto azienda società'.split(
    ' ',
  ),
);

interface NameCandidate {
  name: string;
  score: number;
  /** Order of the first sighting (description first): breaks ties. */
  order: number;
}

/** Same name however written: no legal form, no spaces or punctuation, lower case. */
function nameKey(name: string): string {
  return name
    .replace(new RegExp(`,?\\s+${LEGAL}$`, 'u'), '')
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

function tidyName(raw: string): string {
  let name = raw.replace(/["“”«»]/g, '').replace(/\s+/g, ' ').trim();
  // A trailing full stop belongs to the name only in dotted forms (S.r.l., E.R.M.E.S.).
  if (name.endsWith('.') && (name.match(/\./g) ?? []).length === 1) name = name.slice(0, -1);
  return name;
}

function acceptable(name: string): boolean {
  if (name.length < 2 || name.length > 80) return false;
  const first = name.split(/\s/)[0]!.toLowerCase().replace(/[’']s$/, '');
  if (GENERIC_FIRST_WORDS.has(first) && !/^[A-Z0-9]{2,}$/.test(name.split(/\s/)[0]!)) return false;
  if (GENERIC_FIRST_WORDS.has(first.split('-')[0]!) && !/[A-Z].*[A-Z]|\d/.test(name)) return false;
  return /[\p{Lu}\p{N}]/u.test(name);
}

/** The sentences of a text (a sentence may hold a dotted name: only clear boundaries split). */
function sentences(text: string): string[] {
  return text
    // Not after a short capitalised word: "Sis. Ter. Pomos designs…", "Tech. Kno provides…".
    .split(/\n+|•|(?<=(?:^|\s)\p{Ll}\p{L}*[.!?]|\p{L}{5}[.!?]|\p{N}[.!?]|[)”"][.!?])\s+(?=["“«]?[\p{Lu}\p{N}])|:\s+(?=\p{Lu})/u)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The name a sentence opens with ("Deep Radars designs…"), and what follows the verb. */
function subjectOf(sentence: string): { name: string; rest: string } | null {
  const m = SUBJECT.exec(sentence);
  if (!m?.[1]) return null;
  // Lower-case words belong to the name only after a word in capitals (SWAN networks, RI-PRESE memory keepers).
  if (m[5] && !/^[\p{Lu}\p{N}-]{2,}$/u.test(m[1].split(/\s/)[0] ?? '')) return null;
  const name = tidyName(`${m[1]}${m[2] ?? ''}${m[3] ?? m[4] ?? ''}${m[5] ?? ''}`);
  if (!acceptable(name)) return null;
  return { name, rest: sentence.slice(m.index + m[0].length - (m[6] ? m[6].length + 1 : 0)).trim() };
}

/** The spin-off's name when the opening sentence of a text states it ("Deep Radars designs…"), else null. */
export function nameStatedIn(text: string): string | null {
  return subjectOf(sentences(text)[0] ?? '')?.name ?? null;
}

/**
 * The spin-off's name from all its texts, or null when none states it. Weights: a sentence opening
 * with the name 3 (description, abstract, payoff) or 1 (other sections), +1.5 for a coined word
 * (PlantBit, G2P, RAYLAB); the payoff led by the name ("Psoriatrix: …") 3; the name with a legal
 * form 2; "spin-off X" 2; "…developed by X" 3; a sentence saying it is a company +2, that it makes
 * something +1, that it is a platform or a device −2; each further field that mentions it +1 (up to
 * 3); a plain word the texts also use in lower case ("Psoriasis is a disease…") −3. A product (the
 * object of "X has developed", made "by" another) is out, a name used like one (quoted, "the Remo
 * device") −2. An acronym's evidence goes to the name it abbreviates, and a fuller form of the
 * winner that the description uses wins. The best candidate needs 3.
 */
export function spinOffName(
  texts: { payoff: string; abstract: string; description: string; sections?: string[]; context?: string[] },
  debug?: (candidates: NameCandidate[]) => void): string | null {
  const candidates = new Map<string, NameCandidate>();
  /** Names said to be made by another (out), names used as a product's (a penalty). */
  const products = new Set<string>();
  const productHints = new Set<string>();
  let order = 0;
  const add = (raw: string, score: number) => {
    const name = tidyName(raw);
    if (!acceptable(name)) return;
    const key = nameKey(name);
    if (!key) return;
    const existing = candidates.get(key);
    if (existing) {
      existing.score += score;
    } else {
      candidates.set(key, { name, score, order: order++ });
    }
  };
  const fields: [string, number, boolean][] = [
    [texts.description, 3, true],
    [texts.abstract, 3, true],
    [texts.payoff, 3, true],
    ...(texts.sections ?? []).map((t) => [t, 1, true] as [string, number, boolean]),
    ...(texts.context ?? []).map((t) => [t, 1, false] as [string, number, boolean]),
  ];
  for (const [text, weight, own] of fields) {
    const seen = new Set<string>();
    sentences(text).forEach((sentence, i) => {
      const subject = subjectOf(sentence);
      if (subject) {
        const key = nameKey(subject.name);
        // Once per field (a name repeated in every sentence is not more of a name), the opening one a little more.
        // A coined word (PlantBit, RESinTec, G2P, RAYLAB) is more likely a name than a plain one.
        if (!seen.has(key)) add(subject.name, weight + (i === 0 ? 0.5 : 0) + (COINED.test(subject.name) ? 1.5 : 0));
        seen.add(key);
        if (COMPANY_WORDS.test(subject.rest)) add(subject.name, 2);
        else if (MAKER_VERBS.test(subject.rest)) add(subject.name, 1);
        else if (PRODUCT_WORDS.test(subject.rest)) add(subject.name, -2);
        // "Agreenment has developed CARBOND", "Deplotic develops IDRA": the object is the subject's product.
        const made = MAKES.exec(subject.rest);
        if (made?.[1] && nameKey(tidyName(made[1])) !== key) products.add(nameKey(tidyName(made[1])));
        // "…developed by X": the subject is X's product.
        for (const m of subject.rest.matchAll(MADE_BY)) if (m[1] && !INSTITUTION.test(m[1])) products.add(nameKey(subject.name));
      }
      for (const m of sentence.matchAll(MADE_BY)) if (m[1] && !INSTITUTION.test(m[1])) add(m[1], 3);
      // "VeniSIA has developed a ‘Co-Innovation’ programme", "the Remo device", "“Plant Architecture”":
      // a product's name (its maker, when it is the subject, is a company).
      for (const pattern of PRODUCT_MENTIONS) for (const m of sentence.matchAll(pattern)) if (m[1]) productHints.add(nameKey(tidyName(m[1])));
      // Clients and competitors have legal forms too: only the spin-off's own texts count here.
      if (own) for (const m of sentence.matchAll(WITH_LEGAL)) if (m[1]) add(`${m[1]} ${m[2]}`, 2);
      for (const m of sentence.matchAll(AFTER_NOUN)) if (m[1]) add(m[1], 2);
    });
  }
  const all = [texts.payoff, texts.abstract, texts.description, ...(texts.sections ?? []), ...(texts.context ?? [])];
  const head = PAYOFF_HEAD.exec(texts.payoff);
  if (head?.[1]) add(head[1], 3);
  // A payoff that is just a coined word ("HighSenseTech").
  if (/^[\p{L}\p{N}]*\p{Ll}[\p{Lu}\p{N}][\p{L}\p{N}]*$/u.test(texts.payoff.trim())) add(texts.payoff.trim(), 3);

  const lower = ` ${all.join(' ').replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  for (const c of candidates.values()) {
    const bare = c.name.replace(new RegExp(`,?\\s+${LEGAL}$`, 'u'), '');
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${bare.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'iu');
    const mentions = all.filter((t) => pattern.test(t)).length;
    c.score += Math.min(Math.max(mentions - 1, 0), 3);
    // An ordinary word at the start of a sentence ("Psoriasis is…", "Formalin…"), not a coined name.
    if (/^\p{Lu}\p{Ll}+$/u.test(bare) && lower.includes(` ${bare.toLowerCase()}`)) c.score -= 3;
  }
  // "Plant Flow Solutions (PFS)": what is said of PFS is said of Plant Flow Solutions.
  for (const text of all) {
    for (const m of text.matchAll(ACRONYM)) {
      const [, long, short] = m;
      if (!long || !short) continue;
      const initials = long.split(/\s+/).filter((w) => /^[\p{Lu}\p{N}]/u.test(w)).map((w) => w[0]).join('');
      const alias = candidates.get(nameKey(short));
      if (initials.toUpperCase() !== short.toUpperCase() || !alias) continue;
      candidates.delete(nameKey(short));
      add(long, alias.score);
      if (products.has(nameKey(short))) products.add(nameKey(long));
    }
  }
  for (const [key, c] of candidates) {
    if (products.has(key)) c.score = -Infinity;
    else if (productHints.has(key)) c.score -= 2;
  }
  const ranked = [...candidates.values()].sort((a, b) => b.score - a.score || a.order - b.order);
  // The fuller form of the same name ("Zenit" → "Zenit Smart Polycrystals", "Cetif" → "Cetif Advisory").
  const top = ranked[0];
  if (top && top.score >= 3) {
    const fuller = ranked.find((c) => c !== top && c.score >= 3 && !productHints.has(nameKey(c.name)) && texts.description.includes(c.name) && c.name.toLowerCase().startsWith(`${top.name.toLowerCase()} `) && !new RegExp(`^${LEGAL}$`, 'u').test(c.name.slice(top.name.length + 1)));
    if (fuller) {
      fuller.score = top.score;
      ranked.unshift(fuller);
    }
  }
  debug?.(ranked);
  const best = ranked[0];
  return best && best.score >= 3 ? best.name : null;
}

/** Further texts of an entry, read only for the name (they also name clients and competitors). */
const CONTEXT_TEXTS = ['revenueModel', 'businessTraction', 'competitiveScenario', 'fundingStageDescription'] as const;

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
    const sections = {
      enablingTechnologies: text(e.enablingTechnologies),
      mainApplications: text(e.mainApplications),
      targetCustomers: text(e.targetCustomers),
      competitiveAdvantages: text(e.competitiveAdvantages),
    };
    const stated = spinOffName({ payoff, abstract, description, sections: Object.values(sections), context: CONTEXT_TEXTS.map((k) => text(e[k])) });
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
