import { asc, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { rounds } from '../../../db/schema.ts';
import {
  sheetLink,
  type MarkingSheets,
  type MarkingSheetsQuery,
  type OpenedPaperSheet,
  type OpenPaperSheetQuery,
} from '../../contracts/marking-sheets.ts';
import { criteriaOf, type Part, type Scheme } from '../../contracts/scheme.ts';
import { isRecused, panelKeysOf, panelMembers } from '../../domain/index.ts';
import { entrantEmployers, employersOfEntry, membersOfEntries } from '../entries/members.ts';
import { AppError, invalid } from '../../errors.ts';
import { judgeRoleIn, type JudgeActor } from '../../plugins/auth.plugin.ts';
import { authorizeEvent } from '../event-access.ts';
import { schemeForRound } from '../events/round-scheme.ts';
import { loadEventPanels, NO_SEATS } from '../judges/panels.queries.ts';
import { markQueries } from '../marks/marks.queries.ts';
import { employerOf, judgeInEvent, judgeSeats, MARKING_ROLES, presentSheet } from './paper.service.ts';

type RoundRow = typeof rounds.$inferSelect;
type MarkedPart = Part & { marking: 'rubric' | 'deduction' };

const marked = (p: Part): p is MarkedPart => p.marking !== 'objective';

/** Who may print an event's marking sheets: its organisers and its chief judge. */
const SHEET_PRINTERS = { staff: ['admin' as const, 'organiser' as const], judge: ['chief' as const] };

/** Entrants who still take part in a round: a sheet is printed for them (before check-in too: sheets are printed the day before). */
const TAKING_PART = new Set(['registered', 'checked_in']);

/** The round asked for (of this event, else 400 naming `field`), or the open one, else the last. */
function roundOf(app: FastifyInstance, eventId: number, roundId: number | undefined, field: string): { round: RoundRow; all: RoundRow[] } {
  const all = app.db.select().from(rounds).where(eq(rounds.eventId, eventId)).orderBy(asc(rounds.seq)).all();
  if (roundId != null) {
    const round = all.find((r) => r.id === roundId);
    if (!round) throw invalid(field, `the event has no round ${roundId}`, 'unknown_round');
    return { round, all };
  }
  const round = all.find((r) => r.status === 'open') ?? all[all.length - 1];
  if (!round) throw new AppError(409, 'no_rounds', 'The event has no rounds yet', [{ field, message: 'no rounds yet' }]);
  return { round, all };
}

const roundRef = (r: RoundRow) => ({ id: r.id, seq: r.seq, name: r.name, status: r.status });

type RoundEntrant = { id: number; status: string; drawn_number: number | null; employer_id: number | null; employer_name: string | null };

function roundEntrants(app: FastifyInstance, roundId: number): RoundEntrant[] {
  return app.db.$client
    .prepare<[number], RoundEntrant>(
      `select e.id, e.status, e.drawn_number, p.employer_id, coalesce(o.name, p.employer_name) as employer_name
       from round_entries re join entries e on e.id = re.entry_id join people p on p.id = e.person_id
       left join organisations o on o.id = p.employer_id
       where re.round_id = ? order by e.drawn_number, e.id`,
    )
    .all(roundId);
}

/**
 * The marking sheets of a round (评分表): one per task, judge on that task's panel and drawn
 * number of an entrant still taking part, except where the judge stands aside (same employer).
 * Numbers only: nothing in the answer says who is behind a number. For the event's organisers
 * and its chief judge.
 */
export function markingSheets(app: FastifyInstance, req: FastifyRequest, eventId: number, query: MarkingSheetsQuery): MarkingSheets {
  const { event, competition } = authorizeEvent(app, req, eventId, SHEET_PRINTERS);
  const { round, all } = roundOf(app, eventId, query.roundId, 'query.roundId');
  const scheme: Scheme = schemeForRound(event, round);
  const parts = scheme.parts.filter(marked);
  const panels = loadEventPanels(app.db, eventId);
  const markers = [...panels.members.values()].filter((m) => MARKING_ROLES.has(m.role as 'judge'));

  if (query.partId != null) {
    const part = scheme.parts.find((p) => p.id === query.partId);
    if (!part) throw invalid('query.partId', `this round’s scheme has no task ${query.partId}`, 'unknown_part');
    if (!marked(part)) throw invalid('query.partId', `${part.name} is entered by staff and has no marking sheet`, 'objective_part_staff_only');
  }
  if (query.judgeId != null && !markers.some((m) => m.id === query.judgeId))
    throw invalid('query.judgeId', `judge ${query.judgeId} does not mark in this event`, 'unknown_judge');

  const entrants = roundEntrants(app, round.id).filter((e) => TAKING_PART.has(e.status));
  if (query.number != null && !entrants.some((e) => e.drawn_number === query.number))
    throw invalid('query.number', `no entrant of this round has number ${query.number}`, 'entry_not_in_round');
  const numbered = entrants.filter((e): e is RoundEntrant & { drawn_number: number } => e.drawn_number != null);
  // A team or pair: a judge sharing any member's employer stands aside.
  const teamMembers = membersOfEntries(
    app.db,
    numbered.map((e) => e.id),
  );

  const seats = panels.seatsByRound.get(round.id) ?? NO_SEATS;
  const sheets: MarkingSheets['sheets'] = [];
  const recused: MarkingSheets['recused'] = [];
  for (const part of parts) {
    if (query.partId != null && part.id !== query.partId) continue;
    // Each judge's criteria on this task and their seat (their place on its first panel they sit on).
    const onTask = new Map<number, { seat: number; criteria: string[] }>();
    for (const { key, criterionId } of panelKeysOf(part)) {
      const { judgeIds } = panelMembers(seats, key, panels.eventJudges);
      judgeIds.forEach((judgeId, i) => {
        const ids = criterionId == null ? criteriaOf(part).map((c) => c.id) : [criterionId];
        const held = onTask.get(judgeId);
        if (held) held.criteria.push(...ids.filter((id) => !held.criteria.includes(id)));
        else onTask.set(judgeId, { seat: i + 1, criteria: ids });
      });
    }
    const order = [...onTask.entries()].sort((a, b) => a[1].seat - b[1].seat || a[0] - b[0]);
    for (const [judgeId, { seat, criteria }] of order) {
      const judge = panels.members.get(judgeId);
      if (!judge || !MARKING_ROLES.has(judge.role as 'judge')) continue;
      if (query.judgeId != null && judgeId !== query.judgeId) continue;
      for (const entrant of numbered) {
        if (query.number != null && entrant.drawn_number !== query.number) continue;
        if (isRecused(judge.employer, entrantEmployers({ organisationId: entrant.employer_id, name: entrant.employer_name }, teamMembers.get(entrant.id)))) {
          recused.push({ partId: part.id, judgeId, number: entrant.drawn_number });
          continue;
        }
        sheets.push({
          partId: part.id,
          judgeId,
          judgeName: judge.name,
          seat,
          number: entrant.drawn_number,
          criteria: criteriaOf(part)
            .map((c) => c.id)
            .filter((id) => criteria.includes(id)),
          link: sheetLink({ eventId, roundId: round.id, judgeId, number: entrant.drawn_number, partId: part.id }),
        });
      }
    }
  }
  return {
    competition: { id: competition.id, name: competition.name },
    event: { id: event.id, name: event.name },
    round: roundRef(round),
    rounds: all.map(roundRef),
    parts: parts.map((p) => ({
      id: p.id,
      name: p.name,
      marking: p.marking,
      max: p.max,
      criteria: criteriaOf(p).map((c) => ({ id: c.id, name: c.name, max: c.max, step: c.step, ...(c.min !== undefined ? { min: c.min } : {}) })),
    })),
    judges: markers.map((m) => ({ id: m.id, name: m.name, role: m.role as 'judge' | 'chief' })),
    sheets,
    recused,
    withoutNumber: entrants.length - numbered.length,
  };
}

/**
 * A scorer opens one sheet (typed in, or from its QR code): every parameter is checked against the
 * event, the round, the panel and the drawn numbers, each refusal naming its field, so a wrong or
 * foreign code never opens some other sheet. The answer carries the criteria to type in and this
 * scorer's own entry so far — never the other scorer's values (the double entry stays blind).
 */
export function openPaperSheet(app: FastifyInstance, scorer: JudgeActor, query: OpenPaperSheetQuery): OpenedPaperSheet {
  let eventId: number;
  if (query.eventId != null) {
    if (judgeRoleIn(scorer, query.eventId) !== 'scorer')
      throw new AppError(403, 'not_your_event', 'This sheet belongs to an event whose sheets you do not enter', [
        { field: 'query.eventId', message: 'not an event you enter sheets for' },
      ]);
    eventId = query.eventId;
  } else {
    const mine = scorer.assignments.filter((a) => a.role === 'scorer');
    if (mine.length !== 1) throw new AppError(400, 'event_required', 'You enter sheets for several events: say which one', [{ field: 'query.eventId', message: 'which event' }]);
    eventId = mine[0]!.eventId;
  }
  const event = markQueries(app.db).event.get(eventId)!;
  const eventRow = app.db.$client.prepare<[number], { name: string }>(`select name from events where id = ?`).get(eventId)!;
  const { round } = roundOf(app, eventId, query.roundId, 'query.roundId');
  const scheme = schemeForRound(event, round);

  const judge = judgeInEvent(app, eventId, query.judgeId);
  if (!judge || !MARKING_ROLES.has(judge.role)) throw invalid('query.judgeId', `judge ${query.judgeId} does not mark in this event`, 'unknown_judge');
  let part: Part | undefined;
  if (query.partId != null) {
    part = scheme.parts.find((p) => p.id === query.partId);
    if (!part) throw invalid('query.partId', `this round’s scheme has no task ${query.partId}`, 'unknown_part');
    if (!marked(part)) throw invalid('query.partId', `${part.name} is entered by staff, not from a judge’s sheet`, 'objective_part_staff_only');
  }
  const seats = judgeSeats(app, scheme, eventId, round.id, judge.id);
  const onSheet = (p: Part, criterionId: string) => seats.some((s) => s.partId === p.id && (s.criterionId == null || s.criterionId === criterionId));
  const criteria = scheme.parts
    .filter(marked)
    .filter((p) => part == null || p.id === part.id)
    .flatMap((p) =>
      criteriaOf(p)
        .filter((c) => onSheet(p, c.id))
        .map((c) => ({ partId: p.id, partName: p.name, marking: p.marking, criterionId: c.id, name: c.name, max: c.max, step: c.step, ...(c.min !== undefined ? { min: c.min } : {}) })),
    );
  if (criteria.length === 0)
    throw invalid('query.judgeId', `${judge.name} is not on the panel of ${part ? part.name : 'any task'} in ${round.name}`, 'not_on_panel');

  const entry = markQueries(app.db).entryByNumber.get(eventId, query.number);
  if (!entry) throw invalid('query.number', `no contestant has number ${query.number}`, 'unknown_number');
  if (!markQueries(app.db).inRound.get(round.id, entry.id))
    throw new AppError(409, 'entry_not_in_round', `contestant ${query.number} is not in ${round.name}`, [{ field: 'query.number', message: 'not in this round' }]);
  if (!TAKING_PART.has(entry.status))
    throw new AppError(409, 'entry_not_taking_part', `contestant ${query.number} no longer takes part (${entry.status})`, [
      { field: 'query.number', message: `not taking part (${entry.status})` },
    ]);
  if (isRecused(employerOf(app, judge), employersOfEntry(app.db, entry)))
    throw new AppError(403, 'recused', `${judge.name} works for the same employer as contestant ${query.number} and may not mark them`, [
      { field: 'query.number', message: 'the judge is recused from this contestant' },
    ]);

  const own = presentSheet(app, scheme, scorer.judgeId, round.id, entry.id, judge, query.number);
  const listed = new Set(criteria.map((c) => `${c.partId}:${c.criterionId}`));
  const mine = own.criteria.filter((c) => listed.has(`${c.partId}:${c.criterionId}`));
  const entered = mine.filter((c) => c.state !== 'not_entered');
  const state: OpenedPaperSheet['sheet']['state'] =
    entered.length === 0
      ? 'not_entered'
      : entered.some((c) => c.state === 'disputed')
        ? 'disputed'
        : entered.some((c) => c.state === 'waiting')
          ? 'waiting'
          : 'matched';
  return {
    event: { id: eventId, name: eventRow.name, released: event.released_at != null },
    round: roundRef(round),
    judge: { id: judge.id, name: judge.name },
    number: query.number,
    part: part ? { id: part.id, name: part.name } : null,
    criteria,
    sheet: { ...own, state, criteria: mine },
  };
}
