/** The reviewer's approval inbox: submissions the user can act on, bulk approve, return with a reason; and one submission's history. */
import { useState } from 'react';
import { ApiError } from '../api/client.ts';
import { gov, type Submission } from '../api/governance.ts';
import { useApi } from '../api/use-api.ts';
import { Link, useQueryState } from '../app/router.tsx';
import { useI18n, type I18n } from '../i18n/i18n.tsx';
import { Await } from '../ui/Loading.tsx';

/** 403 says why (role or org unit), other failures say the server could not do it. */
export function failureText(i18n: I18n, e: unknown): string {
  if (e instanceof ApiError && e.status === 403) return i18n.t('error.forbidden');
  if (e instanceof ApiError && e.status === 409) return i18n.t('inbox.conflict');
  if (e instanceof ApiError && e.status < 500) return e.message;
  return i18n.t('error.server');
}

const STATUSES = ['submitted', 'approved_district', 'approved_province', 'accepted', 'returned', 'draft'];

export function statusText(i18n: I18n, s: string): string {
  const known = ['draft', 'submitted', 'approved_district', 'approved_province', 'accepted', 'returned'];
  return known.includes(s) ? i18n.t(`sub.${s}` as 'sub.draft') : s;
}

export function InboxScreen() {
  const i18n = useI18n();
  const [query, setQuery] = useQueryState();
  const period = query.get('period') ?? '';
  const status = query.get('status') ?? '';
  const list = useApi(() => gov.submissions({ inbox: true, period, status }), [period, status]);
  const [picked, setPicked] = useState<Set<number>>(new Set());
  const [note, setNote] = useState<string | null>(null);
  const [returning, setReturning] = useState<Submission | null>(null);
  const bulk = async () => {
    try {
      await gov.bulkApprove([...picked]);
      setNote(i18n.t('inbox.approved', { count: i18n.num(picked.size, 0) }));
      setPicked(new Set());
    } catch (e) {
      setNote(failureText(i18n, e));
    }
  };
  return (
    <section>
      <h1>{i18n.t('inbox.title')}</h1>
      <form className="scope-bar" onSubmit={(e) => e.preventDefault()} aria-label={i18n.t('inbox.filter')}>
        <label><span>{i18n.t('col.period')}</span>
          <input value={period} placeholder="2026Q3" onChange={(e) => setQuery({ period: e.target.value })} /></label>
        <label><span>{i18n.t('col.status')}</span>
          <select value={status} onChange={(e) => setQuery({ status: e.target.value })}>
            <option value="">{i18n.t('inbox.anyStatus')}</option>
            {STATUSES.map((s) => <option key={s} value={s}>{statusText(i18n, s)}</option>)}
          </select></label>
      </form>
      <Await state={list}>
        {(rows) => (
          <>
            <table className="inbox">
              <caption>{i18n.t('inbox.caption', { count: i18n.num(rows.length, 0) })}</caption>
              <thead><tr>
                <th scope="col"><span className="sr-only">{i18n.t('inbox.select')}</span></th>
                <th scope="col">{i18n.t('col.orgUnit')}</th><th scope="col">{i18n.t('col.period')}</th>
                <th scope="col">{i18n.t('col.status')}</th><th scope="col">{i18n.t('col.action')}</th>
              </tr></thead>
              <tbody>
                {rows.map((s) => (
                  <tr key={s.id}>
                    <td><input type="checkbox" aria-label={i18n.t('inbox.selectOne', { unit: s.orgUnit, period: s.period })} checked={picked.has(s.id)}
                      onChange={(e) => setPicked((p) => { const n = new Set(p); if (e.target.checked) n.add(s.id); else n.delete(s.id); return n; })} /></td>
                    <td translate="no">{s.orgUnit}</td><td>{i18n.period(s.period)}</td><td>{statusText(i18n, s.status)}</td>
                    <td>
                      <Link to={`/submissions/${s.id}`}>{i18n.t('inbox.open')}</Link>{' '}
                      <button type="button" onClick={() => setReturning(s)}>{i18n.t('inbox.return')}</button>
                    </td>
                  </tr>
                ))}
                {rows.length === 0 && <tr><td colSpan={5} className="muted">{i18n.t('inbox.empty')}</td></tr>}
              </tbody>
            </table>
            <p><button type="button" className="primary" disabled={picked.size === 0} onClick={() => void bulk()}>
              {i18n.t('inbox.bulkApprove', { count: i18n.num(picked.size, 0) })}</button></p>
          </>
        )}
      </Await>
      {note && <p className="notice" role="status">{note}</p>}
      {returning && <ReturnDialog submission={returning} onClose={(msg) => { setReturning(null); if (msg) setNote(msg); }} />}
    </section>
  );
}

function ReturnDialog({ submission, onClose }: { submission: Submission; onClose: (message: string | null) => void }) {
  const i18n = useI18n();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const send = async () => {
    if (!reason.trim()) return setError(i18n.t('return.needReason'));
    try {
      await gov.returnWithReason(submission.id, reason.trim());
      onClose(i18n.t('return.done'));
    } catch (e) {
      setError(failureText(i18n, e));
    }
  };
  return (
    <div role="dialog" aria-modal="true" aria-labelledby="return-title" className="dialog">
      <h2 id="return-title">{i18n.t('return.title', { unit: submission.orgUnit, period: i18n.period(submission.period) })}</h2>
      <label className="stack-form"><span>{i18n.t('return.reason')}</span>
        <textarea id="return-reason" required rows={4} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus /></label>
      {error && <p className="notice error" role="alert">{error}</p>}
      <p>
        <button type="button" className="primary" onClick={() => void send()}>{i18n.t('return.send')}</button>{' '}
        <button type="button" onClick={() => onClose(null)}>{i18n.t('return.cancel')}</button>
      </p>
    </div>
  );
}

export function SubmissionScreen({ id }: { id: number }) {
  const i18n = useI18n();
  const sub = useApi(() => gov.submission(id), [id]);
  const evidence = useApi(() => gov.evidence({ submissionId: id }), [id]);
  const [note, setNote] = useState<string | null>(null);
  const [returning, setReturning] = useState(false);
  return (
    <section>
      <Await state={sub}>
        {(s) => (
          <>
            <h1>{i18n.t('sub.title', { unit: s.orgUnit, period: i18n.period(s.period) })}</h1>
            <dl className="facts">
              <dt>{i18n.t('col.status')}</dt><dd>{statusText(i18n, s.status)}</dd>
              <dt>{i18n.t('sub.values')}</dt><dd>{i18n.num(s.values ?? 0, 0)}</dd>
              <dt>{i18n.t('sub.evidence')}</dt><dd>{i18n.num(s.evidence ?? 0, 0)}</dd>
              {s.lockedUntil && <><dt>{i18n.t('sub.lockedUntil')}</dt><dd>{i18n.date(s.lockedUntil)}</dd></>}
            </dl>
            <p>
              <button type="button" className="primary" onClick={() => gov.approve(id).then(() => setNote(i18n.t('sub.approvedNote')), (e) => setNote(failureText(i18n, e)))}>
                {i18n.t('sub.approve')}</button>{' '}
              <button type="button" onClick={() => setReturning(true)}>{i18n.t('inbox.return')}</button>
            </p>
            {note && <p className="notice" role="status">{note}</p>}
            {returning && <ReturnDialog submission={s} onClose={(m) => { setReturning(false); if (m) setNote(m); }} />}
            <h2>{i18n.t('sub.history')}</h2>
            <table className="history">
              <thead><tr><th scope="col">{i18n.t('col.when')}</th><th scope="col">{i18n.t('col.who')}</th>
                <th scope="col">{i18n.t('col.action')}</th><th scope="col">{i18n.t('sub.reason')}</th></tr></thead>
              <tbody>
                {(s.events ?? []).map((ev, n) => (
                  <tr key={n}><td>{i18n.date(ev.at)}</td><td translate="no">{ev.actor}</td>
                    <td>{ev.from ? `${statusText(i18n, ev.from)} → ` : ''}{statusText(i18n, ev.to)}</td>
                    <td className="reason">{ev.reason ?? ''}</td></tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Await>
      <h2>{i18n.t('evidence.title')}</h2>
      <EvidenceList state={evidence} />
      <EvidenceUpload target={{ submissionId: String(id) }} />
    </section>
  );
}

export function EvidenceList({ state }: { state: ReturnType<typeof useApi<Awaited<ReturnType<typeof gov.evidence>>>> }) {
  const i18n = useI18n();
  return (
    <Await state={state}>
      {(rows) => rows.length === 0 ? <p className="muted">{i18n.t('evidence.none')}</p> : (
        <ul className="evidence-list">
          {rows.map((e) => (
            <li key={e.id}>
              {e.url
                ? <a href={/^https?:\/\//i.test(e.url) ? e.url : undefined} rel="noopener noreferrer nofollow" target="_blank" className="evidence-link">{e.url}</a>
                : <a href={gov.evidenceFileUrl(e.id)} download className="evidence-file">{e.fileName ?? String(e.id)}</a>}
              {e.description && <span className="evidence-description"> — {e.description}</span>}
            </li>
          ))}
        </ul>
      )}
    </Await>
  );
}

export function EvidenceUpload({ target }: { target: Record<string, string> }) {
  const i18n = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [link, setLink] = useState('');
  const [description, setDescription] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const send = async () => {
    try {
      if (file) {
        const form = new FormData();
        for (const [k, v] of Object.entries(target)) form.set(k, v);
        form.set('description', description);
        form.set('file', file);
        await gov.uploadEvidence(form);
      } else {
        const t: Record<string, unknown> = { ...target };
        if (t.submissionId) t.submissionId = Number(t.submissionId);
        await gov.linkEvidence({ ...t, url: link, description });
      }
      setNote(i18n.t('evidence.added'));
    } catch (e) {
      setNote(failureText(i18n, e));
    }
  };
  return (
    <form className="stack-form evidence-upload" onSubmit={(e) => { e.preventDefault(); void send(); }} aria-label={i18n.t('evidence.add')}>
      <label><span>{i18n.t('evidence.file')}</span><input type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} /></label>
      <label><span>{i18n.t('evidence.link')}</span><input type="url" value={link} onChange={(e) => setLink(e.target.value)} /></label>
      <label><span>{i18n.t('evidence.description')}</span><input value={description} onChange={(e) => setDescription(e.target.value)} /></label>
      <button type="submit" disabled={!file && !link}>{i18n.t('evidence.add')}</button>
      {note && <p className="notice" role="status">{note}</p>}
    </form>
  );
}
