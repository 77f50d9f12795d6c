/** The frame around every screen: skip link, top bar with navigation and language, the screen, the footer. */
import { useEffect } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { preloadCharts } from '../ui/Chart.tsx';
import { Link, matchPath, useRouter } from './router.tsx';
import { routes } from './routes.tsx';

export function App() {
  const i18n = useI18n();
  const { path } = useRouter();
  useEffect(() => {
    if (document.readyState === 'complete') preloadCharts();
    else window.addEventListener('load', preloadCharts, { once: true });
  }, []);
  let screen = null;
  for (const r of routes) {
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
            {routes.filter((r) => r.nav).map((r) => (
              <li key={r.pattern}>
                <Link to={r.pattern} aria-current={section(r.pattern) ? 'page' : undefined}>{i18n.t(r.nav!)}</Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="tools">
          <span className="user" title={i18n.t('app.demoUserHint')}>
            {i18n.t('app.demoUser')}
          </span>
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
