import { z } from 'zod';
import { LIVE_INCOMPLETE_ORDERS } from '../domain/live-order.ts';
import { pageQuery } from './common.ts';
import { advancementSchema, carryOverSchema, schemeSchema } from './scheme.ts';

/** National occupation classification code (职业分类大典), `D-DD-DD-DD`, e.g. 6-31-01-03. */
export const occupationCode = z.string().trim().regex(/^\d-\d{2}-\d{2}-\d{2}$/, 'an occupation code like 6-31-01-03');

export const eventMode = z.enum(['individual', 'team']);
/** Where entries withdrawn during the event (退赛) stand: ranked after every other ranked entry, or not ranked. */
export const withdrawnRanking = z.enum(['after_complete', 'unranked']).meta({ id: 'WithdrawnRanking' });
export const liveIncompleteOrder = z.enum(LIVE_INCOMPLETE_ORDERS).meta({ id: 'LiveIncompleteOrder' });
export const roundKind = z.enum(['preliminary', 'semifinal', 'final']);
export const roundStatus = z.enum(['open', 'closed']);

/**
 * Placing points (名次积分) for 1st, 2nd, 3rd …: e.g. 10, 9, 8 … 1 for the top ten. Places past
 * the table earn nothing; shared places share (average) the points of the places they cover.
 */
export const placingPointsTable = z
  .array(
    z
      .number()
      .min(0)
      .max(10_000)
      .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, 'at most two decimals'),
  )
  .min(1)
  .max(200)
  .meta({ id: 'PlacingPointsTable' });

/**
 * How delegations (代表队) are ranked: the sum or mean of their best `bestN` members' totals, or
 * (`placing_points`) the sum of the placing points their best `bestN` members earn by their
 * places (server/domain/teams.ts).
 */
export const teamRankingSchema = z
  .object({
    method: z.enum(['sum', 'mean', 'placing_points']),
    bestN: z.int().min(1).max(100),
    /** Required with `placing_points`, and only there. */
    points: placingPointsTable.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.method === 'placing_points' && !v.points) ctx.addIssue({ code: 'custom', path: ['points'], message: 'placing points need a points table' });
    if (v.method !== 'placing_points' && v.points) ctx.addIssue({ code: 'custom', path: ['points'], message: 'a points table is only used with placing_points' });
  })
  .meta({ id: 'TeamRanking' });
export type TeamRankingSetting = z.infer<typeof teamRankingSchema>;

export const roundSchema = z
  .object({
    id: z.int(),
    eventId: z.int(),
    seq: z.int(),
    name: z.string(),
    kind: roundKind,
    carryOver: carryOverSchema,
    advancement: advancementSchema.nullable(),
    status: roundStatus,
    closedAt: z.string().nullable(),
    /** The round's own scheme (other tasks, weights or tie-breaks than the event's); null: the event's scheme applies. */
    scheme: schemeSchema.nullable(),
  })
  .meta({ id: 'Round' });
export type Round = z.infer<typeof roundSchema>;

// Field schemas without defaults: update bodies are `.partial()` of these, and zod 4 would
// otherwise fill a default into a PATCH that never mentioned the field.
const roundFields = {
  name: z.string().trim().min(1).max(100),
  kind: roundKind,
  carryOver: carryOverSchema,
  advancement: advancementSchema.nullable(),
  /**
   * The round's own scheme; null: the event's. Once the round has marks only its tie-breaks may
   * change (409 `marks_exist` names the marked parts): anything else would orphan or re-score them.
   */
  scheme: schemeSchema.nullable(),
};

export const createRoundBody = z.object({
  ...roundFields,
  carryOver: roundFields.carryOver.default('none'),
  advancement: roundFields.advancement.default(null),
  scheme: roundFields.scheme.default(null),
});
export type CreateRoundInput = z.infer<typeof createRoundBody>;

export const updateRoundBody = z.object(roundFields).partial();
export type UpdateRoundInput = z.infer<typeof updateRoundBody>;

export const eventSchema = z
  .object({
    id: z.int(),
    competitionId: z.int(),
    name: z.string(),
    /** Null for a contest that is not a trade (a law-knowledge quiz): it leads to no skill-level promotion. */
    occupationCode: z.string().nullable(),
    occupationName: z.string().nullable(),
    targetLevel: z.int().nullable(),
    mode: eventMode,
    minEntrants: z.int(),
    /** Entries still in the event (not absent, not disqualified). */
    entrantCount: z.int(),
    /** Warning only: provincial rules cancel events with fewer entrants than `minEntrants`. */
    belowMinimum: z.boolean(),
    scheme: schemeSchema,
    teamRanking: teamRankingSchema.nullable(),
    withdrawnRanking,
    liveIncompleteOrder: liveIncompleteOrder.describe(
      'Live rankings before release: incomplete entries after every complete one (after_complete) or among them by their running total (by_total)',
    ),
    showDelegationsBeforeRelease: z
      .boolean()
      .describe('Team contests: venue screens and public rankings show delegations (never names) before release'),
    showCertaintyOnScreen: z
      .boolean()
      .describe('Venue screens and public rankings mark drawn numbers whose advancement or prize is already certain (已确定晋级 / 已锁定奖项) while marks arrive'),
    rounds: z.array(roundSchema),
    releasedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'Event' });
export type Event = z.infer<typeof eventSchema>;

const eventFields = {
  name: z.string().trim().min(1).max(200),
  /** Optional: contests that are not a trade have none, and promotion rules then do not apply. */
  occupationCode: occupationCode.nullable(),
  occupationName: z.string().trim().min(1).max(200).nullable(),
  /** Skill level the event certifies towards: 1 (高级技师) … 5 (初级工). */
  targetLevel: z.int().min(1).max(5).nullable(),
  mode: eventMode,
  minEntrants: z.int().min(1).max(100_000),
  scheme: schemeSchema,
  teamRanking: teamRankingSchema.nullable(),
  withdrawnRanking,
  liveIncompleteOrder,
  /** Before release the public sees numbers and scores only; a team contest may show delegations. */
  showDelegationsBeforeRelease: z.boolean(),
  /** Off by default: the badges say something before the results are released (numbers only, never names). */
  showCertaintyOnScreen: z.boolean(),
};

export const createEventBody = z.object({
  ...eventFields,
  occupationCode: eventFields.occupationCode.default(null),
  occupationName: eventFields.occupationName.default(null),
  targetLevel: eventFields.targetLevel.default(null),
  mode: eventMode.default('individual'),
  minEntrants: eventFields.minEntrants.default(30),
  teamRanking: eventFields.teamRanking.default(null),
  withdrawnRanking: withdrawnRanking.default('after_complete'),
  liveIncompleteOrder: liveIncompleteOrder.default('after_complete'),
  showDelegationsBeforeRelease: eventFields.showDelegationsBeforeRelease.default(false),
  showCertaintyOnScreen: eventFields.showCertaintyOnScreen.default(false),
  /** The rounds in order (seq 1, 2, …); one final round '决赛' when omitted. */
  rounds: z.array(createRoundBody).min(1).max(10).optional(),
});
export type CreateEventInput = z.infer<typeof createEventBody>;

export const updateEventBody = z.object(eventFields).partial();
export type UpdateEventInput = z.infer<typeof updateEventBody>;

export const listEventsQuery = pageQuery.extend({
  q: z.string().trim().max(100).optional(),
});
