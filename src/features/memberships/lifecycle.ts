import type { MembershipStatus } from '../../db/schema.js';

/**
 * The membership lifecycle: applied → under review → admitted | rejected | withdrawn;
 * admitted → suspended → reinstated (admitted again) | ended; admitted → ended.
 */
export const MEMBERSHIP_ACTIONS = [
  'start_review',
  'request_info',
  'admit',
  'reject',
  'withdraw',
  'suspend',
  'reinstate',
  'end',
] as const;
export type MembershipAction = (typeof MEMBERSHIP_ACTIONS)[number];

const TRANSITIONS: Record<MembershipAction, { from: MembershipStatus[]; to: MembershipStatus }> = {
  start_review: { from: ['applied'], to: 'under_review' },
  request_info: { from: ['applied', 'under_review'], to: 'under_review' },
  admit: { from: ['applied', 'under_review'], to: 'admitted' },
  reject: { from: ['applied', 'under_review'], to: 'rejected' },
  withdraw: { from: ['applied', 'under_review'], to: 'withdrawn' },
  suspend: { from: ['admitted'], to: 'suspended' },
  reinstate: { from: ['suspended'], to: 'admitted' },
  end: { from: ['admitted', 'suspended'], to: 'ended' },
};

/** Actions that must say why (the reason is sent to the applicant and kept in the history). */
export const REASON_REQUIRED: ReadonlySet<MembershipAction> = new Set(['request_info', 'reject', 'suspend', 'end']);

/** Actions taken by the organisation itself rather than by the cluster. */
export const APPLICANT_ACTIONS: ReadonlySet<MembershipAction> = new Set(['withdraw']);

export function isMembershipAction(value: unknown): value is MembershipAction {
  return typeof value === 'string' && (MEMBERSHIP_ACTIONS as readonly string[]).includes(value);
}

/** The status an action leads to from `from`, or null when the lifecycle forbids it. */
export function nextStatus(from: MembershipStatus, action: MembershipAction): MembershipStatus | null {
  const t = TRANSITIONS[action];
  return t.from.includes(from) ? t.to : null;
}

/** Actions the lifecycle allows from a status (what buttons a page may show). */
export function allowedActions(from: MembershipStatus): MembershipAction[] {
  return MEMBERSHIP_ACTIONS.filter((a) => TRANSITIONS[a].from.includes(from));
}

/** Statuses that count as an open membership or application (one per organisation and cluster). */
export const OPEN_STATUSES: MembershipStatus[] = ['applied', 'under_review', 'admitted', 'suspended'];
