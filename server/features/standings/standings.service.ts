/**
 * Standings over rounds and events: each round's own placement beside the carried standing, the
 * final standings of everyone who took part, and the competition's team standing by placing
 * points. Read from the live rankings (app.rankings), so they follow every mark and appeal.
 */
import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { competitions, events, organisations, rounds } from '../../../db/schema.ts';
import { teamStandingSettingSchema, type EventStandings, type TeamStanding, type TeamStandingSetting } from '../../contracts/standings.ts';
import { computeTeamStanding, finalStandings, ownRoundRanking } from '../../domain/index.ts';
import { invalid, notFound } from '../../errors.ts';
import type { StaffActor } from '../../plugins/auth.plugin.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { getCompetitionInScope } from '../competitions/competitions.service.ts';
import { schemeForRound } from '../events/round-scheme.ts';

type Deps = Pick<FastifyInstance, 'db' | 'rankings'>;
type EventRow = typeof events.$inferSelect;

/**
 * An event's rounds, each with its own placement (本轮名次) and the carried standing (总成绩名次),
 * and the final standings (最终名次). Names and delegations only with `identities` (the caller
 * decides: organisers and the encryption officer before release, everyone after).
 */
export function eventStandings(app: Deps, event: EventRow, identities: boolean): EventStandings {
  const roundRows = app.db.select().from(rounds).where(eq(rounds.eventId, event.id)).orderBy(asc(rounds.seq)).all();
  if (roundRows.length === 0) throw notFound('Round');
  const who = new Map<number, { number: number | null; name: string | null; delegation: string | null }>();
  const perRound = roundRows.map((round) => {
    const rows = app.rankings.roundRows(event.id, round.id);
    // Names and numbers as the staff ranking shows them (team names for team entries).
    for (const r of app.rankings.staffRanking(event.id, round.id, { identities }).staffRows)
      who.set(r.entryId, { number: r.number, name: identities ? r.name : null, delegation: identities ? r.delegation : null });
    const own = new Map(ownRoundRanking(schemeForRound(event, round), rows, { withdrawn: event.withdrawnRanking }).map((r) => [r.entryId, r]));
    return { round, rows, own };
  });
  const label = (entryId: number) => who.get(entryId) ?? { number: null, name: null, delegation: null };
  const numbersAt = (ids: number[]) => ids.map((id) => label(id).number).filter((n): n is number => n !== null);
  return {
    eventId: event.id,
    eventName: event.name,
    released: event.releasedAt != null,
    rounds: perRound.map(({ round, rows, own }) => ({
      roundId: round.id,
      seq: round.seq,
      name: round.name,
      kind: round.kind,
      carryOver: round.carryOver,
      roundWinners: numbersAt([...own.values()].filter((r) => r.rank === 1).map((r) => r.entryId)),
      standingLeaders: numbersAt(rows.filter((r) => r.rank === 1).map((r) => r.entryId)),
      rows: rows.map((r) => {
        const mine = own.get(r.entryId);
        return {
          ...label(r.entryId),
          status: r.status,
          provisional: r.provisional,
          roundRank: mine?.rank ?? null,
          roundTotal: r.score.roundTotal,
          carried: r.score.carried,
          standingRank: r.rank,
          total: r.total,
        };
      }),
    })),
    standings: finalStandings(perRound.map(({ round, rows }) => ({ roundId: round.id, rows }))).map((s) => ({
      ...label(s.entryId),
      place: s.place,
      sharedPlace: s.sharedPlace,
      finalist: s.finalist,
      roundId: s.roundId,
      roundName: perRound[s.roundIndex]!.round.name,
      roundRank: s.roundRank,
      total: s.total,
      status: s.status,
      provisional: s.provisional,
    })),
  };
}

/** The stored setting, or null (also for a stored value the contract no longer accepts: never a 500). */
function settingOf(row: { teamStanding: unknown }): TeamStandingSetting | null {
  if (row.teamStanding == null) return null;
  const parsed = teamStandingSettingSchema.safeParse(row.teamStanding);
  return parsed.success ? parsed.data : null;
}

/**
 * The competition's team standing over its chosen events (every event when none are chosen), by
 * each event's last round. `releasedOnly` (the public): only released events count, and the
 * standing is null when none of them is released yet.
 */
export function teamStanding(app: Deps, competitionId: number, opts: { releasedOnly: boolean }): TeamStanding | null {
  const comp = app.db.select().from(competitions).where(eq(competitions.id, competitionId)).get();
  if (!comp) throw notFound('Competition');
  const setting = settingOf(comp);
  if (!setting) return opts.releasedOnly ? null : { competitionId, setting: null, events: [], rows: [] };
  const where = [eq(events.competitionId, competitionId)];
  if (setting.eventIds) where.push(inArray(events.id, setting.eventIds));
  if (opts.releasedOnly) where.push(isNotNull(events.releasedAt));
  const chosen = app.db.select().from(events).where(and(...where)).orderBy(asc(events.id)).all();
  const counted = chosen.flatMap((e) => {
    const last = app.db.select({ id: rounds.id }).from(rounds).where(eq(rounds.eventId, e.id)).orderBy(asc(rounds.seq)).all().at(-1);
    return last ? [{ event: e, rows: app.rankings.roundRows(e.id, last.id) }] : [];
  });
  if (opts.releasedOnly && counted.length === 0) return null;
  const standing = computeTeamStanding(
    counted.map((c) => ({ eventId: c.event.id, rows: c.rows })),
    setting,
  );
  const teamIds = standing.map((t) => t.teamId);
  const names = new Map(
    teamIds.length ? app.db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, teamIds)).all().map((o) => [o.id, o.name]) : [],
  );
  return {
    competitionId,
    setting,
    events: counted.map((c) => ({ eventId: c.event.id, eventName: c.event.name, released: c.event.releasedAt != null })),
    rows: standing.map((t) => ({
      rank: t.rank,
      sharedRank: t.sharedRank,
      teamId: t.teamId,
      delegation: names.get(t.teamId) ?? '',
      value: t.value,
      provisional: t.provisional,
      byEvent: t.byEvent.map((b) => ({ eventId: b.eventId, points: b.points })),
    })),
  };
}

/**
 * The team standing as staff see it. Before release it names delegations too: unlike a name
 * behind a drawn number, a delegation's points are no secret to staff in scope.
 */
export function staffTeamStanding(app: Deps, actor: StaffActor, competitionId: number): TeamStanding {
  getCompetitionInScope(app.db, actor, competitionId);
  return teamStanding(app, competitionId, { releasedOnly: false })!;
}

/** Sets (or, with null, removes) the competition's team standing; every chosen event must be the competition's. Audited. */
export function setTeamStanding(app: Deps, actor: StaffActor, competitionId: number, setting: TeamStandingSetting | null): TeamStanding {
  const { row } = getCompetitionInScope(app.db, actor, competitionId);
  if (setting?.eventIds) {
    const own = new Set(
      app.db
        .select({ id: events.id })
        .from(events)
        .where(eq(events.competitionId, competitionId))
        .all()
        .map((e) => e.id),
    );
    setting.eventIds.forEach((id, i) => {
      if (!own.has(id)) throw invalid(`body.setting.eventIds.${i}`, `event ${id} is not an event of this competition`);
    });
  }
  app.db.transaction((tx) => {
    tx.update(competitions).set({ teamStanding: setting }).where(eq(competitions.id, competitionId)).run();
    recordAudit(tx, actor, { action: 'competition.team_standing', entityType: 'competition', entityId: competitionId, orgId: row.orgId, before: row.teamStanding ?? null, after: setting });
  });
  return teamStanding(app, competitionId, { releasedOnly: false })!;
}
