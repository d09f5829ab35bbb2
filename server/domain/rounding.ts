/**
 * Decimal rounding for published scores.
 *
 * Scores are decimals on paper (85.125, 1.005) but binary floats in JavaScript, where
 * `1.005` is stored as 1.00499999999999989… and `Math.round(1.005 * 100) / 100` gives 1.
 * A results sheet that disagrees with a judge's calculator by 0.01 is an appeal (申诉), so the
 * engine never rounds with float arithmetic: it reads the value as a decimal string and
 * rounds the digits.
 */

/**
 * Significant digits a value is read at before rounding. Fifteen is what every double can
 * round-trip and what spreadsheets display, so a value that is a float-noise hair away from a
 * decimal (24.224999999999998 from 80.75 / 100 × 30) is read as that decimal (24.225).
 */
const READ_PRECISION = 15;

/** 10^0 … 10^15, exact doubles. */
const POWERS_OF_TEN = Array.from({ length: 16 }, (_, i) => Number(`1e${i}`));

/**
 * Rounds half away from zero at `decimals` places, treating `value` as the decimal it stands
 * for: `roundHalfUp(85.125) === 85.13`, `roundHalfUp(1.005) === 1.01`,
 * `roundHalfUp(-1.005) === -1.01` (negatives are symmetric), `roundHalfUp(2.5, 0) === 3`.
 *
 * The value is first read at 15 significant digits, which removes binary noise left by
 * earlier arithmetic; the rounding itself is then exact decimal rounding.
 * Non-finite values are returned unchanged; `-0` never comes out.
 *
 * @param value the number to round
 * @param decimals places after the decimal point, an integer from 0 to 15 (default 2)
 */
export function roundHalfUp(value: number, decimals = 2): number {
  if (!Number.isFinite(value)) return value;
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 15) {
    throw new RangeError(`decimals must be an integer from 0 to 15, got ${decimals}`);
  }
  if (value === 0) return 0;
  const negative = value < 0;
  const abs = negative ? -value : value;

  // Fast path (the engine rounds tens of thousands of values per ranking): away from a tie,
  // plain float scaling decides the same way as the exact decimal path below. Scaling by
  // 10^decimals and the 15-digit reading move a value below 1e8 (scaled) by well under 1e-6,
  // so a fraction more than 1e-6 from .5 cannot be on the other side of the tie.
  const scale = POWERS_OF_TEN[decimals]!;
  const scaled = abs * scale;
  if (scaled < 1e8) {
    const floor = Math.floor(scaled);
    const fraction = scaled - floor;
    if (Math.abs(fraction - 0.5) > 1e-6) {
      const rounded = fraction > 0.5 ? floor + 1 : floor;
      if (rounded === 0) return 0;
      // An integer divided by a power of ten is correctly rounded: the double nearest the decimal.
      return negative ? -(rounded / scale) : rounded / scale;
    }
  }

  // Exact path. toPrecision gives "d.ddd…" or "d.ddd…e±x"; moving the exponent by `decimals`
  // and letting the parser build the number is an exact decimal shift.
  const [mantissa, exponent = '0'] = abs.toPrecision(READ_PRECISION).split('e');
  const shifted = Number(`${mantissa}e${Number(exponent) + decimals}`);
  // From 2^52 on every double is an integer already: nothing left to round (and x + 0.5
  // would itself be rounded there).
  if (shifted >= 2 ** 52) return value;
  // `shifted` is the double nearest a decimal of at most 15 significant digits, so a tie is
  // exactly .5 and floor(x + 0.5) is exact below 2^52.
  const rounded = Math.floor(shifted + 0.5);
  if (rounded === 0) return 0;
  const result = Number(`${rounded}e-${decimals}`);
  return negative ? -result : result;
}

/**
 * Truncates toward zero at `decimals` places (截尾, a scheme's `rounding.mode: 'truncate'`), treating
 * `value` as the decimal it stands for: `truncate(8.666) === 8.66`, `truncate(0.29) === 0.29`
 * (0.29 × 100 is 28.999999999999996 in binary, which a plain Math.trunc would cut to 0.28),
 * `truncate(-1.239) === -1.23`. |truncate(x)| ≤ |roundHalfUp(x)|, and for x ≥ 0 truncate(x) ≤
 * roundHalfUp(x). Same reading at 15 significant digits as {@link roundHalfUp}; non-finite values
 * are returned unchanged; `-0` never comes out.
 *
 * @param value the number to truncate
 * @param decimals places after the decimal point, an integer from 0 to 15 (default 2)
 */
export function truncate(value: number, decimals = 2): number {
  if (!Number.isFinite(value)) return value;
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 15) {
    throw new RangeError(`decimals must be an integer from 0 to 15, got ${decimals}`);
  }
  if (value === 0) return 0;
  const negative = value < 0;
  const abs = negative ? -value : value;
  const scale = POWERS_OF_TEN[decimals]!;
  const scaled = abs * scale;
  // Fast path, as in roundHalfUp: away from a whole number of units, float scaling cuts where the
  // exact decimal path would.
  if (scaled < 1e8) {
    const floor = Math.floor(scaled);
    const fraction = scaled - floor;
    if (fraction > 1e-6 && fraction < 1 - 1e-6) {
      if (floor === 0) return 0;
      return negative ? -(floor / scale) : floor / scale;
    }
  }
  const [mantissa, exponent = '0'] = abs.toPrecision(READ_PRECISION).split('e');
  const shifted = Number(`${mantissa}e${Number(exponent) + decimals}`);
  if (shifted >= 2 ** 52) return value;
  // `shifted` is the double nearest a decimal of at most 15 significant digits: a whole number of
  // units is exactly that integer, anything else floors to the units below.
  const cut = Math.floor(shifted);
  if (cut === 0) return 0;
  const result = Number(`${cut}e-${decimals}`);
  return negative ? -result : result;
}

/**
 * Removes binary noise from a value built by adding or subtracting entered marks
 * (0.1 + 0.2 → 0.3) by reading it at 15 significant digits. This is not a rounding point:
 * it cannot change any value that has fewer than 15 significant digits as a decimal.
 */
export function cleanFloat(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value === 0 ? 0 : value;
  // Fast path: a value within a float's own rounding error (one epsilon, relative) of a
  // decimal with at most 6 places is that decimal; reading it at 15 digits would give the
  // same. Everything else takes the exact reading.
  const abs = Math.abs(value);
  if (abs < 1e8) {
    const scaled = value * 1e6;
    const nearest = Math.round(scaled);
    if (Math.abs(scaled - nearest) <= Number.EPSILON * Math.abs(scaled)) return nearest / 1e6;
  }
  return Number(value.toPrecision(READ_PRECISION));
}

/**
 * A score with at most two decimals as an exact integer number of hundredths.
 * Totals and tie-break subtotals are added in hundredths so that adding 2-decimal part
 * scores never drifts (96.9 + 86.4 + … must equal 547.50 exactly, and equal totals must
 * compare equal for shared ranks).
 */
export function toHundredths(value: number): number {
  return Math.round(value * 100);
}

/** Inverse of {@link toHundredths}: an integer number of hundredths as a 2-decimal number. */
export function fromHundredths(hundredths: number): number {
  // Division by 100 of an integer below 2^53 is correctly rounded, so this is the nearest
  // double to the decimal, whose shortest string is the 2-decimal value.
  return hundredths === 0 ? 0 : hundredths / 100;
}
