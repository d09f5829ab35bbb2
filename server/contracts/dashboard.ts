import { z } from 'zod';
import { competitionGrade, competitionStatus } from './competitions.ts';

export const dashboardQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional().describe('Only competitions of this year'),
});

/** Statuses in which a competition is under way and listed on the dashboard. */
export const ACTIVE_COMPETITION_STATUSES = ['registration', 'running', 'marking_closed'] as const;

export const activeCompetitionSchema = z.object({
  id: z.int(),
  name: z.string(),
  grade: competitionGrade,
  year: z.int(),
  status: competitionStatus,
  venue: z.string().nullable(),
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  events: z.int(),
  entrants: z.int(),
  checkedIn: z.int(),
  judges: z.int(),
  marksIn: z.int(),
});

export const dashboardSchema = z
  .object({
    organisation: z.object({ id: z.int(), name: z.string() }),
    year: z.int().nullable(),
    competitions: z.object({
      total: z.int(),
      byGrade: z.object({ A: z.int(), B: z.int(), C: z.int() }),
      byStatus: z.object({
        draft: z.int(),
        registration: z.int(),
        running: z.int(),
        marking_closed: z.int(),
        results_published: z.int(),
        final: z.int(),
      }),
    }),
    /** Competitions per year (newest first), for the year chart and the year filter. */
    years: z.array(z.object({ year: z.int(), count: z.int() })),
    events: z.int(),
    entrants: z.object({ total: z.int(), checkedIn: z.int(), absent: z.int(), disqualified: z.int() }),
    judges: z.int(),
    /** Marks entered by judges (first versions: a correction is not a new mark). */
    marksIn: z.int(),
    /** Competitions in registration, running or with marking closed, soonest first. */
    active: z.array(activeCompetitionSchema),
    /**
     * Where the year's competitions led, as a union reports it (Feixi: 4,330 finalists, 348
     * winners, 5 / 5 / 33 titles): entrants who took part, prize winners and prize money, titles
     * conferred by type, promotions approved, proposals still waiting for a signature.
     */
    outcomes: z.object({
      /** Entrants who took part (every entry but the absent and the reserves). */
      finalists: z.int(),
      /** Entries and delegations awarded a prize. */
      prizeWinners: z.int(),
      prizeMoneyYuan: z.number(),
      titles: z.array(z.object({ titleTypeId: z.int(), name: z.string(), level: z.enum(['county', 'city', 'province', 'national']), count: z.int() })),
      promotions: z.int(),
      /** Proposals (titles, recommendations, promotions) not yet signed by both sides. */
      proposalsWaiting: z.int(),
    }),
    /**
     * Certified skill levels recorded by the bodies of the subtree (issued in the year when one is
     * chosen): by level (1 高级技师 … 5 初级工) and by occupation (the ten most frequent), and how
     * many still wait to be issued.
     */
    certificates: z.object({
      issued: z.int(),
      pending: z.int(),
      byLevel: z.array(z.object({ level: z.int(), count: z.int() })),
      byOccupation: z.array(z.object({ occupationCode: z.string(), occupationName: z.string(), count: z.int() })),
    }),
    /**
     * Craftsman selections (工匠评选) of the year (the dashboard's year, else this year): how many ran,
     * candidates, named craftsmen and nomination awards, reward money paid and still due. The whole
     * breakdown is GET /api/selection-report.
     */
    selections: z.object({
      year: z.int(),
      selections: z.int(),
      candidates: z.int(),
      named: z.int(),
      nominationAwards: z.int(),
      paid: z.number(),
      outstanding: z.number(),
    }),
  })
  .meta({ id: 'Dashboard' });
export type Dashboard = z.infer<typeof dashboardSchema>;
