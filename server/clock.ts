/**
 * Time is an input: services read "now" from a Clock instead of `new Date()`, so tests can fix it
 * and the suite passes on any date. The app's clock is `app.clock` (server/plugins/clock.plugin.ts).
 */
export type Clock = {
  /** The current instant. */
  now(): Date;
};

/** The machine's clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock standing at `at` until moved (tests). */
export function fixedClock(at: Date | string): Clock & { set(at: Date | string): void; advance(ms: number): void } {
  let t = new Date(at).getTime();
  return {
    now: () => new Date(t),
    set: (next) => {
      t = new Date(next).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}
