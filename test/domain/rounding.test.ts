import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cleanFloat, fromHundredths, roundHalfUp, toHundredths } from '../../server/domain/index.ts';

describe('roundHalfUp', () => {
  it('rounds decimal ties up although the binary float lies below them', () => {
    expect(roundHalfUp(85.125)).toBe(85.13);
    expect(roundHalfUp(1.005)).toBe(1.01); // stored as 1.00499999999999989…
    expect(roundHalfUp(2.675)).toBe(2.68); // stored as 2.67499999999999982…
    expect(roundHalfUp(0.285)).toBe(0.29);
    expect(roundHalfUp(1.255, 2)).toBe(1.26);
    expect(roundHalfUp(8.345, 2)).toBe(8.35);
    expect(Math.round(1.005 * 100) / 100).toBe(1); // what naive rounding does
  });

  it('leaves values below the tie alone', () => {
    expect(roundHalfUp(1.0049)).toBe(1);
    expect(roundHalfUp(85.124999)).toBe(85.12);
    expect(roundHalfUp(88.16666666666667)).toBe(88.17);
    expect(roundHalfUp(85.83333333333333)).toBe(85.83);
  });

  it('is symmetric for negatives (half away from zero)', () => {
    expect(roundHalfUp(-1.005)).toBe(-1.01);
    expect(roundHalfUp(-85.125)).toBe(-85.13);
    expect(roundHalfUp(-0.004)).toBe(0);
    expect(Object.is(roundHalfUp(-0.004), -0)).toBe(false);
  });

  it('removes float noise from earlier arithmetic before rounding', () => {
    // 85.05 / 100 × 30 is 25.514999999999997 in binary; the decimal is 25.515.
    expect((85.05 / 100) * 30).toBe(25.514999999999997);
    expect(roundHalfUp((85.05 / 100) * 30)).toBe(25.52);
    expect(roundHalfUp(66.05 * 0.3)).toBe(19.82);
    expect(roundHalfUp(39 * 1.6 * 0.6)).toBe(37.44);
    expect(roundHalfUp(0.1 + 0.2, 2)).toBe(0.3);
  });

  it('supports other decimal counts', () => {
    expect(roundHalfUp(2.5, 0)).toBe(3);
    expect(roundHalfUp(-2.5, 0)).toBe(-3);
    expect(roundHalfUp(4.5, 0)).toBe(5); // not banker's rounding
    expect(roundHalfUp(1.0005, 3)).toBe(1.001);
    expect(roundHalfUp(123.45, 1)).toBe(123.5);
    expect(roundHalfUp(1e-9, 2)).toBe(0);
    expect(roundHalfUp(12345678.125, 2)).toBe(12345678.13);
    expect(() => roundHalfUp(1, 1.5)).toThrow(RangeError);
    expect(roundHalfUp(Number.NaN)).toBeNaN();
    expect(roundHalfUp(Infinity)).toBe(Infinity);
  });

  it('agrees with integer arithmetic on every 3-decimal value (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), (thousandths) => {
        const value = Number(`${thousandths}e-3`); // the double nearest the decimal
        const sign = thousandths < 0 ? -1 : 1;
        const abs = Math.abs(thousandths);
        const hundredths = Math.floor(abs / 10) + (abs % 10 >= 5 ? 1 : 0);
        const expected = hundredths === 0 ? 0 : sign * Number(`${hundredths}e-2`);
        expect(roundHalfUp(value, 2)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

/** The definition roundHalfUp implements, without its fast path: read at 15 digits, round the decimal. */
function referenceRoundHalfUp(value: number, decimals: number): number {
  if (value === 0) return 0;
  const [mantissa, exponent = '0'] = Math.abs(value).toPrecision(15).split('e');
  const rounded = Math.floor(Number(`${mantissa}e${Number(exponent) + decimals}`) + 0.5);
  const result = rounded === 0 ? 0 : Number(`${rounded}e-${decimals}`);
  return value < 0 && result !== 0 ? -result : result;
}

describe('roundHalfUp fast path', () => {
  it('agrees with the exact decimal definition on arbitrary doubles', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e7, max: 1e7, noNaN: true }), fc.integer({ min: 0, max: 4 }), (value, decimals) => {
        expect(roundHalfUp(value, decimals)).toBe(referenceRoundHalfUp(value, decimals));
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees on values computed the way the engine computes them (noisy ties included)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.constantFrom(10, 20, 25, 30, 50, 70, 80),
        fc.constantFrom(50, 100, 110, 150),
        (hundredths, weight, max) => {
          const score = hundredths / 100;
          const value = (score * weight) / max;
          expect(roundHalfUp(value, 2)).toBe(referenceRoundHalfUp(value, 2));
          expect(roundHalfUp(score * 0.7, 2)).toBe(referenceRoundHalfUp(score * 0.7, 2));
          expect(roundHalfUp((score / 100) * weight, 2)).toBe(referenceRoundHalfUp((score / 100) * weight, 2));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('cleanFloat equals the 15-digit reading', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 20 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), (tenths, any) => {
        const sum = tenths.reduce((a, t) => a + t / 10, 0);
        expect(cleanFloat(sum)).toBe(Number(sum.toPrecision(15)));
        expect(cleanFloat(any)).toBe(any === 0 ? 0 : Number(any.toPrecision(15)));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('hundredths helpers', () => {
  it('round-trip 2-decimal values and add without drift', () => {
    const dives = [88, 95.4, 94.35, 91.8, 39.1, 99]; // Rikuto Tamai, Paris 2024 final
    expect(dives.reduce((a, b) => a + b, 0)).toBe(507.65000000000003); // float addition drifts
    expect(fromHundredths(dives.reduce((a, b) => a + toHundredths(b), 0))).toBe(507.65);
    expect(cleanFloat(0.1 + 0.2)).toBe(0.3);
    expect(cleanFloat(0)).toBe(0);
  });
});
