/** An HTTP status as a colored pill: green for 2xx, amber for 4xx, red for 5xx and transport failures. */
export function statusTone(status: number | null | undefined): 'success' | 'warning' | 'danger' {
  if (status === null || status === undefined || status === 0 || status >= 500) return 'danger';
  if (status >= 400) return 'warning';
  return 'success';
}

export function StatusBadge({ status }: { status: number | null | undefined }) {
  return <span class={`badge badge-${statusTone(status)}`}>{status ? status : 'failed'}</span>;
}
