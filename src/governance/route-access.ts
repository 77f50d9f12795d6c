/**
 * Every route declares who may call it, in its options: `config: { access: { permission, orgUnits } }`.
 * One hook enforces the declaration before the handler runs; a route without one is refused at start-up,
 * and the authorization matrix test is generated from these declarations.
 */
import type { Principal } from './principal.ts';

/**
 * - public: anyone, signed in or not (portal, open data, sign-in itself).
 * - signed_in: any account, whatever its roles (own profile, sign-out).
 * - read: any role within scope; committee viewers read approved data only.
 * - enter: data clerks (and administrators) within scope.
 * - review: reviewers within scope.
 * - manage_framework: M&E officers (frameworks, targets, rules, calculated indicators).
 * - administer: administrators (users, roles, lock exceptions, audit).
 */
export type Permission = 'public' | 'signed_in' | 'read' | 'enter' | 'review' | 'manage_framework' | 'administer';

export interface RouteAccess {
  permission: Permission;
  /**
   * Request fields naming the org unit codes the request acts on, as `body.orgUnit`, `query.orgUnit`,
   * `params.code`; each must lie within the principal's scope for the permission. A route whose units are
   * found another way (by a submission id, say) checks them in its handler.
   */
  orgUnits?: string[];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}
