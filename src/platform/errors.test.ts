import { describe, expect, it } from 'vitest';
import { AppError, ERRORS, describeValidationIssue, errorMessage } from './errors.js';

describe('error catalogue', () => {
  it('gives every code a status and a non-empty Italian and English message', () => {
    for (const [code, entry] of Object.entries(ERRORS)) {
      expect(entry.status, code).toBeGreaterThanOrEqual(400);
      expect(entry.it.length, code).toBeGreaterThan(0);
      expect(entry.en.length, code).toBeGreaterThan(0);
      expect(entry.it, code).not.toBe(entry.en);
    }
  });

  it('takes its HTTP status from the catalogue and fills parameters', () => {
    const error = new AppError('cluster.not_found', { slug: 'x' });
    expect(error.status).toBe(404);
    expect(errorMessage('cluster.not_found', 'it', { slug: 'x' })).toBe('Nessun cluster con identificativo «x».');
  });
});

describe('describeValidationIssue', () => {
  it('names the field and explains the rule in Italian and English', () => {
    const issue = { keyword: 'maximum', instancePath: '/limit', params: { limit: 100 } };
    expect(describeValidationIssue(issue, 'it')).toEqual({ field: 'limit', message: 'deve essere al massimo 100' });
    expect(describeValidationIssue(issue, 'en')).toEqual({ field: 'limit', message: 'must be at most 100' });
  });

  it('names a missing property by its own name', () => {
    const issue = { keyword: 'required', instancePath: '/address', params: { missingProperty: 'city' } };
    expect(describeValidationIssue(issue, 'en')).toEqual({ field: 'address.city', message: 'is required' });
  });

  it('lists the allowed values of an enum', () => {
    const issue = { keyword: 'enum', instancePath: '/status', params: { allowedValues: ['a', 'b'] } };
    expect(describeValidationIssue(issue, 'it').message).toBe('deve essere uno tra: a oppure b');
  });
});
