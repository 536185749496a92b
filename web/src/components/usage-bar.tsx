/** Spend against a limit: spent solid, reserved (in-flight worst case) hatched, amber past 80%, red at the limit. */
export function usageTone(ratio: number): 'normal' | 'warning' | 'danger' {
  if (ratio >= 1) return 'danger';
  if (ratio >= 0.8) return 'warning';
  return 'normal';
}

export function UsageBar({ used, reserved = 0, limit, label }: { used: number; reserved?: number; limit: number; label: string }) {
  const ratio = limit > 0 ? used / limit : 0;
  const usedPercent = Math.min(100, ratio * 100);
  const reservedPercent = limit > 0 ? Math.min(100 - usedPercent, (reserved / limit) * 100) : 0;
  return (
    <div class="usage-bar" data-tone={usageTone(ratio)} role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={limit} aria-valuenow={used}>
      <span class="usage-used" style={{ width: `${usedPercent}%` }} />
      {reservedPercent > 0 ? <span class="usage-reserved" style={{ left: `${usedPercent}%`, width: `${reservedPercent}%` }} /> : null}
    </div>
  );
}
