import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { roundHalfUp } from '../../server/domain/rounding.ts';
import { formatDuration, parseDuration } from '../../server/contracts/objective-fields.ts';
import { contributionOf, DraftStore, readCell, showValue, splitPaste, sumContributions } from '../../web/components/objective-values.ts';

const theory = { field: 'theory', kind: 'part' as const, max: 100, weight: 30 };
const time = { field: 'completionTime', kind: 'completion_time' as const, max: 604800, weight: null };

describe('what a cell of the objective grid reads as', () => {
  it('takes scores with up to two decimals, full-width digits too, and refuses the rest with a reason', () => {
    expect(readCell(theory, '82')).toEqual({ ok: true, value: 82 });
    expect(readCell(theory, ' ８９．５ ')).toEqual({ ok: true, value: 89.5 });
    expect(readCell(theory, '')).toEqual({ ok: true, value: null });
    expect(readCell(theory, '101')).toMatchObject({ ok: false, message: 'obj.err.range' });
    expect(readCell(theory, '80.125')).toMatchObject({ ok: false, message: 'obj.err.step' });
    expect(readCell(theory, '八十')).toMatchObject({ ok: false, message: 'obj.err.number' });
    expect(readCell(theory, '-3')).toMatchObject({ ok: false, message: 'obj.err.number' });
  });

  it('takes times as seconds or minutes:seconds and shows them as m:ss', () => {
    expect(readCell(time, '12:34')).toEqual({ ok: true, value: 754 });
    expect(readCell(time, '754')).toEqual({ ok: true, value: 754 });
    expect(readCell(time, '12:75')).toMatchObject({ ok: false, message: 'obj.err.time' });
    expect(showValue(time, 754)).toBe('12:34');
    expect(showValue(time, 3754.5)).toBe('1:02:34.5');
    expect(showValue(theory, 89.5)).toBe('89.5');
    expect(showValue(theory, null)).toBe('');
  });

  it('reads back every time it shows (any number of hundredths of a second)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 604800 * 100 }), (h) => {
        const seconds = h / 100;
        expect(parseDuration(formatDuration(seconds))).toBeCloseTo(seconds, 6);
      }),
    );
  });
});

describe('the row subtotal', () => {
  it('adds each objective part’s weighted contribution, rounded like the results sheet', () => {
    expect(contributionOf('weighted', theory, 82)).toBe(24.6);
    expect(contributionOf('weighted', theory, 85.55)).toBe(25.67);
    expect(contributionOf('weighted', { ...theory, weight: 20 }, 80.75)).toBe(16.15);
    expect(contributionOf('raw', theory, 85.55)).toBe(85.55);
    expect(contributionOf('weighted', time, 754)).toBe(0);
    expect(sumContributions([24.6, 0.1, 0.2])).toBe(24.9);
  });
});

describe('the subtotal agrees with the engine', () => {
  it('rounds every score and weight the way the scoring engine does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10000 }), fc.integer({ min: 1, max: 100 }), (h, weight) => {
        const value = h / 100;
        expect(contributionOf('weighted', { ...theory, weight }, value)).toBe(roundHalfUp((value * weight) / 100, 2));
      }),
    );
  });
});

describe('a block pasted from Excel', () => {
  it('splits rows by line and cells by tab, dropping the last empty line', () => {
    expect(splitPaste('82\r\n90.5\r\n')).toEqual([['82'], ['90.5']]);
    expect(splitPaste('82\t12:34\n77\t11:00')).toEqual([
      ['82', '12:34'],
      ['77', '11:00'],
    ]);
    expect(splitPaste('82')).toEqual([['82']]);
  });
});

describe('unsaved cells on the device', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('are kept per event and round, and removed once all are saved', () => {
    const data = new Map<string, string>();
    vi.stubGlobal('localStorage', {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => data.set(k, v),
      removeItem: (k: string) => data.delete(k),
    });
    const store = new DraftStore(7, 3);
    store.save(new Map([['1:theory', { text: '95', key: 'obj-abc' }]]));
    expect(new DraftStore(7, 3).load().get('1:theory')).toEqual({ text: '95', key: 'obj-abc' });
    expect(new DraftStore(7, 4).load().size).toBe(0);
    store.save(new Map());
    expect(data.size).toBe(0);
  });
});
