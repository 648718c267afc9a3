/**
 * The spin-off names the Knowledge Share importer reads, for a person to review.
 *
 *   npx tsx bench/knowledge-share-names.ts [--corpus PATH] [--all]
 *
 * Prints each entry whose name came from the payoff (no text states one), and with --all every
 * entry's name beside the opening of its abstract and description. The tally compares with the
 * review of 2026-11-25 (docs/decisions/006-matchmaking.md, "Spin-off names"): the entries where no
 * text states a name, and the two where a name is stated but not found.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseKnowledgeShare } from '../src/features/offers/knowledge-share.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: path.resolve(here, '../../shared/data/knowledge-share-spinoffs.json') },
    all: { type: 'boolean', default: false },
  },
});

/** Reviewed by hand: no text of these entries states the spin-off's name (the payoff stands in). */
const NO_NAME_STATED = new Set([7520, 7177, 7117, 6808, 6626, 6575, 5923, 5460, 5413, 5314, 4905, 4903, 4892, 4853, 4825, 4807, 4799, 4791, 4735, 3885]);
/** Reviewed by hand: a name is stated, but only in a glued list item ("BrainSigns") or in lower case ("bio IMeD"). */
const KNOWN_MISSES = new Set([4963, 4803]);

const { entries, problems } = parseKnowledgeShare(JSON.parse(fs.readFileSync(values.corpus!, 'utf8')));
const clip = (text: string) => text.replace(/\s+/g, ' ').slice(0, 90);
let fallbacks = 0;
let unexpected = 0;
for (const e of entries) {
  const fromPayoff = e.nameSource === 'payoff';
  if (fromPayoff) fallbacks++;
  if (fromPayoff && !NO_NAME_STATED.has(e.id) && !KNOWN_MISSES.has(e.id)) unexpected++;
  if (values.all || fromPayoff) {
    console.log(`${e.id}\t${fromPayoff ? 'payoff     ' : 'stated     '}\t${e.name}`);
    if (values.all) console.log(`\t\tabstract: ${clip(e.abstract)}\n\t\tdescription: ${clip(e.description)}`);
  }
}
console.log(
  `\n${entries.length} entries (${problems.length} malformed): ${entries.length - fallbacks} names stated by the texts, ${fallbacks} payoffs ` +
    `(${[...NO_NAME_STATED].filter((id) => entries.some((e) => e.id === id && e.nameSource === 'payoff')).length} where the review found no name stated, ` +
    `${[...KNOWN_MISSES].filter((id) => entries.some((e) => e.id === id && e.nameSource === 'payoff')).length} known misses, ${unexpected} not reviewed).`,
);
