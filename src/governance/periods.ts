/**
 * Budget periods aligned to the calendar in a time zone: a day from local
 * midnight, an ISO week from Monday's midnight, a month from the 1st; or a
 * lifetime total. Each period has a key (part of the counter's name), its
 * start, and its end (when a new counter begins).
 */
import type { BudgetPeriod } from './records.js';

export interface PeriodWindow {
  /** `d2025-06-03`, `w2025-06-02` (the Monday), `m2025-06`, or `all`. */
  readonly key: string;
  readonly start: number;
  /** null for a lifetime budget. */
  readonly end: number | null;
}

interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** 0 = Monday ... 6 = Sunday. */
  readonly weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short' });
    formatters.set(timeZone, found);
  }
  return found;
}

function localParts(at: number, timeZone: string): LocalDate & { hour: number; minute: number; second: number } {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(at)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: weekdays.indexOf(parts.weekday!),
  };
}

/** Local time minus UTC at an instant, in ms (whole seconds). */
function offsetAt(at: number, timeZone: string): number {
  const local = localParts(at, timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** The instant of local midnight on a calendar date (month and day may overflow, as in Date.UTC). */
export function localMidnight(year: number, month: number, day: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day);
  const first = guess - offsetAt(guess, timeZone);
  const second = guess - offsetAt(first, timeZone);
  return second;
}

function dateKey(year: number, month: number, day: number): string {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.toISOString().slice(0, 10);
}

export function periodOf(period: BudgetPeriod, at: number, timeZone: string): PeriodWindow {
  if (period === 'lifetime') return { key: 'all', start: 0, end: null };
  const local = localParts(at, timeZone);
  switch (period) {
    case 'daily':
      return { key: `d${dateKey(local.year, local.month, local.day)}`, start: localMidnight(local.year, local.month, local.day, timeZone), end: localMidnight(local.year, local.month, local.day + 1, timeZone) };
    case 'weekly': {
      const monday = local.day - local.weekday;
      return { key: `w${dateKey(local.year, local.month, monday)}`, start: localMidnight(local.year, local.month, monday, timeZone), end: localMidnight(local.year, local.month, monday + 7, timeZone) };
    }
    case 'monthly':
      return { key: `m${dateKey(local.year, local.month, 1).slice(0, 7)}`, start: localMidnight(local.year, local.month, 1, timeZone), end: localMidnight(local.year, local.month + 1, 1, timeZone) };
    default: {
      const unreachable: never = period;
      throw new Error(`unknown budget period ${String(unreachable)}`);
    }
  }
}
