import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { onStep } from '../../server/domain/decimal.ts';

describe('exact step check', () => {
  it('takes values on the step and refuses the rest, whatever float noise', () => {
    expect(onStep(93.5, 0.5)).toBe(true);
    expect(onStep(0, 0.5)).toBe(true);
    expect(onStep(1e-9, 0.5)).toBe(false);
    expect(onStep(0.30000000000000004, 0.1)).toBe(false);
    expect(onStep(0.3, 0.1)).toBe(true);
    expect(onStep(2.25, 0.25)).toBe(true);
    expect(onStep(2.2, 0.25)).toBe(false);
    expect(onStep(15, 5)).toBe(true);
    expect(onStep(1e21, 1)).toBe(true);
    expect(onStep(-2.5, 0.5)).toBe(true);
    expect(onStep(Number.NaN, 0.5)).toBe(false);
    expect(onStep(1, 0)).toBe(false);
  });

  it('agrees with integer arithmetic on every multiple of a decimal step', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 100_000 }), fc.constantFrom(1, 2, 3), fc.constantFrom(1, 5, 25), (k, decimals, base) => {
        const step = base / 10 ** decimals;
        const value = Number(((k * base) / 10 ** decimals).toFixed(decimals));
        expect(onStep(value, step)).toBe(true);
        const off = Number(((k * base + 1) / 10 ** decimals).toFixed(decimals));
        if (base !== 1) expect(onStep(off, step)).toBe(false);
      }),
    );
  });
});
