import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyKey, checkEntry, type EntryKey } from '../../web/pages/judge/values.ts';

/** Grades −5 … +5 (issue 13): what a judge may type on the tablet for a criterion with a negative minimum. */
const grade = { min: -5, max: 5, step: 1 };

function type(keys: EntryKey[], c: { max: number; step: number; min?: number }) {
  let held = '';
  for (const k of keys) {
    const r = applyKey(held, k, c);
    if (!r.ok) return { held, refusal: r.refusal };
    held = r.text;
  }
  return { held, refusal: null };
}

describe('grades below zero on the judge’s keypad', () => {
  it('the ± key puts a minus in front (and takes it away); −6 is refused as below the minimum', () => {
    expect(type(['minus', '3'], grade)).toEqual({ held: '-3', refusal: null });
    expect(type(['3', 'minus'], grade)).toEqual({ held: '-3', refusal: null });
    expect(type(['minus', '3', 'minus'], grade)).toEqual({ held: '3', refusal: null });
    expect(type(['minus', '6'], grade)).toEqual({ held: '-', refusal: { kind: 'min', min: -5 } });
    expect(checkEntry('-3', grade)).toEqual({ ok: true, value: -3 });
    expect(checkEntry('-6', grade)).toEqual({ ok: false, refusal: { kind: 'min', min: -5 } });
    expect(checkEntry('-', grade)).toEqual({ ok: false, refusal: { kind: 'empty' } });
    expect(checkEntry('-0', grade)).toEqual({ ok: true, value: 0 });
  });

  it('a criterion from 0 up refuses the minus as before', () => {
    expect(applyKey('', 'minus', { max: 10, step: 0.5 })).toEqual({ ok: false, refusal: { kind: 'min' } });
    expect(checkEntry('-1', { max: 10, step: 0.5 })).toEqual({ ok: false, refusal: { kind: 'min' } });
  });

  it('±step walks down through zero to the minimum and stops there', () => {
    expect(type(['down'], grade)).toEqual({ held: '-1', refusal: null });
    expect(type(['1', 'down', 'down', 'down'], grade)).toEqual({ held: '-2', refusal: null });
    expect(type(['minus', '5', 'down'], grade)).toEqual({ held: '-5', refusal: { kind: 'min', min: -5 } });
    expect(type(['minus', '5', 'up', 'up'], grade)).toEqual({ held: '-3', refusal: null });
  });

  it('a minimum above zero (components 0.25 … 10) refuses less, not the typing towards it', () => {
    const pcs = { min: 0.25, max: 10, step: 0.25 };
    expect(type(['0', '.', '2', '5'], pcs)).toEqual({ held: '0.25', refusal: null });
    expect(checkEntry('0', pcs)).toEqual({ ok: false, refusal: { kind: 'min', min: 0.25 } });
    expect(type(['up'], pcs)).toEqual({ held: '0.25', refusal: null });
  });

  it('every grade on the step grid from the minimum to the maximum is accepted, and nothing else', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 10 }), fc.constantFrom(0.5, 1), (k, step) => {
        const c = { min: -5, max: 5, step };
        const v = k * step;
        const r = checkEntry(String(v), c);
        expect(r.ok).toBe(v >= -5 && v <= 5);
        if (r.ok) expect(r.value).toBe(v === 0 ? 0 : v);
      }),
    );
  });
});
