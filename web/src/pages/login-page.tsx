/** Asks for the admin token once; it is kept for this tab's session. */
import { useState } from 'preact/hooks';
import { checkToken } from '../api/client';
import { BrandMark, Icon } from '../components/icons';

export function LoginPage({ notice, onSignIn }: { notice: string | null; onSignIn(token: string): void }) {
  const [token, setToken] = useState('');
  const [checking, setChecking] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    const candidate = token.trim();
    if (!candidate) {
      setProblem('Enter the admin token.');
      return;
    }
    setChecking(true);
    setProblem(null);
    const failure = await checkToken(candidate);
    setChecking(false);
    if (!failure) return onSignIn(candidate);
    if (failure.status === 401) setProblem('That token was not accepted. Check SWITCHYARD_ADMIN_TOKEN on the gateway.');
    else if (failure.status === 403) setProblem('The admin API is turned off on this gateway: set SWITCHYARD_ADMIN_TOKEN and restart it.');
    else setProblem(failure.message);
  }

  return (
    <div class="login">
      <form class="card login-card" onSubmit={submit} noValidate>
        <div class="login-brand">
          <BrandMark />
          <span>Switchyard</span>
        </div>
        <div class="login-heading">
          <h1>Sign in to the dashboard</h1>
          <p class="muted">Enter the gateway's admin token. It is kept only for this browser tab.</p>
        </div>
        {notice && !problem ? (
          <p class="banner" role="status">
            <Icon name="alert" size={14} />
            {notice}
          </p>
        ) : null}
        <label class="field">
          <span class="field-label">Admin token</span>
          <input
            class="input"
            type="password"
            name="token"
            autocomplete="current-password"
            spellcheck={false}
            autoFocus
            value={token}
            aria-invalid={problem ? 'true' : undefined}
            aria-describedby={problem ? 'login-problem' : undefined}
            onInput={(event) => setToken(event.currentTarget.value)}
          />
        </label>
        {problem ? (
          <p class="field-error" id="login-problem" role="alert">
            {problem}
          </p>
        ) : null}
        <button type="submit" class="button button-primary button-block" disabled={checking}>
          {checking ? <span class="spinner spinner-small" aria-hidden="true" /> : null}
          {checking ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
