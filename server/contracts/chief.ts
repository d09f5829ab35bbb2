import { z } from 'zod';
import { decimalId } from './common.ts';
import { entryStatus } from './entries.ts';

/**
 * How far a judge's part mark may lie from the panel's median for that part before the chief
 * judge's grid flags it: more than max(OUTLIER_MIN_POINTS, OUTLIER_SHARE_OF_MAX × the part's
 * maximum). On a 100-point part that is 20 points; on a 10-point part, 2 points.
 */
export const OUTLIER_MIN_POINTS = 2;
export const OUTLIER_SHARE_OF_MAX = 0.2;
/** Fewest judges' part marks before a median means anything: with two, neither can be told apart as the odd one. */
export const OUTLIER_MIN_MARKS = 3;

/** The distance from the median beyond which a part mark is flagged. */
export function outlierThreshold(partMax: number): number {
  return Math.max(OUTLIER_MIN_POINTS, OUTLIER_SHARE_OF_MAX * partMax);
}

export const progressQuery = z.object({
  roundId: decimalId.optional().describe('Default: the first open round, else the last'),
});

const progressPartMark = z.object({
  partId: z.string(),
  /** The judge's mark for the whole part, once every criterion of it is in; null before. */
  mark: z.number().nullable(),
  /** The panel's median for this part (null with fewer than OUTLIER_MIN_MARKS complete marks). */
  median: z.number().nullable(),
  outlier: z.boolean(),
});

export const progressCellSchema = z.object({
  judgeId: z.int(),
  /** Criteria of this judge for this contestant with a mark in. */
  marked: z.int(),
  /** Criteria the judge is seated for and expected to mark (0 when recused or not on the panel). */
  expected: z.int(),
  /** The judge works for the contestant's employer and may not mark them. */
  recused: z.boolean(),
  correctionPending: z.boolean(),
  parts: z.array(progressPartMark),
});

export const progressSchema = z
  .object({
    eventId: z.int(),
    eventName: z.string(),
    roundId: z.int(),
    rounds: z.array(z.object({ id: z.int(), seq: z.int(), name: z.string(), status: z.enum(['open', 'closed']) })),
    released: z.boolean(),
    outlierRule: z.object({ minPoints: z.number(), shareOfMax: z.number(), minMarks: z.int() }),
    /** The parts judges mark (rubric and deduction), with the distance that flags an outlier. */
    parts: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        max: z.number(),
        criteria: z.int(),
        outlierThreshold: z.number(),
        /** The judges on the part's panel in this round (seated, or the event's judges while none is seated). */
        judgeIds: z.array(z.int()),
        /** Whether judges are seated on the part in this round (else the scheme's expectedMarks applies). */
        seated: z.boolean(),
      }),
    ),
    /** Objective parts (exam results, measurements): entered once per contestant, not per judge. */
    objectiveParts: z.array(z.object({ id: z.string(), name: z.string(), max: z.number() })),
    /** trainee: a trainee judge (见习裁判) marks, expects nothing and never counts (their cells show what they marked). */
    judges: z.array(z.object({ id: z.int(), name: z.string(), role: z.enum(['chief', 'judge', 'supervisor', 'scorer']), trainee: z.boolean().optional() })),
    rows: z.array(
      z.object({
        number: z.int(),
        status: entryStatus,
        /** Only once results are released. */
        name: z.string().optional(),
        marked: z.int(),
        expected: z.int(),
        /** Every part has the marks its panel expects (judges recused from the entry taken off): as the ranking says. */
        complete: z.boolean(),
        /** Ranked while incomplete (暂定). */
        provisional: z.boolean(),
        /** Why the chief judge released the results with this entry incomplete. */
        incompleteReason: z.string().nullable(),
        /**
         * Parts this entry gets fewer marks for than the part's minimum because judges stand aside
         * (recusal): scored from those few by the aggregation's fallback. Whole-part panels.
         */
        shortPanels: z.array(z.object({ partId: z.string(), expected: z.int(), minMarks: z.int() })),
        cells: z.array(progressCellSchema),
        objective: z.array(z.object({ partId: z.string(), value: z.number().nullable() })),
      }),
    ),
    totals: z.object({
      expected: z.int(),
      marked: z.int(),
      missing: z.int(),
      /** Contestants (checked in) with every expected mark in. */
      completeEntries: z.int(),
      checkedIn: z.int(),
      outliers: z.int(),
    }),
    pendingCorrections: z.int(),
    openPaperDisputes: z.int(),
  })
  .meta({ id: 'MarkingProgress' });
export type MarkingProgress = z.infer<typeof progressSchema>;
