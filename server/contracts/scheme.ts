import { z } from 'zod';

/**
 * The scoring scheme of an event: what is marked, how a panel's marks become a part score,
 * and how part scores become a total and a rank. Pure zod, shared by the server and the web app.
 */

/** How several judges' marks for one part become one score. */
export const aggregationSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('mean') }),
    /** Drop the `drop` highest and `drop` lowest marks, average the rest (去掉最高最低取平均). */
    z.object({ kind: z.literal('trimmed_mean'), drop: z.int().min(0).max(5).default(1) }),
    z.object({ kind: z.literal('median') }),
    /** Drop `drop` of each end and add up the rest (diving-style). */
    z.object({ kind: z.literal('trimmed_sum'), drop: z.int().min(0).max(5).default(1) }),
  ])
  .meta({ id: 'Aggregation' });
export type Aggregation = z.infer<typeof aggregationSchema>;

/** One rubric item a judge marks: a value between 0 and `max` in multiples of `step`. */
export const criterionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_-]{1,40}$/, 'lower-case letters, digits, _ or -'),
    name: z.string().min(1).max(200),
    max: z.number().positive().max(10_000),
    step: z.number().positive().max(100).default(0.5),
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
    criteria: z.array(criterionSchema).max(100).default([]),
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
  })
  .meta({ id: 'Part' });
export type Part = z.infer<typeof partSchema>;

export const tieBreakSchema = z
  .enum(['completion_time', 'practical', 'theory'])
  .meta({ id: 'TieBreak', description: 'completion_time: shorter first; practical/theory: higher score first' });
export type TieBreak = z.infer<typeof tieBreakSchema>;

export const schemeSchema = z
  .object({
    /** weighted: Σ part score / part max × weight (100-point scale); raw: Σ aggregate × difficulty × multiplier. */
    totaling: z.enum(['weighted', 'raw']).default('weighted'),
    parts: z.array(partSchema).min(1).max(20),
    tieBreaks: z.array(tieBreakSchema).max(3).default(['completion_time', 'practical', 'theory']),
  })
  .superRefine((scheme, ctx) => {
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
      if (part.marking === 'rubric') {
        const sum = part.criteria.reduce((s, c) => s + c.max, 0);
        if (Math.abs(sum - part.max) > 1e-9)
          ctx.addIssue({ code: 'custom', path: ['parts', i, 'criteria'], message: `criteria maxima add up to ${sum}, not the part maximum ${part.max}` });
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
