import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ATECO_CLASSES, ATECO_DIVISIONS, ATECO_GROUPS, ATECO_SECTIONS } from './ateco-data.js';
import { atecoLabel, atecoSection, atecoSectionLabel, normaliseAtecoCode, validateAteco } from './ateco.js';

const classCodes = Object.keys(ATECO_CLASSES);
const subcategoryCodes = Object.entries(ATECO_CLASSES).flatMap(([code, [, list]]) =>
  list.split(' ').map((lastTwo) => `${code}.${lastTwo}`),
);

describe('ATECO 2025 data', () => {
  it('holds the published totals of every level, sections to sub-categories', () => {
    expect(Object.keys(ATECO_SECTIONS)).toHaveLength(22);
    expect(Object.keys(ATECO_DIVISIONS)).toHaveLength(87);
    expect(Object.keys(ATECO_GROUPS)).toHaveLength(287);
    expect(classCodes).toHaveLength(651);
    expect(new Set(subcategoryCodes.map((code) => code.slice(0, 7))).size).toBe(920);
    expect(subcategoryCodes).toHaveLength(1290);
  });

  it('links every level to an existing parent', () => {
    for (const [division, [section]] of Object.entries(ATECO_DIVISIONS)) {
      expect(ATECO_SECTIONS, division).toHaveProperty(section);
    }
    for (const group of Object.keys(ATECO_GROUPS)) expect(ATECO_DIVISIONS, group).toHaveProperty([group.slice(0, 2)]);
    for (const code of classCodes) expect(ATECO_GROUPS, code).toHaveProperty([code.slice(0, 4)]);
  });

  it('has a title for every division, group and class', () => {
    for (const [, title] of Object.values(ATECO_DIVISIONS)) expect(title.length).toBeGreaterThan(3);
    for (const title of Object.values(ATECO_GROUPS)) expect(title.length).toBeGreaterThan(3);
    for (const [title] of Object.values(ATECO_CLASSES)) expect(title.length).toBeGreaterThan(3);
  });
});

describe('validateAteco', () => {
  it.each([
    ['20.42', 'cosmetics manufacturing, contract manufacturers too'],
    ['46.45', 'wholesale of perfumes and cosmetics'],
    ['47.75', 'retail of cosmetics'],
    ['71.20', 'testing laboratories'],
    ['22.22', 'plastic packaging'],
    ['23.13', 'hollow glass'],
    ['25.92', 'light metal packaging'],
    ['17.21', 'paper packaging'],
    ['82.92', 'packaging activities'],
    ['72.10', 'R&D in natural sciences and engineering'],
  ])('accepts the cluster code %s (%s)', (code) => {
    expect(validateAteco(code)).toEqual({ ok: true, value: code, level: 'class' });
  });

  it('normalises codes typed without dots or with spaces', () => {
    expect(validateAteco('2042')).toEqual({ ok: true, value: '20.42', level: 'class' });
    expect(validateAteco(' 20 42 ')).toEqual({ ok: true, value: '20.42', level: 'class' });
    expect(validateAteco('204200')).toEqual({ ok: true, value: '20.42.00', level: 'subcategory' });
    expect(validateAteco('20.4200')).toEqual({ ok: true, value: '20.42.00', level: 'subcategory' });
    expect(validateAteco('20420')).toEqual({ ok: true, value: '20.42.0', level: 'category' });
  });

  it('accepts every level from division to sub-category', () => {
    expect(validateAteco('20')).toEqual({ ok: true, value: '20', level: 'division' });
    expect(validateAteco('20.4')).toEqual({ ok: true, value: '20.4', level: 'group' });
    expect(validateAteco('20.42')).toEqual({ ok: true, value: '20.42', level: 'class' });
    expect(validateAteco('20.42.0')).toEqual({ ok: true, value: '20.42.0', level: 'category' });
    expect(validateAteco('20.42.00')).toEqual({ ok: true, value: '20.42.00', level: 'subcategory' });
    expect(validateAteco('72.10.10')).toEqual({ ok: true, value: '72.10.10', level: 'subcategory' });
  });

  it.each([
    ['', 'empty'],
    ['2', 'one digit'],
    ['20.', 'a trailing dot'],
    ['2.042', 'a misplaced dot'],
    ['20.4.2', 'the class digits split by a dot'],
    ['20-42', 'a hyphen'],
    ['2A.42', 'a letter'],
    ['C', 'a section letter'],
    ['1234567', 'seven digits'],
    ['20.42.000', 'too many digits'],
  ])('refuses «%s» (%s) as a format error', (input) => {
    expect(validateAteco(input)).toEqual({ ok: false, reason: 'format' });
  });

  it.each([
    ['00', 'a division that does not exist'],
    ['45', 'a NACE Rev. 2 division removed in Rev. 2.1 (motor-vehicle trade)'],
    ['47.99', 'a NACE Rev. 2 class removed in Rev. 2.1'],
    ['72.11', 'NACE Rev. 2 biotechnology R&D, now within 72.10'],
    ['20.43', 'a class that does not exist'],
    ['20.42.1', 'a category that does not exist'],
    ['20.42.01', 'a sub-category that does not exist'],
    ['01.13.14', 'a sub-category next to real ones'],
    ['99.99', 'a class that does not exist'],
  ])('refuses %s (%s) as unknown', (input) => {
    expect(validateAteco(input)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('accepts every class and sub-category of the list, with or without dots', () => {
    fc.assert(
      fc.property(fc.constantFrom(...classCodes, ...subcategoryCodes), (code) => {
        const level = code.length === 5 ? 'class' : 'subcategory';
        expect(validateAteco(code)).toEqual({ ok: true, value: code, level });
        expect(validateAteco(code.replace(/\./g, ''))).toEqual({ ok: true, value: code, level });
      }),
    );
  });

  it('returns a value that validates to itself', () => {
    const digits = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 2, maxLength: 6 }).map((d) => d.join(''));
    fc.assert(
      fc.property(digits, (input) => {
        const result = validateAteco(input);
        if (result.ok) expect(validateAteco(result.value)).toEqual(result);
        else expect(result.reason).toBe('unknown'); // 2 to 6 digits are always a well-formed shape
      }),
    );
  });

  it('never accepts a sub-category of a class that does not exist', () => {
    const known = new Set(classCodes);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999 }), (n) => {
        const code = String(n).padStart(6, '0');
        const classCode = `${code.slice(0, 2)}.${code.slice(2, 4)}`;
        if (!known.has(classCode)) expect(validateAteco(code)).toEqual({ ok: false, reason: 'unknown' });
      }),
    );
  });
});

describe('normaliseAtecoCode', () => {
  it('puts the dots in place without checking the code exists', () => {
    expect(normaliseAtecoCode('999999')).toBe('99.99.99');
    expect(normaliseAtecoCode('123')).toBe('12.3');
    expect(normaliseAtecoCode('20-42')).toBeUndefined();
  });
});

describe('atecoLabel', () => {
  it('gives the Italian title of a division, group or class', () => {
    expect(atecoLabel('20')).toBe('Fabbricazione di prodotti chimici');
    expect(atecoLabel('20.4')).toBe('Fabbricazione di prodotti per il lavaggio, la pulizia e la lucidatura');
    expect(atecoLabel('20.42')).toBe('Fabbricazione di profumi e cosmetici');
    expect(atecoLabel('2042')).toBe('Fabbricazione di profumi e cosmetici');
    expect(atecoLabel('46.45')).toBe("Commercio all'ingrosso di profumi e cosmetici");
    expect(atecoLabel('47.75')).toBe('Commercio al dettaglio di cosmetici e di articoli di profumeria');
    expect(atecoLabel('71.20')).toBe('Collaudi e analisi tecniche');
  });

  it('gives the title of the enclosing class for a category or sub-category', () => {
    expect(atecoLabel('20.42.00')).toBe('Fabbricazione di profumi e cosmetici');
    expect(atecoLabel('71.20.21')).toBe('Collaudi e analisi tecniche');
  });

  it('gives nothing for an invalid or unknown code', () => {
    expect(atecoLabel('99.99')).toBeUndefined();
    expect(atecoLabel('cosmetici')).toBeUndefined();
  });
});

describe('atecoSection', () => {
  it('places codes in their section', () => {
    expect(atecoSection('20.42')).toBe('C');
    expect(atecoSection('46.45.00')).toBe('G');
    expect(atecoSection('71.20')).toBe('N');
    expect(atecoSection('72')).toBe('N');
    expect(atecoSection('45')).toBeUndefined();
    expect(atecoSectionLabel('c')).toBe('ATTIVITÀ MANIFATTURIERE');
    expect(atecoSectionLabel('Z')).toBeUndefined();
  });
});
