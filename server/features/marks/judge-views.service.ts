import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { competitions, corrections, entries, events, marks, organisations, people, roundEntries, rounds } from '../../../db/schema.ts';
import { criteriaOf, type Scheme } from '../../contracts/scheme.ts';
import { isRecused, panelKeysOf, panelMembers } from '../../domain/index.ts';
import type { EmployerRef } from '../../domain/recusal.ts';
import { AppError, forbidden, notFound } from '../../errors.ts';
import type { JudgeActor, PanelRole } from '../../plugins/auth.plugin.ts';
import { loadEventPanels, NO_SEATS, type EventPanels } from '../judges/panels.queries.ts';
import { MARK_SELECT, type MarkRow } from './marks.queries.ts';
import { schemeForRound } from '../events/round-scheme.ts';
import { presentMark } from './marks.service.ts';
import { entrantEmployers, entryDisplayName, membersOfEntries } from '../entries/members.ts';

/**
 * The event a judge's view is about: the one asked for (they must sit on it), else the first
 * event they mark on, else the first they sit on.
 */
export function viewedEvent(judge: JudgeActor, eventId?: number): { eventId: number; role: PanelRole } {
  if (eventId != null) {
    const a = judge.assignments.find((x) => x.eventId === eventId);
    if (!a) throw forbidden('You are not on the panel of this event');
    return a;
  }
  const a = judge.assignments.find((x) => x.role === 'judge') ?? judge.assignments[0];
  if (!a) throw new AppError(409, 'no_event', 'You are not on the panel of any event yet: ask the organiser');
  return a;
}

/** What this judge marks in a round: the panels they are seated on, or (no panel set) every judged part as one of the event's judges. */
function seatsOf(scheme: Scheme, panels: EventPanels, roundId: number, judgeId: number): { partId: string; criterionId: string | null }[] {
  const seats = panels.seatsByRound.get(roundId) ?? NO_SEATS;
  const out: { partId: string; criterionId: string | null }[] = [];
  for (const part of scheme.parts)
    for (const { key, criterionId } of panelKeysOf(part))
      if (panelMembers(seats, key, panels.eventJudges).judgeIds.includes(judgeId)) out.push({ partId: part.id, criterionId });
  return out;
}

/**
 * What a judge's tablet needs to start: the event, the current round's scheme and the rounds
 * (each with its own effective scheme: a final may mark other parts), the parts (or criteria)
 * this judge marks in the current round, the drawn numbers they must stand aside from, and every
 * event they sit on with the parts they mark there (to switch between panels). No contestant names.
 */
export function judgePanel(app: FastifyInstance, judge: JudgeActor, eventId?: number) {
  const here = viewedEvent(judge, eventId);
  const row = app.db
    .select({ event: events, competitionName: competitions.name })
    .from(events)
    .innerJoin(competitions, eq(competitions.id, events.competitionId))
    .where(eq(events.id, here.eventId))
    .get();
  if (!row) throw notFound('Event');
  const roundRows = app.db.select().from(rounds).where(eq(rounds.eventId, here.eventId)).orderBy(asc(rounds.seq)).all();
  const open = roundRows.find((r) => r.status === 'open');
  const current = open ?? roundRows[roundRows.length - 1];
  const currentRoundId = current?.id ?? null;
  const scheme = schemeForRound(row.event, current);
  const panels = loadEventPanels(app.db, here.eventId);
  const marks = here.role === 'judge' || here.role === 'chief';
  return {
    judge: { id: judge.judgeId, name: judge.name, role: here.role },
    event: { id: row.event.id, name: row.event.name, competitionName: row.competitionName, released: row.event.releasedAt != null },
    scheme,
    rounds: roundRows.map((r) => ({ id: r.id, seq: r.seq, name: r.name, kind: r.kind, status: r.status, scheme: schemeForRound(row.event, r) })),
    currentRoundId,
    seats: currentRoundId != null && marks ? seatsOf(scheme, panels, currentRoundId, judge.judgeId) : [],
    recusedNumbers: currentRoundId != null ? recusedNumbers(app, currentRoundId, judgeEmployer(judge)) : [],
    events: judge.assignments.map((a) => panelSummary(app, judge, a)),
  };
}

/** One event the judge sits on, with the parts they mark in its current round. */
function panelSummary(app: FastifyInstance, judge: JudgeActor, a: { eventId: number; role: PanelRole }) {
  const event = app.db.select({ name: events.name, scheme: events.scheme }).from(events).where(eq(events.id, a.eventId)).get()!;
  const roundRows = app.db.select().from(rounds).where(eq(rounds.eventId, a.eventId)).orderBy(asc(rounds.seq)).all();
  const round = roundRows.find((r) => r.status === 'open') ?? roundRows[roundRows.length - 1];
  const scheme = schemeForRound(event, round);
  const seats = round && (a.role === 'judge' || a.role === 'chief') ? seatsOf(scheme, loadEventPanels(app.db, a.eventId), round.id, judge.judgeId) : [];
  const partIds = [...new Set(seats.map((s) => s.partId))];
  return {
    eventId: a.eventId,
    eventName: event.name,
    role: a.role,
    roundId: round?.id ?? null,
    roundName: round?.name ?? null,
    parts: partIds.map((id) => ({ partId: id, name: scheme.parts.find((p) => p.id === id)?.name ?? id })),
  };
}

/** The judge's employer as recusal compares it (server/domain/recusal.ts). */
function judgeEmployer(judge: JudgeActor): EmployerRef {
  return { organisationId: judge.employerId, name: judge.employerName };
}

/** The entrant's employer as recusal compares it: the organisation (with its name) or the name as written. */
const entrantEmployerName = sql<string | null>`coalesce(${organisations.name}, ${people.employerName})`;

/** Drawn numbers in a round whose entrant (any member of a team) works for the judge's employer: the judge stands aside from them. */
function recusedNumbers(app: FastifyInstance, roundId: number, employer: EmployerRef): number[] {
  if (employer.organisationId == null && employer.name == null) return [];
  const rows = app.db
    .select({ id: entries.id, number: entries.drawnNumber, employerId: people.employerId, employerName: entrantEmployerName })
    .from(roundEntries)
    .innerJoin(entries, eq(entries.id, roundEntries.entryId))
    .innerJoin(people, eq(people.id, entries.personId))
    .leftJoin(organisations, eq(organisations.id, people.employerId))
    .where(and(eq(roundEntries.roundId, roundId), isNotNull(entries.drawnNumber)))
    .orderBy(asc(entries.drawnNumber))
    .all();
  const members = membersOfEntries(
    app.db,
    rows.map((r) => r.id),
  );
  return rows.filter((r) => isRecused(employer, entrantEmployers({ organisationId: r.employerId, name: r.employerName }, members.get(r.id)))).map((r) => r.number!);
}

/**
 * The contestants of a round by drawn number, with how far this judge has marked each: the
 * criteria of the parts they are seated on (one part when `partId` is given), and whether they
 * must stand aside from the contestant (recused).
 */
export function judgeEntries(app: FastifyInstance, judge: JudgeActor, query: { eventId?: number; roundId?: number; partId?: string }) {
  const panel = judgePanel(app, judge, query.eventId);
  const round = query.roundId ? panel.rounds.find((r) => r.id === query.roundId) : panel.rounds.find((r) => r.id === panel.currentRoundId);
  if (!round) throw notFound('Round');
  const scheme = round.scheme;
  const seats = round.id === panel.currentRoundId ? panel.seats : seatsOf(scheme, loadEventPanels(app.db, panel.event.id), round.id, judge.judgeId);
  const mine = new Set<string>();
  for (const s of seats) {
    if (query.partId && s.partId !== query.partId) continue;
    const part = scheme.parts.find((p) => p.id === s.partId)!;
    for (const c of criteriaOf(part)) if (s.criterionId == null || s.criterionId === c.id) mine.add(`${part.id}:${c.id}`);
  }
  const toMark = mine.size;

  const rows = app.db
    .select({
      id: entries.id,
      number: entries.drawnNumber,
      status: entries.status,
      name: people.name,
      employerId: people.employerId,
      employerName: entrantEmployerName,
      voids: roundEntries.voids,
    })
    .from(roundEntries)
    .innerJoin(entries, eq(entries.id, roundEntries.entryId))
    .innerJoin(people, eq(people.id, entries.personId))
    .leftJoin(organisations, eq(organisations.id, people.employerId))
    .where(and(eq(roundEntries.roundId, round.id), isNotNull(entries.drawnNumber)))
    .orderBy(asc(entries.drawnNumber))
    .all();
  const marked = new Map<number, Set<string>>();
  for (const m of app.db
    .select({ entryId: marks.entryId, criterionId: marks.criterionId, partId: marks.partId })
    .from(marks)
    .where(and(eq(marks.roundId, round.id), eq(marks.judgeId, judge.judgeId)))
    .all()) {
    const key = `${m.partId}:${m.criterionId}`;
    if (!mine.has(key)) continue;
    let set = marked.get(m.entryId);
    if (!set) marked.set(m.entryId, (set = new Set()));
    set.add(key);
  }
  const pending = new Set(
    app.db
      .select({ entryId: marks.entryId })
      .from(corrections)
      .innerJoin(marks, eq(marks.id, corrections.markId))
      .where(and(eq(corrections.requestedBy, judge.judgeId), eq(corrections.status, 'pending'), eq(marks.roundId, round.id)))
      .all()
      .map((r) => r.entryId),
  );
  // A team is recused by any member's employer and, once released, named by its team name.
  const members = membersOfEntries(
    app.db,
    rows.map((r) => r.id),
  );
  const teamNames = panel.event.released ? new Map(app.db.select({ id: entries.id, teamName: entries.teamName }).from(entries).where(eq(entries.eventId, panel.event.id)).all().map((r) => [r.id, r.teamName])) : null;
  return rows.map((e) => {
    // Void elements (the chief's call) are not marked: the sheet shows them struck through and does not wait for them.
    const voided = Object.entries(e.voids ?? {}).flatMap(([partId, byCriterion]) =>
      Object.keys(byCriterion)
        .map((criterionId) => `${partId}:${criterionId}`)
        .filter((key) => mine.has(key)),
    );
    const duty = toMark - voided.length;
    const set = marked.get(e.id);
    const count = set ? [...set].filter((key) => !voided.includes(key)).length : 0;
    const state = pending.has(e.id) ? 'correction_pending' : count === 0 && duty > 0 ? 'not_started' : count >= duty ? 'submitted' : 'partial';
    return {
      number: e.number!,
      status: e.status,
      state: state as 'not_started' | 'partial' | 'submitted' | 'correction_pending',
      marked: count,
      criteria: duty,
      voided,
      recused: isRecused(judgeEmployer(judge), entrantEmployers({ organisationId: e.employerId, name: e.employerName }, members.get(e.id))),
      ...(panel.event.released ? { name: entryDisplayName(e.name, teamNames?.get(e.id), members.get(e.id)) } : {}),
    };
  });
}

/** Marks of an event, current versions by default; a judge sees only their own. */
export function listMarks(
  app: FastifyInstance,
  eventId: number,
  filter: { roundId?: number; judgeId?: number; number?: number; versions: 'current' | 'all' },
) {
  const where = ['e.event_id = ?'];
  const args: (number | string)[] = [eventId];
  if (filter.roundId) (where.push('m.round_id = ?'), args.push(filter.roundId));
  if (filter.judgeId) (where.push('m.judge_id = ?'), args.push(filter.judgeId));
  if (filter.number) (where.push('e.drawn_number = ?'), args.push(filter.number));
  if (filter.versions === 'current')
    where.push(`m.version = (select max(version) from marks x where x.round_id = m.round_id and x.entry_id = m.entry_id
      and x.judge_id = m.judge_id and x.part_id = m.part_id and x.criterion_id = m.criterion_id)`);
  const rows = app.db.$client
    .prepare<(number | string)[], MarkRow>(`${MARK_SELECT} where ${where.join(' and ')} order by e.drawn_number, m.judge_id, m.part_id, m.criterion_id, m.version`)
    .all(...args);
  return rows.map(presentMark);
}

/** Every version of one mark slot, oldest first, with the audit trail's reasons. */
export function markHistory(app: FastifyInstance, markId: number) {
  const mark = app.db.select().from(marks).where(eq(marks.id, markId)).get();
  if (!mark) throw notFound('Mark');
  const rows = app.db.$client
    .prepare<[number, number, number, string, string], MarkRow>(
      `${MARK_SELECT} where m.round_id = ? and m.entry_id = ? and m.judge_id = ? and m.part_id = ? and m.criterion_id = ? order by m.version`,
    )
    .all(mark.roundId, mark.entryId, mark.judgeId, mark.partId, mark.criterionId);
  return { eventId: rows[0]!.event_id, judgeId: mark.judgeId, versions: rows.map(presentMark) };
}
