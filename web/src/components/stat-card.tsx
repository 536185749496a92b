import type { ComponentChildren } from 'preact';

export function StatCard({ label, value, hint, tone }: { label: string; value: ComponentChildren; hint?: ComponentChildren; tone?: 'danger' }) {
  return (
    <div class="card stat" data-testid="stat">
      <span class="stat-label">{label}</span>
      <span class="stat-value" style={tone === 'danger' ? { color: 'var(--danger)' } : undefined}>
        {value}
      </span>
      <span class="stat-hint">{hint ?? '\u00a0'}</span>
    </div>
  );
}
