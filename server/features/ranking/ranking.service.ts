import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../../db/client.ts';
import { competitions, entries, events, incompleteReasons, marks, objectiveValues, organisations, people, roundEntries, rounds } from '../../../db/schema.ts';
import { DEFAULT_PRIZE_RULE, prizeRuleSchema, type PrizeRule } from '../../contracts/awards.ts';
import type { EventRanking, LiveRow } from '../../contracts/ranking.ts';
import type { Scheme } from '../../contracts/scheme.ts';
import {
  carriedTotal,
  computeTeamRanking,
  panelExpectations,
  panelKeysOf,
  rankEntries,
  scoreEntry,
  type EntryInput,
  type EntryScore,
  type MarkInput,
  type RankingRow,
  type TeamRankingOptions,
  type WithdrawnRanking,
} from '../../domain/index.ts';
import { countsForStandardisation, standardisationOf, type StandardisationSetting } from '../judging/standardisation.queries.ts';
import { roundHalfUp } from '../../domain/rounding.ts';
import { standardiseTotals } from '../../domain/judging/standardise.ts';
import { liveOrder, type LiveIncompleteOrder } from '../../domain/live-order.ts';
import type { EmployerRef } from '../../domain/recusal.ts';
import { maskResidentId } from '../../domain/resident-id.ts';
import { notFound } from '../../errors.ts';
import type { LiveHub } from '../../plugins/live.plugin.ts';
import { schemeForRound } from '../events/round-scheme.ts';
import { elementInputs } from '../elements/element-inputs.ts';
import { loadEventPanels, NO_SEATS } from '../judges/panels.queries.ts';
import { clinchedBadges, roundCertainty, type CertaintyRoundSource, type CertaintyView } from '../certainty/certainty.service.ts';
import { entrantEmployers, entryDisplayName, membersOfEvent } from '../entries/members.ts';

type EntryInfo = {
  number: number | null;
  delegationId: number | null;
  delegation: string | null;
  name: string;
  idNumber: string;
  /** Published with a disqualification; the staff-only note never leaves the staff ranking. */
  disqualifiedReason: string | null;
  statusNote: string | null;
};
const NO_EMPLOYER: EmployerRef = { organisationId: null, name: null };
type CurrentMark = { version: number; mark: MarkInput };

type RoundState = {
  round: typeof rounds.$inferSelect;
  /** The round's effective scheme (schemeForRound): a final may mark other parts than the preliminary. */
  scheme: Scheme;
  inputs: Map<number, EntryInput>;
  /** The size of each part's panel in this round (seats, else the scheme's expectedMarks), for display. */
  panelSizes: Map<string, number>;
  /** entryId → `${judgeId}:${partId}:${criterionId}` → the highest version seen. */
  marks: Map<number, Map<string, CurrentMark>>;
  scores: Map<number, EntryScore>;
  /** The ranking; recomputed lazily (see `rowsOf`) so a burst of marks re-ranks once. */
  rows: RankingRow[];
  stale: boolean;
  /** `rows` in live order (shownRowsOf), kept until `rows` is recomputed. */
  shown?: { source: RankingRow[]; rows: RankingRow[] };
  /** Standardised scores of `rows` (standardisedOf), kept until `rows` is recomputed. */
  standardised?: { source: RankingRow[]; value: { byEntry: Map<number, number>; byNumber: Map<number, number> } };
  /** Entries re-scored since the last broadcast: only their rows can have new content. */
  dirty: Set<number>;
  /** entryId → what was last broadcast: the row's content (without rank) and its rank, to send only changes. */
  published: Map<number, { content: string; rank: number | null; shared: boolean }>;
};

type EventState = {
  eventId: number;
  competitionId: number;
  name: string;
  releasedAt: Date | null;
  withdrawnRanking: WithdrawnRanking;
  liveIncompleteOrder: LiveIncompleteOrder;
  /** The event opted in to show delegations before release (team contests); names never. */
  showDelegations: boolean;
  teamRanking: TeamRankingOptions | null;
  rounds: RoundState[];
  info: Map<number, EntryInfo>;
  /** Why an entry was released incomplete (the chief judge's reason, shown on the results). */
  reasons: Map<number, string>;
  /** Trainee judges (见习裁判): their marks never enter the engine (server/domain/judging/trainees.ts). */
  trainees: ReadonlySet<number>;
  /** The competition's standardised-score option (server/domain/judging/standardise.ts); null: off. */
  standardisation: StandardisationSetting | null;
  /** The event's prize rule (null when the stored one no longer parses): live certainty decides prizes by it. */
  prizeRule: PrizeRule | null;
  /** Venue screens show what is certain (已确定晋级 / 已锁定奖项) before release (server/features/certainty). */
  certaintyOnScreen: boolean;
  /** The screen's badges by the entry's current score in its round (refreshBadges). */
  badges: WeakMap<EntryScore, ('advancement' | 'prize')[]>;
  lastMarkId: number;
  revision: number;
};

/** A live row without its rank: what changes only when the entry is re-scored. */
function contentOf(row: LiveRow): string {
  return JSON.stringify([row.number, row.delegation, row.provisional, row.status, row.total, row.parts, row.name, row.incompleteReason, row.clinched]);
}

export const eventChannel = (eventId: number) => `event:${eventId}`;
export const competitionChannel = (competitionId: number) => `competition:${competitionId}`;

/**
 * Fewest milliseconds between two broadcasts. Under a burst of single-mark requests this caps
 * re-ranking at 50 times a second while keeping every update well inside the 100 ms promise.
 */
const MIN_FLUSH_INTERVAL_MS = 20;

/** Events kept in memory at once; the least recently used one is dropped (and reloaded on demand). */
const MAX_EVENTS = 200;

/**
 * Live rankings. Each event's marks, scores and ranking live in memory; a committed mark
 * re-scores only its entry, and one flush per event loop turn re-ranks and broadcasts the rows
 * that changed to the event's and the competition's SSE channels.
 */
export class RankingService {
  private readonly states = new Map<number, EventState>();
  private readonly pending = new Set<number>();
  private flushScheduled = false;
  private lastFlush = 0;

  constructor(
    private readonly db: Db,
    private readonly live: LiveHub,
  ) {}

  /** The in-memory state of an event, loaded from the database on first use. */
  private state(eventId: number): EventState {
    let st = this.states.get(eventId);
    if (st) {
      // Map order is insertion order: re-inserting marks it most recently used.
      this.states.delete(eventId);
      this.states.set(eventId, st);
      return st;
    }
    st = this.load(eventId);
    this.states.set(eventId, st);
    if (this.states.size > MAX_EVENTS) this.states.delete(this.states.keys().next().value!);
    return st;
  }

  private load(eventId: number): EventState {
    const event = this.db.select().from(events).where(eq(events.id, eventId)).get();
    if (!event) throw notFound('Event');
    const roundRows = this.db.select().from(rounds).where(eq(rounds.eventId, eventId)).orderBy(asc(rounds.seq)).all();
    const info = new Map<number, EntryInfo>();
    const statusOf = new Map<number, EntryInput['status']>();
    const employerOf = new Map<number, EmployerRef[]>();
    const employer = alias(organisations, 'employer');
    // A team or pair is one entrant: shown by its team name (or "甲、乙"), recused by any member's employer.
    const teamMembers = membersOfEvent(this.db, eventId);
    for (const e of this.db
      .select({
        id: entries.id,
        number: entries.drawnNumber,
        delegationId: entries.delegationId,
        delegation: organisations.name,
        name: people.name,
        idNumber: people.idNumber,
        employerId: people.employerId,
        employerName: sql<string | null>`coalesce(${employer.name}, ${people.employerName})`,
        status: entries.status,
        disqualifiedReason: entries.disqualifiedReason,
        statusNote: entries.statusNote,
        teamName: entries.teamName,
      })
      .from(entries)
      .innerJoin(people, eq(people.id, entries.personId))
      .leftJoin(organisations, eq(organisations.id, entries.delegationId))
      .leftJoin(employer, eq(employer.id, people.employerId))
      .where(eq(entries.eventId, eventId))
      .all()) {
      info.set(e.id, {
        number: e.number,
        delegationId: e.delegationId,
        delegation: e.delegation,
        name: entryDisplayName(e.name, e.teamName, teamMembers.get(e.id)),
        idNumber: e.idNumber,
        disqualifiedReason: e.disqualifiedReason,
        statusNote: e.statusNote,
      });
      statusOf.set(e.id, e.status);
      employerOf.set(e.id, entrantEmployers({ organisationId: e.employerId, name: e.employerName }, teamMembers.get(e.id)));
    }
    // What each entry expects from each part's panel: the panel minus judges recused from it.
    const panels = loadEventPanels(this.db, eventId);

    const roundIds = roundRows.map((r) => r.id);
    const members = roundIds.length ? this.db.select().from(roundEntries).where(inArray(roundEntries.roundId, roundIds)).all() : [];
    const states: RoundState[] = roundRows.map((round) => {
      const scheme = schemeForRound(event, round);
      return {
        round,
        scheme,
        inputs: new Map(),
        panelSizes: panelSizesOf(scheme, panels.seatsByRound.get(round.id) ?? NO_SEATS),
        marks: new Map(),
        scores: new Map(),
        rows: [],
        stale: true,
        dirty: new Set(),
        published: new Map(),
      };
    });
    const byRound = new Map(states.map((s) => [s.round.id, s]));
    for (const m of members) {
      const rs = byRound.get(m.roundId);
      const entryInfo = info.get(m.entryId);
      if (!rs || !entryInfo) continue;
      rs.inputs.set(m.entryId, {
        entryId: m.entryId,
        status: statusOf.get(m.entryId) ?? 'registered',
        completionSeconds: m.completionSeconds,
        difficulty: m.difficulty,
        ...elementInputs(m),
        teamId: entryInfo.delegationId,
        objective: {},
        panels: panelExpectations(rs.scheme, panels.seatsByRound.get(m.roundId) ?? NO_SEATS, panels.eventJudges, panels.members, employerOf.get(m.entryId) ?? [NO_EMPLOYER]),
      });
    }
    // Objective parts are scored from the values staff entered (objective_values), never from
    // judges' marks; writing one invalidates the event, so loading is the only place they are read.
    const objectivePartsOf = new Map(states.map((s) => [s.round.id, new Set(s.scheme.parts.filter((p) => p.marking === 'objective').map((p) => p.id))]));
    if (roundIds.length > 0)
      for (const v of this.db
        .select({ roundId: objectiveValues.roundId, entryId: objectiveValues.entryId, field: objectiveValues.field, value: objectiveValues.value })
        .from(objectiveValues)
        .where(inArray(objectiveValues.roundId, roundIds))
        .orderBy(asc(objectiveValues.version))
        .all()) {
        const objective = byRound.get(v.roundId)?.inputs.get(v.entryId)?.objective as Record<string, number | null> | undefined;
        if (objective && objectivePartsOf.get(v.roundId)?.has(v.field)) objective[v.field] = v.value; // ascending versions: the current one wins
      }
    const st: EventState = {
      eventId,
      competitionId: event.competitionId,
      name: event.name,
      releasedAt: event.releasedAt,
      withdrawnRanking: event.withdrawnRanking,
      liveIncompleteOrder: event.liveIncompleteOrder,
      showDelegations: event.showDelegationsBeforeRelease,
      teamRanking: event.teamRanking ?? null,
      rounds: states,
      trainees: panels.trainees,
      standardisation: standardisationOf(this.db, event.competitionId),
      prizeRule: event.prizeRule == null ? DEFAULT_PRIZE_RULE : (prizeRuleSchema.safeParse(event.prizeRule).data ?? null),
      certaintyOnScreen: event.showCertaintyOnScreen,
      badges: new WeakMap(),
      info,
      reasons: new Map(
        this.db
          .select({ entryId: incompleteReasons.entryId, reason: incompleteReasons.reason })
          .from(incompleteReasons)
          .where(eq(incompleteReasons.eventId, eventId))
          .all()
          .map((r) => [r.entryId, r.reason]),
      ),
      lastMarkId: 0,
      revision: 0,
    };
    this.applyNewMarks(st);
    for (let i = 0; i < st.rounds.length; i++) this.rescoreRound(st, i, null);
    for (const rs of st.rounds) {
      this.refreshBadges(st, rs);
      for (const row of this.shownRowsOf(st, rs)) rs.published.set(row.entryId, { content: contentOf(this.liveRow(st, row)), rank: row.rank, shared: row.sharedRank });
      rs.dirty.clear();
    }
    return st;
  }

  /** Reads marks committed since the state last looked (new marks and correction versions alike). */
  private applyNewMarks(st: EventState): Map<RoundState, Set<number>> {
    const touched = new Map<RoundState, Set<number>>();
    const roundIds = st.rounds.map((r) => r.round.id);
    if (roundIds.length === 0) return touched;
    const byRound = new Map(st.rounds.map((r) => [r.round.id, r]));
    const rows = this.db
      .select({
        id: marks.id,
        roundId: marks.roundId,
        entryId: marks.entryId,
        judgeId: marks.judgeId,
        partId: marks.partId,
        criterionId: marks.criterionId,
        version: marks.version,
        value: marks.value,
      })
      .from(marks)
      .where(and(gt(marks.id, st.lastMarkId), inArray(marks.roundId, roundIds)))
      .all();
    for (const m of rows) {
      st.lastMarkId = Math.max(st.lastMarkId, m.id);
      const rs = byRound.get(m.roundId);
      // A trainee's marks never count: they never reach the engine (changing who is a trainee reloads the event).
      if (!rs || st.trainees.has(m.judgeId)) continue;
      let slots = rs.marks.get(m.entryId);
      if (!slots) rs.marks.set(m.entryId, (slots = new Map()));
      const key = `${m.judgeId}:${m.partId}:${m.criterionId}`;
      const prev = slots.get(key);
      if (prev && prev.version >= m.version) continue;
      slots.set(key, { version: m.version, mark: m });
      let set = touched.get(rs);
      if (!set) touched.set(rs, (set = new Set()));
      set.add(m.entryId);
    }
    return touched;
  }

  /** Re-scores `entryIds` of round `index` (all when null) and re-ranks it. */
  private rescoreRound(st: EventState, index: number, entryIds: Set<number> | null): void {
    const rs = st.rounds[index]!;
    const ids = entryIds ?? rs.inputs.keys();
    for (const entryId of ids) {
      const input = rs.inputs.get(entryId);
      if (!input) continue;
      input.carried = this.carried(st, index, entryId);
      const slots = rs.marks.get(entryId);
      const list: MarkInput[] = slots ? Array.from(slots.values(), (s) => s.mark) : [];
      rs.scores.set(entryId, scoreEntry(rs.scheme, input, list));
      rs.dirty.add(entryId);
    }
    rs.stale = true;
  }

  /** The round's ranking, re-ranked first if marks arrived since. */
  private rowsOf(st: EventState, rs: RoundState): RankingRow[] {
    if (rs.stale) {
      rs.rows = rankEntries(rs.scheme, [...rs.scores.values()], { withdrawn: st.withdrawnRanking });
      rs.stale = false;
    }
    return rs.rows;
  }

  /**
   * The round's ranking as shown live: while results are not released, entries awaiting their
   * first mark are not ranked and incomplete ones follow the complete ones unless the event says
   * otherwise (server/domain/live-order.ts); once released, the engine's ranking as published.
   * Prizes, advancement and the team ranking use `rowsOf`.
   */
  private shownRowsOf(st: EventState, rs: RoundState): RankingRow[] {
    const rows = this.rowsOf(st, rs);
    if (st.releasedAt != null) return rows;
    if (rs.shown?.source !== rows) rs.shown = { source: rows, rows: liveOrder(rows, st.liveIncompleteOrder) };
    return rs.shown.rows;
  }

  /** What earlier rounds add to this round's standing, by the round's carry-over rule. */
  private carried(st: EventState, index: number, entryId: number): number {
    const rule = st.rounds[index]!.round.carryOver;
    if (rule === 'none' || index === 0) return 0;
    const earlier: number[] = [];
    for (let i = 0; i < index; i++) {
      const s = st.rounds[i]!.scores.get(entryId);
      earlier.push(s ? s.roundTotal : 0);
    }
    return carriedTotal(earlier, rule);
  }

  /** Called after a transaction that stored marks for the event: updates and schedules a broadcast. */
  marksCommitted(eventId: number): void {
    const st = this.states.get(eventId);
    // Not loaded: it will read everything when first asked; followers elsewhere (relays, or an
    // event dropped from memory while watched) get a snapshot now instead.
    if (!st) return this.invalidate(eventId);
    const touched = this.applyNewMarks(st);
    if (touched.size === 0) return;
    const first = Math.min(...[...touched.keys()].map((rs) => st.rounds.indexOf(rs)));
    for (let i = first; i < st.rounds.length; i++) {
      const rs = st.rounds[i]!;
      // Later rounds that carry totals forward need every entry re-scored.
      const later = i > first && rs.round.carryOver !== 'none';
      if (touched.has(rs) || later) this.rescoreRound(st, i, later ? null : touched.get(rs)!);
    }
    this.schedule(eventId);
  }

  /**
   * Drops the event's state after a change other than a mark (entries, difficulty, completion
   * time, rounds, release): reloads it and broadcasts a fresh snapshot to its watchers.
   */
  invalidate(eventId: number): void {
    const had = this.states.delete(eventId);
    const event = this.db.select({ competitionId: events.competitionId }).from(events).where(eq(events.id, eventId)).get();
    if (!event) return;
    // Watchers may be on relays (LIVE_URL): the hub knows which channels they follow.
    if (!had && !this.live.hasWatchers(eventChannel(eventId)) && !this.live.hasWatchers(competitionChannel(event.competitionId)))
      return;
    const snapshot = this.eventRanking(eventId);
    this.live.publish(eventChannel(eventId), 'snapshot', snapshot);
    this.live.publish(competitionChannel(event.competitionId), 'snapshot', snapshot);
  }

  private schedule(eventId: number): void {
    this.pending.add(eventId);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // One broadcast per event loop turn however many marks arrived in it, and not too often.
    const wait = this.lastFlush + MIN_FLUSH_INTERVAL_MS - Date.now();
    if (wait > 0) setTimeout(() => this.flush(), wait);
    else setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    this.lastFlush = Date.now();
    for (const eventId of this.pending) {
      const st = this.states.get(eventId);
      if (!st) continue;
      for (const rs of st.rounds) {
        // Rows whose content changed go out whole; rows that only moved go out as [number, rank, shared].
        const rows: LiveRow[] = [];
        const ranks: [number, number | null, boolean][] = [];
        // With certainty on screen a mark can change the badge of any row of its round: compare every row then.
        const badges = rs.dirty.size > 0 && this.refreshBadges(st, rs);
        for (const row of this.shownRowsOf(st, rs)) {
          const before = rs.published.get(row.entryId);
          if (rs.dirty.has(row.entryId) || !before || badges) {
            const live = this.liveRow(st, row);
            const content = contentOf(live);
            if (!before || before.content !== content || before.rank !== row.rank || before.shared !== row.sharedRank) {
              rows.push(live);
              rs.published.set(row.entryId, { content, rank: row.rank, shared: row.sharedRank });
            }
          } else if (before.rank !== row.rank || before.shared !== row.sharedRank) {
            const number = st.info.get(row.entryId)?.number;
            if (number != null) ranks.push([number, row.rank, row.sharedRank]);
            before.rank = row.rank;
            before.shared = row.sharedRank;
          }
        }
        rs.dirty.clear();
        if (rows.length === 0 && ranks.length === 0) continue;
        st.revision++;
        const message = { eventId, roundId: rs.round.id, revision: st.revision, rows, ranks, teams: this.teams(st, rs) };
        this.live.publish(eventChannel(eventId), 'ranking', message);
        this.live.publish(competitionChannel(st.competitionId), 'ranking', message);
      }
    }
    this.pending.clear();
  }

  /**
   * Before release the public sees drawn numbers and scores only: no name, no delegation (which
   * is usually the employer), unless the event opted in to show delegations (team contests).
   */
  private delegationsPublic(st: EventState): boolean {
    return st.releasedAt != null || st.showDelegations;
  }

  private liveRow(st: EventState, row: RankingRow): LiveRow {
    const info = st.info.get(row.entryId);
    const live: LiveRow = {
      number: info?.number ?? null,
      delegation: this.delegationsPublic(st) ? (info?.delegation ?? null) : null,
      rank: row.rank,
      sharedRank: row.sharedRank,
      provisional: row.provisional,
      status: row.status,
      total: row.total,
      parts: row.score.parts.map((p) => ({ partId: p.partId, score: p.score, marksIn: p.marksIn, expected: p.expected })),
      incompleteReason: st.reasons.get(row.entryId) ?? null,
    };
    if (st.releasedAt && info) live.name = info.name;
    if (this.badgesShown(st)) live.clinched = st.badges.get(row.score) ?? [];
    return live;
  }

  /** Badges of what is certain go on screens only before release, where the event shows them; released results say it all. */
  private badgesShown(st: EventState): boolean {
    return st.certaintyOnScreen && st.releasedAt == null;
  }

  /** Recomputes the round's badges (cheap when nothing changed: certainty is cached); false when the event shows none. */
  private refreshBadges(st: EventState, rs: RoundState): boolean {
    if (!this.badgesShown(st)) return false;
    const { result } = roundCertainty(this.certaintySources(st), st.rounds.indexOf(rs));
    for (const [entryId, badges] of clinchedBadges(result)) {
      const score = rs.scores.get(entryId);
      if (score) st.badges.set(score, badges);
    }
    return true;
  }

  /**
   * The event's rounds as live certainty needs them (server/features/certainty): the engine's
   * inputs, scores and marks, what can still arrive, and what decides: prizes on the last round,
   * the round's advancement rule where a next round exists.
   */
  private certaintySources(st: EventState): CertaintyRoundSource[] {
    const last = st.rounds.length - 1;
    return st.rounds.map((rs, i) => ({
      key: rs,
      scheme: rs.scheme,
      carryOver: rs.round.carryOver,
      arriving: rs.round.status === 'open' && st.releasedAt == null,
      targets: { withdrawn: st.withdrawnRanking, prizeRule: i === last ? st.prizeRule : null, advancement: i < last ? (rs.round.advancement ?? null) : null },
      inputs: rs.inputs,
      scores: rs.scores,
      marksOf: (entryId) => Array.from(rs.marks.get(entryId)?.values() ?? [], (slot) => slot.mark),
    }));
  }

  /** One round of the event for live certainty's API (server/features/certainty/certainty.service.ts). */
  certaintyView(eventId: number, roundId?: number): CertaintyView {
    const st = this.state(eventId);
    const rs = this.currentRound(st, roundId);
    return {
      eventId,
      released: st.releasedAt != null,
      rounds: st.rounds.map((r) => ({ id: r.round.id, seq: r.round.seq, name: r.round.name, kind: r.round.kind, status: r.round.status })),
      index: st.rounds.indexOf(rs),
      sources: this.certaintySources(st),
      rows: this.rowsOf(st, rs),
      numberOf: (entryId) => st.info.get(entryId)?.number ?? null,
    };
  }

  private teams(st: EventState, rs: RoundState): EventRanking['teams'] {
    // A team ranking without names tells nothing and, with members' numbers, hints at who is who.
    if (!st.teamRanking || !this.delegationsPublic(st)) return null;
    const names = new Map<number, string | null>();
    for (const i of st.info.values()) if (i.delegationId != null) names.set(i.delegationId, i.delegation);
    return computeTeamRanking(this.rowsOf(st, rs), st.teamRanking).map((t) => ({
      rank: t.rank,
      delegation: names.get(t.teamId) ?? null,
      value: t.value,
      incomplete: t.incomplete,
      provisional: t.provisional,
    }));
  }

  /** The round shown by default: the first open one, else the last. */
  private currentRound(st: EventState, roundId?: number): RoundState {
    if (roundId != null) {
      const rs = st.rounds.find((r) => r.round.id === roundId);
      if (!rs) throw notFound('Round');
      return rs;
    }
    const rs = st.rounds.find((r) => r.round.status === 'open') ?? st.rounds[st.rounds.length - 1];
    if (!rs) throw notFound('Round');
    return rs;
  }

  /** The public ranking of one round (default: the current one). */
  eventRanking(eventId: number, roundId?: number): EventRanking {
    const st = this.state(eventId);
    const rs = this.currentRound(st, roundId);
    this.refreshBadges(st, rs);
    const ranking: EventRanking = {
      eventId,
      competitionId: st.competitionId,
      eventName: st.name,
      roundId: rs.round.id,
      rounds: st.rounds.map((r) => ({ id: r.round.id, seq: r.round.seq, name: r.round.name, kind: r.round.kind, status: r.round.status })),
      parts: rs.scheme.parts.map((p) => ({ id: p.id, name: p.name, role: p.role, marking: p.marking, expectedMarks: rs.panelSizes.get(p.id) ?? p.expectedMarks })),
      released: st.releasedAt != null,
      revision: st.revision,
      rows: this.shownRowsOf(st, rs).map((row) => this.liveRow(st, row)),
      teams: this.teams(st, rs),
    };
    // Standardised scores reach the public screen only after release and only where the organiser asked.
    const shown = st.releasedAt != null && st.standardisation?.showOnScreen ? this.standardisedOf(st, rs) : null;
    if (shown) for (const row of ranking.rows) row.standardised = row.number == null ? null : (shown.byNumber.get(row.number) ?? null);
    return ranking;
  }

  /**
   * Standardised scores of a round's ranked, complete entries (mean 500, SD 100), published
   * rounded to 2 decimals; null while the competition has the option off. Computed from the
   * engine's ranking and kept until it is recomputed.
   */
  private standardisedOf(st: EventState, rs: RoundState): { byEntry: Map<number, number>; byNumber: Map<number, number> } | null {
    if (!st.standardisation?.enabled) return null;
    const rows = this.rowsOf(st, rs);
    if (rs.standardised?.source === rows) return rs.standardised.value;
    const std = standardiseTotals(rows.map((r) => ({ entryId: r.entryId, total: r.total, counts: countsForStandardisation(r) })));
    const byEntry = new Map([...std.scores].map(([id, v]) => [id, roundHalfUp(v, 2)]));
    const byNumber = new Map<number, number>();
    for (const [id, v] of byEntry) {
      const number = st.info.get(id)?.number;
      if (number != null) byNumber.set(number, v);
    }
    rs.standardised = { source: rows, value: { byEntry, byNumber } };
    return rs.standardised.value;
  }

  /**
   * The staff ranking with every part's detail; names, masked ID numbers and delegations only
   * with `identities` (the caller decides who may see who is behind a number before release:
   * server/features/scope.ts `seesIdentities`). Without it the rows are as anonymous as the
   * public ones.
   */
  staffRanking(eventId: number, roundId?: number, opts: { identities: boolean } = { identities: true }) {
    const st = this.state(eventId);
    const rs = this.currentRound(st, roundId);
    const identities = opts.identities || st.releasedAt != null;
    const standardised = this.standardisedOf(st, rs);
    return {
      ...this.eventRanking(eventId, rs.round.id),
      staffRows: this.shownRowsOf(st, rs).map((row) => {
        const info = st.info.get(row.entryId);
        return {
          ...this.liveRow(st, row),
          // Staff see standardised scores beside the total whenever the competition has the option on.
          ...(standardised ? { standardised: standardised.byEntry.get(row.entryId) ?? null } : {}),
          ...(identities ? { delegation: info?.delegation ?? null } : {}),
          entryId: row.entryId,
          name: identities ? (info?.name ?? '') : null,
          idNumberMasked: identities && info ? maskResidentId(info.idNumber) : null,
          disqualifiedReason: row.status === 'disqualified' ? (info?.disqualifiedReason ?? null) : null,
          statusNote: info?.statusNote ?? null,
          completionSeconds: row.completionSeconds,
          theory: row.theory,
          practical: row.practical,
          carried: row.score.carried,
          tieBrokenBy: row.tieBrokenBy,
          partDetails: row.score.parts.map((p) => ({
            partId: p.partId,
            aggregate: p.aggregate,
            difficulty: p.difficulty,
            score: p.score,
            contribution: p.contribution,
            marksIn: p.marksIn,
            expected: p.expected,
            complete: p.complete,
            fellBack: p.fellBack,
            judgeMarks: p.judgeMarks.map((j) => ({ judgeId: j.judgeId, mark: j.mark })),
            ...(p.elements ? { elements: p.elements } : {}),
          })),
        };
      }),
    };
  }

  /** What the engine was given for each entry of a round besides marks (panels, difficulty, completion time): the competition package records it. */
  roundInputs(eventId: number, roundId: number): EntryInput[] {
    const st = this.state(eventId);
    return [...this.currentRound(st, roundId).inputs.values()].map((i) => ({ ...i }));
  }

  /** Ranking rows of a round, for advancement. */
  roundRows(eventId: number, roundId: number): RankingRow[] {
    const st = this.state(eventId);
    return this.rowsOf(st, this.currentRound(st, roundId));
  }

  /** The competition's events and their current rankings (the competition screen's snapshot). */
  competitionRanking(competitionId: number): { competitionId: number; name: string; events: EventRanking[] } {
    const comp = this.db.select({ name: competitions.name }).from(competitions).where(eq(competitions.id, competitionId)).get();
    if (!comp) throw notFound('Competition');
    const ids = this.db.select({ id: events.id }).from(events).where(eq(events.competitionId, competitionId)).orderBy(asc(events.id)).all();
    const list: EventRanking[] = [];
    for (const { id } of ids) {
      const hasRounds = this.db.select({ id: rounds.id }).from(rounds).where(eq(rounds.eventId, id)).limit(1).get();
      if (hasRounds) list.push(this.eventRanking(id));
    }
    return { competitionId, name: comp.name, events: list };
  }
}

/** The size of each part's panel in a round: its seats (the largest criterion panel for per-criterion parts), else the scheme's expectedMarks. */
function panelSizesOf(scheme: Scheme, seats: ReadonlyMap<string, readonly number[]>): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of scheme.parts) {
    const sizes = panelKeysOf(part).map(({ key }) => seats.get(key)?.length ?? 0);
    const seated = Math.max(0, ...sizes);
    out.set(part.id, seated > 0 ? seated : part.expectedMarks);
  }
  return out;
}
