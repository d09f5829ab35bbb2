import { asc, eq, inArray, sql } from 'drizzle-orm';
import { judgeAssignments, judges, organisations, panelSeats, rounds } from '../../../db/schema.ts';
import { panelKey, type PanelJudge } from '../../domain/index.ts';
import type { PanelRole } from '../../plugins/auth.plugin.ts';
import type { Tx } from '../audit/audit.service.ts';

export type PanelMember = PanelJudge & { name: string; role: PanelRole; employerId: number | null; employerName: string | null; trainee: boolean };

/** Who sits on an event and where: what the ranking, the progress grid and the panels page all read. */
export type EventPanels = {
  /** Every judge assigned to the event, by id. */
  members: Map<number, PanelMember>;
  /** The event's judges in the role `judge`: the panel of a part nobody is seated on. */
  eventJudges: PanelJudge[];
  /** roundId → panel key (part id, or `part:criterion`) → seated judge ids, in seating order. */
  seatsByRound: Map<number, Map<string, number[]>>;
  /** The event's trainee judges (见习裁判): their marks never count (server/domain/judging/trainees.ts). */
  trainees: Set<number>;
};

export function loadEventPanels(db: Tx, eventId: number): EventPanels {
  const members = new Map<number, PanelMember>();
  for (const m of db
    .select({
      id: judges.id,
      name: judges.name,
      employerId: judges.employerId,
      employerName: sql<string | null>`coalesce(${organisations.name}, ${judges.employerName})`,
      role: judgeAssignments.role,
      trainee: judgeAssignments.trainee,
    })
    .from(judgeAssignments)
    .innerJoin(judges, eq(judges.id, judgeAssignments.judgeId))
    .leftJoin(organisations, eq(organisations.id, judges.employerId))
    .where(eq(judgeAssignments.eventId, eventId))
    .orderBy(asc(judges.id))
    .all())
    // Only a judge in the role `judge` can be a trainee; the flag means nothing in another role.
    members.set(m.id, { ...m, trainee: m.trainee && m.role === 'judge', employer: { organisationId: m.employerId, name: m.employerName } });
  const roundIds = db
    .select({ id: rounds.id })
    .from(rounds)
    .where(eq(rounds.eventId, eventId))
    .all()
    .map((r) => r.id);
  const seatsByRound = new Map<number, Map<string, number[]>>();
  if (roundIds.length)
    for (const s of db.select().from(panelSeats).where(inArray(panelSeats.roundId, roundIds)).orderBy(asc(panelSeats.id)).all()) {
      let byKey = seatsByRound.get(s.roundId);
      if (!byKey) seatsByRound.set(s.roundId, (byKey = new Map()));
      const key = panelKey(s.partId, s.criterionId || null);
      const list = byKey.get(key);
      if (list) list.push(s.judgeId);
      else byKey.set(key, [s.judgeId]);
    }
  return {
    members,
    eventJudges: [...members.values()].filter((m) => m.role === 'judge').map((m) => ({ id: m.id, employer: m.employer, trainee: m.trainee })),
    seatsByRound,
    trainees: new Set([...members.values()].filter((m) => m.trainee).map((m) => m.id)),
  };
}

export const NO_SEATS: ReadonlyMap<string, readonly number[]> = new Map();
