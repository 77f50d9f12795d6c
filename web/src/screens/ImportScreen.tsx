/**
 * Import a data file: a dry run first (counts, and every bad row with its field and reason), then the import
 * itself. Upload progress is shown for large files. Also the XLSX template for a unit and period.
 */
import { useState } from 'react';
import { api, ApiError, NetworkError } from '../api/client.ts';
import type { ImportSummary, PeriodType, RowError } from '../api/types.ts';
import { useI18n, type MessageKey } from '../i18n/i18n.tsx';
import { lastEndedPeriod, parsePeriodCode, recentPeriods } from '../i18n/periods.ts';
import { DataTable } from '../ui/DataTable.tsx';
import { issueText } from '../ui/issue-text.ts';
import { OrgUnitPicker } from '../ui/OrgUnitPicker.tsx';

const FORMATS = ['csv', 'json', 'xlsx', 'dhis2-json', 'dhis2-csv'] as const;
const DATA_FILE = /\.(csv|txt|json|xlsx)$/i;
const FIELDS = new Set(['value', 'numerator', 'denominator', 'indicator', 'org_unit', 'period', 'disaggregation', 'file', 'row', 'comment', 'format']);

type Run = { kind: 'idle' } | { kind: 'running'; dryRun: boolean; sent: number } | { kind: 'done'; summary: ImportSummary } | { kind: 'failed'; errors: RowError[]; network: boolean };

export function ImportScreen() {
  const i18n = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState('');
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [run, setRun] = useState<Run>({ kind: 'idle' });
  const notData = file !== null && format === '' && !DATA_FILE.test(file.name);

  const start = async (dryRun: boolean) => {
    if (!file || notData) return;
    setRun({ kind: 'running', dryRun, sent: 0 });
    try {
      const summary = await api.importFile(file, { dryRun, format: format || undefined, skipInvalid }, (sent) => setRun({ kind: 'running', dryRun, sent }));
      setRun({ kind: 'done', summary });
    } catch (e) {
      setRun({ kind: 'failed', errors: e instanceof ApiError ? e.errors : [], network: e instanceof NetworkError });
    }
  };

  const summary = run.kind === 'done' ? run.summary : null;
  return (
    <section>
      <h1>{i18n.t('import.title')}</h1>
      <p className="lead">{i18n.t('import.lead')}</p>
      <form className="card import-form" onSubmit={(e) => { e.preventDefault(); void start(true); }}>
        <h2>{i18n.t('import.upload')}</h2>
        <div className="field">
          <span id="import-file-label">{i18n.t('import.file')}</span>
          {/* The browser's own file button speaks the browser's language: ours speaks the page's. */}
          <div className="file-pick">
            <input id="import-file" className="file-input" type="file" accept=".csv,.txt,.json,.xlsx"
              aria-labelledby="import-file-label import-file-button import-file-name"
              aria-describedby={notData ? 'import-file-msg' : 'import-file-hint'} aria-invalid={notData || undefined}
              onChange={(e) => { setFile(e.target.files?.[0] ?? null); setRun({ kind: 'idle' }); }} />
            <label htmlFor="import-file" id="import-file-button" className="button">{i18n.t('import.choose')}</label>
            <span id="import-file-name" className={file ? undefined : 'muted'}>{file ? <bdi>{file.name}</bdi> : i18n.t('import.noFile')}</span>
          </div>
          <p id="import-file-hint" className="muted small">{i18n.t('import.fileHint')}</p>
          {notData && <p id="import-file-msg" className="cell-msg error" role="alert"><span aria-hidden="true">✖ </span>{i18n.t('import.notDataFile', { name: file.name })}</p>}
        </div>
        <div className="field-row">
          <label>
            <span>{i18n.t('import.format')}</span>
            <select value={format} onChange={(e) => setFormat(e.target.value)}>
              <option value="">{i18n.t('import.formatAuto')}</option>
              {FORMATS.map((f) => <option key={f} value={f}>{i18n.t(`format.${f}`)}</option>)}
            </select>
          </label>
          <label className="check">
            <input type="checkbox" checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)} />
            <span>{i18n.t('import.skipInvalid')}</span>
          </label>
        </div>
        <button type="submit" className="primary" disabled={!file || notData || run.kind === 'running'}>{i18n.t('import.check')}</button>
        {run.kind === 'running' && <Progress sent={run.sent} dryRun={run.dryRun} />}
        {run.kind === 'failed' && (
          <div className="notice error" role="alert">
            <p><span aria-hidden="true">✖ </span>{run.network ? i18n.t('error.network') : i18n.t('import.failed')}</p>
            {run.errors.length > 0 && <ErrorTable rows={run.errors} caption={i18n.t('import.errors')} />}
          </div>
        )}
      </form>
      {summary && <Report summary={summary} onConfirm={() => void start(false)} canSkip={skipInvalid} />}
      <TemplateDownload />
    </section>
  );
}

function Progress({ sent, dryRun }: { sent: number; dryRun: boolean }) {
  const i18n = useI18n();
  const uploading = sent < 1;
  return (
    <div className="progress" role="status">
      <label htmlFor="import-progress">
        {uploading ? i18n.t('import.uploading', { share: i18n.pct(sent) }) : i18n.t(dryRun ? 'import.checking' : 'import.importing')}
      </label>
      {uploading ? <progress id="import-progress" max={1} value={sent} /> : <progress id="import-progress" />}
    </div>
  );
}

function Report({ summary, onConfirm, canSkip }: { summary: ImportSummary; onConfirm: () => void; canSkip: boolean }) {
  const i18n = useI18n();
  const c = summary.counts;
  const ok = summary.status !== 'error';
  const head: MessageKey = !ok ? 'import.nothingWritten' : summary.dryRun ? 'import.wouldDo' : 'import.done';
  return (
    <section className="card" aria-live="polite">
      <h2>{i18n.t(summary.dryRun ? 'import.dryRunReport' : 'import.result')}</h2>
      <p className={ok ? 'notice' : 'notice error'}>
        <span aria-hidden="true">{ok ? '✓ ' : '✖ '}</span>{i18n.t(head)} {i18n.t('import.rowsRead', { rows: i18n.num(summary.rowsRead) })}
      </p>
      <table className="compact counts">
        <caption className="sr-only">{i18n.t('import.counts')}</caption>
        <thead><tr>{(['imported', 'updated', 'unchanged', 'ignored', 'deleted'] as const).map((k) => <th key={k} scope="col" className="num">{i18n.t(`count.${k}`)}</th>)}</tr></thead>
        <tbody><tr>{(['imported', 'updated', 'unchanged', 'ignored', 'deleted'] as const).map((k) => <td key={k} className="num">{i18n.num(c[k])}</td>)}</tr></tbody>
      </table>
      {summary.errorCount > 0 && (
        <>
          <h3>{i18n.t('import.errorsCount', { count: i18n.num(summary.errorCount) })}</h3>
          <ErrorTable rows={summary.errors} caption={i18n.t('import.errors')} />
        </>
      )}
      {summary.warnings.length > 0 && (
        <>
          <h3>{i18n.t('import.warningsCount', { count: i18n.num(summary.warnings.length) })}</h3>
          <ErrorTable rows={summary.warnings} caption={i18n.t('import.warnings')} />
        </>
      )}
      {summary.dryRun && ok && (
        <p>
          <button type="button" className="primary" onClick={onConfirm}>
            {i18n.t('import.confirm', { count: i18n.num(c.imported + c.updated + c.deleted) })}
          </button>
          {summary.errorCount > 0 && canSkip && <span className="muted small"> {i18n.t('import.skipNote')}</span>}
        </p>
      )}
    </section>
  );
}

function ErrorTable({ rows, caption }: { rows: RowError[]; caption: string }) {
  const i18n = useI18n();
  const field = (f: string) => (FIELDS.has(f) ? i18n.t(`field.${f}` as MessageKey) : f);
  return (
    <DataTable
      rows={rows.map((r, n) => ({ ...r, n }))}
      caption={caption}
      rowKey={(r) => String(r.n)}
      initialSort={{ key: 'row' }}
      columns={[
        { key: 'row', header: i18n.t('col.row'), numeric: true, sortValue: (r) => r.row, render: (r) => (r.row > 0 ? `${r.sheet ? `${r.sheet} · ` : ''}${i18n.num(r.row)}` : i18n.t('import.wholeFile')) },
        { key: 'field', header: i18n.t('col.field'), sortValue: (r) => field(r.field), render: (r) => field(r.field) },
        { key: 'reason', header: i18n.t('col.reason'), sortValue: (r) => issueText(i18n, r), render: (r) => issueText(i18n, r) },
      ]}
    />
  );
}

function TemplateDownload() {
  const i18n = useI18n();
  const [orgUnit, setOrgUnit] = useState('PK-PB');
  const [type, setType] = useState<PeriodType>('quarterly');
  const [period, setPeriod] = useState(lastEndedPeriod('quarterly'));
  const [lang, setLang] = useState(i18n.lang);
  const periods = recentPeriods(type, 12, { includeCurrent: true });
  return (
    <section className="card">
      <h2>{i18n.t('import.templateTitle')}</h2>
      <p>{i18n.t('import.templateLead')}</p>
      <div className="scope-bar">
        <OrgUnitPicker idPrefix="template-unit" value={orgUnit} onChange={setOrgUnit} />
        <label>
          <span>{i18n.t('entry.periodType')}</span>
          <select value={type} onChange={(e) => { const t = e.target.value as PeriodType; setType(t); setPeriod(lastEndedPeriod(t)); }}>
            {(['monthly', 'quarterly', 'half_year', 'fiscal_year', 'year'] as const).map((p) => <option key={p} value={p}>{i18n.t(`frequency.${p}`)}</option>)}
          </select>
        </label>
        <label>
          <span>{i18n.t('entry.period')}</span>
          <select value={period} onChange={(e) => setPeriod(e.target.value)}>
            {periods.map((p) => <option key={p} value={p}>{i18n.period(p)}</option>)}
          </select>
        </label>
        <label>
          <span>{i18n.t('import.templateLang')}</span>
          <select value={lang} onChange={(e) => setLang(e.target.value as 'en' | 'ur')}>
            <option value="en" lang="en">English</option>
            <option value="ur" lang="ur">اردو</option>
          </select>
        </label>
      </div>
      <p>
        <a className="button" href={api.templateUrl({ orgUnit, period: parsePeriodCode(period) ? period : lastEndedPeriod(type), lang })} download>
          <span aria-hidden="true">⤓ </span>{i18n.t('import.templateDownload')}
        </a>
      </p>
    </section>
  );
}
