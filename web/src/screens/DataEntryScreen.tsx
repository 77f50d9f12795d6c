/**
 * Data entry for an org unit and period: every indicator the unit reports, by pillar and objective, a cell per
 * disaggregation, numerator and denominator for percentages. Checks run as the user types; typed values are
 * kept in the browser until the server has stored them, and are sent again when a save could not get through.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type ClipboardEvent, type KeyboardEvent } from 'react';
import { api, ApiError, NetworkError } from '../api/client.ts';
import type { EntryForm, EntryFormIndicator, EntryIssue, Institution, OrgUnit, PeriodType } from '../api/types.ts';
import { useApi } from '../api/use-api.ts';
import { Link, useQueryState } from '../app/router.tsx';
import { paths } from '../app/routes.tsx';
import { useI18n, type MessageKey } from '../i18n/i18n.tsx';
import { lastEndedPeriod, parsePeriodCode, recentPeriods } from '../i18n/periods.ts';
import { checkCell, type CellProblem } from '../entry/cell-check.ts';
import { loadTyped, storeTyped } from '../entry/draft-store.ts';
import {
  cellKey, disaggregationKeys, entryValues, gridRows, isRatio, measuresOf, shownText, withText, type GridRow, type Measure, type Typed,
} from '../entry/entry-grid.ts';
import { isBlock, parseClipboardBlock } from '../entry/paste.ts';
import { Await } from '../ui/Loading.tsx';
import { issueText } from '../ui/issue-text.ts';
import { OrgUnitPicker } from '../ui/OrgUnitPicker.tsx';
import { gov, type Submission } from '../api/governance.ts';
import { useSettings } from '../app/settings.tsx';
import { EvidenceList, EvidenceUpload, failureText, isOpen, statusText } from './InboxScreen.tsx';

const PERIOD_TYPES: PeriodType[] = ['monthly', 'quarterly', 'half_year', 'fiscal_year', 'year'];
const CHECK_DELAY_MS = 400;
const RESEND_EVERY_MS = 10_000;

export function DataEntryScreen() {
  const i18n = useI18n();
  const [query, setQuery] = useQueryState();
  const orgUnit = query.get('orgUnit') ?? '';
  const period = query.get('period') ?? lastEndedPeriod('quarterly');
  const institution = query.get('institution') ?? '';
  const type = parsePeriodCode(period)?.type ?? 'quarterly';
  const units = useApi(() => api.orgUnits(), []);
  const institutions = useApi(() => api.institutions(), []);
  const unit = units.data?.find((u) => u.code === orgUnit);
  const form = useApi(unit ? () => api.entryForm({ orgUnit, period, institution: institution || undefined }) : null, [orgUnit, period, institution, Boolean(unit)]);
  const periods = recentPeriods(type, 12, { includeCurrent: true });

  return (
    <section>
      <h1>{i18n.t('entry.title')}</h1>
      <p className="lead">{i18n.t('entry.lead')}</p>
      <form className="scope-bar" onSubmit={(e) => e.preventDefault()} aria-label={i18n.t('entry.choose')}>
        <OrgUnitPicker idPrefix="entry-unit" value={orgUnit || 'PK'} onChange={(c) => setQuery({ orgUnit: c, institution: null })} />
        <label>
          <span>{i18n.t('entry.periodType')}</span>
          <select value={type} onChange={(e) => setQuery({ period: lastEndedPeriod(e.target.value as PeriodType) })}>
            {PERIOD_TYPES.map((p) => <option key={p} value={p}>{i18n.t(`frequency.${p}`)}</option>)}
          </select>
        </label>
        <label>
          <span>{i18n.t('entry.period')}</span>
          <select value={period} onChange={(e) => setQuery({ period: e.target.value })}>
            {(periods.includes(period) ? periods : [period, ...periods]).map((p) => <option key={p} value={p}>{i18n.period(p)}</option>)}
          </select>
        </label>
        <label>
          <span>{i18n.t('entry.institution')}</span>
          <select value={institution} onChange={(e) => setQuery({ institution: e.target.value || null })}>
            <option value="">{i18n.t('entry.allInstitutions')}</option>
            {responsibleInstitutions(institutions.data ?? [], units.data ?? [], orgUnit).map((x) => <option key={x.code} value={x.code}>{i18n.name(x)}</option>)}
          </select>
        </label>
      </form>
      {!orgUnit && <p className="notice">{i18n.t('entry.pickUnit')}</p>}
      {unit && (
        <Await state={form}>
          {(f) => <EntryGrid key={`${f.orgUnit.code}|${f.period.code}|${institution}`} form={f} />}
        </Await>
      )}
    </section>
  );
}

/** Institutions that cover the unit: at it or above it. */
function responsibleInstitutions(all: Institution[], units: OrgUnit[], orgUnit: string): Institution[] {
  const chain = new Set<string>();
  const byCode = new Map(units.map((u) => [u.code, u]));
  for (let u = byCode.get(orgUnit); u; u = u.parentCode ? byCode.get(u.parentCode) : undefined) chain.add(u.code);
  return all.filter((i) => chain.has(i.orgUnit));
}

type SaveState =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'saved'; saved: number; refused: number; at: Date }
  | { kind: 'offline'; pending: number }
  | { kind: 'failed' }
  | { kind: 'nothing' };

function EntryGrid({ form }: { form: EntryForm }) {
  const i18n = useI18n();
  const orgUnit = form.orgUnit.code;
  const period = form.period.code;
  const [typed, setTyped] = useState<Typed>(() => loadTyped(orgUnit, period));
  const [restored] = useState(() => Object.keys(loadTyped(orgUnit, period)).length);
  const [issues, setIssues] = useState<EntryIssue[]>([]);
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const [pasteNote, setPasteNote] = useState<string | null>(null);
  const rows = useMemo(() => gridRows(form), [form]);
  const typedRef = useRef(typed);
  typedRef.current = typed;

  useEffect(() => storeTyped(orgUnit, period, typed), [orgUnit, period, typed]);

  // Checked on the server a moment after typing stops; a newer check supersedes an older one.
  const checkSeq = useRef(0);
  useEffect(() => {
    const values = entryValues(form, typed);
    const seq = ++checkSeq.current;
    if (values.length === 0) {
      setIssues([]);
      return;
    }
    const timer = window.setTimeout(() => {
      api.checkEntry(orgUnit, period, values).then(
        (r) => seq === checkSeq.current && setIssues(r.issues),
        () => undefined,
      );
    }, CHECK_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [form, typed, orgUnit, period]);

  const send = useCallback(async () => {
    const snapshot = typedRef.current;
    const values = entryValues(form, snapshot);
    if (values.length === 0) {
      setSave({ kind: 'nothing' });
      return;
    }
    setSave({ kind: 'saving' });
    try {
      const result = await api.saveEntry(orgUnit, period, values);
      const stored = new Set(result.saved.map((s) => cellKey(s.indicator, s.disaggregation)));
      // A cell typed into again while the save was under way keeps its newer text.
      setTyped((now) => {
        const next = { ...now };
        for (const k of stored) if (JSON.stringify(now[k]) === JSON.stringify(snapshot[k])) delete next[k];
        return next;
      });
      setIssues(result.issues);
      setSave({ kind: 'saved', saved: result.saved.length, refused: values.length - result.saved.length, at: new Date() });
    } catch (e) {
      setSave(e instanceof NetworkError || (e instanceof ApiError && e.status >= 500) ? { kind: 'offline', pending: values.length } : { kind: 'failed' });
    }
  }, [form, orgUnit, period]);

  // A save that could not get through is sent again when the connection returns, and every few seconds meanwhile.
  useEffect(() => {
    if (save.kind !== 'offline') return;
    const retry = () => void send();
    window.addEventListener('online', retry);
    const timer = window.setInterval(retry, RESEND_EVERY_MS);
    return () => {
      window.removeEventListener('online', retry);
      window.clearInterval(timer);
    };
  }, [save.kind, send]);

  const setText = (ind: EntryFormIndicator, key: string, field: Measure | 'comment', text: string) =>
    setTyped((t) => withText(t, ind, key, field, text));

  const focusCell = (row: number, col: number) => {
    const target = rows[row];
    if (!target) return;
    const el = document.querySelector<HTMLElement>(`[data-row="${row}"][data-col="${Math.min(col, target.keys.length - 1)}"]`);
    el?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLElement>, row: number, col: number) => {
    const down = (e.key === 'Enter' && !e.shiftKey) || (e.key === 'ArrowDown' && e.currentTarget.tagName === 'INPUT');
    const up = (e.key === 'Enter' && e.shiftKey) || (e.key === 'ArrowUp' && e.currentTarget.tagName === 'INPUT');
    if (!down && !up) return;
    e.preventDefault();
    focusCell(row + (down ? 1 : -1), col);
  };

  const onPaste = (e: ClipboardEvent<HTMLElement>, row: number, col: number) => {
    const text = e.clipboardData.getData('text/plain');
    if (!isBlock(text)) return;
    e.preventDefault();
    const block = parseClipboardBlock(text);
    const changes: { row: GridRow; key: string; text: string }[] = [];
    let left = 0;
    block.forEach((cells, i) => {
      const target: GridRow | undefined = rows[row + i];
      cells.forEach((cell, j) => {
        const key = target?.keys[col + j];
        if (!target || key === undefined) left++;
        else changes.push({ row: target, key, text: cell });
      });
    });
    setTyped((t) => changes.reduce((next, c) => withText(next, c.row.indicator, c.key, c.row.measure, c.text), t));
    const placed = changes.length;
    setPasteNote(i18n.t(left ? 'entry.pastedSome' : 'entry.pasted', { placed: i18n.num(placed), left: i18n.num(left) }));
  };

  const settings = useSettings();
  // The list leaves out each report's history, where a returned report's reason is.
  const submission = useApi(() => gov.submissions({ framework: settings.framework, orgUnit, period })
    .then((r) => (r[0]?.status === 'returned' ? gov.submission(r[0].id) : r[0] ?? null)), [settings.framework, orgUnit, period]);
  const [submitNote, setSubmitNote] = useState<string | null>(null);
  const readOnly = lockReason(i18n, submission.data ?? null);
  const pending = Object.keys(typed).length;
  const warnings = issues.filter((x) => x.severity === 'warning');
  const groups = groupByPillar(form);
  let rowIndex = 0;

  return (
    <div className="entry">
      <h2>{i18n.t('entry.formTitle', { unit: i18n.name(form.orgUnit), period: i18n.period(period) })}</h2>
      <p className="small">
        <a href={api.templateUrl({ orgUnit, period, institution: form.institution?.code, lang: i18n.lang })} download>
          <span aria-hidden="true">⤓ </span>{i18n.t('entry.template')}
        </a>
        {' · '}{i18n.t('entry.keyboard')}
      </p>
      {restored > 0 && <p className="notice" role="status">{i18n.t('entry.restored', { count: i18n.num(restored) })}</p>}
      <SubmissionStatus submission={submission.data ?? null} />
      {readOnly && <p className="notice" role="status" id="entry-read-only">{readOnly}</p>}
      {submission.data && <ReportEvidence submission={submission.data} readOnly={readOnly !== null} />}
      {form.indicators.length === 0 && <p className="notice">{i18n.t('entry.nothingToReport')}</p>}
      {warnings.length > 0 && (
        <div className="notice warning" role="status" aria-live="polite">
          <p><strong>{i18n.t('entry.warningsTitle', { count: i18n.num(warnings.length) })}</strong></p>
          <ul>
            {warnings.map((w, n) => (
              <li key={n}><a href={`#cell-${cellId(w.indicator, w.disaggregation, w.field === 'comment' ? 'value' : w.field)}`}><code translate="no">{w.indicator}</code></a> — {issueText(i18n, w)}</li>
            ))}
          </ul>
        </div>
      )}
      {groups.map((g) => (
        <section key={g.pillar.code} className="entry-pillar">
          <h3>{i18n.name(g.pillar)}</h3>
          {g.objectives.map((o) => (
            <section key={o.objective.code} className="entry-objective">
              <h4>{i18n.name(o.objective)}</h4>
              {o.indicators.map((ind) => {
                const first = rowIndex;
                rowIndex += measuresOf(ind).length;
                return (
                  <IndicatorEntry key={ind.code} ind={ind} orgUnit={orgUnit} firstRow={first} typed={typed} issues={issues}
                    onText={setText} onKeyDown={onKeyDown} onPaste={onPaste} readOnly={readOnly !== null} period={period} />
                );
              })}
            </section>
          ))}
        </section>
      ))}
      <div className="save-bar" role="region" aria-label={i18n.t('entry.saveRegion')}>
        <button type="button" className="primary" onClick={() => void send()} disabled={save.kind === 'saving' || readOnly !== null}>
          {i18n.t('entry.saveDraft')}
        </button>
        <button type="button" onClick={() => gov.submit(settings.framework, orgUnit, period).then(() => setSubmitNote(i18n.t('entry.submitted')), (e) => setSubmitNote(failureText(i18n, e)))}
          disabled={readOnly !== null || pending > 0}>
          {i18n.t('entry.submit')}
        </button>
        {submitNote && <span role="status">{submitNote}</span>}
        <span role="status" aria-live="polite" className="save-status">
          {pending > 0 && <span className="dirty-note"><span aria-hidden="true">● </span>{i18n.t('entry.unsaved', { count: i18n.num(pending) })} </span>}
          {save.kind === 'saving' && i18n.t('entry.saving')}
          {save.kind === 'saved' && i18n.t(save.refused ? 'entry.savedSome' : 'entry.saved', { saved: i18n.num(save.saved), refused: i18n.num(save.refused), time: i18n.date(save.at) })}
          {save.kind === 'offline' && <span className="warning-text"><span aria-hidden="true">⚠ </span>{i18n.t('entry.offline', { count: i18n.num(save.pending) })}</span>}
          {save.kind === 'failed' && <span className="error-text"><span aria-hidden="true">✖ </span>{i18n.t('error.server')}</span>}
          {save.kind === 'nothing' && i18n.t('entry.nothingToSave')}
          {pasteNote && <span> {pasteNote}</span>}
        </span>
      </div>
      <p className="small"><Link to={paths.orgUnit(orgUnit)}>{i18n.t('entry.seeScorecard', { unit: i18n.name(form.orgUnit) })}</Link></p>
    </div>
  );
}

/** Submitted or approved data is locked unless an administrator's exception is open. */
function lockReason(i18n: ReturnType<typeof useI18n>, s: Submission | null): string | null {
  if (!s || isOpen(s)) return null;
  return i18n.t(s.status === 'accepted' ? 'entry.lockedAccepted' : 'entry.locked', { status: statusText(i18n, s.status) });
}

/** Evidence for the report as a whole, which its reviewers see with it; added to only while its values may change. */
function ReportEvidence({ submission, readOnly }: { submission: Submission; readOnly: boolean }) {
  const i18n = useI18n();
  const evidence = useApi(() => gov.evidence({ submissionId: submission.id }), [submission.id]);
  return (
    <section className="report-evidence" aria-labelledby="report-evidence-title">
      <h3 id="report-evidence-title">{i18n.t('entry.reportEvidence')}</h3>
      <EvidenceList state={evidence} />
      {!readOnly && <EvidenceUpload target={{ submissionId: String(submission.id) }} />}
    </section>
  );
}

function SubmissionStatus({ submission }: { submission: Submission | null }) {
  const i18n = useI18n();
  if (!submission) return null;
  const returned = submission.status === 'returned' ? [...(submission.events ?? [])].reverse().find((e) => e.reason) : undefined;
  return (
    <div className="notice" id="submission-status">
      <p>{i18n.t('entry.submission', { status: statusText(i18n, submission.status) })} · <Link to={`/submissions/${submission.id}`}>{i18n.t('sub.history')}</Link></p>
      {/* The reviewer's own words, in whichever language they wrote them: not a label to translate. */}
      {returned && <p className="returned-reason">{i18n.t('entry.returnedReason')} <span translate="no" dir="auto">{returned.reason}</span></p>}
    </div>
  );
}

function groupByPillar(form: EntryForm) {
  const out: { pillar: EntryFormIndicator['pillar']; objectives: { objective: EntryFormIndicator['objective']; indicators: EntryFormIndicator[] }[] }[] = [];
  for (const ind of form.indicators) {
    let p = out.at(-1);
    if (p?.pillar.code !== ind.pillar.code) out.push((p = { pillar: ind.pillar, objectives: [] }));
    let o = p.objectives.at(-1);
    if (o?.objective.code !== ind.objective.code) p.objectives.push((o = { objective: ind.objective, indicators: [] }));
    o.indicators.push(ind);
  }
  return out;
}

const cellId = (indicator: string, key: string, field: string) => `${indicator}-${key || 'total'}-${field}`.replace(/[^A-Za-z0-9_-]/g, '_');

const CELL_MESSAGE: Record<string, MessageKey> = {
  not_a_number: 'cell.not_a_number',
  negative_count: 'cell.negative_count',
  negative_value: 'cell.negative_value',
  below_min: 'cell.below_min',
  above_max: 'cell.above_max',
  non_integer_count: 'cell.non_integer_count',
  numerator_exceeds_denominator: 'cell.numerator_exceeds_denominator',
  parts_missing: 'cell.parts_missing',
};

function IndicatorEntry({ ind, orgUnit, firstRow, typed, issues, onText, onKeyDown, onPaste, readOnly, period }: {
  readOnly: boolean;
  period: string;
  ind: EntryFormIndicator;
  orgUnit: string;
  firstRow: number;
  typed: Typed;
  issues: EntryIssue[];
  onText: (ind: EntryFormIndicator, key: string, field: Measure | 'comment', text: string) => void;
  onKeyDown: (e: KeyboardEvent<HTMLElement>, row: number, col: number) => void;
  onPaste: (e: ClipboardEvent<HTMLElement>, row: number, col: number) => void;
}) {
  const i18n = useI18n();
  const keys = disaggregationKeys(ind);
  const measures = measuresOf(ind);
  const name = i18n.name(ind);
  const optionName = (key: string) => {
    if (!key) return i18n.t('entry.total');
    const [c, o] = key.split('=');
    const cat = ind.disaggregations.find((x) => x.code === c);
    const opt = cat?.options.find((x) => x.code === o);
    return cat && opt ? `${i18n.name(cat)}: ${i18n.name(opt)}` : key;
  };
  const problemsOf = (key: string): CellProblem[] =>
    checkCell(ind, Object.fromEntries(measures.map((m) => [m, shownText(typed, ind, key, m)])));
  const commentIssues = issues.filter((x) => x.indicator === ind.code && x.disaggregation === '' && x.field === 'comment');

  return (
    <div className="indicator-entry" id={`entry-${ind.code}`}>
      <h5>
        <Link to={paths.indicator(ind.code, orgUnit)}><code translate="no">{ind.code}</code></Link> {name}
        <span className="unit-tag">{i18n.t(`unit.${ind.unitType}`)}</span>
      </h5>
      <div className="table-scroll">
        <table className="entry-grid">
          <caption className="sr-only">{name}</caption>
          <thead>
            {ind.disaggregations.length > 0 && (
              <tr>
                <td />
                <td />
                {ind.disaggregations.map((c) => <th key={c.code} scope="colgroup" colSpan={c.options.length}>{i18n.name(c)}</th>)}
              </tr>
            )}
            <tr>
              <td />
              <th scope="col">{i18n.t('entry.total')}</th>
              {ind.disaggregations.flatMap((c) => c.options.map((o) => <th key={`${c.code}=${o.code}`} scope="col">{i18n.name(o)}</th>))}
            </tr>
          </thead>
          <tbody>
            {measures.map((m, mi) => (
              <tr key={m}>
                <th scope="row">{i18n.t(m === 'value' ? 'entry.value' : m === 'numerator' ? 'entry.numerator' : 'entry.denominator')}</th>
                {keys.map((key, col) => {
                  const id = cellId(ind.code, key, m);
                  const text = shownText(typed, ind, key, m);
                  const local = problemsOf(key).filter((p) => p.field === m);
                  const remote = issues.filter((x) => x.indicator === ind.code && x.disaggregation === key && x.field === m)
                    .filter((x) => !(x.severity === 'error' && local.length > 0));
                  const messages = [
                    ...local.map((p) => ({ severity: 'error' as const, text: i18n.t(CELL_MESSAGE[p.code]!, { ...p.params, min: i18n.num(Number(p.params.min ?? 0)), max: i18n.num(Number(p.params.max ?? 0)) }) })),
                    ...remote.map((x) => ({ severity: x.severity, text: issueText(i18n, x) })),
                  ];
                  const dirty = typed[cellKey(ind.code, key)]?.[m] !== undefined;
                  const label = `${ind.code} ${name}, ${optionName(key)}${isRatio(ind) ? `, ${i18n.t(m === 'numerator' ? 'entry.numerator' : 'entry.denominator')}` : ''}`;
                  const common = {
                    id: `cell-${id}`,
                    'data-row': firstRow + mi,
                    'data-col': col,
                    'aria-label': label,
                    'aria-invalid': messages.some((x) => x.severity === 'error') || undefined,
                    'aria-describedby': [readOnly && 'entry-read-only', messages.length && `msg-${id}`].filter(Boolean).join(' ') || undefined,
                    className: `${dirty ? 'dirty' : ''} ${messages.some((x) => x.severity === 'error') ? 'invalid' : messages.length ? 'warned' : ''}`,
                    disabled: readOnly,
                    onKeyDown: (e: KeyboardEvent<HTMLElement>) => onKeyDown(e, firstRow + mi, col),
                    onPaste: (e: ClipboardEvent<HTMLElement>) => onPaste(e, firstRow + mi, col),
                  };
                  return (
                    <td key={key}>
                      {ind.unitType === 'yes_no' || ind.unitType === 'milestone' ? (
                        <select {...common} value={text} onChange={(e) => onText(ind, key, m, e.target.value)}>
                          <option value="">–</option>
                          {ind.unitType === 'yes_no'
                            ? <><option value="1">{i18n.t('entry.yes')}</option><option value="0">{i18n.t('entry.no')}</option></>
                            : [0, 1, 2, 3, 4].map((s) => <option key={s} value={String(s)}>{i18n.num(s)} – {i18n.t(`milestone.${s}` as MessageKey)}</option>)}
                          {text !== '' && !['0', '1', '2', '3', '4'].includes(text) && <option value={text}>{text}</option>}
                        </select>
                      ) : (
                        <input {...common} type="text" inputMode="decimal" autoComplete="off" value={text}
                          onChange={(e) => onText(ind, key, m, e.target.value)} />
                      )}
                      {dirty && <span className="sr-only">{i18n.t('entry.unsavedCell')}</span>}
                      {messages.length > 0 && (
                        <div id={`msg-${id}`} className="cell-msgs">
                          {messages.map((x, n) => (
                            <p key={n} className={`cell-msg ${x.severity}`}>
                              <span aria-hidden="true">{x.severity === 'error' ? '✖ ' : '⚠ '}</span>{x.text}
                            </p>
                          ))}
                        </div>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <label className="comment">
        <span>{i18n.t('entry.comment')}</span>
        <input type="text" value={shownText(typed, ind, '', 'comment')} maxLength={4000} disabled={readOnly} aria-describedby={readOnly ? 'entry-read-only' : undefined}
          aria-invalid={commentIssues.some((x) => x.severity === 'error') || undefined}
          onChange={(e) => onText(ind, '', 'comment', e.target.value)} />
        {commentIssues.map((x, n) => <span key={n} className={`cell-msg ${x.severity}`}>{issueText(i18n, x)}</span>)}
      </label>
      {!readOnly && (
        <details className="entry-evidence">
          <summary>{i18n.t('evidence.title')}</summary>
          <EvidenceUpload target={{ indicator: ind.code, orgUnit, period, disaggregation: '' }} />
        </details>
      )}
    </div>
  );
}

