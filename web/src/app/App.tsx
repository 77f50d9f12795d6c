/** The frame around every screen: skip link, top bar with navigation and language, the screen, the footer. */
import { useEffect } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { preloadCharts } from '../ui/Chart.tsx';
import { Link, matchPath, useRouter } from './router.tsx';
import { routes } from './routes.tsx';
import { useSession } from './session.tsx';
import { ChangePasswordScreen, SignInScreen } from '../screens/SignInScreen.tsx';

export function App() {
  const i18n = useI18n();
  const { path } = useRouter();
  const session = useSession();
  useEffect(() => {
    if (document.readyState === 'complete') preloadCharts();
    else window.addEventListener('load', preloadCharts, { once: true });
  }, []);
  let screen = null;
  if (session.me === undefined) screen = <p className="muted" role="status">{i18n.t('loading')}</p>;
  else if (session.me === null) screen = <SignInScreen />;
  else if (session.me.mustChangePassword) screen = <ChangePasswordScreen />;
  else for (const r of routes) {
    const params = matchPath(r.pattern, path);
    if (params) {
      screen = r.render(params);
      break;
    }
  }
  const section = (pattern: string) => (pattern === '/' ? path === '/' || /^\/(pillars|objectives|org-units|indicators)\//.test(path) : path.startsWith(pattern));
  return (
    <>
      <a href="#main" className="skip-link">{i18n.t('app.skip')}</a>
      <header className="topbar">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">◆</span> {i18n.t('app.name')}
        </Link>
        <nav aria-label={i18n.t('nav.label')}>
          <ul>
            {routes.filter((r) => r.nav && session.me && (!r.roles || session.has(...r.roles))).map((r) => (
              <li key={r.pattern}>
                <Link to={r.pattern} aria-current={section(r.pattern) ? 'page' : undefined}>{i18n.t(r.nav!)}</Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="tools">
          {session.me && (
            <>
              <span className="user">
                <span className="display-name" translate="no" dir="auto">{session.me.displayName}</span>{' '}
                <span className="muted">({[...new Set(session.me.grants.map((g) => i18n.t(`role.${g.role}`)))].join(i18n.lang === 'ur' ? '، ' : ', ')})</span>
              </span>
              <button type="button" className="sign-out" onClick={() => void session.signOut()}>{i18n.t('app.signOut')}</button>
            </>
          )}
          <button type="button" className="lang-switch" lang={i18n.lang === 'en' ? 'ur' : 'en'}
            onClick={() => i18n.setLang(i18n.lang === 'en' ? 'ur' : 'en')}>
            {i18n.lang === 'en' ? 'اردو' : 'English'}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {screen ?? (
          <section>
            <h1>{i18n.t('notFound.title')}</h1>
            <p><Link to="/">{i18n.t('notFound.home')}</Link></p>
          </section>
        )}
      </main>
      <footer className="footer">
        <p>{i18n.t('app.synthetic')}</p>
      </footer>
    </>
  );
}
