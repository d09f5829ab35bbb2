import { z } from 'zod';
import { decimalId } from './common.ts';
import { schemeSchema } from './scheme.ts';

/**
 * Paper sheets entered twice (记分员双录入). A scorer types in a judge's signed paper sheet; a
 * second scorer types the same sheet in without seeing the first entry. Agreeing values become
 * the judge's marks; differing ones wait for the chief judge.
 */

export const paperEntryBody = z.object({
  /** Generated once per submission on the scorer's device; a retry with it returns the first answer. */
  idempotencyKey: z.string().min(8).max(100),
  eventId: z.int().positive().optional().describe('Default: the round’s event, else the only event the scorer enters sheets for'),
  roundId: z.int().positive().optional().describe('Default: the event’s open round'),
  /** The judge whose sheet this is. */
  judgeId: z.int().positive(),
  number: z.int().positive().describe('The contestant’s drawn number'),
  marks: z
    .array(
      z.object({
        partId: z.string().min(1).max(40),
        criterionId: z.string().min(1).max(40),
        value: z.number().min(-10_000).max(10_000),
      }),
    )
    .min(1)
    .max(200),
});
export type PaperEntryInput = z.infer<typeof paperEntryBody>;

/**
 * Where one criterion of a sheet stands: not_entered (by this scorer), waiting (one entry so far),
 * matched (two agreeing entries: the mark is stored), disputed (two differing entries: nothing
 * counts), settled (the chief judge chose the value).
 */
export const paperCriterionState = z.enum(['not_entered', 'waiting', 'matched', 'disputed', 'settled']);
export type PaperCriterionState = z.infer<typeof paperCriterionState>;

/** A sheet as its scorer sees it: their own values and the state, never the other scorer's values. */
export const paperSheetSchema = z
  .object({
    roundId: z.int(),
    judgeId: z.int(),
    judgeName: z.string(),
    number: z.int(),
    /** waiting while any criterion waits for its second entry; disputed while any is disputed; else matched. */
    state: z.enum(['not_entered', 'waiting', 'matched', 'disputed']),
    criteria: z.array(
      z.object({
        partId: z.string(),
        criterionId: z.string(),
        /** What this scorer entered; null when they have not entered this criterion. */
        myValue: z.number().nullable(),
        state: paperCriterionState,
      }),
    ),
  })
  .meta({ id: 'PaperSheet' });
export type PaperSheet = z.infer<typeof paperSheetSchema>;

export const paperEntryResponse = z.object({
  /** stored: new entries; duplicate: this key was already used for this very sheet, nothing stored twice. */
  outcome: z.enum(['stored', 'duplicate']),
  sheet: paperSheetSchema,
});

export const paperSheetsQuery = z.object({
  eventId: decimalId.optional(),
  roundId: decimalId.optional(),
  judgeId: decimalId.optional(),
  number: decimalId.optional(),
});

/**
 * What a scorer's page needs: the event, the current round's scheme and the rounds (each with the
 * scheme its sheets follow), and whose sheets they may enter.
 */
export const paperPanelSchema = z.object({
  scorer: z.object({ id: z.int(), name: z.string() }),
  event: z.object({ id: z.int(), name: z.string(), competitionName: z.string(), released: z.boolean() }),
  scheme: schemeSchema,
  rounds: z.array(z.object({ id: z.int(), seq: z.int(), name: z.string(), status: z.enum(['open', 'closed']), scheme: schemeSchema })),
  currentRoundId: z.int().nullable(),
  judges: z.array(
    z.object({
      id: z.int(),
      name: z.string(),
      role: z.enum(['chief', 'judge']),
      /** What the judge marks in the current round: whole parts (criterionId null) or single criteria. */
      seats: z.array(z.object({ partId: z.string(), criterionId: z.string().nullable() })),
    }),
  ),
});

export const paperPanelQuery = z.object({
  eventId: decimalId.optional().describe('Default: the only event the scorer enters sheets for'),
});

export const paperDisagreementSchema = z
  .object({
    roundId: z.int(),
    number: z.int(),
    judgeId: z.int(),
    judgeName: z.string(),
    partId: z.string(),
    criterionId: z.string(),
    criterionName: z.string(),
    max: z.number(),
    step: z.number(),
    entries: z.array(z.object({ scorerId: z.int(), scorerName: z.string(), value: z.number(), enteredAt: z.string() })),
    /** Present once the chief judge has settled the pair. */
    settlement: z
      .object({ value: z.number(), note: z.string(), settledBy: z.int(), settledAt: z.string(), markId: z.int() })
      .nullable(),
  })
  .meta({ id: 'PaperDisagreement' });
export type PaperDisagreement = z.infer<typeof paperDisagreementSchema>;

export const paperDisagreementsQuery = z.object({
  roundId: decimalId.optional(),
  status: z.enum(['open', 'settled', 'all']).default('open'),
});

export const settleDisagreementBody = z.object({
  roundId: z.int().positive(),
  number: z.int().positive(),
  judgeId: z.int().positive(),
  /** Needed only when two parts of the scheme share the criterion id. */
  partId: z.string().min(1).max(40).optional(),
  criterionId: z.string().min(1).max(40),
  value: z.number().min(-10_000).max(10_000),
  note: z.string().trim().min(2).max(500),
});
