import type { ReactNode } from 'react';
import { ApiError, NetworkError } from '../api/client.ts';
import type { Loaded } from '../api/use-api.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { issueText } from './issue-text.ts';

/** Shows a loading line or the error instead of the content until the data is there. */
export function Await<T>({ state, children }: { state: Loaded<T>; children: (data: T) => ReactNode }) {
  const i18n = useI18n();
  if (state.error) {
    const e = state.error;
    const detail = e instanceof ApiError && e.errors.length
      ? e.errors.map((x) => issueText(i18n, x)).join('; ')
      : e instanceof NetworkError ? i18n.t('error.network') : i18n.t('error.server');
    return <p className="notice error" role="alert"><span aria-hidden="true">⚠ </span>{detail}</p>;
  }
  if (state.data === undefined) return <p className="muted" role="status">{i18n.t('loading')}</p>;
  return <>{children(state.data)}</>;
}
