/** Which roles carry which permission: the one table every authorization decision reads. */
import type { Permission } from './route-access.ts';
import type { Principal, Role } from './principal.ts';
import type { ReadStage } from '../domain/workflow.ts';

const CARRIES: Record<Exclude<Permission, 'public' | 'signed_in'>, readonly Role[]> = {
  read: ['data_clerk', 'reviewer', 'me_officer', 'committee_viewer', 'admin'],
  enter: ['data_clerk', 'admin'],
  review: ['reviewer', 'admin'],
  manage_framework: ['me_officer', 'admin'],
  administer: ['admin'],
};

export function roleCarries(role: Role, permission: Permission): boolean {
  if (permission === 'public' || permission === 'signed_in') return true;
  return CARRIES[permission].includes(role);
}

/** The org units (by id) at which the principal holds the permission; their subtrees are in scope too. */
export function grantRoots(p: Principal, permission: Permission): number[] {
  return [...new Set(p.grants.filter((g) => roleCarries(g.role, permission)).map((g) => g.orgUnitId))];
}

/**
 * The approval stage the principal's reads see: committee viewers read approved data only; everyone who
 * works on the data (clerks, reviewers, M&E officers, administrators) sees it as stored.
 */
export function readStage(p: Principal): 'approved' | null {
  return p.grants.some((g) => g.role !== 'committee_viewer') ? null : 'approved';
}

/** The stage a read uses: the one asked for, but never less than the principal's own (accepted is past approved). */
export function effectiveStage(p: Principal, asked: ReadStage | undefined): ReadStage | undefined {
  return asked ?? readStage(p) ?? undefined;
}
