/** Turns the live tail on and off, and says how it is doing. */
import { Icon } from '../components/icons';
import type { TailState } from './use-live-tail';

const describe: Record<TailState, { dot: string; text: string }> = {
  off: { dot: 'off', text: 'Paused' },
  connecting: { dot: 'connecting', text: 'Connecting…' },
  live: { dot: 'live', text: 'Live' },
  reconnecting: { dot: 'connecting', text: 'Reconnecting…' },
  unavailable: { dot: 'failed', text: 'Live tail unavailable' },
};

export function TailToggle({ state, enabled, onToggle }: { state: TailState; enabled: boolean; onToggle(): void }) {
  const { dot, text } = describe[state];
  return (
    <button type="button" class="button tail-toggle" aria-pressed={enabled} onClick={onToggle} title={enabled ? 'Pause the live tail' : 'Follow new requests as they arrive'} data-testid="tail-toggle" data-state={state}>
      <span class="live-dot" data-state={dot} aria-hidden="true" />
      {text}
      <Icon name={enabled ? 'pause' : 'play'} size={12} />
    </button>
  );
}
