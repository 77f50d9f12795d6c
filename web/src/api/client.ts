/**
 * The one place the web app talks to the server: the session cookie goes along (same origin), the CSRF header on
 * every write, and a 401 sends the user to sign in. Reads are cached until the next write.
 */
import type {
  AnalyticsCell, Breakdown, Completeness, EntryForm, EntrySave, EntryValue, Framework, FrameworkSummary, HeatmapCell,
  ImportSummary, IndicatorDetail, IndicatorFlags, IndicatorStatus, Institution, OrgUnit, PillarGrid, RowError, TargetPath,
  ValueChange,
} from './types.ts';

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly errors: RowError[] = [], readonly body: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
  }
}

/** No answer at all (offline, server down): the caller keeps what it was sending. */
export class NetworkError extends Error {
  constructor() {
    super('no connection to the server');
    this.name = 'NetworkError';
  }
}

type Query = Record<string, string | number | undefined | null>;

function url(path: string, query: Query = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** The double-submit CSRF token: the `jaiza_csrf` cookie's value, echoed in a header on every state-changing request. */
export function csrfToken(): string {
  const m = /(?:^|;\s*)jaiza_csrf=([^;]*)/.exec(document.cookie);
  return m ? decodeURIComponent(m[1]!) : '';
}

export function writeHeaders(): Record<string, string> {
  return { 'x-csrf-token': csrfToken() };
}

const signedOutListeners = new Set<() => void>();

/** A 401 anywhere means the session ended: the app shows the sign-in screen; typed values stay in local storage. */
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

export async function request<T>(method: string, target: string, body?: unknown): Promise<T> {
  let res: Response;
  const headers: Record<string, string> = { accept: 'application/json', ...(method === 'GET' ? {} : writeHeaders()) };
  if (body !== undefined && !(body instanceof FormData)) headers['content-type'] = 'application/json';
  try {
    res = await fetch(target, {
      method,
      credentials: 'same-origin',
      headers,
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
    });
  } catch {
    throw new NetworkError();
  }
  if (res.status === 401 && !target.startsWith('/api/auth/sign-in')) for (const l of signedOutListeners) l();
  if (res.status >= 500 && res.status !== 503) throw new ApiError(res.status, `server error ${res.status}`);
  const data = (await res.json().catch(() => null)) as { message?: string; errors?: RowError[] } | null;
  if (!res.ok) throw new ApiError(res.status, data?.message ?? `HTTP ${res.status}`, data?.errors ?? [], (data ?? {}) as Record<string, unknown>);
  return data as T;
}

const cache = new Map<string, Promise<unknown>>();
const listeners = new Set<() => void>();

function get<T>(path: string, query?: Query): Promise<T> {
  const key = url(path, query);
  let p = cache.get(key) as Promise<T> | undefined;
  if (!p) {
    p = request<T>('GET', key);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

/** After any write every cached read is stale: screens showing data fetch it again. */
export function written(): void {
  cache.clear();
  for (const l of listeners) l();
}

export function onDataChanged(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const api = {
  frameworks: () => get<FrameworkSummary[]>('/api/frameworks'),
  framework: (code: string) => get<Framework>(`/api/frameworks/${encodeURIComponent(code)}`),
  indicator: (code: string) => get<IndicatorDetail>(`/api/indicators/${encodeURIComponent(code)}`),
  orgUnits: (q: { level?: string; parent?: string } = {}) => get<OrgUnit[]>('/api/org-units', q),
  orgUnit: (code: string) => get<OrgUnit & { predecessors: string[]; successors: string[] }>(`/api/org-units/${encodeURIComponent(code)}`),
  institutions: () => get<Institution[]>('/api/institutions'),

  scorecard: (q: { framework: string; assessedAt: string; level?: 'province' | 'district'; orgUnit?: string }) =>
    get<PillarGrid>('/api/scorecard', q),
  indicatorStatuses: (q: { framework?: string; pillar?: string; indicator?: string; orgUnit: string; assessedAt: string }) =>
    get<IndicatorStatus[]>('/api/scorecard/indicators', q),
  analytics: (q: { indicator: string; orgUnit: string; period: string; disaggregation?: string }) =>
    get<AnalyticsCell[]>('/api/analytics', q),
  targetPath: (code: string, orgUnit: string) => get<TargetPath>(`/api/indicators/${encodeURIComponent(code)}/target-path`, { orgUnit }),
  breakdown: (code: string, orgUnit: string, period: string) =>
    get<Breakdown>(`/api/indicators/${encodeURIComponent(code)}/breakdown`, { orgUnit, period }),
  changes: (code: string, orgUnit: string) => get<ValueChange[]>(`/api/indicators/${encodeURIComponent(code)}/changes`, { orgUnit, limit: 200 }),
  flags: (code: string, orgUnit: string, period: string) =>
    get<IndicatorFlags>(`/api/indicators/${encodeURIComponent(code)}/flags`, { orgUnit, period }),

  completeness: (q: { from: string; to: string; framework?: string }) => get<Completeness>('/api/completeness', q),
  heatmap: (q: { from: string; to: string; framework?: string; level: 'province' | 'district' }) =>
    get<HeatmapCell[]>('/api/completeness/heatmap', q),

  entryForm: (q: { orgUnit: string; period: string; institution?: string }) => get<EntryForm>('/api/data-entry/form', q),
  checkEntry: (orgUnit: string, period: string, values: EntryValue[]) =>
    request<{ issues: EntrySave['issues'] }>('POST', '/api/data-entry/check', { orgUnit, period, values }),
  async saveEntry(orgUnit: string, period: string, values: EntryValue[]): Promise<EntrySave> {
    const saved = await request<EntrySave>('POST', '/api/data-entry/values', { orgUnit, period, values });
    written();
    return saved;
  },

  templateUrl: (q: { orgUnit: string; period: string; institution?: string; lang: string }) => url('/api/templates', q),

  /** Uploads a data file; XMLHttpRequest because fetch cannot report upload progress. */
  importFile(file: File, q: { dryRun: boolean; format?: string; skipInvalid: boolean }, onProgress: (sent: number) => void): Promise<ImportSummary> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', url('/api/imports', { fileName: file.name, format: q.format, dryRun: String(q.dryRun), skipInvalid: String(q.skipInvalid) }));
      xhr.setRequestHeader('content-type', 'application/octet-stream');
      xhr.setRequestHeader('accept', 'application/json');
      xhr.setRequestHeader('x-csrf-token', csrfToken());
      xhr.upload.onprogress = (e) => onProgress(e.lengthComputable ? e.loaded / e.total : 0);
      xhr.onerror = () => reject(new NetworkError());
      xhr.onload = () => {
        if (xhr.status === 401) for (const l of signedOutListeners) l();
        let body: (ImportSummary & { message?: string }) | null = null;
        try {
          body = JSON.parse(xhr.responseText) as ImportSummary & { message?: string };
        } catch {
          reject(new ApiError(xhr.status, `HTTP ${xhr.status}`));
          return;
        }
        if (xhr.status === 200 || (xhr.status === 422 && body.counts)) {
          if (!q.dryRun && body.status !== 'error') written();
          resolve(body);
        } else reject(new ApiError(xhr.status, body.message ?? `HTTP ${xhr.status}`, (body as { errors?: RowError[] }).errors ?? []));
      };
      xhr.send(file);
    });
  },
};
