import { and, asc, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { competitions, events, judgeAssignments, judges, organisations, paperEntries, paperSettlements, rounds } from '../../../db/schema.ts';
import type { PaperCriterionState, PaperDisagreement, PaperEntryInput, PaperSheet } from '../../contracts/paper.ts';
import { criteriaOf, criterionMin, panelPerCriterion, type Scheme } from '../../contracts/scheme.ts';
import type { EmployerRef } from '../../domain/recusal.ts';
import { AppError, conflict, forbidden, invalid, notFound } from '../../errors.ts';
import { judgeEvent, judgeRoleIn, type JudgeActor, type PanelRole } from '../../plugins/auth.plugin.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { authorizeEvent } from '../event-access.ts';
import { markQueries } from '../marks/marks.queries.ts';
import { marksRefusedByCompetition } from '../competitions/competition-status.ts';
import { schemeForRound } from '../events/round-scheme.ts';
import { onStep } from '../../domain/decimal.ts';
import { checkValue, submitMarks } from '../marks/marks.service.ts';
import {
  entriesByKey,
  eventPaper,
  groupBySlot,
  sameValue,
  sheetEntries,
  sheetSettlements,
  slotKey,
  type PaperEntryRow,
} from './paper.queries.ts';
import { isRecused, panelKeysOf, panelMembers } from '../../domain/index.ts';
import { employersOfEntry } from '../entries/members.ts';
import { loadEventPanels, NO_SEATS } from '../judges/panels.queries.ts';

/** A judge of the competition with their role in the event at hand. */
export type JudgeRow = typeof judges.$inferSelect & { eventId: number; role: PanelRole };

type Refusal = { status: number; code: string; field: string; message: string };
type RoundRow = { id: number; event_id: number; status: 'open' | 'closed'; seq: number; scheme: string | null };
type EntryRow = { id: number; status: string; drawn_number: number; employer_id: number | null; employer_name: string | null };

/** Panel roles whose sheets a scorer may enter: those who mark. */
export const MARKING_ROLES = new Set<JudgeRow['role']>(['judge', 'chief']);

/** The judge's employer for recusal: the organisation (with its name) or the name as written. */
export function employerOf(app: FastifyInstance, judge: JudgeRow): EmployerRef {
  const orgName =
    judge.employerId != null ? (app.db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, judge.employerId)).get()?.name ?? null) : null;
  return { organisationId: judge.employerId, name: orgName ?? judge.employerName };
}

/** The judge as the marks path knows them, in this one event: the mark is theirs, with their recusal. */
function actorOf(app: FastifyInstance, judge: JudgeRow): JudgeActor {
  const employer = employerOf(app, judge);
  return {
    kind: 'judge',
    judgeId: judge.id,
    competitionId: judge.competitionId,
    name: judge.name,
    employerId: employer.organisationId,
    employerName: employer.name,
    assignments: [{ eventId: judge.eventId, role: judge.role }],
  };
}

type SlotRef = { roundId: number; entryId: number; judgeId: number; partId: string; criterionId: string };
/** Deterministic, so a repeated attempt to store the same agreed or settled value stores it once. */
const matchKey = (s: SlotRef) => `paper:${s.roundId}:${s.entryId}:${s.judgeId}:${s.partId}:${s.criterionId}`;
const settleKey = (s: SlotRef) => `paper-settle:${s.roundId}:${s.entryId}:${s.judgeId}:${s.partId}:${s.criterionId}`;
const criterionKey = (s: { partId: string; criterionId: string }) => `${s.partId}:${s.criterionId}`;

/** The event a scorer's request is about (they must be its scorer). */
const scorerEventOf = (scorer: JudgeActor, eventId: number | undefined, field: string) => judgeEvent(scorer, ['scorer'], eventId, field);

/**
 * What a judge may mark in a round, by the panels: parts (criterionId null) or criteria of
 * per-criterion panels. Where no panel is set, any judge or chief judge of the event may mark
 * (as on the tablet, up to the scheme's expectedMarks).
 */
export function judgeSeats(app: FastifyInstance, scheme: Scheme, eventId: number, roundId: number | null, judgeId: number) {
  if (roundId == null) return [];
  const panels = loadEventPanels(app.db, eventId);
  const seats = panels.seatsByRound.get(roundId) ?? NO_SEATS;
  // The same panels as the tablet's (panelMembers): a part nobody is seated on is marked by the
  // event's judges, not by the chief judge, who marks only where seated.
  return scheme.parts.flatMap((part) =>
    panelKeysOf(part)
      .filter(({ key }) => panelMembers(seats, key, panels.eventJudges).judgeIds.includes(judgeId))
      .map(({ criterionId }) => ({ partId: part.id, criterionId })),
  );
}

function eventOf(app: FastifyInstance, eventId: number) {
  const event = markQueries(app.db).event.get(eventId);
  if (!event) throw notFound('Event');
  return event;
}

/** The scheme a round's sheets are written against (schemeForRound). */
function roundScheme(app: FastifyInstance, event: { scheme: string }, roundId: number): Scheme {
  return schemeForRound(event, markQueries(app.db).round.get(roundId));
}

function throwRefusals(refusals: Refusal[]): void {
  if (refusals.length === 0) return;
  const first = refusals[0]!;
  throw new AppError(
    first.status,
    first.code,
    refusals.map((r) => r.message).join('; '),
    refusals.map((r) => ({ field: r.field, message: `${r.code}: ${r.message}` })),
  );
}

/** What a scorer's page needs: the scheme, the rounds and the panel members whose sheets they enter, with what each marks. */
export function paperPanel(app: FastifyInstance, scorer: JudgeActor, eventId?: number) {
  const id = scorerEventOf(scorer, eventId, 'query.eventId');
  const row = app.db
    .select({ event: events, competitionName: competitions.name })
    .from(events)
    .innerJoin(competitions, eq(competitions.id, events.competitionId))
    .where(eq(events.id, id))
    .get();
  if (!row) throw notFound('Event');
  const roundRows = app.db.select().from(rounds).where(eq(rounds.eventId, id)).orderBy(asc(rounds.seq)).all();
  const open = roundRows.find((r) => r.status === 'open');
  const current = open ?? roundRows[roundRows.length - 1];
  const currentRoundId = current?.id ?? null;
  const scheme = schemeForRound(row.event, current);
  const panel = eventJudgeRows(app, id).filter((j) => MARKING_ROLES.has(j.role));
  return {
    scorer: { id: scorer.judgeId, name: scorer.name },
    event: { id: row.event.id, name: row.event.name, competitionName: row.competitionName, released: row.event.releasedAt != null },
    scheme,
    rounds: roundRows.map((r) => ({ id: r.id, seq: r.seq, name: r.name, status: r.status, scheme: schemeForRound(row.event, r) })),
    currentRoundId,
    // Only those who mark something in the round: a chief judge seated nowhere has no sheet to enter.
    judges: panel
      .map((j) => ({ id: j.id, name: j.name, role: j.role as 'judge' | 'chief', seats: judgeSeats(app, scheme, id, currentRoundId, j.id) }))
      .filter((j) => j.seats.length > 0 || currentRoundId == null),
  };
}

/** The judges sitting on an event, with their role there, in id order. */
function eventJudgeRows(app: FastifyInstance, eventId: number): JudgeRow[] {
  return app.db
    .select({ judge: judges, role: judgeAssignments.role })
    .from(judgeAssignments)
    .innerJoin(judges, eq(judges.id, judgeAssignments.judgeId))
    .where(eq(judgeAssignments.eventId, eventId))
    .orderBy(asc(judges.id))
    .all()
    .map((r) => ({ ...r.judge, eventId, role: r.role }));
}

/**
 * A sheet as `scorerId` sees it: their own values and where each criterion stands. The other
 * scorer's values are never part of it (blind double entry), only whether the two agree.
 */
export function presentSheet(app: FastifyInstance, scheme: Scheme, scorerId: number, roundId: number, entryId: number, judge: JudgeRow, number: number): PaperSheet {
  const rows = sheetEntries(app.db, roundId, entryId, judge.id);
  const settled = new Set(sheetSettlements(app.db, roundId, entryId, judge.id).map(criterionKey));
  const bySlot = groupBySlot(rows);
  const mine = new Map(rows.filter((r) => r.scorerId === scorerId).map((r) => [criterionKey(r), r]));
  // Every criterion the judge marks on paper (their seats), plus anything else this scorer entered.
  const seats = judgeSeats(app, scheme, judge.eventId, roundId, judge.id);
  const seated = (partId: string, criterionId: string) => seats.some((s) => s.partId === partId && (s.criterionId == null || s.criterionId === criterionId));
  const listed = scheme.parts.flatMap((p) =>
    criteriaOf(p)
      .filter((c) => (p.marking !== 'objective' && seated(p.id, c.id)) || mine.has(criterionKey({ partId: p.id, criterionId: c.id })))
      .map((c) => ({ partId: p.id, criterionId: c.id })),
  );
  const criteria = listed.map(({ partId, criterionId }) => {
    const own = mine.get(criterionKey({ partId, criterionId }));
    const list = bySlot.get(slotKey({ roundId, entryId, judgeId: judge.id, partId, criterionId })) ?? [];
    let state: PaperCriterionState;
    if (!own) state = 'not_entered';
    else if (settled.has(criterionKey({ partId, criterionId }))) state = 'settled';
    else if (list.length < 2) state = 'waiting';
    else state = sameValue(list[0]!.value, list[1]!.value) ? 'matched' : 'disputed';
    return { partId, criterionId, myValue: own?.value ?? null, state };
  });
  const entered = criteria.filter((c) => c.state !== 'not_entered');
  const state: PaperSheet['state'] =
    entered.length === 0
      ? 'not_entered'
      : entered.some((c) => c.state === 'disputed')
        ? 'disputed'
        : entered.some((c) => c.state === 'waiting')
          ? 'waiting'
          : 'matched';
  return { roundId, judgeId: judge.id, judgeName: judge.name, number, state, criteria };
}

export function judgeInEvent(app: FastifyInstance, eventId: number, judgeId: number): JudgeRow | undefined {
  const row = app.db
    .select({ judge: judges, role: judgeAssignments.role })
    .from(judgeAssignments)
    .innerJoin(judges, eq(judges.id, judgeAssignments.judgeId))
    .where(and(eq(judgeAssignments.eventId, eventId), eq(judgeAssignments.judgeId, judgeId)))
    .get();
  return row ? { ...row.judge, eventId, role: row.role } : undefined;
}

/**
 * Stores the agreed values of a sheet as the judge's marks, through the same path as a tablet's
 * marks (validation, audit, live ranking). The keys are deterministic, so running this again
 * (a retried request, a second attempt after a failure) stores nothing twice.
 */
async function storeAgreedMarks(app: FastifyInstance, triggeredBy: JudgeActor, judge: JudgeRow, roundId: number, entryId: number, number: number) {
  const rows = sheetEntries(app.db, roundId, entryId, judge.id);
  const settled = new Set(sheetSettlements(app.db, roundId, entryId, judge.id).map(criterionKey));
  const q = markQueries(app.db);
  const agreed: PaperEntryRow[][] = [];
  for (const list of groupBySlot(rows).values()) {
    const [a, b] = list;
    if (!a || !b || !sameValue(a.value, b.value) || settled.has(criterionKey(a))) continue;
    if (q.markByKey.get(matchKey(a))) continue;
    agreed.push([a, b]);
  }
  const event = eventOf(app, judge.eventId);
  // One request per criterion: each is its own savepoint in the group commit, so one refused
  // value (say the judge marked it on a tablet meanwhile) does not hold back the others.
  await Promise.all(
    agreed.map(async ([a, b]) => {
      try {
        const [result] = await submitMarks(app, actorOf(app, judge), [
          {
            idempotencyKey: matchKey(a!),
            roundId,
            number,
            partId: a!.partId,
            criterionId: a!.criterionId,
            value: a!.value,
            device: `paper:${a!.scorerId}+${b!.scorerId}`,
          },
        ]);
        if (result?.outcome === 'stored')
          recordAudit(app.db, triggeredBy, {
            action: 'paper.match',
            entityType: 'mark',
            entityId: result.mark.id,
            orgId: event.org_id,
            after: { round: roundId, number, judgeId: judge.id, part: a!.partId, criterion: a!.criterionId, value: a!.value, entries: [a!.id, b!.id] },
          });
      } catch (error) {
        app.log.warn({ err: error, slot: matchKey(a!) }, 'agreed paper entries could not be stored as a mark');
      }
    }),
  );
}

/**
 * A scorer enters a judge's paper sheet. Checked like a judge's own marks (round open, contestant
 * checked in and in the round, judge on the panel and not recused, range and step); a scorer
 * enters a sheet once, and a sheet is entered by two scorers at most. A retry with the same key
 * returns the first answer.
 */
export async function submitPaperEntry(app: FastifyInstance, scorer: JudgeActor, input: PaperEntryInput) {
  const q = markQueries(app.db);
  let eventId: number;
  if (input.eventId == null && input.roundId != null) {
    const r = q.round.get(input.roundId);
    if (!r || judgeRoleIn(scorer, r.event_id) == null) throw invalid('body.roundId', 'no such round in your events', 'unknown_round');
    eventId = scorerEventOf(scorer, r.event_id, 'body.eventId');
  } else eventId = scorerEventOf(scorer, input.eventId, 'body.eventId');
  const event = eventOf(app, eventId);

  const previous = entriesByKey(app.db, input.idempotencyKey);
  if (previous.length > 0) {
    const first = previous[0]!;
    const entry = q.entryByNumber.get(eventId, input.number);
    const sameSheet =
      previous.every((p) => p.scorerId === scorer.judgeId && p.judgeId === input.judgeId && p.entryId === entry?.id && p.roundId === first.roundId) &&
      (input.roundId == null || input.roundId === first.roundId) &&
      previous.length === input.marks.length &&
      input.marks.every((m) => previous.some((p) => p.partId === m.partId && p.criterionId === m.criterionId && sameValue(p.value, m.value)));
    if (!sameSheet)
      throw new AppError(409, 'idempotency_key_reused', 'This idempotency key was already used for a different sheet', [
        { field: 'body.idempotencyKey', message: 'already used for a different sheet' },
      ]);
    const judge = judgeInEvent(app, eventId, first.judgeId)!;
    await storeAgreedMarks(app, scorer, judge, first.roundId, first.entryId, input.number);
    return { outcome: 'duplicate' as const, sheet: presentSheet(app, roundScheme(app, event, first.roundId), scorer.judgeId, first.roundId, first.entryId, judge, input.number) };
  }

  // Checks and writes run in one synchronous stretch: nothing else can enter the same sheet between them.
  const refusals: Refusal[] = [];
  const refuse = (status: number, code: string, field: string, message: string) => refusals.push({ status, code, field, message });
  if (event.released_at != null) throw conflict('results_released', 'Results are released; marks are read-only');
  const round: RoundRow | undefined = input.roundId ? q.round.get(input.roundId) : q.openRound.get(eventId);
  if (!round || round.event_id !== eventId) {
    if (input.roundId) throw invalid('body.roundId', 'no such round in your event', 'unknown_round');
    throw conflict('marking_closed', 'Marking is closed for this event');
  }
  if (round.status !== 'open') throw new AppError(409, 'marking_closed', 'Marking is closed for this round', [{ field: 'body.roundId', message: 'marking is closed' }]);
  const competitionRefusal = marksRefusedByCompetition(event.competition_status);
  if (competitionRefusal) throw new AppError(409, 'competition_not_running', competitionRefusal, [{ field: 'body.roundId', message: competitionRefusal }]);
  const scheme = schemeForRound(event, round);
  const judge = judgeInEvent(app, eventId, input.judgeId);
  if (!judge) throw invalid('body.judgeId', 'no such judge on your event’s panel', 'unknown_judge');
  if (!MARKING_ROLES.has(judge.role)) throw invalid('body.judgeId', `${judge.name} does not mark (${judge.role})`, 'not_a_marking_judge');
  const entry: EntryRow | undefined = q.entryByNumber.get(eventId, input.number);
  if (!entry) throw invalid('body.number', `no contestant has number ${input.number}`, 'unknown_number');
  if (!q.inRound.get(round.id, entry.id))
    throw new AppError(409, 'entry_not_in_round', `contestant ${input.number} is not in this round`, [{ field: 'body.number', message: 'not in this round' }]);
  if (entry.status !== 'checked_in')
    throw new AppError(409, 'entry_not_checked_in', `contestant ${input.number} is not checked in (${entry.status})`, [
      { field: 'body.number', message: `not checked in (${entry.status})` },
    ]);
  if (isRecused(employerOf(app, judge), employersOfEntry(app.db, entry)))
    throw new AppError(403, 'recused', `${judge.name} works for the same employer as contestant ${input.number} and may not mark them`, [
      { field: 'body.number', message: 'the judge is recused from this contestant' },
    ]);

  const existing = groupBySlot(sheetEntries(app.db, round.id, entry.id, judge.id));
  const seen = new Set<string>();
  const seats = judgeSeats(app, scheme, eventId, round.id, judge.id);
  input.marks.forEach((m, i) => {
    const field = (f: string) => `body.marks.${i}.${f}`;
    const part = scheme.parts.find((p) => p.id === m.partId);
    if (!part) return refuse(400, 'unknown_part', field('partId'), `the scheme has no part ${m.partId}`);
    if (part.marking === 'objective')
      return refuse(400, 'objective_part_staff_only', field('partId'), `${part.name} is entered by staff (exam results, measurements), not from a judge’s sheet`);
    const criterion = criteriaOf(part).find((c) => c.id === m.criterionId);
    if (!criterion) return refuse(400, 'unknown_criterion', field('criterionId'), `part ${m.partId} has no criterion ${m.criterionId}`);
    const key = criterionKey(m);
    if (seen.has(key)) return refuse(400, 'duplicate_criterion', field('criterionId'), `${criterion.name} appears twice on the sheet`);
    seen.add(key);
    if (!seats.some((st) => st.partId === part.id && (st.criterionId == null || st.criterionId === criterion.id)))
      return refuse(403, 'not_on_panel', field('partId'), `${judge.name} is not on the panel of ${panelPerCriterion(part) ? `${part.name} · ${criterion.name}` : part.name} in this round`);
    if (m.value > criterion.max) return refuse(400, 'mark_out_of_range', field('value'), `${criterion.name}: at most ${criterion.max}, got ${m.value}`);
    if (m.value < criterionMin(criterion)) return refuse(400, 'mark_out_of_range', field('value'), `${criterion.name}: at least ${criterionMin(criterion)}, got ${m.value}`);
    if (!onStep(m.value, criterion.step)) return refuse(400, 'mark_off_step', field('value'), `${criterion.name}: in steps of ${criterion.step}, got ${m.value}`);
    const slot = existing.get(slotKey({ roundId: round.id, entryId: entry.id, judgeId: judge.id, partId: m.partId, criterionId: m.criterionId })) ?? [];
    if (slot.some((r) => r.scorerId === scorer.judgeId))
      return refuse(409, 'already_entered', field('criterionId'), `you already entered ${criterion.name} of this sheet; the second entry must come from another scorer`);
    if (slot.length >= 2) return refuse(409, 'entered_twice', field('criterionId'), `${criterion.name} of this sheet was already entered twice`);
    if (q.currentVersion.get(round.id, entry.id, judge.id, m.partId, m.criterionId)?.version != null)
      return refuse(409, 'already_marked', field('criterionId'), `${judge.name} already has a mark for ${criterion.name} of contestant ${input.number}`);
  });
  throwRefusals(refusals);

  const now = app.clock.now();
  app.db.transaction(
    (tx) => {
      const stored: PaperEntryRow[] = [];
      for (const m of input.marks) {
        stored.push(
          tx
            .insert(paperEntries)
            .values({
              roundId: round.id,
              entryId: entry.id,
              judgeId: judge.id,
              scorerId: scorer.judgeId,
              partId: m.partId,
              criterionId: m.criterionId,
              value: m.value,
              enteredAt: now,
              idempotencyKey: input.idempotencyKey,
            })
            .returning()
            .get(),
        );
      }
      recordAudit(tx, scorer, {
        action: 'paper.enter',
        entityType: 'paper_entry',
        entityId: stored[0]!.id,
        orgId: event.org_id,
        after: { round: round.id, number: input.number, judgeId: judge.id, entries: stored.map((r) => ({ id: r.id, part: r.partId, criterion: r.criterionId, value: r.value })) },
      });
      // A second entry that differs from the first: nothing counts until the chief judge settles it.
      for (const r of stored) {
        const other = (existing.get(slotKey(r)) ?? [])[0];
        if (other && !sameValue(other.value, r.value))
          recordAudit(tx, scorer, {
            action: 'paper.dispute',
            entityType: 'paper_entry',
            entityId: r.id,
            orgId: event.org_id,
            after: { round: round.id, number: input.number, judgeId: judge.id, part: r.partId, criterion: r.criterionId, entries: [other.id, r.id] },
          });
      }
    },
    { behavior: 'immediate' },
  );
  await storeAgreedMarks(app, scorer, judge, round.id, entry.id, input.number);
  return { outcome: 'stored' as const, sheet: presentSheet(app, scheme, scorer.judgeId, round.id, entry.id, judge, input.number) };
}

/** The sheets this scorer has entered (their own values only), by round, judge and number. */
export function listScorerSheets(
  app: FastifyInstance,
  scorer: JudgeActor,
  filter: { eventId?: number; roundId?: number; judgeId?: number; number?: number },
): PaperSheet[] {
  const eventId = scorerEventOf(scorer, filter.eventId, 'query.eventId');
  const event = eventOf(app, eventId);
  const own = eventPaper(app.db, eventId, filter.roundId).entries.filter(
    (r) => r.scorerId === scorer.judgeId && (filter.judgeId == null || r.judgeId === filter.judgeId),
  );
  const numbers = entryNumbers(app, eventId);
  const sheets = new Map<string, { roundId: number; entryId: number; judgeId: number }>();
  for (const r of own) sheets.set(`${r.roundId}:${r.entryId}:${r.judgeId}`, r);
  const out: PaperSheet[] = [];
  for (const s of sheets.values()) {
    const number = numbers.get(s.entryId);
    if (number == null || (filter.number != null && number !== filter.number)) continue;
    out.push(presentSheet(app, roundScheme(app, event, s.roundId), scorer.judgeId, s.roundId, s.entryId, judgeInEvent(app, eventId, s.judgeId)!, number));
  }
  return out.sort((a, b) => a.roundId - b.roundId || a.number - b.number || a.judgeId - b.judgeId);
}

function entryNumbers(app: FastifyInstance, eventId: number): Map<number, number> {
  const rows = app.db.$client
    .prepare<[number], { id: number; drawn_number: number | null }>(`select id, drawn_number from entries where event_id = ?`)
    .all(eventId);
  return new Map(rows.filter((r) => r.drawn_number != null).map((r) => [r.id, r.drawn_number!]));
}

const DISPUTE_READERS = { staff: ['admin' as const, 'organiser' as const], judge: ['chief' as const, 'supervisor' as const] };

/** Paper entries that disagree, side by side, for the chief judge (scorers may not see them: the entry is blind). */
export function listDisagreements(app: FastifyInstance, req: FastifyRequest, eventId: number, query: DisagreementFilter): PaperDisagreement[] {
  authorizeEvent(app, req, eventId, DISPUTE_READERS);
  return disagreementsOf(app, eventId, query);
}

type DisagreementFilter = { roundId?: number; status: 'open' | 'settled' | 'all' };

function disagreementsOf(app: FastifyInstance, eventId: number, query: DisagreementFilter): PaperDisagreement[] {
  const event = eventOf(app, eventId);
  const { entries, settlements } = eventPaper(app.db, eventId, query.roundId);
  const settledBySlot = new Map(settlements.map((s) => [slotKey(s), s]));
  const names = new Map(eventJudgeRows(app, eventId).map((j) => [j.id, j.name]));
  const numbers = entryNumbers(app, eventId);
  const out: PaperDisagreement[] = [];
  for (const [key, list] of groupBySlot(entries)) {
    const [a, b] = list;
    if (!a || !b || sameValue(a.value, b.value)) continue;
    const settlement = settledBySlot.get(key);
    if (query.status === 'open' && settlement) continue;
    if (query.status === 'settled' && !settlement) continue;
    const part = roundScheme(app, event, a.roundId).parts.find((p) => p.id === a.partId);
    const criterion = part ? criteriaOf(part).find((c) => c.id === a.criterionId) : undefined;
    out.push({
      roundId: a.roundId,
      number: numbers.get(a.entryId) ?? 0,
      judgeId: a.judgeId,
      judgeName: names.get(a.judgeId) ?? '',
      partId: a.partId,
      criterionId: a.criterionId,
      criterionName: criterion?.name ?? a.criterionId,
      max: criterion?.max ?? 0,
      step: criterion?.step ?? 1,
      entries: [a, b].map((e) => ({ scorerId: e.scorerId, scorerName: names.get(e.scorerId) ?? '', value: e.value, enteredAt: e.enteredAt.toISOString() })),
      settlement: settlement
        ? { value: settlement.value, note: settlement.note, settledBy: settlement.settledBy, settledAt: settlement.settledAt.toISOString(), markId: settlement.markId }
        : null,
    });
  }
  return out.sort((x, y) => x.roundId - y.roundId || x.number - y.number || x.judgeId - y.judgeId || x.criterionId.localeCompare(y.criterionId));
}

/**
 * The chief judge settles two paper entries that disagree by choosing or entering the value (after
 * looking at the signed sheet): it is stored as the judge's mark and the ruling is kept with the note.
 */
export async function settleDisagreement(
  app: FastifyInstance,
  chief: JudgeActor,
  input: { roundId: number; number: number; judgeId: number; partId?: string; criterionId: string; value: number; note: string },
): Promise<PaperDisagreement> {
  const q = markQueries(app.db);
  const round = q.round.get(input.roundId);
  if (!round || judgeRoleIn(chief, round.event_id) == null) throw invalid('body.roundId', 'no such round in your events', 'unknown_round');
  if (judgeRoleIn(chief, round.event_id) !== 'chief') throw forbidden('This needs one of the panel roles: chief');
  const eventId = round.event_id;
  const event = eventOf(app, eventId);
  if (event.released_at != null) throw conflict('results_released', 'Results are released; marks are read-only');
  const entry = q.entryByNumber.get(eventId, input.number);
  if (!entry) throw invalid('body.number', `no contestant has number ${input.number}`, 'unknown_number');
  const judge = judgeInEvent(app, eventId, input.judgeId);
  if (!judge) throw invalid('body.judgeId', 'no such judge on your event’s panel', 'unknown_judge');
  const scheme = schemeForRound(event, round);
  const parts = input.partId ? [input.partId] : scheme.parts.filter((p) => criteriaOf(p).some((c) => c.id === input.criterionId)).map((p) => p.id);
  const sheet = groupBySlot(sheetEntries(app.db, round.id, entry.id, judge.id));
  const candidates = parts
    .map((partId) => ({ partId, list: sheet.get(slotKey({ roundId: round.id, entryId: entry.id, judgeId: judge.id, partId, criterionId: input.criterionId })) ?? [] }))
    .filter((c) => c.list.length >= 2 && !sameValue(c.list[0]!.value, c.list[1]!.value));
  if (candidates.length > 1) throw invalid('body.partId', `criterion ${input.criterionId} is in several parts: name the part`, 'part_required');
  const [a, b] = candidates[0]?.list ?? [];
  if (!a || !b)
    throw new AppError(404, 'no_disagreement', 'These paper entries do not disagree: there is nothing to settle', [
      { field: 'body.criterionId', message: 'no disagreement for this criterion' },
    ]);
  const slot = { roundId: round.id, entryId: entry.id, judgeId: judge.id, partId: a.partId, criterionId: input.criterionId };
  if (sheetSettlements(app.db, round.id, entry.id, judge.id).some((s) => s.partId === a.partId && s.criterionId === input.criterionId))
    throw conflict('already_settled', 'This disagreement was already settled');
  checkValue(scheme, a.partId, a.criterionId, input.value, 'body.value');
  if (round.status !== 'open')
    throw new AppError(409, 'marking_closed', 'Marking is closed for this round: reopen it to settle', [{ field: 'body.roundId', message: 'marking is closed' }]);

  const [result] = await submitMarks(app, actorOf(app, judge), [
    {
      idempotencyKey: settleKey(slot),
      eventId,
      roundId: round.id,
      number: input.number,
      partId: a.partId,
      criterionId: a.criterionId,
      value: input.value,
      device: `paper-settled:${chief.judgeId}`,
    },
  ]);
  const markId = result!.mark.id;
  try {
    app.db.transaction(
      (tx) => {
        const row = tx
          .insert(paperSettlements)
          .values({ ...slot, value: input.value, note: input.note, settledBy: chief.judgeId, settledAt: app.clock.now(), markId })
          .returning()
          .get();
        recordAudit(tx, chief, {
          action: 'paper.settle',
          entityType: 'paper_settlement',
          entityId: row.id,
          orgId: event.org_id,
          before: { entries: [a, b].map((e) => ({ id: e.id, scorerId: e.scorerId, value: e.value })) },
          after: { round: round.id, number: input.number, judgeId: judge.id, part: a.partId, criterion: input.criterionId, value: input.value, note: input.note, markId },
        });
      },
      { behavior: 'immediate' },
    );
  } catch (error) {
    // Two settlements of one pair at once: the unique slot lets only the first through.
    if (error instanceof Error && /UNIQUE/.test(error.message)) throw conflict('already_settled', 'This disagreement was already settled');
    throw error;
  }
  const settled = disagreementsOf(app, eventId, { roundId: round.id, status: 'settled' });
  return settled.find((d) => d.number === input.number && d.judgeId === judge.id && d.partId === a.partId && d.criterionId === input.criterionId)!;
}
