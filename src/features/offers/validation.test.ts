import { describe, expect, it } from 'vitest';
import { FieldErrors } from '../../platform/field-errors.js';
import { nextItemStatus, addMonths, isActive, canSee } from './service.js';
import { parseTrl, validateNeed, validateOffer } from './validation.js';
import { ANONYMOUS } from './repository.js';

const today = '2026-11-25';

describe('offer and need rules', () => {
  it('accepts a TRL from 1 to 9 and refuses anything else', () => {
    for (const [value, expected] of [['7', 7], [3, 3], ['', null], [null, null]] as const) {
      const errors = new FieldErrors();
      expect(parseTrl(errors, 'trl', value)).toBe(expected);
      expect(errors.empty).toBe(true);
    }
    for (const bad of ['sette', '7a', '0', '10', 4.5, '-1']) {
      const errors = new FieldErrors();
      expect(parseTrl(errors, 'trl', bad)).toBeNull();
      expect(errors.problems).toEqual([{ field: 'trl', code: 'trl' }]);
    }
  });

  it('needs a title and a description in at least one language', () => {
    const errors = new FieldErrors();
    validateOffer({}, errors, today);
    expect(errors.problems.map((p) => p.code)).toEqual(['title_any', 'description_any']);
  });

  it('checks a need’s TRL window, budget range and dates', () => {
    const errors = new FieldErrors();
    const values = validateNeed({ titleIt: 'x', descriptionIt: 'y', trlMin: '7', trlMax: '4', budgetMin: '50.000', budgetMax: '10000', deadline: '2020-01-01' }, errors, today);
    expect(errors.problems.map((p) => `${p.field}:${p.code}`)).toEqual(['trlMax:trl_window', 'budgetMax:budget_order', 'deadline:date_past']);
    expect(values.budget_min_cents).toBe(5_000_000);
  });

  it('asks for the chosen clusters when visibility is "clusters", and a patent status for a patent number', () => {
    const errors = new FieldErrors();
    validateOffer({ titleEn: 'x', descriptionEn: 'y', visibility: 'clusters', patentNumber: 'EP123' }, errors, today);
    expect(errors.problems.map((p) => `${p.field}:${p.code}`)).toEqual(['clusters:cluster_choice', 'patentNumber:patent_number']);
  });

  it('moves items through draft → published → archived → draft', () => {
    expect(nextItemStatus('draft', 'publish')).toBe('published');
    expect(nextItemStatus('published', 'renew')).toBe('published');
    expect(nextItemStatus('published', 'archive')).toBe('archived');
    expect(nextItemStatus('archived', 'reopen')).toBe('draft');
    expect(nextItemStatus('archived', 'publish')).toBeNull();
    expect(nextItemStatus('draft', 'renew')).toBeNull();
    expect(addMonths('2026-01-31', 12)).toBe('2027-01-31');
  });

  it('shows an expired or draft item only to its owner’s people and editors; members-only items only to members', () => {
    expect(isActive({ status: 'published', expires_on: '2026-11-24' }, today)).toBe(false);
    const item = { organisation_id: 'o1', visibility: 'members', status: 'published' as const, expires_on: null };
    const audience = { ownerClusters: ['c1'], chosenClusters: [] };
    expect(canSee(item, audience, ANONYMOUS, today)).toBe(false);
    expect(canSee(item, audience, { ...ANONYMOUS, personId: 'p', clusterIds: ['c2'] }, today)).toBe(false);
    expect(canSee(item, audience, { ...ANONYMOUS, personId: 'p', clusterIds: ['c1'] }, today)).toBe(true);
    expect(canSee({ ...item, visibility: 'public', status: 'draft' }, audience, ANONYMOUS, today)).toBe(false);
    expect(canSee({ ...item, status: 'draft' }, audience, { ...ANONYMOUS, personId: 'p', organisationIds: ['o1'] }, today)).toBe(true);
  });
});
