import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MEMBERSHIP_STATUSES, type MembershipStatus } from '../../db/schema.js';
import { allowedActions, MEMBERSHIP_ACTIONS, nextStatus, OPEN_STATUSES } from './lifecycle.js';

describe('membership lifecycle', () => {
  it('follows applied → under review → admitted → suspended → reinstated → ended', () => {
    let status: MembershipStatus = 'applied';
    for (const [action, expected] of [
      ['start_review', 'under_review'],
      ['admit', 'admitted'],
      ['suspend', 'suspended'],
      ['reinstate', 'admitted'],
      ['end', 'ended'],
    ] as const) {
      const next = nextStatus(status, action);
      expect(next, `${status} --${action}-->`).toBe(expected);
      status = next!;
    }
  });

  it.each([
    ['admitted', 'admit'],
    ['rejected', 'admit'],
    ['withdrawn', 'reinstate'],
    ['ended', 'reinstate'],
    ['applied', 'suspend'],
    ['under_review', 'end'],
    ['admitted', 'withdraw'],
  ] as const)('refuses %s --%s-->', (from, action) => {
    expect(nextStatus(from, action)).toBeNull();
  });

  it('never leaves a closed status (rejected, withdrawn, ended)', () => {
    fc.assert(
      fc.property(fc.constantFrom<MembershipStatus>('rejected', 'withdrawn', 'ended'), fc.constantFrom(...MEMBERSHIP_ACTIONS), (from, action) => {
        expect(nextStatus(from, action)).toBeNull();
      }),
    );
  });

  it('offers exactly the actions that lead somewhere, and any walk stays within the statuses', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...MEMBERSHIP_ACTIONS), { maxLength: 30 }), (actions) => {
        let status: MembershipStatus = 'applied';
        for (const action of actions) {
          const allowed = allowedActions(status).includes(action);
          const next = nextStatus(status, action);
          expect(next !== null).toBe(allowed);
          if (next) status = next;
          expect(MEMBERSHIP_STATUSES).toContain(status);
        }
        // Once closed, an organisation can apply again: closed statuses are not open ones.
        expect(OPEN_STATUSES.includes(status)).toBe(!['rejected', 'withdrawn', 'ended'].includes(status));
      }),
    );
  });
});
