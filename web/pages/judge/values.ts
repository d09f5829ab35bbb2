/**
 * What a judge may type for a criterion, as pure functions (no DOM, no I/O), so the keypad, the
 * physical keyboard, the review screen and the correction form all refuse the same values.
 *
 * Values are handled as whole numbers of the criterion's smallest unit (0.5 → tenths), never as
 * binary fractions, so 0.1 + 0.2 style noise can neither let an off-step value through nor
 * refuse a good one. A keystroke is refused as soon as no value the keystroke could still lead to
 * is valid (over the maximum, or no completion lands on the step grid); a complete entry is
 * checked once more when the judge confirms it.
 */

/**
 * The parts of a scheme criterion the sheet needs (structurally the contract's `Criterion`).
 * `min` (default 0) goes below zero for grades such as −5 … +5: then a leading minus is allowed.
 */
export type CriterionRule = { max: number; step: number; min?: number | undefined };

/** Why a value or a keystroke was refused; the UI turns it into words (最高 40 分 / 按 0.5 分步进 / 最低 −5). */
export type Refusal = { kind: 'max'; max: number } | { kind: 'step'; step: number } | { kind: 'min'; min?: number } | { kind: 'empty' };

/**
 * A key's outcome. A refused digit or point still gives the text it would make (`text`): the sheet
 * shows it in red with the reason instead of dropping the key, so "55" against a maximum of 50
 * never silently becomes 5.
 */
export type KeyResult = { ok: true; text: string } | { ok: false; refusal: Refusal; text?: string };

/** Keys the keypad and the physical keyboard send. */
export type EntryKey = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '.' | 'backspace' | 'clear' | 'up' | 'down' | 'minus';

const MAX_DECIMALS = 6;

/** Decimal places of a step: 0.5 → 1, 0.25 → 2, 1 → 0. */
export function decimalsOf(step: number): number {
  for (let d = 0; d <= MAX_DECIMALS; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9) return d;
  }
  return MAX_DECIMALS;
}

type Units = { scale: number; decimals: number; stepU: number; maxU: number; minU: number };

function unitsOf(c: CriterionRule): Units {
  const decimals = Math.max(decimalsOf(c.step), decimalsOf(Math.abs(c.min ?? 0) || 1));
  const scale = 10 ** decimals;
  return { scale, decimals, stepU: Math.max(1, Math.round(c.step * scale)), maxU: Math.round(c.max * scale), minU: Math.round((c.min ?? 0) * scale) };
}

/** The refusal for a value below the criterion's minimum: with the minimum where it is not 0. */
function minRefusal(c: CriterionRule): Refusal {
  return c.min ? { kind: 'min', min: c.min } : { kind: 'min' };
}

/** Whether the criterion takes values below zero (grades): only then may a value start with a minus. */
export function allowsNegative(c: CriterionRule): boolean {
  return (c.min ?? 0) < 0;
}

/** Whether some multiple of `stepU` lies in [lo, hi]. */
function gridPointIn(lo: number, hi: number, stepU: number): boolean {
  return lo <= hi && Math.ceil(lo / stepU) * stepU <= hi;
}

/** The whole-unit value of well-formed text with at most `decimals` places; null for other text. */
function toUnits(text: string, decimals: number): number | null {
  const m = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || text === '' || text === '.') return null;
  const frac = m[2] ?? '';
  if (frac.length > decimals) return null;
  return Number(m[1] || '0') * 10 ** decimals + Number(frac.padEnd(decimals, '0') || '0');
}

/** The refusal for a partly typed text, or null when some valid value still starts with it. */
export function prefixRefusal(text: string, c: CriterionRule): Refusal | null {
  if (text.startsWith('-')) {
    // A negative value mirrors a positive one: "−3" is a prefix of valid values when "3" is one for
    // a maximum of −min (more digits make it more negative, down to the minimum).
    if (!allowsNegative(c)) return minRefusal(c);
    const magnitude = text.slice(1);
    if (magnitude === '') return null;
    const r = prefixRefusal(magnitude, { max: -(c.min ?? 0), step: c.step });
    return r?.kind === 'max' ? minRefusal(c) : r;
  }
  const u = unitsOf(c);
  const dot = text.indexOf('.');
  const fracDigits = dot < 0 ? 0 : text.length - dot - 1;
  if (fracDigits > u.decimals) return { kind: 'step', step: c.step };
  const low = toUnits(text.endsWith('.') ? text.slice(0, -1) : text, u.decimals);
  if (low === null) return { kind: 'step', step: c.step };
  if (low > u.maxU) return { kind: 'max', max: c.max };
  // Digits still to come after the decimal point widen the range upwards.
  const spread = 10 ** (u.decimals - fracDigits) - 1;
  if (gridPointIn(low, Math.min(u.maxU, low + spread), u.stepU)) return null;
  if (dot < 0 && low > 0) {
    // More integer digits: "1" may become "15" when the step is 5.
    const intPart = low / u.scale;
    for (let k = 1; intPart * 10 ** k <= c.max; k++) {
      const lo = intPart * 10 ** k * u.scale;
      const hi = (intPart * 10 ** k + 10 ** k) * u.scale - 1;
      if (gridPointIn(lo, Math.min(u.maxU, hi), u.stepU)) return null;
    }
  }
  return { kind: 'step', step: c.step };
}

/** Text for a value, as short as it can be: 12.5, 12, 0.25. */
export function formatValue(value: number): string {
  return String(Math.round(value * 10 ** MAX_DECIMALS) / 10 ** MAX_DECIMALS);
}

/**
 * Applies one key to the text typed so far. A refused key leaves the text as it was and says
 * why; nothing that cannot become a valid value is ever in the text.
 */
export function applyKey(text: string, key: EntryKey, c: CriterionRule): KeyResult {
  if (key === 'backspace') return { ok: true, text: text.slice(0, -1) };
  if (key === 'clear') return { ok: true, text: '' };
  if (key === 'minus') {
    if (!allowsNegative(c)) return { ok: false, refusal: minRefusal(c) };
    const next = text.startsWith('-') ? text.slice(1) : `-${text}`;
    const refusal = prefixRefusal(next, c);
    return refusal ? { ok: false, refusal, text: next } : { ok: true, text: next };
  }
  if (key === 'up' || key === 'down') return stepBy(text, key === 'up' ? 1 : -1, c);
  if (key === '.') {
    if (text.includes('.')) return { ok: true, text };
    if (decimalsOf(c.step) === 0) return { ok: false, refusal: { kind: 'step', step: c.step } };
    const next = (text === '' ? '0' : text) + '.';
    const refusal = prefixRefusal(next, c);
    return refusal ? { ok: false, refusal, text: next } : { ok: true, text: next };
  }
  // A leading zero is replaced, not extended: "0" then "5" is 5, not "05" (and "−0" then "5" is −5).
  const next = text === '0' ? key : text === '-0' ? `-${key}` : text + key;
  const refusal = prefixRefusal(next, c);
  return refusal ? { ok: false, refusal, text: next } : { ok: true, text: next };
}

/** One step up or down from the typed value, snapped onto the step grid first. */
function stepBy(text: string, direction: 1 | -1, c: CriterionRule): KeyResult {
  const u = unitsOf(c);
  const current = signedUnits(text.endsWith('.') ? text.slice(0, -1) : text, u.decimals);
  let next: number;
  // From nothing: up to the first step (or the minimum above it), down to −step where grades go below 0.
  if (current === null) next = direction > 0 ? Math.max(u.stepU, u.minU) : u.minU < 0 ? -u.stepU : -1;
  else if (current % u.stepU !== 0) next = (direction > 0 ? Math.ceil(current / u.stepU) : Math.floor(current / u.stepU)) * u.stepU;
  else next = current + direction * u.stepU;
  if (next < u.minU) return { ok: false, refusal: minRefusal(c) };
  if (next > u.maxU) return { ok: false, refusal: { kind: 'max', max: c.max } };
  return { ok: true, text: formatValue(next / u.scale) };
}

/** The whole-unit value of text that may start with a minus; null for other text. */
function signedUnits(text: string, decimals: number): number | null {
  if (!text.startsWith('-')) return toUnits(text, decimals);
  const units = toUnits(text.slice(1), decimals);
  return units === null ? null : -units;
}

/** The value of a complete entry, or why it is not one (empty, over the maximum, below the minimum, off the step). */
export function checkEntry(text: string, c: CriterionRule): { ok: true; value: number } | { ok: false; refusal: Refusal } {
  const raw = text.trim();
  if (raw === '' || raw === '-') return { ok: false, refusal: { kind: 'empty' } };
  if (raw.startsWith('-')) {
    if (!allowsNegative(c)) return { ok: false, refusal: minRefusal(c) };
    // −x is valid when x is, for a maximum of −min; refusals of the magnitude's maximum are the minimum's.
    const r = checkEntry(raw.slice(1), { max: -(c.min ?? 0), step: c.step });
    if (!r.ok) return r.refusal.kind === 'max' ? { ok: false, refusal: minRefusal(c) } : r;
    return { ok: true, value: r.value === 0 ? 0 : -r.value };
  }
  const trimmed = raw;
  const u = unitsOf(c);
  if (!/^\d*\.?\d*$/.test(trimmed) || trimmed === '.') return { ok: false, refusal: { kind: 'step', step: c.step } };
  const dot = trimmed.indexOf('.');
  // Trailing zeros after the point are harmless (12.50); anything else beyond the step's places is off-step.
  const frac = dot < 0 ? '' : trimmed.slice(dot + 1).replace(/0+$/, '');
  if (frac.length > u.decimals) {
    return Number(trimmed) > c.max ? { ok: false, refusal: { kind: 'max', max: c.max } } : { ok: false, refusal: { kind: 'step', step: c.step } };
  }
  const units = toUnits(dot < 0 ? trimmed : `${trimmed.slice(0, dot)}.${frac}`, u.decimals)!;
  if (units > u.maxU) return { ok: false, refusal: { kind: 'max', max: c.max } };
  if (units < u.minU) return { ok: false, refusal: minRefusal(c) };
  if (units % u.stepU !== 0) return { ok: false, refusal: { kind: 'step', step: c.step } };
  return { ok: true, value: units / u.scale };
}

/** Adds marks without binary-fraction noise (12.1 + 0.2 is 12.3). */
export function sumValues(values: readonly number[]): number {
  return Math.round(values.reduce((s, v) => s + v, 0) * 10 ** MAX_DECIMALS) / 10 ** MAX_DECIMALS;
}

/**
 * A judge's mark for a part from their criterion values: the sum for a rubric part; the full mark
 * less the deductions for a deduction part (扣分制), never below zero.
 */
export function partMark(marking: 'rubric' | 'deduction', max: number, values: readonly number[]): number {
  const sum = sumValues(values);
  return marking === 'deduction' ? Math.max(0, sumValues([max, -sum])) : sum;
}
