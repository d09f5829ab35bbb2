import { z } from 'zod';
import { decimalId } from './common.ts';
import { entryStatus } from './entries.ts';
import { panelRole } from './auth.ts';
import { schemeSchema } from './scheme.ts';

/** One mark as a judge's tablet sends it: contestants are known to judges by drawn number only. */
export const markInput = z.object({
  /** Generated on the tablet once per mark; a retry with the same key returns the first answer. */
  idempotencyKey: z.string().min(8).max(100),
  eventId: z
    .int()
    .positive()
    .optional()
    .describe('The event the mark is for. Default: the round’s event, else the only event the judge marks on'),
  roundId: z.int().positive().optional().describe('Default: the event’s open round'),
  number: z.int().positive().describe('The contestant’s drawn number'),
  partId: z.string().min(1).max(40),
  criterionId: z.string().min(1).max(40),
  /** Within the criterion's min (default 0; grades may go below 0) and max, checked against the scheme. */
  value: z.number().min(-10_000).max(10_000),
  device: z.string().max(100).optional(),
  /** When the judge signed the sheet off on the review screen, by the tablet's clock (kept in the audit log with the mark). */
  signedOffAt: z.iso.datetime().optional(),
});
export type MarkInput = z.infer<typeof markInput>;

export const submitMarksBody = z.object({ marks: z.array(markInput).min(1).max(500) });

export const markSchema = z
  .object({
    id: z.int(),
    roundId: z.int(),
    number: z.int().nullable(),
    judgeId: z.int(),
    partId: z.string(),
    criterionId: z.string(),
    version: z.int(),
    value: z.number(),
    reason: z.string().nullable(),
    enteredAt: z.string(),
    device: z.string().nullable(),
    /**
     * Which of the judge's sign-in codes the mark was entered with: 1 the first, 2 and on a code
     * reissued (by the chief or an organiser, after a lost tablet say); null when staff entered it
     * (corrections, paper sheets). A review of the marks looks for the reissued ones.
     */
    judgeCodeNumber: z.int().nullable(),
  })
  .meta({ id: 'Mark' });
export type MarkOut = z.infer<typeof markSchema>;

export const submitMarksResponse = z.object({
  results: z.array(
    z.object({
      idempotencyKey: z.string(),
      /** stored: new; duplicate: this key was already stored, the first answer is returned. */
      outcome: z.enum(['stored', 'duplicate']),
      mark: markSchema,
    }),
  ),
});

export const correctionSchema = z
  .object({
    id: z.int(),
    markId: z.int(),
    number: z.int().nullable(),
    partId: z.string(),
    criterionId: z.string(),
    oldValue: z.number(),
    newValue: z.number(),
    reason: z.string(),
    status: z.enum(['pending', 'approved', 'rejected']),
    requestedBy: z.int(),
    requestedByName: z.string(),
    decidedBy: z.int().nullable(),
    decidedAt: z.string().nullable(),
    decisionNote: z.string().nullable(),
    resultingMarkId: z.int().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'Correction' });

export const requestCorrectionBody = z.object({
  markId: z.int().positive(),
  newValue: z.number().min(-10_000).max(10_000),
  reason: z.string().trim().min(2).max(500),
});

export const decideCorrectionBody = z.object({
  decision: z.enum(['approve', 'reject']),
  note: z.string().trim().max(500).optional(),
});

export const chiefCorrectionBody = z.object({
  value: z.number().min(-10_000).max(10_000),
  reason: z.string().trim().min(2).max(500),
});

export const listMarksQuery = z.object({
  roundId: decimalId.optional(),
  judgeId: decimalId.optional(),
  number: decimalId.optional(),
  /** current: only the latest version of each mark (default); all: every version. */
  versions: z.enum(['current', 'all']).default('current'),
});

export const judgeEntryState = z.enum(['not_started', 'partial', 'submitted', 'correction_pending']);

export const judgeEntrySchema = z
  .object({
    number: z.int(),
    status: entryStatus,
    state: judgeEntryState,
    marked: z.int().describe('criteria this judge has marked'),
    criteria: z.int().describe('criteria there are to mark (void elements left out)'),
    /** Elements of this judge's seats the chief judge declared void for this entry (`partId:criterionId`): not marked. */
    voided: z.array(z.string()),
    /** The contestant works for the judge's employer: the judge stands aside (回避). */
    recused: z.boolean(),
    /** Only once results are released. */
    name: z.string().optional(),
  })
  .meta({ id: 'JudgeEntry' });

export const judgeEventQuery = z.object({
  eventId: decimalId.optional().describe('Default: the first event the judge marks on, else the first they sit on'),
});

/** What a judge's tablet (and the chief's console) loads first. */
export const judgePanelSchema = z
  .object({
    judge: z.object({ id: z.int(), name: z.string(), role: panelRole }),
    event: z.object({ id: z.int(), name: z.string(), competitionName: z.string(), released: z.boolean() }),
    scheme: schemeSchema,
    /** Each round with the scheme it is marked by (the event's unless the round has its own). */
    rounds: z.array(z.object({ id: z.int(), seq: z.int(), name: z.string(), kind: z.string(), status: z.enum(['open', 'closed']), scheme: schemeSchema })),
    currentRoundId: z.int().nullable(),
    /** What this judge marks in the current round: whole parts (criterionId null) or single criteria of per-criterion panels. */
    seats: z.array(z.object({ partId: z.string(), criterionId: z.string().nullable() })),
    /** Drawn numbers in the current round whose entrant works for the judge's employer: they stand aside (回避). */
    recusedNumbers: z.array(z.int()),
    /** Every event the judge sits on, with the parts they mark in its current round: the panels to switch between. */
    events: z.array(
      z.object({
        eventId: z.int(),
        eventName: z.string(),
        role: panelRole,
        roundId: z.int().nullable(),
        roundName: z.string().nullable(),
        parts: z.array(z.object({ partId: z.string(), name: z.string() })),
      }),
    ),
  })
  .meta({ id: 'JudgePanel' });
export type JudgePanel = z.infer<typeof judgePanelSchema>;

/** Releasing results: a reason for each entry still incomplete (shown with it on the published results). Optional: a POST without a body gives none. */
export const releaseBody = z
  .object({
    incompleteReasons: z
      .array(z.object({ number: z.int().positive(), reason: z.string().trim().min(2).max(500) }))
      .max(2000)
      .default([]),
  })
  .nullish();
export type ReleaseInput = NonNullable<z.infer<typeof releaseBody>>;

export const releaseResultSchema = z.object({
  eventId: z.int(),
  releasedAt: z.string(),
  publicityEndsAt: z.string(),
  incompleteReasons: z.array(z.object({ number: z.int(), reason: z.string() })),
});

/** An entry ranked while short of marks its panels expect, and which parts lack what. */
export const incompleteEntrySchema = z
  .object({
    number: z.int().nullable(),
    missing: z.array(z.object({ partId: z.string(), partName: z.string(), marksIn: z.int(), expected: z.int() })),
  })
  .meta({ id: 'IncompleteEntry' });
export type IncompleteEntry = z.infer<typeof incompleteEntrySchema>;
