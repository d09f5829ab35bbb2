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
  })
  .meta({ id: 'Dashboard' });
export type Dashboard = z.infer<typeof dashboardSchema>;
