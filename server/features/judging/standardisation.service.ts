import { and, asc, eq, isNotNull } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { competitions, events, rounds } from '../../../db/schema.ts';
import type { CompetitionStandardised, StandardisationSetting } from '../../contracts/judging.ts';
import { standardiseTotals } from '../../domain/judging/standardise.ts';
import { roundHalfUp } from '../../domain/rounding.ts';
import { conflict, notFound } from '../../errors.ts';
import { requireStaff } from '../../plugins/auth.plugin.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { getCompetitionInScope } from '../events/events.service.ts';
import { seesIdentities } from '../scope.ts';
import { countsForStandardisation } from './standardisation.queries.ts';

const OFF: StandardisationSetting = { enabled: false, showOnScreen: false, bestOfCompetition: false };

/** Sets the option (organisers and administrators of the competition); every event's ranking follows at once. */
export function setStandardisation(app: FastifyInstance, req: FastifyRequest, competitionId: number, setting: StandardisationSetting): StandardisationSetting {
  const actor = requireStaff(req, 'admin', 'organiser');
  const { competition } = getCompetitionInScope(app.db, actor, competitionId);
  // A released result is published as it stood: adding or removing a published column afterwards would change it.
  const released = app.db.select({ id: events.id }).from(events).where(and(eq(events.competitionId, competitionId), isNotNull(events.releasedAt))).get();
  const before = competition.standardisation ?? OFF;
  if (released && before.enabled !== setting.enabled)
    throw conflict('results_released', 'Results of an event are released: standardised scores can no longer be switched on or off');
  app.db.transaction(
    (tx) => {
      tx.update(competitions).set({ standardisation: setting }).where(eq(competitions.id, competitionId)).run();
      recordAudit(tx, actor, { action: 'competition.standardisation', entityType: 'competition', entityId: competitionId, orgId: competition.orgId, before, after: setting });
    },
    { behavior: 'immediate' },
  );
  for (const e of app.db.select({ id: events.id }).from(events).where(eq(events.competitionId, competitionId)).all()) app.rankings.invalidate(e.id);
  return setting;
}

type Entry = CompetitionStandardised['ranking'][number];

/**
 * Every event's standardised scores and the cross-event ranking by them (best of the
 * competition). Each event contributes the round its ranking shows (the open one, else the last:
 * the published result once released). Ranked by the published, 2-decimal figure, ties sharing a
 * place, as the engine ranks teams by their published mean.
 *
 * @param releasedOnly the public view: released events only, names shown
 * @param identities whether names before release may be shown (staff who hold the mapping)
 */
export function competitionStandardised(app: FastifyInstance, competitionId: number, opts: { releasedOnly: boolean; identities: boolean }): CompetitionStandardised {
  const comp = app.db.select().from(competitions).where(eq(competitions.id, competitionId)).get();
  if (!comp) throw notFound('Competition');
  const setting = comp.standardisation ?? OFF;
  const eventRows = app.db.select().from(events).where(eq(events.competitionId, competitionId)).orderBy(asc(events.id)).all();
  const out: CompetitionStandardised = { competitionId, setting, events: [], ranking: [], best: [] };
  if (!setting.enabled) return out;
  const entries: Omit<Entry, 'rank'>[] = [];
  for (const e of eventRows) {
    if (opts.releasedOnly && e.releasedAt == null) continue;
    if (!app.db.select({ id: rounds.id }).from(rounds).where(eq(rounds.eventId, e.id)).get()) continue;
    const ranking = app.rankings.staffRanking(e.id, undefined, { identities: opts.identities });
    const rows = app.rankings.roundRows(e.id, ranking.roundId);
    const std = standardiseTotals(rows.map((r) => ({ entryId: r.entryId, total: r.total, counts: countsForStandardisation(r) })));
    out.events.push({
      eventId: e.id,
      eventName: e.name,
      released: e.releasedAt != null,
      n: std.n,
      mean: std.mean === null ? null : roundHalfUp(std.mean, 2),
      sd: std.sd === null ? null : roundHalfUp(std.sd, 2),
      spread: std.spread,
    });
    const staffRow = new Map(ranking.staffRows.map((r) => [r.entryId, r]));
    for (const [entryId, value] of std.scores) {
      const row = staffRow.get(entryId);
      entries.push({
        eventId: e.id,
        eventName: e.name,
        number: row?.number ?? null,
        name: row?.name ?? null,
        delegation: row?.delegation ?? null,
        total: row?.total ?? 0,
        standardised: roundHalfUp(value, 2),
      });
    }
  }
  entries.sort((a, b) => b.standardised - a.standardised || a.eventId - b.eventId || (a.number ?? 0) - (b.number ?? 0));
  let rank = 0;
  out.ranking = entries.map((e, i) => {
    if (i === 0 || e.standardised !== entries[i - 1]!.standardised) rank = i + 1;
    return { ...e, rank };
  });
  if (setting.bestOfCompetition) out.best = out.ranking.filter((e) => e.rank === 1);
  return out;
}

/** The staff view: organisers, admins and other staff in scope; names before release only for those who hold the mapping. */
export function staffCompetitionStandardised(app: FastifyInstance, req: FastifyRequest, competitionId: number): CompetitionStandardised {
  const actor = requireStaff(req);
  getCompetitionInScope(app.db, actor, competitionId);
  return competitionStandardised(app, competitionId, { releasedOnly: false, identities: seesIdentities(app.db, actor, competitionId) });
}
