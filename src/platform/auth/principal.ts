import type { Role } from '../../db/schema.js';
import type { Lang } from '../i18n.js';

export interface Grant {
  role: Role;
  clusterId: string | null;
  organisationId: string | null;
}

/** The signed-in person behind a request, with every role they hold. */
export interface Principal {
  personId: string;
  email: string;
  displayName: string;
  lang: Lang;
  grants: Grant[];
  /** Hash of the session token, to revoke this session. */
  sessionHash: string;
}

export function isRegionAdmin(p: Principal | null | undefined): boolean {
  return !!p?.grants.some((g) => g.role === 'region_admin');
}

export function managesCluster(p: Principal | null | undefined, clusterId: string): boolean {
  return isRegionAdmin(p) || !!p?.grants.some((g) => g.role === 'cluster_manager' && g.clusterId === clusterId);
}

export function sitsOnBoard(p: Principal | null | undefined, clusterId: string): boolean {
  return !!p?.grants.some((g) => g.role === 'board_member' && g.clusterId === clusterId);
}

export function administersOrganisation(p: Principal | null | undefined, organisationId: string): boolean {
  return !!p?.grants.some((g) => g.role === 'org_admin' && g.organisationId === organisationId);
}

export function belongsToOrganisation(p: Principal | null | undefined, organisationId: string): boolean {
  return !!p?.grants.some((g) => (g.role === 'org_admin' || g.role === 'org_member') && g.organisationId === organisationId);
}

export function managedClusterIds(p: Principal | null | undefined): string[] {
  return (p?.grants ?? []).filter((g) => g.role === 'cluster_manager' && g.clusterId).map((g) => g.clusterId!);
}

export function organisationIds(p: Principal | null | undefined): string[] {
  return [...new Set((p?.grants ?? []).filter((g) => g.organisationId).map((g) => g.organisationId!))];
}
