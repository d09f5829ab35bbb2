import { and, asc, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { marks, panelSeats, rounds } from '../../../db/schema.ts';
import type { PanelGrid, SetPanelsInput } from '../../contracts/judges.ts';
import { criteriaOf, panelPerCriterion, type Scheme } from '../../contracts/scheme.ts';
import { panelKeysOf } from '../../domain/index.ts';
import { AppError, conflict, notFound } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { authorizeEvent } from '../event-access.ts';
import { parseStoredScheme } from '../marks/marks.service.ts';
import { loadEventPanels, NO_SEATS, type EventPanels } from './panels.queries.ts';

const READERS = { staff: ['admin' as const, 'organiser' as const, 'hr_officer' as const, 'viewer' as const], judge: ['chief' as const, 'supervisor' as const] };
/** Organisers set panels in their judges page; the chief judge, who runs the venue, may change them too. */
const MANAGERS = { staff: ['admin' as const, 'organiser' as const], judge: ['chief' as const] };

/** Judges who may be seated: they mark (judge) or may mark (chief). */
const SEATABLE = new Set(['judge', 'chief']);

type RoundRow = typeof rounds.$inferSelect;

function roundsOfEvent(app: FastifyInstance, eventId: number): RoundRow[] {
  return app.db.select().from(rounds).where(eq(rounds.eventId, eventId)).orderBy(asc(rounds.seq)).all();
}

/** Per drawn number still taking part, what each whole-part panel expects from it (recusals taken off), by part id. */
type ExpectedByNumber = { number: number; expected: Map<string, number> }[];

function expectedByNumber(app: FastifyInstance, eventId: number, roundId: number): ExpectedByNumber {
  return app.rankings
    .staffRanking(eventId, roundId, { identities: false })
    .staffRows.filter((r) => r.number != null && (r.status === 'registered' || r.status === 'checked_in'))
    .map((r) => ({ number: r.number!, expected: new Map(r.partDetails.map((d) => [d.partId, d.expected])) }));
}

/** The grid of one round: the parts judges mark × the panel's seats, with each panel's size and who it marks with fewer judges. */
function presentGrid(eventId: number, scheme: Scheme, roundRows: RoundRow[], round: RoundRow, panels: EventPanels, released: boolean, entries: ExpectedByNumber): PanelGrid {
  const seats = panels.seatsByRound.get(round.id) ?? NO_SEATS;
  return {
    eventId,
    roundId: round.id,
    rounds: roundRows.map((r) => ({ id: r.id, seq: r.seq, name: r.name, status: r.status })),
    parts: scheme.parts
      .filter((p) => p.marking !== 'objective')
      .map((part) => ({
        partId: part.id,
        name: part.name,
        panelBy: panelPerCriterion(part) ? ('criterion' as const) : ('part' as const),
        minMarks: part.minMarks,
        schemeExpectedMarks: part.expectedMarks,
        panels: panelKeysOf(part).map(({ key, criterionId }) => {
          const judgeIds = [...(seats.get(key) ?? [])];
          const size = judgeIds.length;
          // Trainees take a seat to mark; the panel that counts is the other seats.
          const traineeSeats = judgeIds.filter((id) => panels.trainees.has(id)).length;
          const counting = size - traineeSeats;
          const full = size > 0 ? counting : part.expectedMarks;
          // A panel per criterion expects per criterion: the part's figure sums them, so it is not read here.
          const recusals = criterionId
            ? []
            : entries.flatMap(({ number, expected }) => {
                const n = expected.get(part.id);
                return n !== undefined && n < full ? [{ number, expected: n, belowMinMarks: n < part.minMarks }] : [];
              });
          return {
            criterionId,
            criterionName: criterionId ? (criteriaOf(part).find((c) => c.id === criterionId)?.name ?? criterionId) : null,
            judgeIds,
            size,
            traineeSeats,
            expectedMarks: size > 0 ? counting : part.expectedMarks,
            belowMinMarks: size > 0 && counting < part.minMarks,
            recusals,
          };
        }),
      })),
    judges: [...panels.members.values()]
      .filter((m) => SEATABLE.has(m.role))
      .map((m) => ({ id: m.id, name: m.name, role: m.role as 'chief' | 'judge', employerName: m.employerName, trainee: m.trainee })),
    released,
  };
}

function pickRound(roundRows: RoundRow[], roundId: number | undefined): RoundRow {
  const round = roundId != null ? roundRows.find((r) => r.id === roundId) : (roundRows.find((r) => r.status === 'open') ?? roundRows[roundRows.length - 1]);
  if (!round) throw notFound('Round');
  return round;
}

/** The panels of a round of an event (staff in scope, the event's chief judge and supervisor). */
export function getPanelGrid(app: FastifyInstance, req: FastifyRequest, eventId: number, roundId?: number): PanelGrid {
  const { event } = authorizeEvent(app, req, eventId, READERS);
  const roundRows = roundsOfEvent(app, eventId);
  const round = pickRound(roundRows, roundId);
  return presentGrid(eventId, parseStoredScheme(JSON.stringify(event.scheme)), roundRows, round, loadEventPanels(app.db, eventId), event.releasedAt != null, expectedByNumber(app, eventId, round.id));
}

/**
 * Seats the listed panels of a round: each listed part (or criterion, for per-criterion panels)
 * gets exactly the judges given; parts not listed keep their panels. Only the event's judges and
 * chief judge may be seated, objective parts have no panel, and a judge who has marked a part in
 * this round keeps their seat on it (their marks count). Rankings follow at once: a panel's size
 * is its parts' expected number of marks.
 */
export function setPanels(app: FastifyInstance, req: FastifyRequest, roundId: number, input: SetPanelsInput): PanelGrid {
  const round = app.db.select().from(rounds).where(eq(rounds.id, roundId)).get();
  if (!round) throw notFound('Round');
  const { event, competition, actor } = authorizeEvent(app, req, round.eventId, MANAGERS);
  if (event.releasedAt) throw conflict('results_released', 'Results are released; the panels stay as they marked');
  const scheme = parseStoredScheme(JSON.stringify(event.scheme));
  const panels = loadEventPanels(app.db, round.eventId);
  const problems: { field: string; message: string; code: string; status: number }[] = [];
  const problem = (status: number, code: string, field: string, message: string) => problems.push({ status, code, field, message });
  const listed = new Set<string>();

  input.panels.forEach((p, i) => {
    const at = (f: string) => `body.panels.${i}.${f}`;
    const part = scheme.parts.find((x) => x.id === p.partId);
    if (!part) return problem(400, 'unknown_part', at('partId'), `the scheme has no part ${p.partId}`);
    if (part.marking === 'objective')
      return problem(400, 'objective_part_no_panel', at('partId'), `${part.name} is an objective part: staff enter its values, no judge marks it`);
    if (panelPerCriterion(part)) {
      if (!p.criterionId) return problem(400, 'criterion_required', at('criterionId'), `${part.name} has a panel per criterion: name the criterion`);
      if (!criteriaOf(part).some((c) => c.id === p.criterionId))
        return problem(400, 'unknown_criterion', at('criterionId'), `part ${part.id} has no criterion ${p.criterionId}`);
    } else if (p.criterionId) return problem(400, 'panel_per_part', at('criterionId'), `${part.name} has one panel for the whole part`);
    const key = `${part.id}:${p.criterionId ?? ''}`;
    if (listed.has(key)) return problem(400, 'duplicate_panel', at('partId'), `${part.name} is listed twice`);
    listed.add(key);
    const seen = new Set<number>();
    p.judgeIds.forEach((id, j) => {
      const member = panels.members.get(id);
      if (!member) return problem(400, 'unknown_judge', at(`judgeIds.${j}`), `judge ${id} is not on this event's panel`);
      if (!SEATABLE.has(member.role)) return problem(400, 'not_a_marking_judge', at(`judgeIds.${j}`), `${member.name} does not mark (${member.role})`);
      if (seen.has(id)) return problem(400, 'duplicate_judge', at(`judgeIds.${j}`), `${member.name} is listed twice`);
      seen.add(id);
    });
  });
  if (problems.length === 0) {
    // Taking a seat from a judge who has marked there would drop marks that count.
    input.panels.forEach((p, i) => {
      const keep = new Set(p.judgeIds);
      const markedBy = app.db
        .selectDistinct({ judgeId: marks.judgeId })
        .from(marks)
        .where(and(eq(marks.roundId, roundId), eq(marks.partId, p.partId), p.criterionId ? eq(marks.criterionId, p.criterionId) : undefined))
        .all()
        .map((m) => m.judgeId);
      for (const judgeId of markedBy)
        if (!keep.has(judgeId) && (panels.seatsByRound.get(roundId)?.get(p.criterionId ? `${p.partId}:${p.criterionId}` : p.partId)?.includes(judgeId) ?? true))
          problem(409, 'marks_exist', `body.panels.${i}.judgeIds`, `${panels.members.get(judgeId)?.name ?? `judge ${judgeId}`} has marked this part in this round and stays on its panel`);
    });
  }
  if (problems.length > 0) {
    const first = problems[0]!;
    throw new AppError(first.status, first.code, problems.map((p) => p.message).join('; '), problems.map((p) => ({ field: p.field, message: `${p.code}: ${p.message}` })));
  }

  app.db.transaction(
    (tx) => {
      for (const p of input.panels) {
        const criterionId = p.criterionId ?? '';
        const before = tx
          .select({ judgeId: panelSeats.judgeId })
          .from(panelSeats)
          .where(and(eq(panelSeats.roundId, roundId), eq(panelSeats.partId, p.partId), eq(panelSeats.criterionId, criterionId)))
          .orderBy(asc(panelSeats.id))
          .all()
          .map((s) => s.judgeId);
        if (before.length === p.judgeIds.length && before.every((id, k) => id === p.judgeIds[k])) continue;
        tx.delete(panelSeats).where(and(eq(panelSeats.roundId, roundId), eq(panelSeats.partId, p.partId), eq(panelSeats.criterionId, criterionId))).run();
        for (const judgeId of p.judgeIds) tx.insert(panelSeats).values({ roundId, partId: p.partId, criterionId, judgeId }).run();
        recordAudit(tx, actor, {
          action: 'panel.set',
          entityType: 'round',
          entityId: roundId,
          orgId: competition.orgId,
          before: { partId: p.partId, criterionId: p.criterionId ?? null, judgeIds: before },
          after: { partId: p.partId, criterionId: p.criterionId ?? null, judgeIds: p.judgeIds },
        });
      }
    },
    { behavior: 'immediate' },
  );
  app.rankings.invalidate(round.eventId);
  const roundRows = roundsOfEvent(app, round.eventId);
  const shown = pickRound(roundRows, roundId);
  return presentGrid(round.eventId, scheme, roundRows, shown, loadEventPanels(app.db, round.eventId), false, expectedByNumber(app, round.eventId, shown.id));
}
