import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { comuniCount, LOMBARDY_PROVINCES, findComune, findLombardyProvince, searchComuni } from './comuni.js';

/** Every municipality of one province, found by walking its ISTAT serial numbers. */
function comuniOfProvince(provinceIstatCode: string) {
  const found = [];
  for (let serial = 1; serial <= 999; serial++) {
    const comune = findComune(provinceIstatCode + String(serial).padStart(3, '0'));
    if (comune) found.push(comune);
  }
  return found;
}

describe('findComune', () => {
  it.each([
    ['019035', 'Crema', 'CR', 'Cremona'],
    ['098031', 'Lodi', 'LO', 'Lodi'],
    ['015146', 'Milano', 'MI', 'Milano'],
    ['108033', 'Monza', 'MB', 'Monza e della Brianza'],
  ])('finds %s as %s in province %s', (code, name, provinceCode, provinceName) => {
    expect(findComune(code)).toEqual({
      istatCode: code,
      name,
      provinceCode,
      provinceName,
      provinceIstatCode: code.slice(0, 3),
      region: 'Lombardia',
    });
  });

  it('restores leading zeros lost by a spreadsheet and ignores surrounding spaces', () => {
    expect(findComune('19035')?.name).toBe('Crema');
    expect(findComune(' 019035 ')?.name).toBe('Crema');
  });

  it('finds municipalities outside Lombardy, keeping their accents', () => {
    expect(findComune('001272')).toMatchObject({ name: 'Torino', provinceCode: 'TO', region: 'Piemonte' });
    expect(findComune('001001')?.name).toBe('Agliè');
  });

  it('gives nothing for unknown or malformed codes', () => {
    expect(findComune('999999')).toBeUndefined();
    expect(findComune('019')).toBeUndefined();
    expect(findComune('0190350')).toBeUndefined();
    expect(findComune('Crema')).toBeUndefined();
    expect(findComune('')).toBeUndefined();
  });

  it('knows about 7,900 Italian municipalities', () => {
    expect(comuniCount()).toBeGreaterThan(7800);
    expect(comuniCount()).toBeLessThan(8100);
  });
});

describe('LOMBARDY_PROVINCES', () => {
  it('lists the twelve provinces with distinct siglas, ISTAT and NUTS-3 codes', () => {
    expect(LOMBARDY_PROVINCES).toHaveLength(12);
    for (const key of ['sigla', 'istatCode', 'nuts3'] as const) {
      expect(new Set(LOMBARDY_PROVINCES.map((p) => p[key])).size, key).toBe(12);
    }
    expect(LOMBARDY_PROVINCES.every((p) => p.nuts3.startsWith('ITC4'))).toBe(true);
  });

  it('agrees with the municipality list: each province code holds only that sigla, in Lombardy, 1,502 in all', () => {
    let total = 0;
    for (const province of LOMBARDY_PROVINCES) {
      const comuni = comuniOfProvince(province.istatCode);
      expect(comuni.length, province.name).toBeGreaterThan(0);
      for (const comune of comuni) {
        expect(comune.provinceCode, comune.name).toBe(province.sigla);
        expect(comune.region, comune.name).toBe('Lombardia');
        expect(comune.provinceName, comune.name).toBe(province.name);
      }
      total += comuni.length;
    }
    expect(total).toBe(1502);
  });

  it('finds a province by sigla in any case', () => {
    expect(findLombardyProvince('cr')).toMatchObject({ name: 'Cremona', istatCode: '019', nuts3: 'ITC4A' });
    expect(findLombardyProvince('TO')).toBeUndefined();
  });
});

describe('searchComuni', () => {
  it('suggests names starting with the typed text in alphabetical order, then names with a word starting so', () => {
    const names = searchComuni('crem', 10).map((c) => c.name);
    expect(names.slice(0, 8)).toEqual([
      'Crema',
      'Cremella',
      'Cremenaga',
      'Cremeno',
      'Cremia',
      'Cremolino',
      'Cremona',
      'Cremosano',
    ]);
    expect(names.slice(8)).toEqual(['Acquanegra Cremonese', 'Bagnolo Cremasco']);
  });

  it('puts an exact name first', () => {
    expect(searchComuni('Lodi', 5)[0]).toMatchObject({ name: 'Lodi', provinceCode: 'LO' });
    expect(searchComuni('monza', 5)[0]).toMatchObject({ name: 'Monza', provinceCode: 'MB' });
  });

  it('ignores accents and case', () => {
    expect(searchComuni('cantu', 5).map((c) => c.name)).toContain('Cantù');
    expect(searchComuni('CANTÙ', 5).map((c) => c.name)).toContain('Cantù');
    expect(searchComuni('aglie', 5).map((c) => c.name)).toContain('Agliè');
  });

  it('ignores apostrophes and finds a word inside the name', () => {
    expect(searchComuni("sant'angelo lod", 5).map((c) => c.name)).toContain("Sant'Angelo Lodigiano");
    expect(searchComuni('santangelo lodigiano', 5).map((c) => c.name)).toContain("Sant'Angelo Lodigiano");
    expect(searchComuni('donato mil', 5).map((c) => c.name)).toContain('San Donato Milanese');
  });

  it('respects the limit and finds nothing for an empty query', () => {
    expect(searchComuni('san', 7)).toHaveLength(7);
    expect(searchComuni('   ', 10)).toEqual([]);
    expect(searchComuni('crema', 0)).toEqual([]);
    expect(searchComuni('zzzzzz', 10)).toEqual([]);
  });

  it('always finds a municipality by its own name', () => {
    const lombard = LOMBARDY_PROVINCES.flatMap((p) => comuniOfProvince(p.istatCode));
    fc.assert(
      fc.property(fc.constantFrom(...lombard), (comune) => {
        expect(searchComuni(comune.name, 50)).toContainEqual(comune);
        expect(findComune(comune.istatCode)).toBe(comune);
      }),
    );
  });
});
