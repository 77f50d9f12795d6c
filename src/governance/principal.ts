/** Who is acting, and over which part of the org-unit tree: the facts every authorization decision reads. */

export const ROLES = ['data_clerk', 'reviewer', 'me_officer', 'committee_viewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A role held over an org unit and everything under it. */
export interface RoleGrant {
  role: Role;
  orgUnit: string;
  orgUnitId: number;
}

export interface Principal {
  userId: number;
  username: string;
  displayName: string;
  grants: RoleGrant[];
  /** How the request proved who it is: a browser session (CSRF-checked) or a personal API token. */
  via: 'session' | 'token';
}

/** The name an audit entry or a stored value records for the actor. */
export function actorName(p: Principal | null): string {
  return p ? p.username : 'anonymous';
}
