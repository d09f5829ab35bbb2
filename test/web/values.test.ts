import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyKey, checkEntry, decimalsOf, formatValue, partMark, sumValues, type EntryKey } from '../../web/pages/judge/values.ts';

/** Types `text` key by key; returns the text the sheet holds and the first refusal, if any. */
function type(text: string, c: { max: number; step: number }) {
  let held = '';
  for (const ch of text) {
    const r = applyKey(held, ch as EntryKey, c);
    if (!r.ok) return { held, refusal: r.refusal };
    held = r.text;
  }
  return { held, refusal: null };
}

describe('what a judge may type', () => {
  const c = { max: 40, step: 0.5 };

  it('refuses a keystroke that goes over the maximum and keeps what was there', () => {
    expect(type('45', c)).toEqual({ held: '4', refusal: { kind: 'max', max: 40 } });
    expect(type('400', c)).toEqual({ held: '40', refusal: { kind: 'max', max: 40 } });
    expect(type('40.5', c)).toEqual({ held: '40.', refusal: { kind: 'max', max: 40 } }); // 40.0 is still fine
    // The refused key's text comes back too: the sheet shows it in red rather than dropping the key.
    expect(applyKey('4', '5', c)).toEqual({ ok: false, refusal: { kind: 'max', max: 40 }, text: '45' });
    expect(applyKey('8', '.', { max: 10, step: 1 })).toEqual({ ok: false, refusal: { kind: 'step', step: 1 } });
  });

  it('refuses a keystroke that leaves the step grid, but not one that may still land on it', () => {
    expect(type('12.3', c)).toEqual({ held: '12.', refusal: { kind: 'step', step: 0.5 } });
    expect(type('12.55', c)).toEqual({ held: '12.5', refusal: { kind: 'step', step: 0.5 } });
    expect(type('12.5', c)).toEqual({ held: '12.5', refusal: null });
    // Step 0.25: "0.2" is on the way to 0.25.
    expect(type('0.25', { max: 10, step: 0.25 })).toEqual({ held: '0.25', refusal: null });
    expect(type('0.3', { max: 10, step: 0.25 })).toEqual({ held: '0.', refusal: { kind: 'step', step: 0.25 } });
    // Step 5: "1" is on the way to 15; "13" is not going anywhere.
    expect(type('15', { max: 40, step: 5 })).toEqual({ held: '15', refusal: null });
    expect(type('13', { max: 40, step: 5 })).toEqual({ held: '1', refusal: { kind: 'step', step: 5 } });
    // Integer step: no decimal point at all.
    expect(type('8.', { max: 10, step: 1 })).toEqual({ held: '8', refusal: { kind: 'step', step: 1 } });
  });

  it('replaces a leading zero and steps on the grid with +/−', () => {
    expect(type('05', c).held).toBe('5');
    expect(type('0.5', c).held).toBe('0.5');
    expect(applyKey('4.5', 'up', c)).toEqual({ ok: true, text: '5' });
    expect(applyKey('', 'up', c)).toEqual({ ok: true, text: '0.5' });
    expect(applyKey('40', 'up', c)).toEqual({ ok: false, refusal: { kind: 'max', max: 40 } });
    expect(applyKey('0', 'down', c)).toEqual({ ok: false, refusal: { kind: 'min' } });
    expect(applyKey('13', 'up', { max: 40, step: 5 })).toEqual({ ok: true, text: '15' });
    expect(applyKey('13', 'down', { max: 40, step: 5 })).toEqual({ ok: true, text: '10' });
    expect(applyKey('12.', 'backspace', c)).toEqual({ ok: true, text: '12' });
  });

  it('checks a complete entry', () => {
    expect(checkEntry('', c)).toEqual({ ok: false, refusal: { kind: 'empty' } });
    expect(checkEntry('12.', c)).toEqual({ ok: true, value: 12 });
    expect(checkEntry('12.50', c)).toEqual({ ok: true, value: 12.5 });
    expect(checkEntry('12.3', c)).toEqual({ ok: false, refusal: { kind: 'step', step: 0.5 } });
    expect(checkEntry('41', c)).toEqual({ ok: false, refusal: { kind: 'max', max: 40 } });
    expect(checkEntry('1', { max: 40, step: 5 })).toEqual({ ok: false, refusal: { kind: 'step', step: 5 } });
    expect(checkEntry('abc', c).ok).toBe(false);
  });

  it('adds and deducts without binary-fraction noise', () => {
    expect(sumValues([0.1, 0.2])).toBe(0.3);
    expect(partMark('rubric', 100, [12.5, 8, 0.1])).toBe(20.6);
    expect(partMark('deduction', 100, [5, 2])).toBe(93);
    expect(partMark('deduction', 10, [8, 5])).toBe(0);
    expect(decimalsOf(0.5)).toBe(1);
    expect(decimalsOf(0.25)).toBe(2);
    expect(decimalsOf(1)).toBe(0);
    expect(formatValue(0.1 + 0.2)).toBe('0.3');
  });
});

describe('properties', () => {
  const steps = fc.constantFrom(0.01, 0.1, 0.25, 0.5, 1, 2, 5);
  const criterion = fc.record({ step: steps, units: fc.integer({ min: 1, max: 400 }) }).map(({ step, units }) => ({ step, max: Number((step * units).toFixed(6)) }));

  it('every valid value can be typed key by key and is accepted as it is', () => {
    fc.assert(
      fc.property(criterion, fc.nat(), (c, k) => {
        const units = Math.round(c.max / c.step);
        const value = Number(((k % (units + 1)) * c.step).toFixed(6));
        const text = formatValue(value);
        const typed = type(text, c);
        expect(typed.refusal).toBeNull();
        expect(checkEntry(typed.held, c)).toEqual({ ok: true, value });
      }),
    );
  });

  it('whatever is typed, the text held is a prefix of a valid value, and a confirmed value is valid', () => {
    const keys = fc.array(fc.constantFrom<EntryKey>('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '.', 'backspace', 'up', 'down'), { maxLength: 12 });
    fc.assert(
      fc.property(criterion, keys, (c, seq) => {
        let held = '';
        for (const k of seq) {
          const r = applyKey(held, k, c);
          if (r.ok) held = r.text;
        }
        const checked = checkEntry(held, c);
        if (checked.ok) {
          expect(checked.value).toBeLessThanOrEqual(c.max + 1e-9);
          expect(checked.value).toBeGreaterThanOrEqual(0);
          const q = checked.value / c.step;
          expect(Math.abs(q - Math.round(q))).toBeLessThan(1e-7);
        }
        // Never more decimals than the step has.
        const dot = held.indexOf('.');
        if (dot >= 0) expect(held.length - dot - 1).toBeLessThanOrEqual(decimalsOf(c.step));
      }),
    );
  });
});
