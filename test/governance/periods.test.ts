import { describe, expect, it } from 'vitest';
import { periodOf } from '../../src/governance/periods.js';

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

describe('budget periods on the calendar of a time zone', () => {
  it('a day, a Monday-based week and a month in UTC', () => {
    const at = Date.parse('2025-06-04T15:30:00Z'); // a Wednesday
    expect(periodOf('daily', at, 'UTC')).toEqual({ key: 'd2025-06-04', start: Date.parse('2025-06-04T00:00:00Z'), end: Date.parse('2025-06-05T00:00:00Z') });
    expect(periodOf('weekly', at, 'UTC')).toEqual({ key: 'w2025-06-02', start: Date.parse('2025-06-02T00:00:00Z'), end: Date.parse('2025-06-09T00:00:00Z') });
    expect(periodOf('monthly', at, 'UTC')).toEqual({ key: 'm2025-06', start: Date.parse('2025-06-01T00:00:00Z'), end: Date.parse('2025-07-01T00:00:00Z') });
    expect(periodOf('lifetime', at, 'UTC')).toEqual({ key: 'all', start: 0, end: null });
  });

  it('begins at local midnight in another zone, across month and year ends', () => {
    // 2025-01-01T03:00Z is still 31 December in New York (UTC-5).
    const at = Date.parse('2025-01-01T03:00:00Z');
    const daily = periodOf('daily', at, 'America/New_York');
    expect([daily.key, iso(daily.start), iso(daily.end)]).toEqual(['d2024-12-31', '2024-12-31T05:00:00.000Z', '2025-01-01T05:00:00.000Z']);
    const monthly = periodOf('monthly', at, 'America/New_York');
    expect([monthly.key, iso(monthly.start), iso(monthly.end)]).toEqual(['m2024-12', '2024-12-01T05:00:00.000Z', '2025-01-01T05:00:00.000Z']);
    const tokyo = periodOf('daily', at, 'Asia/Tokyo');
    expect([tokyo.key, iso(tokyo.start)]).toEqual(['d2025-01-01', '2024-12-31T15:00:00.000Z']);
  });

  it('follows daylight saving: a day may last 23 hours', () => {
    const spring = periodOf('daily', Date.parse('2025-03-30T12:00:00Z'), 'Europe/Berlin');
    expect([iso(spring.start), iso(spring.end)]).toEqual(['2025-03-29T23:00:00.000Z', '2025-03-30T22:00:00.000Z']);
    const week = periodOf('weekly', Date.parse('2025-03-30T12:00:00Z'), 'Europe/Berlin');
    expect([week.key, iso(week.start), iso(week.end)]).toEqual(['w2025-03-24', '2025-03-23T23:00:00.000Z', '2025-03-30T22:00:00.000Z']);
  });
});
