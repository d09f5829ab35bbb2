import { z } from 'zod';
import { entryStatus } from './entries.ts';

/** A ranking line as the venue screen and the public see it: drawn number, never the name before release. */
export const liveRowSchema = z
  .object({
    number: z.int().nullable(),
    delegation: z.string().nullable(),
    rank: z.int().nullable(),
    sharedRank: z.boolean(),
    provisional: z.boolean(),
    status: entryStatus,
    total: z.number(),
    parts: z.array(
      z.object({
        partId: z.string(),
        score: z.number().nullable(),
        marksIn: z.int(),
        /** Marks this entry expects: the part's panel minus judges recused from the entry. */
        expected: z.int(),
      }),
    ),
    /** Why the chief judge released the results with this entry incomplete; null otherwise. */
    incompleteReason: z.string().nullable(),
    /** Only once the chief judge has released results. */
    name: z.string().optional(),
    /**
     * Standardised score (标准分, mean 500, SD 100 over the round's ranked, complete entries;
     * server/domain/judging/standardise.ts), 2 decimals; null for an entry that does not count.
     * Present only where the competition has the option on: staff always, the public once released
     * (the venue screen only if the organiser chose to show it there).
     */
    standardised: z.number().nullable().optional(),
    /**
     * What is already certain for this number while marks arrive, whatever marks are still to come
     * (server/domain/certainty.ts): `advancement` 已确定晋级, `prize` 已锁定奖项 (some prize, at
     * least the tier the console shows). Present only before release and only where the event
     * shows certainty on its screens (`showCertaintyOnScreen`); numbers only, like the rest of the row.
     */
    clinched: z.array(z.enum(['advancement', 'prize'])).optional(),
  })
  .meta({ id: 'LiveRow' });
export type LiveRow = z.infer<typeof liveRowSchema>;

export const roundInfoSchema = z.object({
  id: z.int(),
  seq: z.int(),
  name: z.string(),
  kind: z.enum(['preliminary', 'semifinal', 'final']),
  status: z.enum(['open', 'closed']),
});

export const eventRankingSchema = z
  .object({
    eventId: z.int(),
    /** The competition the event belongs to (its released results, with prizes: /api/public/competitions/:id/results). */
    competitionId: z.int(),
    eventName: z.string(),
    roundId: z.int(),
    rounds: z.array(roundInfoSchema),
    parts: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        role: z.enum(['theory', 'practical', 'other']),
        marking: z.enum(['objective', 'rubric', 'deduction']),
        /** The part's panel size in this round (its seats, else the scheme's expectedMarks). */
        expectedMarks: z.int(),
      }),
    ),
    released: z.boolean(),
    revision: z.int(),
    rows: z.array(liveRowSchema),
    teams: z
      .array(
        z.object({
          rank: z.int().nullable(),
          delegation: z.string().nullable(),
          value: z.number(),
          incomplete: z.boolean(),
          provisional: z.boolean(),
        }),
      )
      .nullable(),
  })
  .meta({ id: 'EventRanking' });
export type EventRanking = z.infer<typeof eventRankingSchema>;

/**
 * The staff view of a ranking line: entry ids and every part's detail, and, for those who may
 * know who is behind a number (organisers, the encryption officer; everyone after release),
 * names and masked ID numbers; null for the others.
 */
export const staffRowSchema = liveRowSchema
  .extend({
    entryId: z.int(),
    name: z.string().nullable(),
    idNumberMasked: z.string().nullable(),
    /** Why the entry was disqualified (published with the result); null otherwise. */
    disqualifiedReason: z.string().nullable(),
    /** Staff-only note on the entry's status (withdrawal, disqualification details); never on a public page. */
    statusNote: z.string().nullable(),
    completionSeconds: z.number().nullable(),
    theory: z.number(),
    practical: z.number(),
    carried: z.number(),
    tieBrokenBy: z.string().nullable(),
    partDetails: z.array(
      z.object({
        partId: z.string(),
        aggregate: z.number().nullable(),
        difficulty: z.number(),
        score: z.number().nullable(),
        contribution: z.number(),
        marksIn: z.int(),
        expected: z.int(),
        complete: z.boolean(),
        fellBack: z.boolean(),
        judgeMarks: z.array(z.object({ judgeId: z.int(), mark: z.number() })),
        /** Per element, for element parts (scheme `aggregateBy: 'element'`) and parts with void elements: base + judged = score. */
        elements: z
          .array(
            z.object({
              criterionId: z.string(),
              void: z.boolean(),
              baseValue: z.number().nullable(),
              judged: z.number().nullable(),
              score: z.number().nullable(),
              marksIn: z.int(),
              expected: z.int(),
              complete: z.boolean(),
            }),
          )
          .optional(),
      }),
    ),
  })
  .meta({ id: 'StaffRankingRow' });

export const advanceResultSchema = z.object({
  fromRoundId: z.int(),
  toRoundId: z.int(),
  advanced: z.array(z.object({ entryId: z.int(), number: z.int().nullable(), rank: z.int().nullable() })),
  cutRank: z.int().nullable(),
});
