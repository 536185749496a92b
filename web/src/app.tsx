/** Signed out: the login page. Signed in: the shell and the page for the current path. */
import { useMemo, useState } from 'preact/hooks';
import { createAdminClient } from './api/client';
import { AppShell } from './components/app-shell';
import { AdminClientContext } from './hooks/admin-client-context';
import { KeysPage } from './pages/keys-page';
import { LogDetailPage } from './pages/log-detail-page';
import { LoginPage } from './pages/login-page';
import { LogsPage } from './pages/logs-page';
import { NotFoundPage } from './pages/not-found-page';
import { OverviewPage } from './pages/overview-page';
import { matchPage, useLocation, type Location } from './router';
import { forgetToken, readToken, saveToken } from './session';
import { useTheme, type Theme } from './theme';

function CurrentPage({ location, theme }: { location: Location; theme: Theme }) {
  const page = matchPage(location.path);
  switch (page.name) {
    case 'overview':
      return <OverviewPage theme={theme} />;
    case 'logs':
      return <LogsPage search={location.search} />;
    case 'log':
      return <LogDetailPage id={page.id} />;
    case 'keys':
      return <KeysPage />;
    case 'missing':
      return <NotFoundPage />;
    default: {
      const unreachable: never = page;
      return unreachable;
    }
  }
}

export function App() {
  const { choice, theme, choose } = useTheme();
  const location = useLocation();
  const [token, setToken] = useState(readToken);
  const [notice, setNotice] = useState<string | null>(null);

  const client = useMemo(() => {
    if (!token) return null;
    return createAdminClient(token, () => {
      forgetToken();
      setToken(null);
      setNotice('The admin token is no longer accepted. Sign in again.');
    });
  }, [token]);

  if (!client) {
    return (
      <LoginPage
        notice={notice}
        onSignIn={(accepted) => {
          saveToken(accepted);
          setNotice(null);
          setToken(accepted);
        }}
      />
    );
  }

  return (
    <AdminClientContext.Provider value={client}>
      <AppShell
        path={location.path}
        themeChoice={choice}
        onThemeChange={choose}
        onSignOut={() => {
          forgetToken();
          setNotice(null);
          setToken(null);
        }}
      >
        <CurrentPage location={location} theme={theme} />
      </AppShell>
    </AdminClientContext.Provider>
  );
}
