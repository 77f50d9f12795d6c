import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@fontsource/noto-nastaliq-urdu/arabic-400.css';
import '@fontsource/noto-nastaliq-urdu/arabic-700.css';
import './styles.css';
import { App } from './app/App.tsx';
import { RouterProvider } from './app/router.tsx';
import { SettingsProvider } from './app/settings.tsx';
import { SessionProvider } from './app/session.tsx';
import { I18nProvider } from './i18n/i18n.tsx';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <SettingsProvider>
        <RouterProvider>
          <SessionProvider>
            <App />
          </SessionProvider>
        </RouterProvider>
      </SettingsProvider>
    </I18nProvider>
  </StrictMode>,
);
