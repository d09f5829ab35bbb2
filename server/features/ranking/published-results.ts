import { and, eq, isNotNull } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { competitions, events, prizes } from '../../../db/schema.ts';
import { prizeCertificateNumber } from '../../domain/awards/index.ts';
import { notFound } from '../../errors.ts';
import { maskResidentId } from '../../domain/resident-id.ts';
import { membersOfEvent } from '../entries/members.ts';

type CompetitionRow = typeof competitions.$inferSelect;
type EventRow = typeof events.$inferSelect;

/** The event's individual prizes by entry, each with the number printed on its award certificate. */
export function prizesByEntry(app: Pick<FastifyInstance, 'db'>, comp: Pick<CompetitionRow, 'id' | 'year'>, eventId: number) {
  return new Map(
    app.db
      .select()
      .from(prizes)
      .where(eq(prizes.eventId, eventId))
      .all()
      .filter((p) => p.entryId != null)
      .map((p) => [p.entryId!, { id: p.id, label: p.label, tier: p.tier, certificateNumber: prizeCertificateNumber({ year: comp.year, competitionId: comp.id, prizeId: p.id }) }]),
  );
}

/**
 * One released event as the public sees it (`GET /api/public/competitions/:id/results` and the
 * results workbooks): names and masked ID numbers, delegations, scores, prizes with their
 * certificate numbers, the published reason of a disqualification. Only public fields: entry
 * ids, judges' marks, full ID numbers and the staff-only status note never leave here.
 */
export function releasedEventResults(app: Pick<FastifyInstance, 'db' | 'rankings'>, comp: CompetitionRow, e: EventRow) {
  const r = app.rankings.staffRanking(e.id);
  const prizeOf = prizesByEntry(app, comp, e.id);
  const members = membersOfEvent(app.db, e.id);
  return {
    eventId: e.id,
    eventName: e.name,
    releasedAt: e.releasedAt!.toISOString(),
    publicityEndsAt: e.publicityEndsAt?.toISOString() ?? null,
    final: e.finalAt != null,
    parts: r.parts,
    teams: r.teams,
    // Only public fields: the presenter drops entry ids, judges' marks and full IDs.
    rows: r.staffRows.map((row) => ({
      number: row.number,
      delegation: row.delegation,
      rank: row.rank,
      sharedRank: row.sharedRank,
      provisional: row.provisional,
      status: row.status,
      total: row.total,
      parts: row.parts,
      name: row.name ?? '',
      idNumberMasked: row.idNumberMasked ?? '',
      disqualifiedReason: row.disqualifiedReason,
      incompleteReason: row.incompleteReason,
      prize: prizeOf.get(row.entryId) ?? null,
      members: (members.get(row.entryId) ?? []).map((m) => ({ name: m.name, idNumberMasked: maskResidentId(m.idNumber), captain: m.captain })),
      // Beside the total where the competition standardises scores (server/domain/judging/standardise.ts).
      ...(row.standardised !== undefined ? { standardised: row.standardised } : {}),
    })),
  };
}
export type ReleasedEventResults = ReturnType<typeof releasedEventResults>;

/** A competition's released events, in event order; 404 when it has none (or does not exist). */
export function releasedEventsOf(app: Pick<FastifyInstance, 'db'>, competitionId: number): { comp: CompetitionRow; released: EventRow[] } {
  const comp = app.db.select().from(competitions).where(eq(competitions.id, competitionId)).get();
  if (!comp) throw notFound('Competition');
  const released = app.db
    .select()
    .from(events)
    .where(and(eq(events.competitionId, comp.id), isNotNull(events.releasedAt)))
    .orderBy(events.id)
    .all();
  if (released.length === 0) throw notFound('Published results');
  return { comp, released };
}

/** The released results of a competition, as `GET /api/public/competitions/:id/results` answers. */
export function publishedResults(app: Pick<FastifyInstance, 'db' | 'rankings'>, competitionId: number) {
  const { comp, released } = releasedEventsOf(app, competitionId);
  return {
    competitionId: comp.id,
    name: comp.name,
    grade: comp.grade,
    year: comp.year,
    organisers: comp.organisers,
    hosts: comp.hosts,
    events: released.map((e) => releasedEventResults(app, comp, e)),
  };
}
