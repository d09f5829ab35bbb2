import { z } from 'zod';
import { decimalId } from './common.ts';
import { paperSheetSchema } from './paper.ts';

/**
 * Printed marking sheets (纸质评分表) and the scorer opening one of them from its QR code.
 *
 * One sheet per round, task (part), judge and drawn number: at a venue each practical task is
 * marked at its own station on its own rubric, and the judge signs the sheet of one contestant
 * when that contestant's task ends, so the sheet can go to the scorers while the competition goes
 * on; it is also the unit the scorers' double entry checks (one judge, one number), and the QR code
 * can name exactly one sheet. A sheet carries the drawn number only, never who is behind it.
 */

const partIdSchema = z.string().regex(/^[a-z0-9_-]{1,40}$/, 'a part id (lower-case letters, digits, _ or -)');

export const markingSheetsQuery = z.object({
  roundId: decimalId.optional().describe('Default: the open round, else the last'),
  judgeId: decimalId.optional().describe('Only this judge’s sheets'),
  partId: partIdSchema.optional().describe('Only this task’s sheets'),
  number: decimalId.optional().describe('Only this drawn number’s sheets (a reprint)'),
});
export type MarkingSheetsQuery = z.infer<typeof markingSheetsQuery>;

const roundRef = z.object({ id: z.int(), seq: z.int(), name: z.string(), status: z.enum(['open', 'closed']) });

export const markingSheetsSchema = z
  .object({
    competition: z.object({ id: z.int(), name: z.string() }),
    event: z.object({ id: z.int(), name: z.string() }),
    round: roundRef,
    rounds: z.array(roundRef),
    /** The tasks judges mark in this round (objective parts are entered by staff and have no sheet). */
    parts: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        /** rubric: points awarded per criterion; deduction (扣分制): points taken off, the task's mark is max − their sum. */
        marking: z.enum(['rubric', 'deduction']),
        max: z.number(),
        /** `min` only where the criterion goes below 0 or starts above it (grades −5 … +5). */
        criteria: z.array(z.object({ id: z.string(), name: z.string(), max: z.number(), step: z.number(), min: z.number().optional() })),
      }),
    ),
    /** The event's marking judges (judge, chief), for choosing whose sheets to print. */
    judges: z.array(z.object({ id: z.int(), name: z.string(), role: z.enum(['judge', 'chief']) })),
    sheets: z.array(
      z.object({
        partId: z.string(),
        judgeId: z.int(),
        judgeName: z.string(),
        /** The judge's place on the task's panel (1 = first seated), as printed: 「3号裁判」. */
        seat: z.int(),
        number: z.int(),
        /** The criteria of the task this judge marks (all of them, unless the task has a panel per criterion). */
        criteria: z.array(z.string()),
        /** What the sheet's QR code opens (relative to the app's address): the scorer's entry form for this sheet. */
        link: z.string(),
      }),
    ),
    /** Sheets not printed because the judge stands aside from that number (same employer). */
    recused: z.array(z.object({ partId: z.string(), judgeId: z.int(), number: z.int() })),
    /** Entrants of the round who have no drawn number yet: no sheet can be printed for them. */
    withoutNumber: z.int(),
  })
  .meta({ id: 'MarkingSheets' });
export type MarkingSheets = z.infer<typeof markingSheetsSchema>;

/** The address a sheet's QR code carries: the scorer's page with the sheet named in full. */
export function sheetLink(s: { eventId: number; roundId: number; judgeId: number; number: number; partId: string }): string {
  return `/scorer?event=${s.eventId}&round=${s.roundId}&judge=${s.judgeId}&number=${s.number}&part=${encodeURIComponent(s.partId)}`;
}

export const openPaperSheetQuery = z.object({
  eventId: decimalId.optional().describe('Default: the only event the scorer enters sheets for'),
  roundId: decimalId.optional().describe('Default: the open round, else the last'),
  judgeId: decimalId,
  number: decimalId.describe('The drawn number on the sheet'),
  partId: partIdSchema.optional().describe('The task the sheet is for; default: every task the judge marks'),
});
export type OpenPaperSheetQuery = z.infer<typeof openPaperSheetQuery>;

/** One sheet opened for entry: what it asks for and, blind, where this scorer's own entry stands. */
export const openedPaperSheetSchema = z
  .object({
    event: z.object({ id: z.int(), name: z.string(), released: z.boolean() }),
    round: roundRef,
    judge: z.object({ id: z.int(), name: z.string() }),
    number: z.int(),
    part: z.object({ id: z.string(), name: z.string() }).nullable(),
    criteria: z.array(
      z.object({
        partId: z.string(),
        partName: z.string(),
        marking: z.enum(['rubric', 'deduction']),
        criterionId: z.string(),
        name: z.string(),
        max: z.number(),
        step: z.number(),
        /** The lowest value, where it is not 0 (grades −5 … +5). */
        min: z.number().optional(),
      }),
    ),
    /** This scorer's own values and each criterion's state (never the other scorer's values), limited to the criteria above. */
    sheet: paperSheetSchema,
  })
  .meta({ id: 'OpenedPaperSheet' });
export type OpenedPaperSheet = z.infer<typeof openedPaperSheetSchema>;
