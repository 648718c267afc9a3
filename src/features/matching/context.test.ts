import { describe, expect, it } from 'vitest';
import { complementarity, geography, history, partnerPreference, trlFit } from './context.js';

describe('match context', () => {
  it('rewards a TRL inside the window and penalises one far from it', () => {
    expect(trlFit(7, 6, 8)).toMatchObject({ factor: 1.1, reason: { fit: 'inside' } });
    expect(trlFit(5, 6, 8)).toMatchObject({ reason: { fit: 'near' } });
    expect(trlFit(2, 6, 8).factor).toBeLessThan(trlFit(5, 6, 8).factor);
    expect(trlFit(null, 6, 8)).toEqual({ factor: 1 });
    expect(trlFit(4, null, null)).toEqual({ factor: 1 });
  });

  it('sees a company need and a research offer as complementary', () => {
    expect(complementarity({ organisationType: 'company' }, { organisationType: 'spin_off' })).toMatchObject({ factor: 1.05 });
    expect(complementarity({ organisationType: 'university' }, { organisationType: 'company' }).reason).toBeDefined();
    expect(complementarity({ organisationType: 'company' }, { organisationType: 'company' })).toEqual({ factor: 1 });
  });

  it('prefers the same province, then Lombardy', () => {
    expect(geography({ provinceCode: 'CR' }, { provinceCode: 'CR' })).toMatchObject({ factor: 1.04, reason: { scope: 'province' } });
    expect(geography({ provinceCode: 'CR' }, { provinceCode: 'MI' })).toMatchObject({ factor: 1.02, reason: { scope: 'lombardy' } });
    expect(geography({ provinceCode: 'CR' }, { provinceCode: 'RM' })).toEqual({ factor: 1 });
  });

  it('remembers earlier collaborations and preferred partner types', () => {
    expect(history(2)).toMatchObject({ factor: 1.05, reason: { count: 2 } });
    expect(history(0)).toEqual({ factor: 1 });
    expect(partnerPreference(['university'], 'university').reason).toBeDefined();
    expect(partnerPreference(['university'], 'company')).toEqual({ factor: 1 });
  });
});
