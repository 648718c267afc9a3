import { describe, expect, it } from 'vitest';
import { allowedNext, canMove } from './service.js';

describe('collaboration pipeline', () => {
  it('goes exploring → agreement → project → closed won, and may close lost at any open step', () => {
    expect(canMove('exploring', 'agreement')).toBe(true);
    expect(canMove('agreement', 'project')).toBe(true);
    expect(canMove('project', 'closed_won')).toBe(true);
    expect(canMove('exploring', 'closed_lost')).toBe(true);
    expect(canMove('exploring', 'closed_won')).toBe(false);
    expect(canMove('project', 'exploring')).toBe(false);
    expect(allowedNext('closed_won')).toEqual([]);
    expect(allowedNext('closed_lost')).toEqual([]);
  });
});
