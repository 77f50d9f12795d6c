/** Administration: users and their grants, lock exceptions, the audit trail with its chain check. */
import { useState } from 'react';
import { api, request, written } from '../api/client.ts';
import { gov, ROLES, type AuditVerify, type Grant, type LockException, type Role, type UserRow } from '../api/governance.ts';
import { useApi } from '../api/use-api.ts';
import { Link, useQueryState } from '../app/router.tsx';
import { useSettings } from '../app/settings.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { lastEndedPeriod } from '../i18n/periods.ts';
import { Await } from '../ui/Loading.tsx';
import { OrgUnitPicker } from '../ui/OrgUnitPicker.tsx';
import { failureText, statusText } from './InboxScreen.tsx';

export function GrantEditor({ grants, onChange, idPrefix }: { grants: Grant[]; onChange: (g: Grant[]) => void; idPrefix: string }) {
  const i18n = useI18n();
  const [role, setRole] = useState<Role>('data_clerk');
  const [unit, setUnit] = useState('PK');
  return (
    <fieldset>
      <legend>{i18n.t('users.grants')}</legend>
      <ul>
        {grants.map((g, n) => (
          <li key={n}>{i18n.t(`role.${g.role}`)} @ <span translate="no">{g.orgUnit}</span>{' '}
            <button type="button" onClick={() => onChange(grants.filter((_, k) => k !== n))}>{i18n.t('users.removeGrant')}</button></li>
        ))}
      </ul>
      <label><span>{i18n.t('users.role')}</span>
        <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => <option key={r} value={r}>{i18n.t(`role.${r}`)}</option>)}
        </select></label>
      <OrgUnitPicker idPrefix={idPrefix} value={unit} onChange={setUnit} />
      <button type="button" onClick={() => onChange([...grants, { role, orgUnit: unit }])}>{i18n.t('users.addGrant')}</button>
    </fieldset>
  );
}

export function UsersScreen() {
  const i18n = useI18n();
  const users = useApi(() => gov.users(), []);
  const [note, setNote] = useState<string | null>(null);
  const [draft, setDraft] = useState({ username: '', displayName: '', password: '', grants: [] as Grant[] });
  const act = (p: Promise<unknown>, done: string) => p.then(() => setNote(done), (e) => setNote(failureText(i18n, e)));
  return (
    <section>
      <h1>{i18n.t('users.title')}</h1>
      {note && <p className="notice" role="status">{note}</p>}
      <Await state={users}>
        {(rows) => (
          <table className="users">
            <caption>{i18n.t('users.caption', { count: i18n.num(rows.length, 0) })}</caption>
            <thead><tr><th scope="col">{i18n.t('users.username')}</th><th scope="col">{i18n.t('users.displayName')}</th>
              <th scope="col">{i18n.t('users.grants')}</th><th scope="col">{i18n.t('col.status')}</th><th scope="col">{i18n.t('col.action')}</th></tr></thead>
            <tbody>{rows.map((u) => <UserRowView key={u.username} user={u} act={act} />)}</tbody>
          </table>
        )}
      </Await>
      <h2>{i18n.t('users.create')}</h2>
      <form className="stack-form" onSubmit={(e) => { e.preventDefault(); void act(gov.createUser(draft), i18n.t('users.created')); }}>
        <label><span>{i18n.t('users.username')}</span><input required value={draft.username} onChange={(e) => setDraft({ ...draft, username: e.target.value })} /></label>
        <label><span>{i18n.t('users.displayName')}</span><input required value={draft.displayName} onChange={(e) => setDraft({ ...draft, displayName: e.target.value })} /></label>
        <label><span>{i18n.t('users.password')}</span><input type="password" autoComplete="new-password" required value={draft.password} onChange={(e) => setDraft({ ...draft, password: e.target.value })} /></label>
        <GrantEditor idPrefix="new-user" grants={draft.grants} onChange={(grants) => setDraft({ ...draft, grants })} />
        <button type="submit" className="primary">{i18n.t('users.create')}</button>
      </form>
    </section>
  );
}

function UserRowView({ user, act }: { user: UserRow; act: (p: Promise<unknown>, done: string) => void }) {
  const i18n = useI18n();
  const [editing, setEditing] = useState(false);
  const [grants, setGrants] = useState(user.grants);
  const [password, setPassword] = useState('');
  return (
    <tr>
      <td translate="no">{user.username}</td>
      <td className="display-name">{user.displayName}</td>
      <td>{user.grants.map((g) => `${i18n.t(`role.${g.role}`)} @ ${g.orgUnit}`).join(', ')}
        {editing && <GrantEditor idPrefix={`grants-${user.username}`} grants={grants} onChange={setGrants} />}</td>
      <td>{user.disabled ? i18n.t('users.disabled') : user.locked ? i18n.t('users.locked') : i18n.t('users.active')}</td>
      <td>
        <button type="button" onClick={() => (editing ? act(gov.setGrants(user.username, grants), i18n.t('users.saved')) : setEditing(true))}>
          {editing ? i18n.t('users.saveGrants') : i18n.t('users.editGrants')}</button>{' '}
        <button type="button" onClick={() => act(gov.unlock(user.username), i18n.t('users.saved'))}>{i18n.t('users.unlock')}</button>{' '}
        <button type="button" onClick={() => act(gov.updateUser(user.username, { disabled: !user.disabled }), i18n.t('users.saved'))}>
          {user.disabled ? i18n.t('users.enable') : i18n.t('users.disable')}</button>
        <label><span className="sr-only">{i18n.t('users.newPassword', { user: user.username })}</span>
          <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} /></label>
        <button type="button" disabled={!password} onClick={() => act(gov.resetPassword(user.username, password), i18n.t('users.saved'))}>{i18n.t('users.reset')}</button>
      </td>
    </tr>
  );
}

/** A lock exception as the server lists it: the client's contract leaves out the report it opens. */
type LockExceptionView = LockException & { orgUnit: string; period: string; status: string };

/**
 * Grants are made on a report named by its unit and period, as the clerk asking for one names it; the list says
 * which report each exception opens.
 */
export function LockExceptionsScreen() {
  const i18n = useI18n();
  const settings = useSettings();
  const list = useApi(() => gov.lockExceptions() as Promise<LockExceptionView[]>, []);
  const units = useApi(() => api.orgUnits(), []);
  const [orgUnit, setOrgUnit] = useState('PK');
  const [period, setPeriod] = useState('');
  const [reason, setReason] = useState('');
  const [hours, setHours] = useState('24');
  const [note, setNote] = useState<string | null>(null);
  const act = (p: Promise<unknown>, done: string) => p.then(() => setNote(done), (e) => setNote(failureText(i18n, e)));
  const unitName = (code: string) => {
    const u = units.data?.find((x) => x.code === code);
    return u ? i18n.name(u) : code;
  };
  return (
    <section>
      <h1>{i18n.t('locks.title')}</h1>
      <form className="stack-form lock-grant" onSubmit={(e) => {
        e.preventDefault();
        // By the report's key, which the server takes as well as a submission id (gov.grantLockException takes only an id).
        void act(request('POST', '/api/lock-exceptions', { framework: settings.framework, orgUnit, period: period.trim(), reason, hours: Number(hours) })
          .then(() => { written(); setReason(''); }), i18n.t('locks.granted'));
      }}>
        <OrgUnitPicker idPrefix="lock-unit" value={orgUnit} onChange={setOrgUnit} />
        <label><span>{i18n.t('locks.period')}</span>
          <input id="lock-period" required dir="ltr" value={period} onChange={(e) => setPeriod(e.target.value)} aria-describedby="lock-period-hint" />
          <span id="lock-period-hint" className="small muted">{i18n.t('locks.periodHint')} <code translate="no">{lastEndedPeriod('quarterly')}</code></span></label>
        <label><span>{i18n.t('locks.reason')}</span><input id="lock-reason" required value={reason} onChange={(e) => setReason(e.target.value)} /></label>
        <label><span>{i18n.t('locks.hours')}</span><input id="lock-hours" required type="number" min={1} max={744} value={hours} onChange={(e) => setHours(e.target.value)} /></label>
        <button type="submit" className="primary">{i18n.t('locks.grant')}</button>
      </form>
      {note && <p className="notice" role="status">{note}</p>}
      <Await state={list}>
        {(rows) => (
          <table className="locks">
            <caption>{i18n.t('locks.active', { count: i18n.num(rows.length, 0) })}</caption>
            <thead><tr><th scope="col">{i18n.t('locks.report')}</th><th scope="col">{i18n.t('locks.reason')}</th>
              <th scope="col">{i18n.t('locks.until')}</th><th scope="col">{i18n.t('col.action')}</th></tr></thead>
            <tbody>{rows.map((l) => (
              <tr key={l.id}>
                <td><Link to={`/submissions/${l.submissionId}`}>{i18n.t('sub.report', { unit: unitName(l.orgUnit), period: i18n.period(l.period) })}</Link>{' '}
                  <span className="muted">{statusText(i18n, l.status)}</span></td>
                <td dir="auto">{l.reason}</td><td>{(l.expiresAt ?? l.until) ? i18n.date((l.expiresAt ?? l.until)!) : ''}</td>
                <td><button type="button" onClick={() => act(gov.revokeLockException(l.id), i18n.t('locks.revoked'))}>{i18n.t('locks.revoke')}</button></td></tr>
            ))}</tbody>
          </table>
        )}
      </Await>
    </section>
  );
}

export function AuditScreen() {
  const i18n = useI18n();
  const [query, setQuery] = useQueryState();
  const actor = query.get('actor') ?? '';
  const action = query.get('action') ?? '';
  const entries = useApi(() => gov.audit({ limit: 100, actor, action }), [actor, action]);
  const [verify, setVerify] = useState<AuditVerify | string | null>(null);
  return (
    <section>
      <h1>{i18n.t('audit.title')}</h1>
      <p>
        <button type="button" className="primary" onClick={() => gov.verifyAudit().then(setVerify, (e) => setVerify(failureText(i18n, e)))}>{i18n.t('audit.verify')}</button>
      </p>
      {verify !== null && (
        <p className={`notice ${typeof verify === 'string' || !verify.ok ? 'error' : ''}`} role="status" id="audit-verify">
          {typeof verify === 'string' ? verify : verify.ok
            ? <><span aria-hidden="true">✓ </span>{i18n.t('audit.ok', { count: i18n.num(verify.entries, 0) })}</>
            : <><span aria-hidden="true">✖ </span>{i18n.t('audit.broken', { id: i18n.num(verify.broken?.entryId ?? 0, 0) })} {brokenText(i18n, verify.broken?.reason)}</>}
        </p>
      )}
      <form className="scope-bar" onSubmit={(e) => e.preventDefault()} aria-label={i18n.t('audit.filter')}>
        <label><span>{i18n.t('audit.actor')}</span><input value={actor} onChange={(e) => setQuery({ actor: e.target.value })} /></label>
        <label><span>{i18n.t('audit.action')}</span><input value={action} onChange={(e) => setQuery({ action: e.target.value })} /></label>
      </form>
      <Await state={entries}>
        {(rows) => (
          <table className="audit">
            <caption>{i18n.t('audit.caption', { count: i18n.num(rows.length, 0) })}</caption>
            <thead><tr><th scope="col">#</th><th scope="col">{i18n.t('col.when')}</th><th scope="col">{i18n.t('col.who')}</th><th scope="col">{i18n.t('audit.action')}</th>
              <th scope="col">{i18n.t('audit.record')}</th><th scope="col">{i18n.t('audit.detail')}</th></tr></thead>
            <tbody>{rows.map((r) => (
              <tr key={r.id}><td>{i18n.num(r.id, 0)}</td><td>{i18n.date(r.at)}</td><td translate="no">{r.actor}</td><td translate="no"><code>{r.action}</code></td>
                <td translate="no" dir="auto">{[r.entity, r.entityId].filter(Boolean).join(' ')}</td><td translate="no" dir="auto" className="audit-detail"><AuditDetail detail={r.detail} /></td></tr>
            ))}</tbody>
          </table>
        )}
      </Await>
    </section>
  );
}

/** What a break in the chain means, in the reader's language. */
function brokenText(i18n: ReturnType<typeof useI18n>, reason: string | undefined): string {
  if (reason === 'content_changed') return i18n.t('audit.contentChanged');
  if (reason === 'head_mismatch') return i18n.t('audit.headMismatch');
  return i18n.t('audit.linkBroken');
}

/** An entry's detail as recorded, field by field: texts as they were typed (names, reasons), anything else as JSON. */
function AuditDetail({ detail }: { detail: unknown }) {
  if (detail === null || detail === undefined) return null;
  if (typeof detail !== 'object' || Array.isArray(detail)) return <>{JSON.stringify(detail)}</>;
  return (
    <dl className="audit-fields">
      {Object.entries(detail).map(([k, v]) => (
        <div key={k}><dt>{k}</dt><dd>{typeof v === 'string' ? v : JSON.stringify(v)}</dd></div>
      ))}
    </dl>
  );
}
