import { describe, expect, it } from 'vitest';
import type { Principal } from '../../platform/auth/principal.js';
import { boardPermissions } from './policy.js';

const CLUSTER = '11111111-1111-4111-8111-111111111111';
const person = (grants: Principal['grants']): Principal => ({ personId: 'p', email: 'p@example.org', displayName: 'P', lang: 'it', grants, sessionHash: 'h' });

describe('board permissions', () => {
  it('lets managers and the Region do everything', () => {
    for (const p of [person([{ role: 'cluster_manager', clusterId: CLUSTER, organisationId: null }]), person([{ role: 'region_admin', clusterId: null, organisationId: null }])]) {
      expect(boardPermissions(p, CLUSTER, null)).toEqual({ view: true, compose: true, conduct: true, publish: true });
    }
  });

  it('lets the president and the secretary conduct a meeting, not compose the board', () => {
    const holder = person([{ role: 'board_member', clusterId: CLUSTER, organisationId: null }]);
    expect(boardPermissions(holder, CLUSTER, 'secretary')).toEqual({ view: true, compose: false, conduct: true, publish: false });
    expect(boardPermissions(holder, CLUSTER, 'president').conduct).toBe(true);
    expect(boardPermissions(holder, CLUSTER, 'member')).toEqual({ view: true, compose: false, conduct: false, publish: false });
  });

  it('gives nothing to the public or to another cluster’s manager', () => {
    expect(boardPermissions(null, CLUSTER, null)).toEqual({ view: false, compose: false, conduct: false, publish: false });
    const other = person([{ role: 'cluster_manager', clusterId: '22222222-2222-4222-8222-222222222222', organisationId: null }]);
    expect(boardPermissions(other, CLUSTER, null).view).toBe(false);
  });
});
