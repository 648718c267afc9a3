import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAJORITY_RULES, MOTION_TYPES, type MajorityRule, type VoteChoice } from '../../db/schema.js';
import { computeQuorum, decide, evaluate, quorumRequired, tally, validProxies, versionInForce, type Ballot, type SeatAttendance, type StatuteRules } from './rules.js';

const majority = fc.constantFrom<MajorityRule>(...MAJORITY_RULES);
const choice = fc.constantFrom<VoteChoice>('for', 'against', 'abstain');

const rulesArb: fc.Arbitrary<StatuteRules> = fc.record({
  quorum: fc.oneof(
    fc.constant({ kind: 'majority_of_voting_seats' as const }),
    fc.integer({ min: 1, max: 12 }).map((seats) => ({ kind: 'fixed' as const, seats })),
  ),
  majorities: fc.record({ ordinary: majority, admission: majority, minutes_approval: majority, budget: majority, statute: majority }),
  abstentions: fc.constantFrom('excluded' as const, 'counted' as const),
  proxies: fc.record({ allowed: fc.boolean(), maxPerHolder: fc.integer({ min: 0, max: 3 }) }),
});

/** A random board of 1–15 seats with attendance and proxies pointing anywhere (even at absent seats). */
const boardArb: fc.Arbitrary<SeatAttendance[]> = fc.integer({ min: 1, max: 15 }).chain((n) =>
  fc.array(
    fc.record({
      voting: fc.boolean(),
      status: fc.constantFrom('present' as const, 'proxy' as const, 'absent' as const, null),
      proxyTo: fc.integer({ min: 0, max: n - 1 }),
    }),
    { minLength: n, maxLength: n },
  ).map((seats) =>
    seats.map((s, i) => ({
      seatId: `s${i}`,
      voting: s.voting,
      status: s.status,
      proxySeatId: s.status === 'proxy' ? `s${s.proxyTo}` : null,
    })),
  ),
);

/** A board with ballots from any seat (also seats that may not vote), sometimes twice. */
const scenario = fc
  .tuple(rulesArb, boardArb)
  .chain(([rules, seats]) =>
    fc.tuple(
      fc.constant(rules),
      fc.constant(seats),
      fc.array(fc.record({ seat: fc.integer({ min: 0, max: seats.length - 1 }), choice }), { maxLength: 25 }).map((bs) =>
        bs.map((b): Ballot => ({ seatId: `s${b.seat}`, choice: b.choice })),
      ),
      fc.constantFrom(...MOTION_TYPES),
    ),
  );

const counts = fc.record({ votesFor: fc.nat(50), votesAgainst: fc.nat(50), abstentions: fc.nat(50) });

describe('quorum', () => {
  it('asks a majority of the voting seats: more than half, never more than needed', () => {
    fc.assert(
      fc.property(fc.nat(200), (n) => {
        const required = quorumRequired({ kind: 'majority_of_voting_seats' }, n);
        expect(required * 2).toBeGreaterThan(n);
        expect((required - 1) * 2).toBeLessThanOrEqual(n);
      }),
    );
  });

  it('is reached exactly when the seats present or validly represented reach the requirement', () => {
    fc.assert(
      fc.property(rulesArb, boardArb, (rules, seats) => {
        const q = computeQuorum(rules, seats);
        expect(q.counted.size).toBe(q.present + q.represented);
        expect(q.counted.size).toBeLessThanOrEqual(q.votingSeats);
        expect(q.reached).toBe(q.votingSeats > 0 && q.counted.size >= q.required);
        if (rules.quorum.kind === 'fixed') expect(q.required).toBe(rules.quorum.seats);
      }),
    );
  });

  it('counts a fixed quorum as a number of seats, whatever the size of the board', () => {
    const rules: StatuteRules = {
      quorum: { kind: 'fixed', seats: 3 },
      majorities: { ordinary: 'simple', admission: 'simple', minutes_approval: 'simple', budget: 'simple', statute: 'simple' },
      abstentions: 'excluded',
      proxies: { allowed: false, maxPerHolder: 0 },
    };
    const seats = (present: number, total: number): SeatAttendance[] =>
      Array.from({ length: total }, (_, i) => ({ seatId: `s${i}`, voting: true, status: i < present ? 'present' : 'absent' }));
    expect(computeQuorum(rules, seats(3, 9)).reached).toBe(true);
    expect(computeQuorum(rules, seats(2, 3)).reached).toBe(false);
    expect(computeQuorum(rules, seats(3, 3)).reached).toBe(true);
  });
});

describe('proxies', () => {
  it('count only when allowed, carried by a present holder, within the per-holder limit', () => {
    fc.assert(
      fc.property(rulesArb, boardArb, (rules, seats) => {
        const valid = validProxies(rules, seats);
        if (!rules.proxies.allowed) expect(valid.size).toBe(0);
        const byId = new Map(seats.map((s) => [s.seatId, s]));
        const carried = new Map<string, number>();
        for (const id of valid) {
          const s = byId.get(id)!;
          expect(s.voting).toBe(true);
          expect(s.status).toBe('proxy');
          expect(byId.get(s.proxySeatId!)?.status).toBe('present');
          carried.set(s.proxySeatId!, (carried.get(s.proxySeatId!) ?? 0) + 1);
        }
        for (const n of carried.values()) expect(n).toBeLessThanOrEqual(rules.proxies.maxPerHolder);
      }),
    );
  });

  it('lets a represented seat vote through its proxy and ignores a proxy beyond the limit', () => {
    const rules: StatuteRules = {
      quorum: { kind: 'majority_of_voting_seats' },
      majorities: { ordinary: 'simple', admission: 'simple', minutes_approval: 'simple', budget: 'simple', statute: 'simple' },
      abstentions: 'excluded',
      proxies: { allowed: true, maxPerHolder: 1 },
    };
    const seats: SeatAttendance[] = [
      { seatId: 'a', voting: true, status: 'present' },
      { seatId: 'b', voting: true, status: 'proxy', proxySeatId: 'a' },
      { seatId: 'c', voting: true, status: 'proxy', proxySeatId: 'a' },
      { seatId: 'd', voting: true, status: 'absent' },
      { seatId: 'e', voting: true, status: 'absent' },
    ];
    const result = evaluate('ordinary', rules, seats, [
      { seatId: 'a', choice: 'for' },
      { seatId: 'b', choice: 'for' },
      { seatId: 'c', choice: 'for' },
    ]);
    expect(result.quorum).toMatchObject({ votingSeats: 5, present: 1, represented: 1, required: 3, reached: false });
    expect(result.decision.passed).toBe(false);
    const two = evaluate('ordinary', { ...rules, proxies: { allowed: true, maxPerHolder: 2 } }, seats, [
      { seatId: 'a', choice: 'for' },
      { seatId: 'b', choice: 'for' },
      { seatId: 'c', choice: 'against' },
    ]);
    expect(two.quorum.reached).toBe(true);
    expect(two.decision).toMatchObject({ votesFor: 2, votesAgainst: 1, passed: true });
  });
});

describe('majorities', () => {
  it('never passes a tie by simple majority or two thirds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.nat(50), fc.constantFrom('excluded' as const, 'counted' as const), (n, abst, rule) => {
        for (const m of ['simple', 'two_thirds'] as const) {
          expect(decide(m, rule, 100, { votesFor: n, votesAgainst: n, abstentions: abst }).passed).toBe(false);
        }
      }),
    );
  });

  it('passes a simple majority iff more in favour than half the votes cast', () => {
    fc.assert(
      fc.property(counts, fc.constantFrom('excluded' as const, 'counted' as const), (c, rule) => {
        const cast = c.votesFor + c.votesAgainst + (rule === 'counted' ? c.abstentions : 0);
        expect(decide('simple', rule, 200, c).passed).toBe(c.votesFor * 2 > cast);
      }),
    );
  });

  it('ignores abstentions when they are not votes cast, and lets them only hurt when they are', () => {
    fc.assert(
      fc.property(counts, fc.nat(20), majority, fc.nat(200), (c, more, m, seats) => {
        const base = decide(m, 'excluded', seats, c).passed;
        expect(decide(m, 'excluded', seats, { ...c, abstentions: c.abstentions + more }).passed).toBe(base);
        const counted = decide(m, 'counted', seats, c).passed;
        const moreAbstaining = decide(m, 'counted', seats, { ...c, abstentions: c.abstentions + more }).passed;
        if (moreAbstaining) expect(counted).toBe(true);
      }),
    );
  });

  it('passes an absolute majority iff more than half the voting seats are in favour', () => {
    fc.assert(
      fc.property(counts, fc.nat(120), fc.constantFrom('excluded' as const, 'counted' as const), (c, seats, rule) => {
        expect(decide('absolute', rule, seats, c).passed).toBe(c.votesFor * 2 > seats);
      }),
    );
  });

  it('passes two thirds iff at least two thirds of the votes cast are in favour', () => {
    fc.assert(
      fc.property(counts, fc.constantFrom('excluded' as const, 'counted' as const), (c, rule) => {
        const cast = c.votesFor + c.votesAgainst + (rule === 'counted' ? c.abstentions : 0);
        expect(decide('two_thirds', rule, 200, c).passed).toBe(cast > 0 && c.votesFor * 3 >= cast * 2);
      }),
    );
  });

  it('is monotone: a vote moved to "for" never turns a pass into a rejection', () => {
    fc.assert(
      fc.property(counts, majority, fc.constantFrom('excluded' as const, 'counted' as const), fc.nat(200), (c, m, rule, seats) => {
        const before = decide(m, rule, seats, c).passed;
        if (c.votesAgainst > 0 && before) {
          expect(decide(m, rule, seats, { ...c, votesFor: c.votesFor + 1, votesAgainst: c.votesAgainst - 1 }).passed).toBe(true);
        }
        if (c.abstentions > 0 && before) {
          expect(decide(m, rule, seats, { ...c, votesFor: c.votesFor + 1, abstentions: c.abstentions - 1 }).passed).toBe(true);
        }
      }),
    );
  });

  it('agrees with requiredFor: passes exactly when the votes in favour reach it', () => {
    fc.assert(
      fc.property(counts, majority, fc.constantFrom('excluded' as const, 'counted' as const), fc.nat(200), (c, m, rule, seats) => {
        const d = decide(m, rule, seats, c);
        expect(d.passed).toBe(c.votesFor >= d.requiredFor);
        expect(d.requiredFor).toBeGreaterThanOrEqual(1);
      }),
    );
  });
});

describe('evaluate', () => {
  it('never passes without quorum, and counts each seat once, only where it may vote', () => {
    fc.assert(
      fc.property(scenario, ([rules, seats, ballots, type]) => {
        const result = evaluate(type, rules, seats, ballots);
        if (!result.quorum.reached) expect(result.decision.passed).toBe(false);
        const total = result.decision.votesFor + result.decision.votesAgainst + result.decision.abstentions;
        const eligible = new Set(ballots.map((b) => b.seatId).filter((id) => result.quorum.counted.has(id)));
        expect(total).toBe(eligible.size);
      }),
    );
  });

  it('is not moved by ballots of non-voting, absent or unrepresented seats', () => {
    fc.assert(
      fc.property(scenario, ([rules, seats, ballots, type]) => {
        const result = evaluate(type, rules, seats, ballots);
        const onlyCounted = ballots.filter((b) => result.quorum.counted.has(b.seatId));
        expect(evaluate(type, rules, seats, onlyCounted)).toEqual(result);
      }),
    );
  });

  it('counts a seat’s first ballot only (a second cast never changes the result)', () => {
    fc.assert(
      fc.property(scenario, choice, ([rules, seats, ballots, type], again) => {
        const result = evaluate(type, rules, seats, ballots);
        const repeated = [...ballots, ...ballots.map((b) => ({ ...b, choice: again }))];
        expect(evaluate(type, rules, seats, repeated).decision).toEqual(result.decision);
      }),
    );
  });

  it('tallies only counted seats', () => {
    expect(tally([{ seatId: 'a', choice: 'for' }, { seatId: 'b', choice: 'against' }], new Set(['a']))).toEqual({ votesFor: 1, votesAgainst: 0, abstentions: 0 });
  });
});

describe('rule versions', () => {
  it('applies the latest version valid on or before the day', () => {
    const versions = [{ valid_from: '2026-01-16' }, { valid_from: '2026-06-01' }, { valid_from: '2027-01-01' }];
    expect(versionInForce(versions, '2026-01-15')).toBeUndefined();
    expect(versionInForce(versions, '2026-01-16')?.valid_from).toBe('2026-01-16');
    expect(versionInForce(versions, '2026-12-31')?.valid_from).toBe('2026-06-01');
    expect(versionInForce(versions, '2027-01-01')?.valid_from).toBe('2027-01-01');
  });
});
