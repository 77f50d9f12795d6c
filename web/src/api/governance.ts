/** Accounts, the approval workflow, lock exceptions, evidence and the audit trail (#5), as the server's contract names them. */
import { request, written } from './client.ts';

export type Role = 'data_clerk' | 'reviewer' | 'me_officer' | 'committee_viewer' | 'admin';
export const ROLES: Role[] = ['data_clerk', 'reviewer', 'me_officer', 'committee_viewer', 'admin'];
export interface Grant { role: Role; orgUnit: string }
export interface Me { username: string; displayName: string; grants: Grant[]; mustChangePassword: boolean }
export interface UserRow { username: string; displayName: string; grants: Grant[]; disabled?: boolean; locked?: boolean; lockedUntil?: string | null }
export interface SubmissionEvent { action: string; from: string | null; to: string; reason: string | null; actor: string; at: string }
export interface Submission {
  id: number; status: string; orgUnit: string; period: string; framework: string;
  events?: SubmissionEvent[]; values?: number; evidence?: number; lockedUntil?: string | null;
}
export interface LockException { id: number; submissionId: number; reason: string; expiresAt?: string; until?: string; grantedBy?: string }
export interface Evidence { id: number; fileName?: string | null; url?: string | null; description?: string | null; mediaType?: string | null; sizeBytes?: number | null; uploadedBy?: string; uploadedAt?: string }
export interface AuditEntry { id: number; at: string; actor: string; action: string; entity: string; entityId: string | null; orgUnit: string | null; detail: unknown }
export interface AuditVerify { ok: boolean; entries: number; broken: { entryId: number; reason: string; message: string } | null }

type Q = Record<string, string | number | boolean | undefined>;
const qs = (q: Q) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};
async function write<T>(method: string, path: string, body?: unknown): Promise<T> {
  const r = await request<T>(method, path, body);
  written();
  return r;
}
const rows = <T,>(r: T[] | { items?: T[]; entries?: T[] }): T[] => (Array.isArray(r) ? r : r.items ?? r.entries ?? []);

export const gov = {
  me: () => request<Me>('GET', '/api/auth/me'),
  signIn: (username: string, password: string) => request<{ user: Me }>('POST', '/api/auth/sign-in', { username, password }),
  signOut: () => request<unknown>('POST', '/api/auth/sign-out', {}),
  changePassword: (currentPassword: string, newPassword: string) => request<unknown>('POST', '/api/auth/password', { currentPassword, newPassword }),

  users: async () => rows(await request<UserRow[]>('GET', '/api/users')),
  createUser: (u: { username: string; displayName: string; password: string; grants: Grant[] }) => write('POST', '/api/users', u),
  updateUser: (username: string, change: { displayName?: string; disabled?: boolean }) => write('PATCH', `/api/users/${encodeURIComponent(username)}`, change),
  setGrants: (username: string, grants: Grant[]) => write('PUT', `/api/users/${encodeURIComponent(username)}/grants`, grants),
  resetPassword: (username: string, password: string) => write('POST', `/api/users/${encodeURIComponent(username)}/reset-password`, { password }),
  unlock: (username: string) => write('POST', `/api/users/${encodeURIComponent(username)}/unlock`, {}),

  submissions: async (q: Q) => rows(await request<Submission[]>('GET', `/api/submissions${qs(q)}`)),
  submission: (id: number) => request<Submission>('GET', `/api/submissions/${id}`),
  submit: (framework: string, orgUnit: string, period: string) => write<Submission>('POST', '/api/submissions/submit', { framework, orgUnit, period }),
  approve: (id: number) => write('POST', `/api/submissions/${id}/approve`, {}),
  returnWithReason: (id: number, reason: string) => write('POST', `/api/submissions/${id}/return`, { reason }),
  bulkApprove: (ids: number[]) => write<unknown>('POST', '/api/submissions/bulk-approve', { ids }),

  lockExceptions: async () => rows(await request<LockException[]>('GET', '/api/lock-exceptions?active=true')),
  grantLockException: (submissionId: number, reason: string, hours: number) => write('POST', '/api/lock-exceptions', { submissionId, reason, hours }),
  revokeLockException: (id: number) => write('DELETE', `/api/lock-exceptions/${id}`),

  evidence: async (q: Q) => rows(await request<Evidence[]>('GET', `/api/evidence${qs(q)}`)),
  uploadEvidence: (form: FormData) => write<Evidence>('POST', '/api/evidence', form),
  linkEvidence: (body: Record<string, unknown>) => write<Evidence>('POST', '/api/evidence/link', body),
  deleteEvidence: (id: number) => write('DELETE', `/api/evidence/${id}`),
  evidenceFileUrl: (id: number) => `/api/evidence/${id}/file`,
  coverage: (q: Q) => request<unknown>('GET', `/api/evidence/coverage${qs(q)}`),

  audit: async (q: Q) => rows(await request<AuditEntry[]>('GET', `/api/audit${qs(q)}`)),
  verifyAudit: () => request<AuditVerify>('POST', '/api/audit/verify', {}),
};
