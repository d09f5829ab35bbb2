/**
 * Exact decimal checks for marks. A mark arrives as a JSON number; its shortest decimal text (what
 * `String(x)` gives, e.g. `93.5`, `1e-9`) is the value the judge meant. Checked in whole units of
 * that text with bigints, so float noise can neither let an off-step value through (`1e-9` on a
 * 0.5 step was accepted with a tolerance) nor refuse a value that is on the step.
 */

/** A finite number as digits and decimal places: 93.5 → 935 and 1; 1e-9 → 1 and 9. */
function exact(x: number): { units: bigint; scale: number } {
  const [mantissa = '0', exponent = '0'] = String(Math.abs(x)).toLowerCase().split('e');
  const [whole = '0', fraction = ''] = mantissa.split('.');
  let scale = fraction.length - Number(exponent);
  let units = BigInt(whole + fraction);
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { units: x < 0 ? -units : units, scale };
}

/** Whether `value` is a whole multiple of `step` (0, step, 2·step, …), exactly. */
export function onStep(value: number, step: number): boolean {
  if (!Number.isFinite(value) || !Number.isFinite(step) || step <= 0) return false;
  const v = exact(value);
  const s = exact(step);
  const scale = Math.max(v.scale, s.scale);
  const valueUnits = v.units * 10n ** BigInt(scale - v.scale);
  const stepUnits = s.units * 10n ** BigInt(scale - s.scale);
  return valueUnits % stepUnits === 0n;
}
