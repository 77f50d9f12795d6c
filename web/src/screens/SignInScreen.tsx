/** Sign-in, and the forced password change after an administrator's reset. What was typed on other screens stays in local storage. */
import { useState, type FormEvent } from 'react';
import { ApiError, NetworkError } from '../api/client.ts';
import { gov } from '../api/governance.ts';
import { useSession } from '../app/session.tsx';
import { useI18n } from '../i18n/i18n.tsx';

export function SignInScreen() {
  const i18n = useI18n();
  const session = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await gov.signIn(username, password);
      await session.refresh();
    } catch (x) {
      if (x instanceof ApiError && (x.status === 423 || x.status === 429)) {
        const wait = Math.max(1, Math.ceil(Number(x.body.retryAfter ?? 60) / 60));
        setError(i18n.t('signIn.locked', { minutes: i18n.num(wait, 0) }));
      } else if (x instanceof ApiError && x.status === 401) setError(i18n.t('signIn.wrong'));
      else setError(i18n.t(x instanceof NetworkError ? 'error.network' : 'error.server'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="sign-in">
      <h1>{i18n.t('signIn.title')}</h1>
      <form onSubmit={(e) => void submit(e)} className="stack-form">
        <label><span>{i18n.t('signIn.username')}</span>
          <input name="username" dir="ltr" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} /></label>
        <label><span>{i18n.t('signIn.password')}</span>
          <input name="password" dir="ltr" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} /></label>
        {error && <p className="notice error" role="alert"><span aria-hidden="true">⚠ </span>{error}</p>}
        <button type="submit" className="primary" disabled={busy}>{i18n.t('signIn.submit')}</button>
      </form>
    </section>
  );
}

export function ChangePasswordScreen() {
  const i18n = useI18n();
  const session = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (next !== again) return setError(i18n.t('password.mismatch'));
    try {
      await gov.changePassword(current, next);
      await session.refresh();
    } catch (x) {
      setError(x instanceof ApiError && x.status < 500 ? i18n.t('password.refused') : i18n.t('error.server'));
    }
  };
  return (
    <section className="sign-in">
      <h1>{i18n.t('password.title')}</h1>
      <p className="notice">{i18n.t('password.must')}</p>
      <form onSubmit={(e) => void submit(e)} className="stack-form">
        <label><span>{i18n.t('password.current')}</span>
          <input type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} /></label>
        <label><span>{i18n.t('password.new')}</span>
          <input type="password" autoComplete="new-password" required minLength={10} value={next} onChange={(e) => setNext(e.target.value)} /></label>
        <label><span>{i18n.t('password.again')}</span>
          <input type="password" autoComplete="new-password" required value={again} onChange={(e) => setAgain(e.target.value)} /></label>
        {error && <p className="notice error" role="alert"><span aria-hidden="true">⚠ </span>{error}</p>}
        <button type="submit" className="primary">{i18n.t('password.submit')}</button>
      </form>
    </section>
  );
}
