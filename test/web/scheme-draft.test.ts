import { describe, expect, it, vi } from 'vitest';

// The form's i18n sets <html lang> when loaded: a stand-in document for Node, before any import
// (with the one method lit-html asks of a document it finds, as its own Node stand-in has).
vi.hoisted(() => {
  (globalThis as { document?: unknown }).document ??= { documentElement: {}, createTreeWalker: () => ({}) };
});

import { schemeSchema, type SchemeInput } from '../../server/contracts/scheme.ts';
import '../../web/i18n/organiser.ts';
import { checkScheme, criteriaTotal, fromScheme, hasAdvanced, hasExtras, newCriterion, newPart, presetScheme, toScheme, type SchemeDraft } from '../../web/pages/organiser/scheme-draft.ts';

/**
 * The marking-scheme form's model (web/pages/organiser/scheme-draft.ts) with the issue-13 options
 * it now has fields for: a criterion's lowest mark and factor, a part's kind (penalty), marks
 * combined per element, base values, and the scheme's rounding. Grade tables stay kept-as-is extras.
 */

/** Every option the form edits, plus grade tables (kept) and a default spelled out (`kind: 'score'`). */
const full: SchemeInput = {
  totaling: 'weighted',
  tieBreaks: ['part:tes', 'completion_time'],
  rounding: { at: 'part', mode: 'truncate' },
  gradeTables: [{ id: 'sov', name: 'SOV', grades: [-2, -1, 0, 1, 2], rows: [{ baseValue: 1.5, points: [-0.6, -0.3, 0, 0.3, 0.6] }] }],
  parts: [
    { id: 'theory', name: '理论', role: 'theory', weight: 30, max: 100, marking: 'objective', aggregation: { kind: 'mean' }, kind: 'score' },
    {
      id: 'tes',
      name: '技术动作',
      role: 'practical',
      weight: 70,
      max: 40,
      marking: 'rubric',
      aggregateBy: 'element',
      usesBaseValues: true,
      criteria: [
        { id: 'e1', name: '跳跃', min: -2, max: 2, step: 1, gradeTable: 'sov' },
        { id: 'e2', name: '旋转', min: -5, max: 5, step: 1, factor: 1.5 },
      ],
    },
    {
      id: 'style',
      name: '节目内容',
      role: 'other',
      weight: 0,
      max: 10,
      marking: 'deduction',
      kind: 'penalty',
      aggregateBy: 'judge',
      criteria: [{ id: 's1', name: '超时', min: 0, max: 10, step: 0.5, factor: 2 }],
    },
    { id: 'falls', name: '摔倒', role: 'other', weight: 0, max: 20, marking: 'objective', kind: 'penalty' },
  ],
};

/** The preset (theory 30 / practical 70 with two criteria) to change one field at a time. */
function preset(): SchemeDraft {
  return presetScheme(30);
}

describe('the scheme form keeps and writes every scoring option', () => {
  it('fromScheme → toScheme gives back the stored scheme exactly, grade tables kept as extras', () => {
    const stored = schemeSchema.parse(full);
    const draft = fromScheme(stored);
    // The options are fields now, as typed text.
    expect(draft.roundingAt).toBe('part');
    expect(draft.roundingMode).toBe('truncate');
    expect(draft.parts.map((p) => [p.kind, p.aggregateBy, p.usesBaseValues])).toEqual([
      ['score', 'judge', false],
      ['score', 'element', true],
      ['penalty', 'judge', false],
      ['penalty', 'judge', false],
    ]);
    expect(draft.parts[1]!.criteria.map((c) => [c.min, c.factor])).toEqual([
      ['-2', ''],
      ['-5', '1.5'],
    ]);
    expect(draft.parts[1]!.criteria[0]!.extra).toEqual({ gradeTable: 'sov' });
    expect(draft.parts[1]!.criteria[1]!.extra).toBeUndefined();
    expect(draft.extra).toEqual({ gradeTables: stored.gradeTables });
    expect(hasExtras(draft)).toBe(true);
    expect(checkScheme(draft)).toEqual({});
    // Written back and read by the server's schema: the same scheme, defaults spelled out included
    // (a round with marks compares schemes as JSON: an untouched scheme must not look changed).
    const back = schemeSchema.parse(toScheme(draft));
    expect(back).toEqual(stored);
    expect(JSON.stringify(Object.entries(back.parts[0]!).sort())).toBe(JSON.stringify(Object.entries(stored.parts[0]!).sort()));
  });

  it('a scheme without the options reads back without them: blank fields set nothing', () => {
    const draft = preset();
    expect(hasAdvanced(draft.parts[0]!) || hasAdvanced(draft.parts[1]!)).toBe(false);
    expect(hasExtras(draft)).toBe(false);
    const out = toScheme(draft);
    expect(out).not.toHaveProperty('rounding');
    expect(out).not.toHaveProperty('gradeTables');
    for (const p of out.parts) {
      for (const key of ['kind', 'aggregateBy', 'usesBaseValues']) expect(p).not.toHaveProperty(key);
      for (const c of p.criteria ?? []) {
        expect(c).not.toHaveProperty('min');
        expect(c).not.toHaveProperty('factor');
      }
    }
    // Blank text (spaces too) is "not set", not 0.
    draft.parts[1]!.criteria[0]!.min = '  ';
    draft.parts[1]!.criteria[0]!.factor = '';
    expect(toScheme(draft).parts[1]!.criteria![0]).toEqual({ id: draft.parts[1]!.criteria[0]!.id, name: '安全文明生产', max: 20, step: 0.5 });
    expect(checkScheme(draft)).toEqual({});
  });

  it('writes a grade range −5 … +5, a factor, a penalty part and rounding set in the form', () => {
    const draft = preset();
    draft.totaling = 'raw';
    const practical = draft.parts[1]!;
    practical.max = '30';
    practical.criteria = [
      { ...newCriterion(practical, '动作', '5'), min: '−5', step: '1', factor: '1.5' },
      { ...newCriterion(practical, '表现', '22.5'), id: 'x2' },
    ];
    // Σ max × factor = 5 × 1.5 + 22.5 = 30, the part maximum.
    expect(criteriaTotal(practical)).toEqual({ total: 30, ok: true, factors: true });
    draft.parts.push(newPart(draft, 'other', { name: '扣分', marking: 'objective', max: '10', weight: '25', kind: 'penalty', aggregateBy: 'element' }));
    draft.roundingMode = 'truncate';
    expect(checkScheme(draft)).toEqual({});
    const out = schemeSchema.parse(toScheme(draft));
    expect(out.parts[1]!.criteria[0]).toMatchObject({ min: -5, max: 5, step: 1, factor: 1.5 });
    expect(out.parts[1]!.criteria[1]).not.toHaveProperty('factor');
    // Raw totaling hides weights: a penalty goes in with 0; an objective part has no per-element option.
    expect(out.parts[2]).toMatchObject({ kind: 'penalty', weight: 0, marking: 'objective' });
    expect(out.parts[2]).not.toHaveProperty('aggregateBy');
    // One half of the rounding chosen: the other is its default.
    expect(out.rounding).toEqual({ at: 'element', mode: 'truncate' });
    draft.roundingMode = '';
    draft.roundingAt = 'end';
    expect(toScheme(draft).rounding).toEqual({ at: 'end', mode: 'half_up' });
  });

  it('shows each bad option at its own field, in Chinese, before the server is asked', () => {
    const cases: [string, (d: SchemeDraft) => void, string, string][] = [
      ['a minus below zero outside a rubric', (d) => ((d.parts[1]!.marking = 'deduction'), (d.parts[1]!.criteria[0]!.min = '-1')), 'scheme.parts.1.criteria.0.min', '只有“按细则打分”的细则最低分可以为负数'],
      ['a minimum not below the maximum', (d) => (d.parts[1]!.criteria[1]!.min = '80'), 'scheme.parts.1.criteria.1.min', '应小于分值 80'],
      ['a minimum off the step grid', (d) => (d.parts[1]!.criteria[0]!.min = '-0.3'), 'scheme.parts.1.criteria.0.min', '应为最小分度 0.5 的整数倍'],
      ['a minimum that is no number', (d) => (d.parts[1]!.criteria[0]!.min = '负五'), 'scheme.parts.1.criteria.0.min', '格式不正确'],
      ['a factor of 0', (d) => (d.parts[1]!.criteria[1]!.factor = '0'), 'scheme.parts.1.criteria.1.factor', '应大于 0'],
      ['a factor over 100', (d) => (d.parts[1]!.criteria[1]!.factor = '101'), 'scheme.parts.1.criteria.1.factor', '不能大于 100'],
      ['a weighted penalty', (d) => (d.parts[0]!.kind = 'penalty'), 'scheme.parts.0.weight', '罚分项从总分中直接扣除，权重应为 0'],
      ['base values per judge', (d) => (d.parts[1]!.usesBaseValues = true), 'scheme.parts.1.usesBaseValues', '基础分需要“按动作/要素分别汇总”或“各细则分别设评分组”'],
    ];
    for (const [what, change, key, message] of cases) {
      const draft = preset();
      change(draft);
      const errors = checkScheme(draft);
      expect(errors[key], what).toBe(message);
      // The server's own check of the same draft fails at that very field (nothing hides elsewhere).
      const parsed = schemeSchema.safeParse(toScheme(draft));
      expect(parsed.success, what).toBe(false);
      expect(parsed.error!.issues.map((i) => ['scheme', ...i.path].join('.')), what).toContain(key);
    }
  });

  it('refuses a scheme of penalties only, and factors that miss the full mark, in words', () => {
    const draft = preset();
    draft.totaling = 'raw';
    for (const p of draft.parts) p.kind = 'penalty';
    expect(checkScheme(draft)['scheme.parts']).toBe('至少需要一个计分部分（不能全是罚分项）');
    expect(schemeSchema.safeParse(toScheme(draft)).error!.issues.map((i) => i.path.join('.'))).toContain('parts');
    const d2 = preset();
    d2.parts[1]!.criteria[0]!.factor = '2';
    // 20 × 2 + 80 = 120, not 70's part maximum 100.
    expect(checkScheme(d2)['scheme.parts.1.criteria']).toBe('评分细则分值×系数合计 120，应等于该部分满分 100');
    // Base values make the part maximum a free scale: no sum to match.
    d2.parts[1]!.usesBaseValues = true;
    d2.parts[1]!.aggregateBy = 'element';
    expect(checkScheme(d2)).toEqual({});
  });
});
