/** Reading loosely typed values from the admin API's JSON. */

export function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export function amount(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

/** An ISO 8601 time (what the API sends) or epoch ms, as epoch ms; null when it is neither. */
export function time(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') {
    const parsed = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
    return Number.isNaN(parsed) ? null : parsed;
  }
  return null;
}

export function stringRecord(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([name, entry]) => [name, String(entry)]));
}
