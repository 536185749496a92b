/** What a view shows while loading, when it has nothing, and when it failed. */
import type { ComponentChildren } from 'preact';
import { ApiError } from '../api/api-error';
import { Icon, type IconName } from './icons';

export function LoadingState({ label = 'Loading…', compact }: { label?: string; compact?: boolean }) {
  return (
    <div class={`state${compact ? ' state-compact' : ''}`} role="status" aria-live="polite" data-testid="loading-state">
      <span class="spinner" aria-hidden="true" />
      <span class="state-description">{label}</span>
    </div>
  );
}

export function EmptyState({ icon = 'inbox', title, children, action, compact }: { icon?: IconName; title: string; children?: ComponentChildren; action?: ComponentChildren; compact?: boolean }) {
  return (
    <div class={`state${compact ? ' state-compact' : ''}`} data-testid="empty-state">
      <span class="state-icon">
        <Icon name={icon} size={20} />
      </span>
      <p class="state-title">{title}</p>
      {children ? <p class="state-description">{children}</p> : null}
      {action}
    </div>
  );
}

function describe(error: Error, what: string): { icon: IconName; title: string; detail: string } {
  if (error instanceof ApiError && error.isNotFound) {
    return { icon: 'plug', title: `${what} isn't available on this gateway`, detail: `The admin API answered 404 (${error.message}). This gateway version may not serve it yet.` };
  }
  if (error instanceof ApiError && error.status === 0) {
    return { icon: 'alert', title: "Can't reach the gateway", detail: 'The request did not get an answer. Check that the gateway is running, then retry.' };
  }
  if (error instanceof ApiError && error.status === 403) {
    return { icon: 'lock', title: 'The admin API is turned off', detail: error.message };
  }
  return { icon: 'alert', title: `Couldn't load ${what.toLowerCase()}`, detail: error.message };
}

export function ErrorState({ error, what, onRetry }: { error: Error; what: string; onRetry?: () => void }) {
  const { icon, title, detail } = describe(error, what);
  return (
    <div class="state state-error" role="alert" data-testid="error-state">
      <span class="state-icon">
        <Icon name={icon} size={20} />
      </span>
      <p class="state-title">{title}</p>
      <p class="state-description">{detail}</p>
      {onRetry ? (
        <button type="button" class="button button-small" onClick={onRetry}>
          <Icon name="refresh" size={14} /> Retry
        </button>
      ) : null}
    </div>
  );
}
