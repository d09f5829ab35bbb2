import { asc, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { events, rounds, type competitions } from '../../../db/schema.ts';
import { notFound } from '../../errors.ts';
import { requireStaff } from '../../plugins/auth.plugin.ts';
import { authorizeEvent } from '../event-access.ts';
import { getCompetitionInScope, getEventContext } from '../events/events.service.ts';
import { schemeForRound } from '../events/round-scheme.ts';
import { prizesByEntry, releasedEventResults, releasedEventsOf } from '../ranking/published-results.ts';
import { maskResidentId } from '../../domain/resident-id.ts';
import { membersOfEvent, type EntryMember } from '../entries/members.ts';
import { seesIdentities } from '../scope.ts';
import type { ResultsSheetData } from './results-workbook.ts';

/**
 * What each results workbook lists, by the same rules as the results pages:
 * - public (no sign-in): released events only, built from the very rows of
 *   `GET /api/public/competitions/:id/results` (names, masked ID numbers, prizes);
 * - staff: any round, before release too; names and masked ID numbers only for those who may
 *   know who is behind a number (`seesIdentities`: organisers, admins, the encryption officer),
 *   as `GET /api/events/:id/ranking` decides — everyone after release.
 */

type Deps = Pick<FastifyInstance, 'db' | 'rankings' | 'clock'>;
type EventRow = typeof events.$inferSelect;
type CompetitionRow = typeof competitions.$inferSelect;

/** The part columns of a round: names, and weights when the round's total is weighted. */
function partsOf(db: Deps['db'], event: EventRow, roundId: number, names: { id: string; name: string }[]) {
  const round = db.select().from(rounds).where(eq(rounds.id, roundId)).get();
  const scheme = schemeForRound(event, round);
  return names.map((p) => ({ id: p.id, name: p.name, weight: scheme.totaling === 'weighted' ? (scheme.parts.find((x) => x.id === p.id)?.weight ?? null) : null }));
}

/** The round's name when the event has several (a sheet of the final says so). */
const roundNameOf = (ranking: { roundId: number; rounds: { id: number; name: string }[] }) =>
  ranking.rounds.length > 1 ? (ranking.rounds.find((r) => r.id === ranking.roundId)?.name ?? null) : null;

const releaseOf = (e: EventRow) =>
  e.releasedAt ? { releasedAt: e.releasedAt.toISOString(), publicityEndsAt: e.publicityEndsAt?.toISOString() ?? null, final: e.finalAt != null } : null;

/** One released event's sheet, from the public results' own rows. */
function publicSheet(app: Deps, comp: CompetitionRow, event: EventRow): ResultsSheetData {
  const published = releasedEventResults(app, comp, event);
  const ranking = app.rankings.eventRanking(event.id);
  return {
    competition: { name: comp.name, organisers: comp.organisers, hosts: comp.hosts },
    eventName: event.name,
    roundName: roundNameOf(ranking),
    release: releaseOf(event),
    generatedAt: app.clock.now(),
    identities: true,
    parts: partsOf(app.db, event, ranking.roundId, published.parts),
    rows: published.rows,
    teams: published.teams,
  };
}

/** The public sheet of one event: 404 until its results are released. */
export function publicEventResultsSheet(app: Deps, eventId: number): ResultsSheetData {
  const { event, competition } = getEventContext(app.db, eventId);
  if (!event.releasedAt) throw notFound('Published results');
  return publicSheet(app, competition, event);
}

/** One sheet per released event of the competition: 404 while none is released. */
export function publicCompetitionResultsSheets(app: Deps, competitionId: number): { name: string; sheets: ResultsSheetData[] } {
  const { comp, released } = releasedEventsOf(app, competitionId);
  return { name: comp.name, sheets: released.map((e) => publicSheet(app, comp, e)) };
}

/** One event's sheet for staff: any round, before release too, names by `seesIdentities`. */
function staffSheet(app: Deps, comp: CompetitionRow, event: EventRow, roundId: number | undefined, identities: boolean): ResultsSheetData {
  const r = app.rankings.staffRanking(event.id, roundId, { identities });
  const prizeOf = prizesByEntry(app, comp, event.id);
  const named = identities || event.releasedAt != null;
  const members = named ? membersOfEvent(app.db, event.id) : new Map<number, EntryMember[]>();
  return {
    competition: { name: comp.name, organisers: comp.organisers, hosts: comp.hosts },
    eventName: event.name,
    roundName: roundNameOf(r),
    release: releaseOf(event),
    generatedAt: app.clock.now(),
    identities: named,
    parts: partsOf(app.db, event, r.roundId, r.parts),
    rows: r.staffRows.map((row) => ({
      number: row.number,
      rank: row.rank,
      sharedRank: row.sharedRank,
      provisional: row.provisional,
      status: row.status,
      total: row.total,
      parts: row.parts,
      name: named ? row.name : null,
      idNumberMasked: named ? row.idNumberMasked : null,
      delegation: row.delegation,
      disqualifiedReason: row.disqualifiedReason,
      incompleteReason: row.incompleteReason,
      prize: prizeOf.get(row.entryId) ?? null,
      ...(members.has(row.entryId)
        ? { members: members.get(row.entryId)!.map((m) => ({ name: m.name, idNumberMasked: maskResidentId(m.idNumber), captain: m.captain })) }
        : {}),
    })),
    teams: r.teams,
  };
}

/** Staff in scope (organisers, admins, HR officers, viewers) and the event's chief judge and supervisors. */
export function staffEventResultsSheet(app: FastifyInstance, req: FastifyRequest, eventId: number, roundId: number | undefined): ResultsSheetData {
  const { event, competition, actor } = authorizeEvent(app, req, eventId, {
    staff: ['admin', 'organiser', 'hr_officer', 'viewer'],
    judge: ['chief', 'supervisor'],
  });
  return staffSheet(app, competition, event, roundId, seesIdentities(app.db, actor, competition.id));
}

/** Every event of a competition that has a round, for staff in scope. */
export function staffCompetitionResultsSheets(app: Deps, req: FastifyRequest, competitionId: number): { name: string; sheets: ResultsSheetData[] } {
  const actor = requireStaff(req, 'admin', 'organiser', 'hr_officer', 'viewer');
  const { competition } = getCompetitionInScope(app.db, actor, competitionId);
  const identities = seesIdentities(app.db, actor, competition.id);
  const list = app.db.select().from(events).where(eq(events.competitionId, competition.id)).orderBy(asc(events.id)).all();
  const withRounds = list.filter((e) => app.db.select({ id: rounds.id }).from(rounds).where(eq(rounds.eventId, e.id)).limit(1).get());
  return { name: competition.name, sheets: withRounds.map((e) => staffSheet(app, competition, e, undefined, identities)) };
}
