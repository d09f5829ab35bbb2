import { z } from 'zod';
import { entryStatus } from './entries.ts';
import { placingPointsTable } from './events.ts';

/**
 * Standings beyond one round's ranking: each round's own placement beside the carried standing,
 * the final standings of everyone who took part (server/domain/standings.ts), and the
 * competition's team standing by placing points (server/domain/teams.ts computeTeamStanding).
 */

/**
 * The competition-level team standing (团体总分) the organiser chooses: placing points per event
 * (e.g. 10, 9, 8 … for the top ten; shared places share the points), the best `bestN` entries of
 * each delegation in each event counting, summed over the events. Totals of different events are
 * never added: they are marked on different schemes.
 */
export const teamStandingSettingSchema = z
  .object({
    points: placingPointsTable,
    bestN: z.int().min(1).max(100),
    /** The events counted, in the competition; null: every event. */
    eventIds: z.array(z.int().positive()).min(1).max(200).nullable().default(null),
  })
  .meta({ id: 'TeamStandingSetting' });
export type TeamStandingSetting = z.infer<typeof teamStandingSettingSchema>;

export const setTeamStandingBody = z.object({
  /** null: the competition has no team standing. */
  setting: teamStandingSettingSchema.nullable(),
});

export const teamStandingSchema = z
  .object({
    competitionId: z.int(),
    setting: teamStandingSettingSchema.nullable(),
    /** The events counted (public: only released ones), in event order. */
    events: z.array(z.object({ eventId: z.int(), eventName: z.string(), released: z.boolean() })),
    rows: z.array(
      z.object({
        rank: z.int().nullable(),
        sharedRank: z.boolean(),
        teamId: z.int(),
        delegation: z.string(),
        /** Σ points, shown rounded half-up to 2 decimals (shared places can give thirds); ranked exactly. */
        value: z.number(),
        provisional: z.boolean(),
        byEvent: z.array(z.object({ eventId: z.int(), points: z.number() })),
      }),
    ),
  })
  .meta({ id: 'TeamStanding' });
export type TeamStanding = z.infer<typeof teamStandingSchema>;

const who = {
  number: z.int().nullable(),
  /** Staff who may know who is behind a number, and everyone after release; null otherwise. */
  name: z.string().nullable(),
  delegation: z.string().nullable(),
};

export const eventStandingsSchema = z
  .object({
    eventId: z.int(),
    eventName: z.string(),
    released: z.boolean(),
    rounds: z.array(
      z.object({
        roundId: z.int(),
        seq: z.int(),
        name: z.string(),
        kind: z.enum(['preliminary', 'semifinal', 'final']),
        /** What the round's standing carries from earlier rounds ('none': the round stands alone). */
        carryOver: z.string(),
        /** Drawn numbers winning the round on its own total (本轮第一), and leading the carried standing (总成绩第一). */
        roundWinners: z.array(z.int()),
        standingLeaders: z.array(z.int()),
        rows: z.array(
          z.object({
            ...who,
            status: entryStatus,
            provisional: z.boolean(),
            /** The round on its own total (本轮名次). */
            roundRank: z.int().nullable(),
            roundTotal: z.number(),
            /** What earlier rounds carried in. */
            carried: z.number(),
            /** The standing the event ranks on: the round with carry-over (总成绩名次). */
            standingRank: z.int().nullable(),
            total: z.number(),
          }),
        ),
      }),
    ),
    /** Everyone who took part, each once: finalists by the final, then those eliminated earlier by their last round's standing. */
    standings: z.array(
      z.object({
        ...who,
        place: z.int().nullable(),
        sharedPlace: z.boolean(),
        finalist: z.boolean(),
        /** The last round the entry took part in, which places it. */
        roundId: z.int(),
        roundName: z.string(),
        roundRank: z.int().nullable(),
        total: z.number(),
        status: entryStatus,
        provisional: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'EventStandings' });
export type EventStandings = z.infer<typeof eventStandingsSchema>;

export const publicCompetitionStandingsSchema = z
  .object({
    competitionId: z.int(),
    /** Released events with more than one round. */
    events: z.array(eventStandingsSchema),
    /** The team standing over released events, when the organiser set one. */
    teamStanding: teamStandingSchema.nullable(),
  })
  .meta({ id: 'PublicCompetitionStandings' });
