import { and, asc, eq, isNotNull } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { competitions, corrections, entries, events, marks, people, roundEntries, rounds } from '../../../db/schema.ts';
import { criteriaOf } from '../../contracts/scheme.ts';
import { notFound } from '../../errors.ts';
import type { JudgeActor } from '../../plugins/auth.plugin.ts';
import { MARK_SELECT, type MarkRow } from './marks.queries.ts';
import { schemeForRound } from '../events/round-scheme.ts';
import { presentMark } from './marks.service.ts';

/**
 * What a judge's tablet needs to start: the event, the current round's scheme and the rounds
 * (each with its own effective scheme: a final may mark other parts). No contestant names.
 */
export function judgePanel(app: FastifyInstance, judge: JudgeActor) {
  const row = app.db
    .select({ event: events, competitionName: competitions.name })
    .from(events)
    .innerJoin(competitions, eq(competitions.id, events.competitionId))
    .where(eq(events.id, judge.eventId))
    .get();
  if (!row) throw notFound('Event');
  const roundRows = app.db.select().from(rounds).where(eq(rounds.eventId, judge.eventId)).orderBy(asc(rounds.seq)).all();
  const open = roundRows.find((r) => r.status === 'open');
  const current = open ?? roundRows[roundRows.length - 1];
  return {
    judge: { id: judge.judgeId, name: judge.name, role: judge.role },
    event: { id: row.event.id, name: row.event.name, competitionName: row.competitionName, released: row.event.releasedAt != null },
    scheme: schemeForRound(row.event, current),
    rounds: roundRows.map((r) => ({ id: r.id, seq: r.seq, name: r.name, kind: r.kind, status: r.status, scheme: schemeForRound(row.event, r) })),
    currentRoundId: current?.id ?? null,
  };
}

/** The contestants of a round by drawn number, with how far this judge has marked each. */
export function judgeEntries(app: FastifyInstance, judge: JudgeActor, roundId?: number) {
  const panel = judgePanel(app, judge);
  const round = roundId ? panel.rounds.find((r) => r.id === roundId) : panel.rounds.find((r) => r.id === panel.currentRoundId);
  if (!round) throw notFound('Round');
  const toMark = round.scheme.parts.filter((p) => p.marking !== 'objective').reduce((n, p) => n + criteriaOf(p).length, 0);

  const rows = app.db
    .select({ id: entries.id, number: entries.drawnNumber, status: entries.status, name: people.name })
    .from(roundEntries)
    .innerJoin(entries, eq(entries.id, roundEntries.entryId))
    .innerJoin(people, eq(people.id, entries.personId))
    .where(and(eq(roundEntries.roundId, round.id), isNotNull(entries.drawnNumber)))
    .orderBy(asc(entries.drawnNumber))
    .all();
  const marked = new Map<number, Set<string>>();
  for (const m of app.db
    .select({ entryId: marks.entryId, criterionId: marks.criterionId, partId: marks.partId })
    .from(marks)
    .where(and(eq(marks.roundId, round.id), eq(marks.judgeId, judge.judgeId)))
    .all()) {
    let set = marked.get(m.entryId);
    if (!set) marked.set(m.entryId, (set = new Set()));
    set.add(m.criterionId);
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
  return rows.map((e) => {
    const count = marked.get(e.id)?.size ?? 0;
    const state = pending.has(e.id) ? 'correction_pending' : count === 0 ? 'not_started' : count >= toMark ? 'submitted' : 'partial';
    return {
      number: e.number!,
      status: e.status,
      state: state as 'not_started' | 'partial' | 'submitted' | 'correction_pending',
      marked: count,
      criteria: toMark,
      ...(panel.event.released ? { name: e.name } : {}),
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
      and x.judge_id = m.judge_id and x.criterion_id = m.criterion_id)`);
  const rows = app.db.$client
    .prepare<(number | string)[], MarkRow>(`${MARK_SELECT} where ${where.join(' and ')} order by e.drawn_number, m.judge_id, m.criterion_id, m.version`)
    .all(...args);
  return rows.map(presentMark);
}

/** Every version of one mark slot, oldest first, with the audit trail's reasons. */
export function markHistory(app: FastifyInstance, markId: number) {
  const mark = app.db.select().from(marks).where(eq(marks.id, markId)).get();
  if (!mark) throw notFound('Mark');
  const rows = app.db.$client
    .prepare<[number, number, number, string], MarkRow>(
      `${MARK_SELECT} where m.round_id = ? and m.entry_id = ? and m.judge_id = ? and m.criterion_id = ? order by m.version`,
    )
    .all(mark.roundId, mark.entryId, mark.judgeId, mark.criterionId);
  return { eventId: rows[0]!.event_id, judgeId: mark.judgeId, versions: rows.map(presentMark) };
}
