/** The reviewer's approval inbox: submissions the user can act on, bulk approve, return with a reason; and one submission's history. */
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { gov, type Submission } from '../api/governance.ts';
import { useApi } from '../api/use-api.ts';
import { Link, useQueryState } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { useI18n, type I18n } from '../i18n/i18n.tsx';
import { Await } from '../ui/Loading.tsx';

/** 403 says why (role or org unit), other failures say the server could not do it. */
export function failureText(i18n: I18n, e: unknown): string {
  if (e instanceof ApiError && e.status === 403) return i18n.t('error.forbidden');
  if (e instanceof ApiError && e.status === 409) return i18n.t('inbox.conflict');
  if (e instanceof ApiError && e.status < 500) return e.message;
  return i18n.t('error.server');
}

/** What an inbox holds: reports waiting for a review step. */
const WAITING = ['submitted', 'approved_district', 'approved_province'];

/** A submission as the server sends it: the client's contract leaves out the unit's names and whether the reader may review it. */
type SubmissionView = Submission & { orgUnitName: string; orgUnitNameUr: string; canReview: boolean };
interface BulkResult { approved: number[]; failed: { id: number; status: number }[] }
interface BulkOutcome { approved: SubmissionView[]; failed: { submission: SubmissionView; why: string }[] }

/** The report as a reviewer names it: its unit in the reader's language and its period. */
export function reportName(i18n: I18n, s: Pick<SubmissionView, 'orgUnitName' | 'orgUnitNameUr' | 'period'>): string {
  return i18n.t('sub.report', { unit: i18n.name({ nameEn: s.orgUnitName, nameUr: s.orgUnitNameUr }), period: i18n.period(s.period) });
}

/** Why one report of a bulk approval was not approved, in the reader's language. */
function bulkFailure(i18n: I18n, status: number): string {
  if (status === 403) return i18n.t('inbox.failedForbidden');
  if (status === 409) return i18n.t('inbox.failedConflict');
  return i18n.t('inbox.failedOther');
}

export function statusText(i18n: I18n, s: string): string {
  const known = ['draft', 'submitted', 'approved_district', 'approved_province', 'accepted', 'returned'];
  return known.includes(s) ? i18n.t(`sub.${s}` as 'sub.draft') : s;
}

export function InboxScreen() {
  const i18n = useI18n();
  const [query, setQuery] = useQueryState();
  const period = query.get('period') ?? '';
  const status = query.get('status') ?? '';
  // Filtered here, so the period list offers exactly the periods waiting, whatever their type.
  const list = useApi(() => gov.submissions({ inbox: true }) as Promise<SubmissionView[]>, []);
  const [picked, setPicked] = useState<Set<number>>(new Set());
  const [note, setNote] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<BulkOutcome | null>(null);
  const [returning, setReturning] = useState<SubmissionView | null>(null);
  const all = list.data ?? [];
  const periods = [...new Set(all.map((s) => s.period))];
  const tick = (ids: number[], on: boolean) => setPicked((p) => {
    const n = new Set(p);
    for (const id of ids) if (on) n.add(id); else n.delete(id);
    return n;
  });
  const bulk = async (chosen: SubmissionView[]) => {
    setNote(null);
    try {
      const r = await gov.bulkApprove(chosen.map((s) => s.id)) as BulkResult;
      const byId = new Map(chosen.map((s) => [s.id, s]));
      setOutcome({
        approved: r.approved.map((id) => byId.get(id)!),
        failed: r.failed.map((f) => ({ submission: byId.get(f.id)!, why: bulkFailure(i18n, f.status) })),
      });
      setPicked(new Set());
    } catch (e) {
      setOutcome(null);
      setNote(failureText(i18n, e));
    }
  };
  return (
    <section>
      <h1>{i18n.t('inbox.title')}</h1>
      <form className="scope-bar" onSubmit={(e) => e.preventDefault()} aria-label={i18n.t('inbox.filter')}>
        <label><span>{i18n.t('col.period')}</span>
          <select value={period} onChange={(e) => setQuery({ period: e.target.value || null })}>
            <option value="">{i18n.t('inbox.anyPeriod')}</option>
            {(period && !periods.includes(period) ? [period, ...periods] : periods).map((p) => <option key={p} value={p}>{i18n.period(p)}</option>)}
          </select></label>
        <label><span>{i18n.t('col.status')}</span>
          <select value={status} onChange={(e) => setQuery({ status: e.target.value || null })}>
            <option value="">{i18n.t('inbox.anyStatus')}</option>
            {WAITING.map((s) => <option key={s} value={s}>{statusText(i18n, s)}</option>)}
          </select></label>
      </form>
      {outcome && <BulkOutcomeNote outcome={outcome} />}
      {note && <p className="notice" role="status">{note}</p>}
      <Await state={list}>
        {(rows) => {
          const shownRows = rows.filter((s) => (!period || s.period === period) && (!status || s.status === status));
          // Only ticked rows still on screen: a filter change or a reload may have hidden some.
          const chosen = shownRows.filter((s) => picked.has(s.id));
          const everything = shownRows.length > 0 && chosen.length === shownRows.length;
          return (
            <>
              {/* Above the list, which may run to hundreds of rows. */}
              <p><button type="button" className="primary bulk-approve" disabled={chosen.length === 0} onClick={() => void bulk(chosen)}>
                {i18n.t('inbox.bulkApprove', { count: i18n.num(chosen.length, 0) })}</button></p>
              <table className="inbox">
                <caption>{i18n.t('inbox.caption', { count: i18n.num(shownRows.length, 0) })}</caption>
                <thead><tr>
                  <th scope="col"><input type="checkbox" aria-label={i18n.t('inbox.selectAll')} checked={everything} disabled={shownRows.length === 0}
                    onChange={(e) => tick(shownRows.map((s) => s.id), e.target.checked)} /></th>
                  <th scope="col">{i18n.t('col.orgUnit')}</th><th scope="col">{i18n.t('scope.framework')}</th><th scope="col">{i18n.t('col.period')}</th>
                  <th scope="col">{i18n.t('col.status')}</th><th scope="col">{i18n.t('col.action')}</th>
                </tr></thead>
                <tbody>
                  {shownRows.map((s) => (
                    <tr key={s.id}>
                      <td><input type="checkbox" aria-label={i18n.t('inbox.selectOne', { report: reportName(i18n, s) })} checked={picked.has(s.id)}
                        onChange={(e) => tick([s.id], e.target.checked)} /></td>
                      <td>{i18n.name({ nameEn: s.orgUnitName, nameUr: s.orgUnitNameUr })} <code translate="no" className="muted small">{s.orgUnit}</code></td>
                      <td translate="no">{s.framework}</td>
                      <td>{i18n.period(s.period)}</td><td>{statusText(i18n, s.status)}</td>
                      <td>
                        <Link to={`/submissions/${s.id}`}>{i18n.t('inbox.open')}</Link>{' '}
                        <button type="button" onClick={() => setReturning(s)}>{i18n.t('inbox.return')}</button>
                      </td>
                    </tr>
                  ))}
                  {shownRows.length === 0 && <tr><td colSpan={6} className="muted">{i18n.t('inbox.empty')}</td></tr>}
                </tbody>
              </table>
            </>
          );
        }}
      </Await>
      {returning && <ReturnDialog submission={returning} onClose={(msg) => { setReturning(null); if (msg) setNote(msg); }} />}
    </section>
  );
}

/** What a bulk approval did, report by report: the approved ones leave the inbox, so the note names them. */
function BulkOutcomeNote({ outcome }: { outcome: BulkOutcome }) {
  const i18n = useI18n();
  return (
    <div id="bulk-result" className={`notice ${outcome.failed.length ? 'warning' : ''}`} role="status">
      <p><strong>{i18n.t('inbox.approved', { count: i18n.num(outcome.approved.length, 0) })}</strong></p>
      {outcome.approved.length > 0 && (
        // A long list would push the inbox off the screen: it opens on request.
        <details open={outcome.approved.length <= 5}>
          <summary>{i18n.t('inbox.approvedWhich')}</summary>
          <ul className="bulk-approved">{outcome.approved.map((s) => <li key={s.id}>{reportName(i18n, s)}</li>)}</ul>
        </details>
      )}
      {outcome.failed.length > 0 && (
        <>
          <p><strong><span aria-hidden="true">⚠ </span>{i18n.t('inbox.notApproved', { count: i18n.num(outcome.failed.length, 0) })}</strong></p>
          <ul className="bulk-failed">
            {outcome.failed.map((f) => <li key={f.submission.id}>{reportName(i18n, f.submission)} — {f.why}</li>)}
          </ul>
        </>
      )}
    </div>
  );
}

function ReturnDialog({ submission, onClose }: { submission: SubmissionView; onClose: (message: string | null) => void }) {
  const i18n = useI18n();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  // Modal: the page behind is inert and Escape cancels, as the browser's own dialogs do.
  useEffect(() => dialog.current?.showModal(), []);
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
    <dialog ref={dialog} aria-labelledby="return-title" className="dialog" onCancel={(e) => { e.preventDefault(); onClose(null); }}>
      <h2 id="return-title">{i18n.t('return.title', { report: reportName(i18n, submission) })}</h2>
      <label className="stack-form"><span>{i18n.t('return.reason')}</span>
        <textarea id="return-reason" required rows={4} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus
          aria-invalid={error !== null || undefined} aria-describedby={error ? 'return-error' : undefined} /></label>
      {error && <p className="notice error" role="alert" id="return-error"><span aria-hidden="true">⚠ </span>{error}</p>}
      <p>
        <button type="button" className="primary" onClick={() => void send()}>{i18n.t('return.send')}</button>{' '}
        <button type="button" onClick={() => onClose(null)}>{i18n.t('return.cancel')}</button>
      </p>
    </dialog>
  );
}

/** Whether a submission's values and evidence may change now: a draft, a returned one, or one under a lock exception. */
export function isOpen(s: Submission): boolean {
  return s.status === 'draft' || s.status === 'returned' || (s.lockedUntil !== null && s.lockedUntil !== undefined && new Date(s.lockedUntil) > new Date());
}

export function SubmissionScreen({ id }: { id: number }) {
  const i18n = useI18n();
  const session = useSession();
  const sub = useApi(() => gov.submission(id) as Promise<SubmissionView>, [id]);
  const evidence = useApi(() => gov.evidence({ submissionId: id }), [id]);
  const [note, setNote] = useState<string | null>(null);
  const [returning, setReturning] = useState(false);
  return (
    <section>
      <Await state={sub}>
        {(s) => (
          <>
            <h1>{i18n.t('sub.title', { report: reportName(i18n, s) })}</h1>
            <dl className="facts">
              <dt>{i18n.t('col.status')}</dt><dd>{statusText(i18n, s.status)}</dd>
              <dt>{i18n.t('sub.values')}</dt><dd>{i18n.num(s.values ?? 0, 0)}</dd>
              <dt>{i18n.t('sub.evidence')}</dt><dd>{i18n.num(s.evidence ?? 0, 0)}</dd>
              {s.lockedUntil && <><dt>{i18n.t('sub.lockedUntil')}</dt><dd>{i18n.date(s.lockedUntil)}</dd></>}
            </dl>
            {/* Only the reviewer whose step the report waits for can take it; the server refuses anyone else. */}
            {s.canReview && (
              <p className="review-actions">
                <button type="button" className="primary" onClick={() => gov.approve(id).then(() => setNote(i18n.t('sub.approvedNote')), (e) => setNote(failureText(i18n, e)))}>
                  {i18n.t('sub.approve')}</button>{' '}
                <button type="button" onClick={() => setReturning(true)}>{i18n.t('inbox.return')}</button>
              </p>
            )}
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
                    <td className="reason" dir="auto">{ev.reason ?? ''}</td></tr>
                ))}
              </tbody>
            </table>
            <h2>{i18n.t('evidence.title')}</h2>
            <EvidenceList state={evidence} />
            {/* The submitter's to add to, while the report is open for changes. */}
            {isOpen(s) && session.has('data_clerk', 'admin') && <EvidenceUpload target={{ submissionId: String(id) }} />}
          </>
        )}
      </Await>
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
                ? <a href={/^https?:\/\//i.test(e.url) ? e.url : undefined} rel="noopener noreferrer nofollow" target="_blank" className="evidence-link" dir="ltr">{e.url}</a>
                : <a href={gov.evidenceFileUrl(e.id)} download className="evidence-file" dir="auto">{e.fileName ?? String(e.id)}</a>}
              {e.description && <span className="evidence-description" dir="auto"> — {e.description}</span>}
            </li>
          ))}
        </ul>
      )}
    </Await>
  );
}

/** Attaches a file, a link or both at once, with one description; what was attached leaves the form. */
export function EvidenceUpload({ target }: { target: Record<string, string> }) {
  const i18n = useI18n();
  const [file, setFile] = useState<File | null>(null);
  // A file input cannot be emptied from script state: a new key gives a fresh one.
  const [fileInput, setFileInput] = useState(0);
  const [link, setLink] = useState('');
  const [description, setDescription] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const send = async () => {
    const count = (file ? 1 : 0) + (link ? 1 : 0);
    try {
      if (file) {
        const form = new FormData();
        for (const [k, v] of Object.entries(target)) form.set(k, v);
        form.set('description', description);
        form.set('file', file);
        await gov.uploadEvidence(form);
        setFile(null);
        setFileInput((n) => n + 1);
      }
      if (link) {
        const t: Record<string, unknown> = { ...target };
        if (t.submissionId) t.submissionId = Number(t.submissionId);
        await gov.linkEvidence({ ...t, url: link, description });
        setLink('');
      }
      setDescription('');
      setNote(i18n.t('evidence.added', { count: i18n.num(count, 0) }));
    } catch (e) {
      setNote(failureText(i18n, e));
    }
  };
  return (
    <form className="stack-form evidence-upload" onSubmit={(e) => { e.preventDefault(); void send(); }} aria-label={i18n.t('evidence.add')}>
      <label><span>{i18n.t('evidence.file')}</span><input key={fileInput} type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} /></label>
      <label><span>{i18n.t('evidence.link')}</span><input type="url" dir="ltr" value={link} onChange={(e) => setLink(e.target.value)} /></label>
      <label><span>{i18n.t('evidence.description')}</span><input value={description} onChange={(e) => setDescription(e.target.value)} /></label>
      <button type="submit" disabled={!file && !link}>{i18n.t('evidence.add')}</button>
      {note && <p className="notice" role="status">{note}</p>}
    </form>
  );
}
