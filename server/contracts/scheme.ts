import { z } from 'zod';

/**
 * The scoring scheme of an event: what is marked, how a panel's marks become a part score,
 * and how part scores become a total and a rank. Pure zod, shared by the server and the web app.
 */

/** The most marks a trimmed aggregation drops from each end: 2 × 7 + 1 = 15 judges (expectedMarks allows 20). */
export const MAX_DROP = 7;
/** The most criteria (elements) a part may have: a free-skating programme has 12 or 13, a gymnastics routine up to 10, a skills task 40. */
export const MAX_CRITERIA = 100;

const ID = /^[a-z0-9_-]{1,40}$/;

/** How several judges' marks for one part become one score. */
export const aggregationSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('mean') }),
    /**
     * Drop the `drop` highest and `drop` lowest marks, average the rest (去掉最高最低取平均). Any k up
     * to 7: a panel of 15 judges dropping 7 of each end keeps the median.
     */
    z.object({ kind: z.literal('trimmed_mean'), drop: z.int().min(0).max(MAX_DROP).default(1) }),
    z.object({ kind: z.literal('median') }),
    /** Drop `drop` of each end and add up the rest (diving-style). */
    z.object({ kind: z.literal('trimmed_sum'), drop: z.int().min(0).max(MAX_DROP).default(1) }),
  ])
  .meta({ id: 'Aggregation' });
export type Aggregation = z.infer<typeof aggregationSchema>;

/**
 * One rubric item (an element) a judge marks: a value between `min` (default 0) and `max` in
 * multiples of `step`.
 *
 * The options below are new with issue 13 and all optional; a criterion without them scores as it
 * always did. They are left out (not defaulted) so a stored scheme reads back unchanged.
 */
export const criterionSchema = z
  .object({
    id: z.string().regex(ID, 'lower-case letters, digits, _ or -'),
    name: z.string().min(1).max(200),
    max: z.number().positive().max(10_000),
    step: z.number().positive().max(100).default(0.5),
    /**
     * The lowest value a judge may enter, default 0. Negative for grades (GOE −5 … +5) in a rubric
     * part; a whole number of steps, so the step grid counted from 0 and from `min` is the same.
     */
    min: z.number().min(-10_000).max(10_000).optional(),
    /** The panel's value for this criterion is multiplied by it (× 1.5, or a WorldSkills aspect's max mark / 3); default 1. */
    factor: z.number().positive().max(100).optional(),
    /**
     * Grades to points: the id of one of the scheme's `gradeTables`. Judges enter a grade; the engine
     * scores the points the table gives for the entry's base value and that grade. Marks stay stored
     * as the grade. Needs a part that uses base values.
     */
    gradeTable: z.string().regex(ID).optional(),
  })
  .meta({ id: 'Criterion' });
export type Criterion = z.infer<typeof criterionSchema>;

export const partSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_-]{1,40}$/, 'lower-case letters, digits, _ or -'),
    name: z.string().min(1).max(200),
    /** theory / practical drive the default tie-breaks ("higher practical, then higher theory"). */
    role: z.enum(['theory', 'practical', 'other']),
    /** Share of the 100-point total (weighted totaling); ignored by raw totaling. */
    weight: z.number().min(0).max(100),
    /** Full mark of the part (a judge's part mark lies in 0..max). */
    max: z.number().positive().max(10_000),
    /**
     * objective: one value entered once (exam result, measurement), criterion id = part id;
     * rubric: each judge awards points per criterion, the judge's part mark is their sum;
     * deduction: each judge records deductions per criterion (扣分制), the judge's part mark is
     * max − Σ deductions, never below 0.
     */
    marking: z.enum(['objective', 'rubric', 'deduction']),
    criteria: z.array(criterionSchema).max(MAX_CRITERIA).default([]),
    aggregation: aggregationSchema.default({ kind: 'trimmed_mean', drop: 1 }),
    /** Fewest judges' marks the aggregation accepts; below it the part is incomplete. */
    minMarks: z.int().min(1).max(20).default(1),
    /**
     * Judges expected to mark this part while no panel is set for it in a round: the panel's size
     * (its seats, server/features/judges/panels.service.ts) replaces it once judges are seated.
     */
    expectedMarks: z.int().min(1).max(20).default(1),
    /**
     * Who a panel is for: `part` (default) – the same judges mark every criterion and each judge's
     * part mark is aggregated; `criterion` – each criterion has its own panel (sub-panels), each
     * criterion's marks are aggregated and the part is their sum (rubric) or max − their sum
     * (deduction). Objective parts have no panel.
     */
    panel: z.enum(['part', 'criterion']).optional(),
    /** Whether an entry may declare a difficulty coefficient (难度系数) for this part. */
    usesDifficulty: z.boolean().default(false),
    multiplier: z.number().positive().max(100).default(1),
    /**
     * score (default): the part adds to the total as usual. penalty: a deductions part (falls, time
     * violations, neutral deductions 中性扣分): its score is subtracted from the entry's total as it
     * is, never scaled by a weight (its weight must be 0); an objective penalty with no value entered
     * counts 0 and is complete, since most entries have none. Not the same as `marking: 'deduction'`,
     * which marks a part from its full mark down.
     */
    kind: z.enum(['score', 'penalty']).optional(),
    /**
     * judge (default): each judge's part mark (Σ criteria) is aggregated over the panel. element:
     * each criterion is an element whose marks are aggregated over the panel on their own (the
     * figure-skating GOE panel: a trimmed mean per element); the part is the sum of its elements.
     * A part with a panel per criterion is aggregated per element already.
     */
    aggregateBy: z.enum(['judge', 'element']).optional(),
    /**
     * Whether each element has a base value entered per entry by staff (declared difficulty, an
     * element's base value in a Scale of Values): element score = base value + the panel's judged
     * value. Needs an element part (aggregateBy 'element' or a panel per criterion) marked as a rubric.
     */
    usesBaseValues: z.boolean().optional(),
  })
  .meta({ id: 'Part' });
export type Part = z.infer<typeof partSchema>;

export const tieBreakSchema = z
  .union([z.enum(['completion_time', 'practical', 'theory']), z.templateLiteral(['part:', z.string().regex(ID)])])
  .meta({
    id: 'TieBreak',
    description: "completion_time: shorter first; practical/theory: higher score first; part:<id>: the higher total of that part (its weighted column) first",
  });
export type TieBreak = z.infer<typeof tieBreakSchema>;

/** The part a `part:<id>` tie-break names, or null for the other tie-breaks. */
export function tieBreakPart(tieBreak: TieBreak): string | null {
  return tieBreak.startsWith('part:') ? tieBreak.slice(5) : null;
}

/**
 * Where the panel's value is rounded and how (two decimals always, the published figures).
 * element (default): where each panel result is formed — per element for element parts and parts
 * with a panel per criterion, per part otherwise (today's rounding points, server/domain/scoring.ts);
 * part: element values are kept exact and the part's value is rounded; end: nothing is rounded until
 * the entry's total (and the theory / practical subtotals). `mode` applies at every rounding point
 * of the scheme: half_up (四舍五入, default) or truncate (截尾: toward zero).
 */
export const roundingSchema = z
  .object({
    at: z.enum(['element', 'part', 'end']).default('element'),
    mode: z.enum(['half_up', 'truncate']).default('half_up'),
  })
  .meta({ id: 'Rounding' });
export type Rounding = z.infer<typeof roundingSchema>;

/**
 * A grade → points table (a Scale of Values): for each base value a row of points, one per grade.
 * A judge enters a grade (e.g. −5 … +5); the element scores `rows[base value].points[grade]`.
 */
export const gradeTableSchema = z
  .object({
    id: z.string().regex(ID, 'lower-case letters, digits, _ or -'),
    name: z.string().min(1).max(200),
    /** The grades, ascending (e.g. −5, −4, …, 5). */
    grades: z.array(z.number().min(-10_000).max(10_000)).min(1).max(41),
    rows: z
      .array(
        z.object({
          /** The element's base value this row is for (two decimals at most). */
          baseValue: z.number().min(0).max(10_000),
          /** Points per grade, in the order of `grades`. */
          points: z.array(z.number().min(-10_000).max(10_000)).min(1).max(41),
        }),
      )
      .min(1)
      .max(500),
  })
  .meta({ id: 'GradeTable' });
export type GradeTable = z.infer<typeof gradeTableSchema>;

export const schemeSchema = z
  .object({
    /** weighted: Σ part score / part max × weight (100-point scale); raw: Σ aggregate × difficulty × multiplier. */
    totaling: z.enum(['weighted', 'raw']).default('weighted'),
    parts: z.array(partSchema).min(1).max(20),
    tieBreaks: z.array(tieBreakSchema).max(5).default(['completion_time', 'practical', 'theory']),
    /** Where and how panel values are rounded; absent: half-up at today's points. */
    rounding: roundingSchema.optional(),
    /** Grade → points tables the criteria refer to (`criterion.gradeTable`). */
    gradeTables: z.array(gradeTableSchema).max(50).optional(),
  })
  .superRefine((scheme, ctx) => {
    checkElementOptions(scheme, ctx);
    const ids = new Set<string>();
    scheme.parts.forEach((part, i) => {
      if (ids.has(part.id)) ctx.addIssue({ code: 'custom', path: ['parts', i, 'id'], message: `duplicate part id ${part.id}` });
      ids.add(part.id);
      // Marks are keyed by part and criterion, so two parts may share a criterion id; one part may not.
      const criterionIds = new Set<string>();
      part.criteria.forEach((c, j) => {
        if (criterionIds.has(c.id)) ctx.addIssue({ code: 'custom', path: ['parts', i, 'criteria', j, 'id'], message: `duplicate criterion id ${c.id} in part ${part.id}` });
        criterionIds.add(c.id);
      });
      if (part.marking === 'objective' && part.panel === 'criterion')
        ctx.addIssue({ code: 'custom', path: ['parts', i, 'panel'], message: 'an objective part has no panel' });
      if (part.marking !== 'objective' && part.criteria.length === 0)
        ctx.addIssue({ code: 'custom', path: ['parts', i, 'criteria'], message: 'a rubric or deduction part needs at least one criterion' });
      // With base values or grade tables an element's points are not its maximum: the part maximum
      // is the organiser's scale for weighted totaling. Otherwise Σ factor × max is the full mark.
      if (part.marking === 'rubric' && !part.usesBaseValues && !part.criteria.some((c) => c.gradeTable)) {
        const sum = part.criteria.reduce((s, c) => s + c.max * (c.factor ?? 1), 0);
        if (Math.abs(sum - part.max) > 1e-9)
          ctx.addIssue({
            code: 'custom',
            path: ['parts', i, 'criteria'],
            message: part.criteria.some((c) => c.factor !== undefined)
              ? `criteria maxima × factors add up to ${+sum.toFixed(6)}, not the part maximum ${part.max}`
              : `criteria maxima add up to ${sum}, not the part maximum ${part.max}`,
          });
      }
      if (part.minMarks > part.expectedMarks)
        ctx.addIssue({ code: 'custom', path: ['parts', i, 'minMarks'], message: 'minMarks cannot exceed expectedMarks' });
    });
    if (scheme.totaling === 'weighted') {
      const total = scheme.parts.reduce((s, p) => s + p.weight, 0);
      if (Math.abs(total - 100) > 1e-9)
        ctx.addIssue({ code: 'custom', path: ['parts'], message: `weights add up to ${total}, not 100` });
    }
  })
  .meta({ id: 'Scheme' });
export type Scheme = z.infer<typeof schemeSchema>;
export type SchemeInput = z.input<typeof schemeSchema>;

/** The criteria a judge marks for a part: objective parts have one implicit criterion named after the part. */
export function criteriaOf(part: Part): Criterion[] {
  return part.marking === 'objective'
    ? [{ id: part.id, name: part.name, max: part.max, step: 0.01 }]
    : part.criteria;
}

/** Whether the part has a panel per criterion rather than one for the whole part. */
export function panelPerCriterion(part: Part): boolean {
  return part.panel === 'criterion' && part.marking !== 'objective';
}

/** Whether the part's marks are aggregated per criterion (element): `aggregateBy: 'element'` or a panel per criterion. */
export function perElement(part: Part): boolean {
  return part.marking !== 'objective' && (part.aggregateBy === 'element' || part.panel === 'criterion');
}

/** Whether the part is a deductions part, subtracted from the total (`kind: 'penalty'`). */
export function isPenalty(part: Part): boolean {
  return part.kind === 'penalty';
}

/** The lowest value a judge may enter for the criterion (default 0). */
export function criterionMin(criterion: Criterion): number {
  return criterion.min ?? 0;
}

/** A multiple of `step` (0, ±step, …) within a float's noise: the contract has no exact decimals of its own. */
function onGrid(value: number, step: number): boolean {
  const q = value / step;
  return Math.abs(q - Math.round(q)) < 1e-9;
}

/** The values a judge may enter for a criterion (min … max on the step grid); null when there are more than `limit`. */
export function criterionGrades(criterion: Criterion, limit = 1000): number[] | null {
  const min = criterionMin(criterion);
  const first = Math.ceil(min / criterion.step - 1e-9);
  const last = Math.floor(criterion.max / criterion.step + 1e-9);
  if (last - first + 1 > limit) return null;
  const out: number[] = [];
  for (let k = first; k <= last; k++) out.push(Number((k * criterion.step).toPrecision(12)));
  return out;
}

/**
 * The checks of the issue-13 options (element parts, base values, grade tables, penalties,
 * rounding, part tie-breaks), each problem named by its path so a form or a workbook cell can show it.
 */
function checkElementOptions(scheme: { parts: Part[]; tieBreaks: TieBreak[]; gradeTables?: GradeTable[] | undefined }, ctx: z.RefinementCtx): void {
  const tables = new Map<string, GradeTable>();
  (scheme.gradeTables ?? []).forEach((table, t) => {
    const at = ['gradeTables', t];
    if (tables.has(table.id)) ctx.addIssue({ code: 'custom', path: [...at, 'id'], message: `duplicate grade table id ${table.id}` });
    tables.set(table.id, table);
    table.grades.forEach((g, k) => {
      if (k > 0 && g <= table.grades[k - 1]!) ctx.addIssue({ code: 'custom', path: [...at, 'grades', k], message: 'grades must be in ascending order, each once' });
    });
    const seen = new Set<number>();
    table.rows.forEach((row, r) => {
      const key = Math.round(row.baseValue * 100);
      if (Math.abs(row.baseValue * 100 - key) > 1e-6) ctx.addIssue({ code: 'custom', path: [...at, 'rows', r, 'baseValue'], message: 'a base value has at most two decimals' });
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [...at, 'rows', r, 'baseValue'], message: `base value ${row.baseValue} has two rows` });
      seen.add(key);
      if (row.points.length !== table.grades.length)
        ctx.addIssue({ code: 'custom', path: [...at, 'rows', r, 'points'], message: `${row.points.length} points for ${table.grades.length} grades` });
    });
  });

  const partIds = new Set(scheme.parts.map((p) => p.id));
  let scoring = 0;
  scheme.parts.forEach((part, i) => {
    const at = ['parts', i];
    const penalty = part.kind === 'penalty';
    if (!penalty) scoring++;
    if (penalty && part.weight !== 0)
      ctx.addIssue({ code: 'custom', path: [...at, 'weight'], message: 'a penalty part is subtracted as it is: its weight must be 0' });
    const elementPart = part.marking !== 'objective' && (part.aggregateBy === 'element' || part.panel === 'criterion');
    if (part.aggregateBy === 'element' && part.marking === 'objective')
      ctx.addIssue({ code: 'custom', path: [...at, 'aggregateBy'], message: 'an objective part has one value: nothing to aggregate per element' });
    if (part.usesBaseValues && (!elementPart || part.marking !== 'rubric'))
      ctx.addIssue({ code: 'custom', path: [...at, 'usesBaseValues'], message: "base values need a rubric part aggregated per element (aggregateBy 'element')" });
    part.criteria.forEach((c, j) => {
      const cat = [...at, 'criteria', j];
      const min = c.min ?? 0;
      if (c.min !== undefined) {
        if (min >= c.max) ctx.addIssue({ code: 'custom', path: [...cat, 'min'], message: `the minimum must be below the maximum ${c.max}` });
        if (min < 0 && part.marking !== 'rubric')
          ctx.addIssue({ code: 'custom', path: [...cat, 'min'], message: 'only a rubric criterion may go below 0 (a deduction is never negative)' });
        if (!onGrid(min, c.step)) ctx.addIssue({ code: 'custom', path: [...cat, 'min'], message: `the minimum must be a multiple of the step ${c.step}` });
      }
      if (c.gradeTable !== undefined) {
        const table = tables.get(c.gradeTable);
        if (!table) {
          ctx.addIssue({ code: 'custom', path: [...cat, 'gradeTable'], message: `no grade table ${c.gradeTable} in the scheme` });
          return;
        }
        if (!part.usesBaseValues)
          ctx.addIssue({ code: 'custom', path: [...cat, 'gradeTable'], message: 'a grade table gives points per base value: the part must use base values' });
        const grades = criterionGrades(c, 41);
        const known = new Set(table.grades.map((g) => Math.round(g * 1e6)));
        const missing = grades === null ? null : grades.filter((g) => !known.has(Math.round(g * 1e6)));
        if (missing === null || missing.length > 0)
          ctx.addIssue({
            code: 'custom',
            path: [...cat, 'gradeTable'],
            message: missing === null ? `grade table ${table.id} has at most 41 grades; ${c.name} allows more` : `grade table ${table.id} has no points for grades ${missing.join(', ')}`,
          });
      }
    });
  });
  if (scoring === 0) ctx.addIssue({ code: 'custom', path: ['parts'], message: 'a scheme needs a part that is not a penalty' });
  scheme.tieBreaks.forEach((tb, k) => {
    const id = tieBreakPart(tb);
    if (id !== null && !partIds.has(id)) ctx.addIssue({ code: 'custom', path: ['tieBreaks', k], message: `no part ${id} to break ties by` });
  });
}

/** Who enters the next round. Ties at the cut follow `tiesAtCut`. */
export const advancementSchema = z
  .object({
    rule: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('top_n'), n: z.int().min(1) }),
      z.object({ kind: z.literal('top_percent'), percent: z.number().gt(0).max(100) }),
      z.object({ kind: z.literal('min_score'), score: z.number().min(0) }),
    ]),
    /** include: everyone sharing the last qualifying rank goes through; exclude: none of them does. */
    tiesAtCut: z.enum(['include', 'exclude']).default('include'),
  })
  .meta({ id: 'Advancement' });
export type Advancement = z.infer<typeof advancementSchema>;

/** Whether a round's standing adds earlier rounds' totals. */
export const carryOverSchema = z.enum(['none', 'previous', 'all']).meta({ id: 'CarryOver' });
export type CarryOver = z.infer<typeof carryOverSchema>;
