import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseOrcid, orcidCheckCharacter } from './orcid.js';

describe('ORCID iDs', () => {
  it('accepts the iDs of the ORCID documentation, with or without hyphens or the URL', () => {
    expect(normaliseOrcid('0000-0002-1825-0097')).toBe('0000-0002-1825-0097');
    expect(normaliseOrcid('0000-0001-5109-3700')).toBe('0000-0001-5109-3700');
    expect(normaliseOrcid('0000-0002-1694-233x')).toBe('0000-0002-1694-233X');
    expect(normaliseOrcid('https://orcid.org/0000-0002-1825-0097')).toBe('0000-0002-1825-0097');
    expect(normaliseOrcid(' 0000 0002 1825 0097 ')).toBe('0000-0002-1825-0097');
  });

  it('refuses a wrong check character, a wrong length and letters', () => {
    expect(normaliseOrcid('0000-0002-1825-0098')).toBeNull();
    expect(normaliseOrcid('0000-0002-1825-009')).toBeNull();
    expect(normaliseOrcid('0000-000A-1825-0097')).toBeNull();
    expect(normaliseOrcid('')).toBeNull();
  });

  it('detects every single-digit error in the first fifteen digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{15}$/), fc.integer({ min: 0, max: 14 }), fc.integer({ min: 1, max: 9 }), (digits, pos, delta) => {
        const id = digits + orcidCheckCharacter(digits);
        const changed = digits.slice(0, pos) + String((Number(digits[pos]) + delta) % 10) + digits.slice(pos + 1);
        expect(normaliseOrcid(changed + id[15])).toBeNull();
        expect(normaliseOrcid(id)).not.toBeNull();
      }),
    );
  });
});
