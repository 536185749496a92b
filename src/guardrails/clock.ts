/** Time, injected so tests are exact: `now()` in milliseconds (performance.now() by default). */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => performance.now() };
