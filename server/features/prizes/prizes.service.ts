import { asc, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { entries, events, organisations, people, prizes, rounds } from '../../../db/schema.ts';
import { DEFAULT_PRIZE_RULE, prizeRuleSchema, type PrizeRule } from '../../contracts/awards.ts';
import { allocatePrizes, allocateTeamPrizes, type LineChange } from '../../domain/awards/index.ts';
import { computeTeamRanking } from '../../domain/index.ts';
import { conflict, notFound } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { authorizeEvent } from '../event-access.ts';
import { assertAwardsAllowed } from '../publication/awards-gate.ts';
import { seesIdentities } from '../scope.ts';
import { entryDisplayName, membersOfEvent } from '../entries/members.ts';

const MANAGERS = { staff: ['admin' as const, 'organiser' as const] };
const READERS = { staff: ['admin' as const, 'organiser' as const, 'hr_officer' as const, 'viewer' as const], judge: ['chief' as const, 'supervisor' as const] };

function ruleOf(event: typeof events.$inferSelect): PrizeRule {
  return event.prizeRule ? prizeRuleSchema.parse(event.prizeRule) : DEFAULT_PRIZE_RULE;
}

/** Prizes the rule gives on the event's final ranking (individuals, and teams when the event ranks teams). */
function allocate(app: FastifyInstance, event: typeof events.$inferSelect) {
  const last = app.db.select().from(rounds).where(eq(rounds.eventId, event.id)).orderBy(asc(rounds.seq)).all().at(-1);
  if (!last) throw notFound('Round');
  const rows = app.rankings.roundRows(event.id, last.id);
  const rule = ruleOf(event);
  const individual = allocatePrizes(rows, rule);
  const team = event.teamRanking ? allocateTeamPrizes(computeTeamRanking(rows, event.teamRanking), rule) : null;
  return { rule, individual, team };
}

/**
 * Who is behind each entry: name and delegation for those who may know (organisers, the
 * encryption officer, anyone after release); numbers only for the others (chief judge,
 * supervisors, HR officers and viewers before release).
 */
function names(app: FastifyInstance, eventId: number, identities: boolean) {
  const members = membersOfEvent(app.db, eventId);
  const rows = app.db
    .select({ id: entries.id, number: entries.drawnNumber, name: people.name, teamName: entries.teamName, delegation: organisations.name })
    .from(entries)
    .innerJoin(people, eq(people.id, entries.personId))
    .leftJoin(organisations, eq(organisations.id, entries.delegationId))
    .where(eq(entries.eventId, eventId))
    .all()
    // A team or pair is awarded as one, under its team name (or "甲、乙").
    .map(({ teamName, ...r }) => ({ ...r, name: entryDisplayName(r.name, teamName, members.get(r.id)) }));
  return new Map(rows.map((r) => [r.id, identities ? r : { ...r, name: '', delegation: null }]));
}

/**
 * Why a minimum score (分数线) moved an entrant, in the words stored with the prize and the audit:
 * "总分82.00，低于一等奖分数线85.00，获二等奖".
 */
export function lineNote(change: LineChange, rule: PrizeRule): string {
  const label = (tier: number | null) => (tier === null ? '' : rule.tiers[tier - 1]!.label);
  const outcome = change.tier === null ? '不获奖' : `获${label(change.tier)}`;
  if (change.missed.length > 0) {
    const lines = change.missed.map((m) => `${label(m.tier)}分数线${m.minScore.toFixed(2)}`).join('、');
    return `总分${change.total?.toFixed(2) ?? '—'}，低于${lines}，${outcome}`;
  }
  return `${label(change.placeTier)}名额已由未达上一奖项分数线的上位选手占用，${outcome}`;
}

/** What the event's rule would award now, without storing anything. */
export function previewPrizes(app: FastifyInstance, req: FastifyRequest, eventId: number) {
  const { event, competition, actor } = authorizeEvent(app, req, eventId, READERS);
  const identities = event.releasedAt != null || seesIdentities(app.db, actor, competition.id);
  const { rule, individual, team } = allocate(app, event);
  const who = names(app, eventId, identities);
  const orgNames = new Map(app.db.select({ id: organisations.id, name: organisations.name }).from(organisations).all().map((o) => [o.id, o.name]));
  return {
    eventId,
    rule,
    provisional: individual.provisional,
    rankedEntrants: individual.rankedEntrants,
    tiers: individual.tiers,
    boundaryTies: individual.boundaryTies,
    totalYuan: individual.totalYuan,
    awards: individual.awards.map((a) => {
      const change = individual.lineChanges.find((c) => c.id === a.entryId);
      return {
        ...a,
        number: who.get(a.entryId)?.number ?? null,
        name: who.get(a.entryId)?.name ?? '',
        delegation: who.get(a.entryId)?.delegation ?? null,
        placeTier: change ? change.placeTier : a.tier,
        note: change ? lineNote(change, rule) : null,
      };
    }),
    // Everyone a minimum score moved: lower than the place gives, or no prize (those are not in `awards`).
    lineChanges: individual.lineChanges.map((c) => ({
      entryId: c.id,
      number: who.get(c.id)?.number ?? null,
      name: who.get(c.id)?.name ?? '',
      rank: c.rank,
      total: c.total,
      placeTier: c.placeTier,
      tier: c.tier,
      missed: c.missed,
      note: lineNote(c, rule),
    })),
    teamAwards: team ? team.awards.map((a) => ({ ...a, delegation: identities ? (orgNames.get(a.teamId) ?? '') : '' })) : [],
  };
}

/** Sets the event's prize tiers (by share or by count, with money and the tie rule). */
export function setPrizeRule(app: FastifyInstance, req: FastifyRequest, eventId: number, rule: PrizeRule) {
  const { event, competition, actor } = authorizeEvent(app, req, eventId, MANAGERS);
  if (event.finalAt) throw conflict('results_final', 'The results are final');
  app.db.transaction((tx) => {
    tx.update(events).set({ prizeRule: rule }).where(eq(events.id, eventId)).run();
    recordAudit(tx, actor, { action: 'event.prize_rule', entityType: 'event', entityId: eventId, orgId: competition.orgId, before: event.prizeRule, after: rule });
  });
  // Live certainty (已锁定奖项 on screens, the chief's console) decides prizes by this rule.
  app.rankings.invalidate(eventId);
  return rule;
}

/**
 * Awards the prizes on released results once they stand (after the publicity period with no
 * appeal waiting, or by an organiser's recorded override: awards-gate.ts), in one transaction,
 * audited. Awarding again (an appeal may have moved someone) keeps every prize whose holder still
 * gets the same tier under the same name: its certificate number comes from the prize's id, and a
 * certificate already printed must keep verifying. Its place, money and line note follow the new
 * ranking; only prizes that changed hands or tier are replaced (new numbers), and the audit says which.
 */
export function awardPrizes(app: FastifyInstance, req: FastifyRequest, eventId: number) {
  const { event, competition, actor } = authorizeEvent(app, req, eventId, MANAGERS);
  assertAwardsAllowed(app, event, app.clock.now());
  const { rule, individual, team } = allocate(app, event);
  type Award = Omit<typeof prizes.$inferInsert, 'id' | 'createdAt'>;
  const wanted: Award[] = [
    ...individual.awards.map((a) => {
      const change = individual.lineChanges.find((c) => c.id === a.entryId);
      return { eventId, entryId: a.entryId, delegationId: null, tier: a.tier, label: a.label, moneyYuan: a.moneyYuan, rank: a.rank, note: change ? lineNote(change, rule) : null };
    }),
    ...(team?.awards ?? []).map((a) => ({ eventId, entryId: null, delegationId: a.teamId, tier: a.tier, label: `团体${a.label}`, moneyYuan: a.moneyYuan, rank: a.rank, note: null })),
  ];
  const sameAward = (p: typeof prizes.$inferSelect, a: Award) =>
    (p.entryId ?? null) === (a.entryId ?? null) && (p.delegationId ?? null) === (a.delegationId ?? null) && p.tier === a.tier && p.label === a.label;
  app.db.transaction((tx) => {
    const before = tx.select().from(prizes).where(eq(prizes.eventId, eventId)).all();
    const kept = new Set<number>();
    let added = 0;
    for (const a of wanted) {
      const same = before.find((p) => !kept.has(p.id) && sameAward(p, a));
      if (same) {
        kept.add(same.id);
        if (same.rank !== a.rank || same.moneyYuan !== a.moneyYuan || same.note !== a.note)
          tx.update(prizes).set({ rank: a.rank, moneyYuan: a.moneyYuan, note: a.note }).where(eq(prizes.id, same.id)).run();
      } else {
        tx.insert(prizes).values(a).run();
        added++;
      }
    }
    const withdrawn = before.filter((p) => !kept.has(p.id));
    for (const p of withdrawn) tx.delete(prizes).where(eq(prizes.id, p.id)).run();
    recordAudit(tx, actor, {
      action: 'prizes.award',
      entityType: 'event',
      entityId: eventId,
      orgId: competition.orgId,
      before: before.length ? { prizes: before.map((p) => ({ id: p.id, entryId: p.entryId, delegationId: p.delegationId, tier: p.tier, label: p.label })) } : null,
      after: {
        individual: individual.awards,
        team: team?.awards ?? [],
        totalYuan: individual.totalYuan,
        // Who a minimum score left lower or without a prize, and why: part of the decision.
        lineChanges: individual.lineChanges.map((c) => ({ ...c, note: lineNote(c, rule) })),
        override: event.finalAt ? null : (event.awardsOverrideReason ?? null),
        kept: kept.size,
        added,
        withdrawn: withdrawn.map((p) => p.id),
      },
    });
  });
  return listPrizes(app, req, eventId);
}

export function listPrizes(app: FastifyInstance, req: FastifyRequest, eventId: number) {
  const { event, competition, actor } = authorizeEvent(app, req, eventId, READERS);
  const who = names(app, eventId, event.releasedAt != null || seesIdentities(app.db, actor, competition.id));
  return app.db
    .select({ p: prizes, team: organisations.name })
    .from(prizes)
    .leftJoin(organisations, eq(organisations.id, prizes.delegationId))
    .where(eq(prizes.eventId, eventId))
    .orderBy(asc(prizes.tier), asc(prizes.rank), asc(prizes.id))
    .all()
    .map(({ p, team }) => ({
      id: p.id,
      tier: p.tier,
      label: p.label,
      moneyYuan: p.moneyYuan,
      rank: p.rank,
      entryId: p.entryId,
      number: p.entryId ? (who.get(p.entryId)?.number ?? null) : null,
      name: p.entryId ? (who.get(p.entryId)?.name ?? null) : null,
      delegation: p.entryId ? (who.get(p.entryId)?.delegation ?? null) : team,
      note: p.note,
    }));
}
