import type { AttendanceStatus, MajorityRule, MotionType, VoteChoice } from '../../db/schema.js';

/**
 * The arithmetic of a board decision, pure and deterministic: quorum from attendance (with
 * proxies), then the majority the statute asks for the motion's type. The service stores what
 * `evaluate` returns; a test re-derives every stored outcome with it.
 */

export type QuorumRule = { kind: 'majority_of_voting_seats' } | { kind: 'fixed'; seats: number };

export interface StatuteRules {
  quorum: QuorumRule;
  majorities: Record<MotionType, MajorityRule>;
  /** `excluded`: abstentions are not votes cast; `counted`: they are (and so weigh like a no). */
  abstentions: 'excluded' | 'counted';
  proxies: { allowed: boolean; maxPerHolder: number };
}

/** One seat as it stood for the vote. Order matters only for proxies beyond a holder's limit. */
export interface SeatAttendance {
  seatId: string;
  voting: boolean;
  status: AttendanceStatus | null;
  /** For `proxy`: the seat whose holder carries the proxy. */
  proxySeatId?: string | null;
}

export interface Ballot {
  seatId: string;
  choice: VoteChoice;
}

export interface QuorumResult {
  /** Voting seats with a holder in office: the base of the quorum and of absolute majorities. */
  votingSeats: number;
  /** Voting seats present in person or online. */
  present: number;
  /** Voting seats represented by a valid proxy. */
  represented: number;
  required: number;
  reached: boolean;
  /** The voting seats whose vote counts: present, or represented by a valid proxy. */
  counted: Set<string>;
}

export interface Decision {
  majority: MajorityRule;
  votesFor: number;
  votesAgainst: number;
  abstentions: number;
  /** What the majority is computed on: votes cast, or the voting seats for an absolute majority. */
  base: number;
  /** The smallest number of votes in favour that passes the motion. */
  requiredFor: number;
  passed: boolean;
}

export interface Evaluation {
  quorum: QuorumResult;
  decision: Decision;
}

export function quorumRequired(rule: QuorumRule, votingSeats: number): number {
  return rule.kind === 'fixed' ? rule.seats : Math.floor(votingSeats / 2) + 1;
}

/**
 * Proxies that count: allowed by the statute, given by a voting seat to the holder of another seat
 * who is present in person (a proxy cannot be passed on), and within the holder's limit (the first
 * ones given count, the rest do not).
 */
export function validProxies(rules: StatuteRules, seats: SeatAttendance[]): Set<string> {
  const valid = new Set<string>();
  if (!rules.proxies.allowed || rules.proxies.maxPerHolder <= 0) return valid;
  const presentSeats = new Set(seats.filter((s) => s.status === 'present').map((s) => s.seatId));
  const carried = new Map<string, number>();
  for (const s of seats) {
    if (!s.voting || s.status !== 'proxy' || !s.proxySeatId || s.proxySeatId === s.seatId) continue;
    if (!presentSeats.has(s.proxySeatId)) continue;
    const n = carried.get(s.proxySeatId) ?? 0;
    if (n >= rules.proxies.maxPerHolder) continue;
    carried.set(s.proxySeatId, n + 1);
    valid.add(s.seatId);
  }
  return valid;
}

export function computeQuorum(rules: StatuteRules, seats: SeatAttendance[]): QuorumResult {
  const voting = seats.filter((s) => s.voting);
  const present = voting.filter((s) => s.status === 'present');
  const proxies = validProxies(rules, seats);
  const counted = new Set([...present.map((s) => s.seatId), ...proxies]);
  const required = quorumRequired(rules.quorum, voting.length);
  return {
    votingSeats: voting.length,
    present: present.length,
    represented: proxies.size,
    required,
    reached: voting.length > 0 && counted.size >= required,
    counted,
  };
}

/** Count ballots: one per seat (the first), and only from seats whose vote counts. */
export function tally(ballots: Ballot[], counted: Set<string>): { votesFor: number; votesAgainst: number; abstentions: number } {
  const seen = new Set<string>();
  let votesFor = 0;
  let votesAgainst = 0;
  let abstentions = 0;
  for (const b of ballots) {
    if (!counted.has(b.seatId) || seen.has(b.seatId)) continue;
    seen.add(b.seatId);
    if (b.choice === 'for') votesFor += 1;
    else if (b.choice === 'against') votesAgainst += 1;
    else abstentions += 1;
  }
  return { votesFor, votesAgainst, abstentions };
}

export function decide(
  majority: MajorityRule,
  abstentionRule: StatuteRules['abstentions'],
  votingSeats: number,
  counts: { votesFor: number; votesAgainst: number; abstentions: number },
): Decision {
  const cast = counts.votesFor + counts.votesAgainst + (abstentionRule === 'counted' ? counts.abstentions : 0);
  let base: number;
  let requiredFor: number;
  switch (majority) {
    case 'simple':
      // More in favour than half the votes cast: a tie fails.
      base = cast;
      requiredFor = Math.floor(base / 2) + 1;
      break;
    case 'absolute':
      // More in favour than half the voting seats in office, whoever voted.
      base = votingSeats;
      requiredFor = Math.floor(base / 2) + 1;
      break;
    case 'two_thirds':
      base = cast;
      requiredFor = Math.max(1, Math.ceil((2 * base) / 3));
      break;
  }
  return { majority, ...counts, base, requiredFor, passed: counts.votesFor >= requiredFor };
}

/** Quorum and decision of one motion. Without quorum the motion cannot pass. */
export function evaluate(type: MotionType, rules: StatuteRules, seats: SeatAttendance[], ballots: Ballot[]): Evaluation {
  const quorum = computeQuorum(rules, seats);
  const counts = tally(ballots, quorum.counted);
  const decision = decide(rules.majorities[type], rules.abstentions, quorum.votingSeats, counts);
  return { quorum, decision: { ...decision, passed: quorum.reached && decision.passed } };
}

/** The rule version in force on a day: the latest valid_from on or before it. */
export function versionInForce<T extends { valid_from: string }>(versions: T[], day: string): T | undefined {
  let best: T | undefined;
  for (const v of versions) {
    if (v.valid_from <= day && (!best || v.valid_from > best.valid_from)) best = v;
  }
  return best;
}

/** The rules of a stored version row. */
export function rulesOf(row: {
  quorum_kind: 'majority_of_voting_seats' | 'fixed';
  quorum_fixed: number | null;
  majority_ordinary: MajorityRule;
  majority_admission: MajorityRule;
  majority_minutes: MajorityRule;
  majority_budget: MajorityRule;
  majority_statute: MajorityRule;
  abstentions: 'excluded' | 'counted';
  proxies_allowed: boolean;
  max_proxies_per_holder: number;
}): StatuteRules {
  return {
    quorum: row.quorum_kind === 'fixed' ? { kind: 'fixed', seats: row.quorum_fixed ?? 1 } : { kind: 'majority_of_voting_seats' },
    majorities: {
      ordinary: row.majority_ordinary,
      admission: row.majority_admission,
      minutes_approval: row.majority_minutes,
      budget: row.majority_budget,
      statute: row.majority_statute,
    },
    abstentions: row.abstentions,
    proxies: { allowed: row.proxies_allowed, maxPerHolder: row.max_proxies_per_holder },
  };
}
