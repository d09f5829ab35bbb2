import { z } from 'zod';
import { prizeTieRuleSchema } from './awards.ts';
import { entryStatus } from './entries.ts';
import { roundInfoSchema } from './ranking.ts';
import { advancementSchema } from './scheme.ts';

/**
 * Live certainty of a round (server/domain/certainty.ts): per drawn number the lowest and highest
 * total still reachable and whether its prize or its advancement is already certain. For the chief
 * judge's console: numbers only, never names.
 */

export const certaintyStateSchema = z
  .enum(['clinched', 'out_of_reach', 'open'])
  .meta({ id: 'CertaintyState', description: 'clinched: can no longer be lost; out_of_reach: can no longer be reached; open: still either way' });
export type CertaintyStateValue = z.infer<typeof certaintyStateSchema>;

export const certaintyRowSchema = z.object({
  entryId: z.int(),
  number: z.int().nullable(),
  status: entryStatus,
  /** The engine's rank now (provisional while marks are missing); null when not ranked. */
  rank: z.int().nullable(),
  /** The engine ranks the entry (not absent, disqualified, or withdrawn under the unranked rule). */
  ranked: z.boolean(),
  total: z.number(),
  /** The lowest total the entry can still reach: every missing mark at its lowest. */
  min: z.number(),
  /** The highest: every missing mark at its highest. */
  max: z.number(),
  /** Marks and values still to come. */
  missing: z.int(),
  /** Nothing can move the entry any more. */
  settled: z.boolean(),
  prize: z
    .object({
      /** clinched: the tier is certain (guaranteedTier = bestTier); out_of_reach: no prize can come; open otherwise. */
      state: certaintyStateSchema,
      /** A prize at least this good is certain (tiers from 1, 一等奖); null: it can still end without a prize. */
      guaranteedTier: z.int().nullable(),
      /** The best tier still reachable; null: none. */
      bestTier: z.int().nullable(),
      /**
       * False only under ties `expand` or tier minimum scores, where whether other entrants can tie
       * each other or fall below a line decides: an open tier may then already be decided.
       */
      exact: z.boolean(),
    })
    .nullable(),
  advancement: certaintyStateSchema.nullable(),
});
export type CertaintyRow = z.infer<typeof certaintyRowSchema>;

export const eventCertaintySchema = z
  .object({
    eventId: z.int(),
    roundId: z.int(),
    rounds: z.array(roundInfoSchema),
    released: z.boolean(),
    /** Marks and values can still arrive in this round (open and not released). */
    arriving: z.boolean(),
    /** The event's prizes, decided on its last round; null for earlier rounds. */
    prize: z
      .object({
        ties: prizeTieRuleSchema,
        /** Ranked entrants the places are taken of. */
        entrants: z.int(),
        tiers: z.array(z.object({ tier: z.int(), label: z.string(), places: z.int(), minScore: z.number().nullable() })),
      })
      .nullable(),
    /** Who enters the next round; null for the last round or a round without a rule. */
    advancement: z.object({ rule: advancementSchema, places: z.int().nullable() }).nullable(),
    /** In the engine's order: ranked entries by rank, then the others. */
    rows: z.array(certaintyRowSchema),
  })
  .meta({ id: 'EventCertainty' });
export type EventCertainty = z.infer<typeof eventCertaintySchema>;
