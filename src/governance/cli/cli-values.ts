/** The CLI's value syntax: `50/month` budgets, `30d` expiries, `k=v` metadata, comma lists. */
import type { BudgetPeriod } from '../records.js';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const periodWords: Record<string, BudgetPeriod> = {
  day: 'daily',
  daily: 'daily',
  week: 'weekly',
  weekly: 'weekly',
  month: 'monthly',
  monthly: 'monthly',
  lifetime: 'lifetime',
  total: 'lifetime',
};

/** `50/month`, `10/day`, `5/week`, `100/lifetime`, or `50` (monthly). */
export function parseBudgetSpec(text: string): { amount_usd: number; period: BudgetPeriod } {
  const [amountText, periodText = 'monthly'] = text.split('/');
  const amount = Number(amountText?.replace(/^\$/, ''));
  const period = periodWords[periodText.trim().toLowerCase()];
  if (!Number.isFinite(amount) || amount <= 0) throw new UsageError(`budget '${text}': the amount must be a positive number of USD`);
  if (!period) throw new UsageError(`budget '${text}': the period must be day, week, month or lifetime`);
  return { amount_usd: amount, period };
}

const relativeUnits: Record<string, number> = { m: 60_000, h: 3600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** An ISO date or date-time, or a duration from now: `30d`, `12h`, `2w`. Returns epoch ms. */
export function parseExpiry(text: string, now: number): number {
  const relative = /^(\d+)([mhdw])$/.exec(text.trim());
  if (relative) return now + Number(relative[1]) * relativeUnits[relative[2]!]!;
  const at = Date.parse(text);
  if (!Number.isFinite(at)) throw new UsageError(`expiry '${text}': use an ISO date (2026-01-31) or a duration (30d, 12h)`);
  return at;
}

export function parseMetadata(pairs: readonly string[] | undefined): Record<string, string> | undefined {
  if (!pairs || pairs.length === 0) return undefined;
  const metadata: Record<string, string> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new UsageError(`metadata '${pair}': use key=value`);
    metadata[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return metadata;
}

export function parseList(values: readonly string[] | undefined): string[] | undefined {
  if (!values || values.length === 0) return undefined;
  return values.flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
}

export function parsePositiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new UsageError(`--${flag} must be a positive integer`);
  return number;
}

export function parseThresholds(values: readonly string[] | undefined): number[] | undefined {
  const list = parseList(values);
  if (!list) return undefined;
  return list.map((value) => {
    const number = value.endsWith('%') ? Number(value.slice(0, -1)) / 100 : Number(value);
    if (!Number.isFinite(number) || number <= 0 || number > 1) throw new UsageError(`alert threshold '${value}': use a fraction (0.8) or a percentage (80%)`);
    return number;
  });
}
