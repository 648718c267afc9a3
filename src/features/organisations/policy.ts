import {
  administersOrganisation,
  belongsToOrganisation,
  isRegionAdmin,
  managesCluster,
  type Principal,
} from '../../platform/auth/principal.js';

/** Who may do what with an organisation. `clusterIds`: clusters it is a member of. */
export interface OrganisationPermissions {
  edit: boolean;
  seePrivate: boolean;
  invite: boolean;
}

export function organisationPermissions(
  principal: Principal | null,
  organisationId: string,
  clusterIds: string[],
  /** Clusters reviewing an application of the organisation: their managers read, not edit. */
  applicationClusterIds: string[] = [],
): OrganisationPermissions {
  const curator = isRegionAdmin(principal) || clusterIds.some((id) => managesCluster(principal, id));
  const reviewer = applicationClusterIds.some((id) => managesCluster(principal, id));
  const admin = administersOrganisation(principal, organisationId);
  return {
    edit: admin || curator,
    seePrivate: admin || curator || reviewer || belongsToOrganisation(principal, organisationId),
    invite: admin || curator,
  };
}
