import type { BoardRole } from '../../db/schema.js';
import { managesCluster, sitsOnBoard, type Principal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';

/**
 * Who may do what with a cluster's board. The computed permissions also decide which forms a page
 * shows. `role` is the person's role on the board today (null when they hold no seat).
 *  - view: the board's reserved pages (meetings, votes, minutes): board members, managers, Region;
 *  - compose: seats, holders, statute rules, convening and changing meetings: managers and Region;
 *  - conduct: running a meeting (attendance, motions, voting windows, votes recorded in the room,
 *    documents, minutes): managers and Region, and the board's president and secretary;
 *  - publish: the public summary of a meeting: managers and Region.
 * Casting an online vote is not a permission but a fact: holding a voting seat at the meeting (or
 * carrying a proxy for one), checked by the service.
 */
export interface BoardPermissions {
  view: boolean;
  compose: boolean;
  conduct: boolean;
  publish: boolean;
}

export function boardPermissions(principal: Principal | null, clusterId: string, role: BoardRole | null): BoardPermissions {
  const manager = managesCluster(principal, clusterId);
  const officer = role === 'president' || role === 'secretary';
  return {
    view: manager || sitsOnBoard(principal, clusterId) || role !== null,
    compose: manager,
    conduct: manager || officer,
    publish: manager,
  };
}

export function requirePermission(allowed: boolean): void {
  if (!allowed) throw new AppError('auth.forbidden');
}
