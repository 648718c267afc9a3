import { stemmer as englishStemmer } from '@orama/stemmers/english';
import { stemmer as italianStemmer } from '@orama/stemmers/italian';

/**
 * Text analysis shared by documents and queries: accent folding, tokens, stop words, language
 * detection, Snowball stemming (Italian and English) and a language-neutral "cognate fold" that
 * lets Italian and English words of the same Latin/Greek root meet (sensori ~ sensors,
 * ottimizzazione ~ optimization, fotovoltaico ~ photovoltaic).
 */
export type TextLang = 'it' | 'en';
export const TEXT_LANGS: readonly TextLang[] = ['it', 'en'];

/** Lower case, accents removed, apostrophes and dashes as spaces. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** All tokens of a text in order (letters and digits), after folding. */
export function tokenize(text: string): string[] {
  return words(text).map((w) => w.token);
}

/** Each word with its folded token and its original spelling (lower case, accents kept), for display. */
export function words(text: string): { token: string; original: string }[] {
  const out: { token: string; original: string }[] = [];
  for (const original of text.match(/[\p{L}\p{N}]+/gu) ?? []) {
    for (const part of fold(original).split(/[^a-z0-9]+/)) if (part) out.push({ token: part, original: part === fold(original) ? original.toLowerCase() : part });
  }
  return out;
}

// Function words, plus the boilerplate of requests ("cerchiamo", "we are looking for") that says
// nothing about the technology.
const STOP_IT = new Set(
  `a ad agli ai al alla alle allo anche ancora avere abbiamo aveva avevano che chi ci cio come con contro cui da dagli dai dal dalla dalle dallo degli dei del della delle dello di dove e ed era essere gli ha hanno il in la le lei lo loro lui ma me mi mia mie miei mio ne nei nel nella nelle nello noi non nostra nostre nostri nostro o ogni per perche piu poi quale quali quando quanto quella quelle quelli quello questa queste questi questo se sei si sia siamo sono su sua sue sui sul sulla sulle suo suoi tra tu tua tue tuo tuoi tutti tutto un una uno vi voi vostro vostra gia molto molti essere stato stata stati fare fa fatto modo tipo cosi quindi pero oppure ovvero sia nonche tramite presso verso senza sotto sopra dopo prima entro circa mentre oltre
   cerchiamo cerca cercano cercare vogliamo vorremmo vuole vogliono serve servono servirebbe abbiamo bisogno bisogno necessita necessitiamo interessa interessano interessati richiediamo richiesta azienda aziende impresa imprese societa nostra nostro nostri nostre siamo partner soluzione soluzioni meglio possibile possibilmente eventualmente ideale idealmente preferibilmente qualcuno realta`.split(/\s+/),
);
const STOP_EN = new Set(
  `a about above after again against all am an and any are as at be because been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out over own same she should so some such than that the their theirs them themselves then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves also via per etc eg ie within without across upon among
   looking look seek seeks seeking need needs needed want wants wanting require requires required requirement searching search find finding company companies firm business we us our partner partners solution solutions ideally preferably possibly someone able help`.split(/\s+/),
);

export function isStopword(lang: TextLang, token: string): boolean {
  return (lang === 'it' ? STOP_IT : STOP_EN).has(token);
}

/** Tokens worth indexing: not a stop word of the language, at least two characters, not a bare number. */
export function contentTokens(tokens: string[], lang: TextLang): string[] {
  return tokens.filter((t) => t.length >= 2 && !isStopword(lang, t) && !/^\d+$/.test(t));
}

// Frequent function words that tell the two languages apart.
const MARK_IT = new Set('il lo la gli le di del della delle dei degli che per con una uno non sono nel nella alla alle e al da dal anche come piu questo questa cerchiamo vogliamo ed tra sul sulla'.split(' '));
const MARK_EN = new Set('the of and to for with that is are this from by we our an on in as be it at which their looking need needs can'.split(' '));

/** Italian or English, from the function words used; Italian when it cannot tell (the platform's default). */
export function detectLanguage(text: string): TextLang {
  let it = 0;
  let en = 0;
  for (const token of tokenize(text.slice(0, 5000))) {
    if (MARK_IT.has(token)) it++;
    if (MARK_EN.has(token)) en++;
  }
  if (it === 0 && en === 0) {
    // Endings: Italian words end in vowels far more often than English ones.
    const words = tokenize(text).filter((t) => t.length > 3);
    const vowelEnd = words.filter((t) => /[aeio]$/.test(t)).length;
    return words.length > 0 && vowelEnd / words.length < 0.45 ? 'en' : 'it';
  }
  return en > it ? 'en' : 'it';
}

const STEM_CACHE: Record<TextLang, Map<string, string>> = { it: new Map(), en: new Map() };
const STEMMERS: Record<TextLang, (word: string) => string> = { it: italianStemmer, en: englishStemmer };

/** Snowball stem of a folded token, cached (the vocabulary is small, stemming is not free). */
export function stem(lang: TextLang, token: string): string {
  const cache = STEM_CACHE[lang];
  let result = cache.get(token);
  if (result === undefined) {
    result = token.length <= 3 || /\d/.test(token) ? token : STEMMERS[lang](token);
    if (cache.size > 200_000) cache.clear();
    cache.set(token, result);
  }
  return result;
}

/**
 * The spelling both languages share for a word of Latin or Greek root: ph→f, th→t, ch→c, y→i,
 * k→c, x→s, initial h dropped, ct/pt→tt, -zion-→-tion-, double letters single, final vowels and
 * English plural -s dropped. `fotovoltaico` and `photovoltaic` both give `fotovoltaic`.
 */
export function cognateForm(token: string): string | null {
  if (token.length < 5 || /\d/.test(token)) return null;
  let t = token
    .replace(/^h/, '')
    .replace(/ph/g, 'f')
    .replace(/th/g, 't')
    .replace(/ch/g, 'c')
    .replace(/ck/g, 'c')
    .replace(/k/g, 'c')
    .replace(/y/g, 'i')
    .replace(/x/g, 's')
    .replace(/ct/g, 'tt')
    .replace(/pt/g, 'tt')
    .replace(/zion/g, 'tion')
    .replace(/(.)\1+/g, '$1');
  t = t.replace(/(ies|es|s)$/, '').replace(/[aeiou]+$/, '');
  return t.length >= 4 ? t : null;
}

/** The cognate key: the first six letters of the cognate form (root level, language-neutral). */
export function cognateKey(token: string): string | null {
  const form = cognateForm(token);
  return form ? form.slice(0, 6) : null;
}

/** Character trigrams of a word with boundary marks, for fuzzy matching (typos, near-cognates). */
export function trigrams(word: string): string[] {
  const padded = `  ${word} `;
  const grams = new Set<string>();
  for (let i = 0; i < padded.length - 2; i++) grams.add(padded.slice(i, i + 3));
  return [...grams];
}

/** Dice coefficient of two trigram sets. */
export function trigramSimilarity(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const set = new Set(a);
  let shared = 0;
  for (const g of b) if (set.has(g)) shared++;
  return (2 * shared) / (a.length + b.length);
}
