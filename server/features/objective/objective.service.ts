import { and, asc, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { events, objectiveDoubleEntries, objectiveValues, roundEntries, rounds } from '../../../db/schema.ts';
import {
  COMPLETION_TIME,
  COMPLETION_TIME_MAX,
  type DoubleEntryState,
  type ObjectiveCell,
  type ObjectiveColumn,
  type ObjectiveDispute,
  type ObjectiveGrid,
  type ObjectiveSource,
  type WriteObjectiveInput,
  type WriteObjectiveResponse,
} from '../../contracts/objective.ts';
import type { Scheme } from '../../contracts/scheme.ts';
import { AppError, conflict, forbidden, invalid, notFound } from '../../errors.ts';
import { judgeRoleIn, type Actor } from '../../plugins/auth.plugin.ts';
import { recordAudit, type Tx } from '../audit/audit.service.ts';
import { authorizeEvent, type EventAccess } from '../event-access.ts';
import { onStep } from '../../domain/decimal.ts';
import { parseStoredScheme } from '../marks/marks.service.ts';
import {
  currentValue,
  enteredByNames,
  eventEntries,
  roundDoubleEntries,
  roundMembers,
  roundValues,
  sameValue,
  slotKey,
  type DoubleEntryRow,
  type ObjectiveValueRow,
  type Slot,
} from './objective.queries.ts';

/**
 * Objective values: theory exam scores, completion times and other measured results, entered per
 * drawn number by organisers, the chief judge and scorers, never by the judges who mark.
 *
 * Guarantees:
 * - append-only: a change adds a version (who, when, how, why); a change of a value already
 *   entered needs a reason; values are never deleted (clearing a cell is a version with no value);
 * - a request is stored whole or not at all, each refused cell named; a retried request (same
 *   idempotency keys) stores nothing twice and returns the first answer;
 * - double entry (the event's setting): scorers type values in twice, blind; agreeing entries are
 *   stored, differing ones wait for the chief judge; the chief and organisers enter once;
 * - once results are released, values change only through an appeal ruling (appeals.service);
 * - the ranking reads objective parts from here only (server/domain/scoring.ts, `objective`);
 *   the current completion time is also written to round_entries, which the ranking reads.
 */

type Need = 'read' | 'write' | 'manage' | 'settle';
export type WriteMode = 'direct' | 'double' | 'none';

const READERS = { staff: ['admin' as const, 'organiser' as const, 'hr_officer' as const, 'viewer' as const], judge: ['chief' as const, 'scorer' as const, 'supervisor' as const] };
const WRITERS = { staff: ['admin' as const, 'organiser' as const], judge: ['chief' as const, 'scorer' as const] };
const MANAGERS = { staff: ['admin' as const, 'organiser' as const], judge: ['chief' as const] };
const SETTLERS = { judge: ['chief' as const] };

export type ObjectiveAccess = EventAccess & {
  scheme: Scheme;
  mode: WriteMode;
  showsNames: boolean;
  canImport: boolean;
  canSettle: boolean;
};

/**
 * Who may do what. Read: organisers, admins, HR officers and viewers in scope; the event's chief
 * judge, scorers and supervisor. Write: organisers and admins in scope, the chief judge and
 * scorers. Import and settings: organisers, admins, the chief judge. Settle: the chief judge.
 * A judge who marks is refused with `objective_entry_not_allowed`: they never enter these values.
 */
export function objectiveAccess(app: FastifyInstance, req: FastifyRequest, eventId: number, need: Need): ObjectiveAccess {
  const a = req.actor;
  const panelRole = judgeRoleIn(a, eventId);
  if (need !== 'read' && (panelRole === 'judge' || panelRole === 'supervisor'))
    throw new AppError(
      403,
      'objective_entry_not_allowed',
      'Theory scores, completion times and other measured values are entered by the chief judge, scorers or organisers, never by the judges who mark',
    );
  const allowed = need === 'read' ? READERS : need === 'write' ? WRITERS : need === 'manage' ? MANAGERS : SETTLERS;
  const access = authorizeEvent(app, req, eventId, allowed);
  const actor = access.actor;
  const organiser = actor.kind === 'staff' && (actor.role === 'admin' || actor.role === 'organiser');
  const chief = panelRole === 'chief';
  const scorer = panelRole === 'scorer';
  const mode: WriteMode = organiser || chief ? 'direct' : scorer ? (access.event.objectiveDoubleEntry ? 'double' : 'direct') : 'none';
  return {
    ...access,
    scheme: parseStoredScheme(JSON.stringify(access.event.scheme)),
    mode,
    showsNames: organiser,
    canImport: organiser || chief,
    canSettle: chief,
  };
}

/** The grid's columns: every objective part, and the completion time where the tie-break uses it. */
export function columnsOf(scheme: Scheme): ObjectiveColumn[] {
  const columns: ObjectiveColumn[] = scheme.parts
    .filter((p) => p.marking === 'objective')
    .map((p) => ({
      field: p.id,
      kind: 'part' as const,
      name: p.name,
      role: p.role,
      max: p.max,
      step: 0.01,
      weight: scheme.totaling === 'weighted' ? p.weight : null,
      required: true,
    }));
  if (scheme.tieBreaks.includes('completion_time'))
    columns.push({ field: COMPLETION_TIME, kind: 'completion_time', name: '完成用时（秒）', role: null, max: COMPLETION_TIME_MAX, step: 0.01, weight: null, required: false });
  return columns;
}

/** What a field accepts: an objective part's range, or a completion time's. Undefined for an unknown field. */
export function fieldRule(scheme: Scheme, field: string): { name: string; max: number; step: number } | undefined {
  if (field === COMPLETION_TIME) return { name: 'completion time', max: COMPLETION_TIME_MAX, step: 0.01 };
  const part = scheme.parts.find((p) => p.id === field && p.marking === 'objective');
  return part ? { name: part.name, max: part.max, step: 0.01 } : undefined;
}

/** The value's problem against a field's rule, or null when it is fine. */
export function valueProblem(rule: { name: string; max: number; step: number }, value: number): { code: string; message: string } | null {
  if (value < 0 || value > rule.max) return { code: 'out_of_range', message: `${rule.name}: between 0 and ${rule.max}, got ${value}` };
  if (!onStep(value, rule.step)) return { code: 'off_step', message: `${rule.name}: in steps of ${rule.step}, got ${value}` };
  return null;
}

/** Contestants not taking part (no value is expected or accepted for them). */
export const notCompeting = (status: string) => status === 'absent' || status === 'disqualified';

type RoundRow = typeof rounds.$inferSelect;

/** The round a request names (it must be the event's), or the one the grid shows: the first open, else the last. */
export function resolveRound(db: Tx, eventId: number, roundId: number | undefined, field = 'body.roundId'): RoundRow {
  const list = db.select().from(rounds).where(eq(rounds.eventId, eventId)).orderBy(asc(rounds.seq)).all();
  if (roundId != null) {
    const r = list.find((x) => x.id === roundId);
    if (!r) throw invalid(field, 'no such round in this event', 'unknown_round');
    return r;
  }
  const r = list.find((x) => x.status === 'open') ?? list.at(-1);
  if (!r) throw notFound('Round');
  return r;
}

type Who = { accountId: number | null; judgeId: number | null };
const whoOf = (actor: Actor): Who => (actor.kind === 'staff' ? { accountId: actor.accountId, judgeId: null } : { accountId: null, judgeId: actor.judgeId });

/**
 * Adds a version of one cell (inside the caller's transaction) and audits it. A completion time
 * is also made the entry's current time in the round, which the ranking's tie-break reads.
 */
export function addObjectiveVersion(
  tx: Tx,
  actor: Actor | 'system',
  orgId: number,
  slot: Slot & { number: number | null },
  value: number | null,
  opts: { source: ObjectiveSource; reason: string | null; at: Date; idempotencyKey?: string | null; detail?: Record<string, unknown> },
): ObjectiveValueRow {
  const before = currentValue(tx, slot);
  const who = actor === 'system' ? { accountId: null, judgeId: null } : whoOf(actor);
  const row = tx
    .insert(objectiveValues)
    .values({
      roundId: slot.roundId,
      entryId: slot.entryId,
      field: slot.field,
      version: (before?.version ?? 0) + 1,
      value,
      source: opts.source,
      reason: opts.reason,
      ...who,
      enteredAt: opts.at,
      idempotencyKey: opts.idempotencyKey ?? null,
    })
    .returning()
    .get();
  if (slot.field === COMPLETION_TIME)
    tx.update(roundEntries)
      .set({ completionSeconds: value })
      .where(and(eq(roundEntries.roundId, slot.roundId), eq(roundEntries.entryId, slot.entryId)))
      .run();
  recordAudit(tx, actor, {
    action: 'objective.set',
    entityType: 'objective_value',
    entityId: row.id,
    orgId,
    before: before ? { version: before.version, value: before.value } : null,
    after: { round: slot.roundId, number: slot.number, field: slot.field, version: row.version, value, source: opts.source, reason: opts.reason, ...opts.detail },
  });
  return row;
}

/** The state of a slot's double entry as the chief judge and organisers see it. */
function doubleState(list: DoubleEntryRow[], settled: boolean): DoubleEntryState {
  if (list.length === 0) return 'not_entered';
  if (list.length === 1) return 'waiting';
  if (sameValue(list[0]!.value, list[1]!.value)) return 'matched';
  return settled ? 'settled' : 'disputed';
}

/** Whether the slot's two entries differ and nobody has settled them. */
function disputeOpen(list: DoubleEntryRow[] | undefined, versions: ObjectiveValueRow[]): boolean {
  if (!list || list.length < 2 || sameValue(list[0]!.value, list[1]!.value)) return false;
  return !versions.some((v) => v.source === 'settlement');
}

/**
 * Builds grid cells for one round from its stored values and double entries: what everyone sees,
 * or, for a scorer entering blind, only their own entry and where the cell stands for them.
 */
class CellBuilder {
  private readonly values: ReturnType<typeof roundValues>;
  private readonly doubles: Map<string, DoubleEntryRow[]>;
  private readonly names: ReturnType<typeof enteredByNames>;
  private readonly versions = new Map<string, ObjectiveValueRow[]>();

  constructor(
    db: Tx,
    private readonly roundId: number,
    private readonly access: Pick<ObjectiveAccess, 'mode' | 'actor' | 'event'>,
  ) {
    this.values = roundValues(db, roundId);
    this.doubles = roundDoubleEntries(db, roundId);
    this.names = enteredByNames(db, access.event.id, [...this.values.current.values()]);
    for (const v of this.values.all) {
      const key = slotKey(v);
      const list = this.versions.get(key);
      if (list) list.push(v);
      else this.versions.set(key, [v]);
    }
  }

  versionsOf(slot: Slot): ObjectiveValueRow[] {
    return this.versions.get(slotKey(slot)) ?? [];
  }

  openDisputes(): number {
    let n = 0;
    for (const [key, list] of this.doubles) if (disputeOpen(list, this.versions.get(key) ?? [])) n++;
    return n;
  }

  cell(entryId: number, field: string, competing: boolean): ObjectiveCell {
    const slot = { roundId: this.roundId, entryId, field };
    const key = slotKey(slot);
    const current = this.values.current.get(key);
    const list = this.doubles.get(key) ?? [];
    const actor = this.access.actor;
    if (this.access.mode === 'double' && actor.kind === 'judge') {
      // Blind: the scorer's own entry, never the other scorer's or the stored value.
      const own = list.find((d) => d.scorerId === actor.judgeId);
      let state: DoubleEntryState;
      // A value entered directly (by the chief judge or an organiser) settles the cell for the scorers too.
      if (current?.value != null && (!own || list.length < 2)) state = 'has_value';
      else if (!own) state = 'not_entered';
      else state = doubleState(list, this.settled(slot));
      return {
        field,
        value: own?.value ?? null,
        version: 0,
        enteredAt: own ? own.enteredAt.toISOString() : null,
        enteredBy: own ? actor.name : null,
        source: null,
        missing: competing && !own && current?.value == null,
        double: { state, entries: own ? list.length : 0 },
      };
    }
    const value = current?.value ?? null;
    const by = current?.accountId != null ? this.names.accounts.get(current.accountId)?.name : current?.judgeId != null ? this.names.judges.get(current.judgeId)?.name : null;
    return {
      field,
      value,
      version: current?.version ?? 0,
      enteredAt: current ? current.enteredAt.toISOString() : null,
      enteredBy: by ?? null,
      source: current?.source ?? null,
      missing: competing && value === null,
      double: list.length > 0 || this.access.event.objectiveDoubleEntry ? { state: doubleState(list, this.settled(slot)), entries: list.length } : null,
    };
  }

  private settled(slot: Slot): boolean {
    return this.versionsOf(slot).some((v) => v.source === 'settlement');
  }
}

/**
 * The per-number grid of a round: each objective part's value and the completion time, what is
 * missing, each row's objective and overall totals (from the live ranking, so they agree).
 */
export function objectiveGrid(app: FastifyInstance, req: FastifyRequest, eventId: number, roundId?: number): ObjectiveGrid {
  const access = objectiveAccess(app, req, eventId, 'read');
  const round = resolveRound(app.db, eventId, roundId, 'querystring.roundId');
  const ranking = app.rankings.staffRanking(eventId, round.id);
  const columns = columnsOf(access.scheme);
  const objectiveParts = new Set(columns.filter((c) => c.kind === 'part').map((c) => c.field));
  const cells = new CellBuilder(app.db, round.id, access);
  const counts = { rows: 0, expected: 0, filled: 0, missing: 0, openDisputes: access.mode === 'double' ? 0 : cells.openDisputes() };
  const rows: ObjectiveGrid['rows'] = [];
  for (const r of ranking.staffRows) {
    if (r.number == null) continue;
    const competing = !notCompeting(r.status);
    // An optional column (the completion time, only a tie-break) is never missing, nor expected.
    const rowCells = columns.map((c) => cells.cell(r.entryId, c.field, competing && c.required));
    const missing = rowCells.filter((c) => c.missing).length;
    counts.rows++;
    if (competing) counts.expected += columns.filter((c) => c.required).length;
    counts.filled += rowCells.filter((c) => c.value !== null).length;
    counts.missing += missing;
    const objectiveTotal = r.partDetails.filter((p) => objectiveParts.has(p.partId)).reduce((s, p) => s + Math.round(p.contribution * 100), 0) / 100;
    // A scorer entering blind sees no totals: they would tell what the other entries add up to.
    const blind = access.mode === 'double';
    rows.push({
      number: r.number,
      status: r.status,
      ...(access.showsNames && r.name ? { name: r.name } : {}),
      cells: rowCells,
      objectiveTotal: blind ? 0 : objectiveTotal,
      total: blind ? 0 : r.total,
      missing,
    });
  }
  rows.sort((a, b) => a.number - b.number);
  return {
    eventId,
    eventName: access.event.name,
    roundId: round.id,
    rounds: ranking.rounds.map((x) => ({ id: x.id, seq: x.seq, name: x.name, status: x.status })),
    released: access.event.releasedAt != null,
    totaling: access.scheme.totaling,
    doubleEntry: access.event.objectiveDoubleEntry,
    mode: access.event.releasedAt != null ? 'none' : access.mode,
    canImport: access.canImport,
    canSettle: access.canSettle,
    showsNames: access.showsNames,
    columns,
    rows,
    counts,
  };
}

type Refusal = { status: number; code: string; field: string; message: string };

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

/**
 * Writes one or many cells, all or nothing. Organisers and the chief judge (and scorers when the
 * event does not ask for double entry) store a new version at once; scorers in double entry add
 * their blind entry. See the module header for the guarantees.
 */
export function writeObjectiveValues(app: FastifyInstance, req: FastifyRequest, eventId: number, input: WriteObjectiveInput): WriteObjectiveResponse {
  const access = objectiveAccess(app, req, eventId, 'write');
  const { actor, competition, scheme, mode } = access;
  const at = app.clock.now();
  const entriesByNumber = new Map(eventEntries(app.db, eventId).filter((e) => e.number != null).map((e) => [e.number!, e]));

  const { round, outcomes, stored } = app.db.transaction(
    (tx) => {
      const round = resolveRound(tx, eventId, input.roundId);
      const released = tx.select({ at: events.releasedAt }).from(events).where(eq(events.id, eventId)).get()?.at != null;
      const members = roundMembers(tx, round.id);
      const values = roundValues(tx, round.id);
      const doubles = roundDoubleEntries(tx, round.id);
      const refusals: Refusal[] = [];
      const outcomes: { key: string; number: number; field: string; entryId: number; outcome: WriteObjectiveResponse['results'][number]['outcome'] }[] = [];
      const seen = new Set<string>();
      let stored = 0;

      input.cells.forEach((c, i) => {
        const refuse = (status: number, code: string, f: string, message: string) => refusals.push({ status, code, field: `body.cells.${i}.${f}`, message });
        const entry = entriesByNumber.get(c.number);

        // A retried request: the same key for the same cell answers as before and stores nothing.
        const prior =
          tx.select().from(objectiveValues).where(eq(objectiveValues.idempotencyKey, c.idempotencyKey)).get() ??
          tx.select().from(objectiveDoubleEntries).where(eq(objectiveDoubleEntries.idempotencyKey, c.idempotencyKey)).get();
        if (prior) {
          const same = entry?.id === prior.entryId && prior.field === c.field && sameValue(prior.value, c.value);
          if (!same) return refuse(409, 'idempotency_key_reused', 'idempotencyKey', 'this idempotency key was already used for a different cell');
          outcomes.push({ key: c.idempotencyKey, number: c.number, field: c.field, entryId: prior.entryId, outcome: 'duplicate' });
          return;
        }
        if (released) return refuse(409, 'results_released', 'number', 'results are released; values change only through an appeal ruling');
        if (round.status !== 'open') return refuse(409, 'marking_closed', 'number', 'this round is locked; the chief judge reopens it to change values');
        const rule = fieldRule(scheme, c.field);
        if (!rule) return refuse(400, 'unknown_field', 'field', `the scheme has no objective part ${c.field}`);
        if (!entry) return refuse(400, 'unknown_number', 'number', `no contestant has number ${c.number}`);
        if (!members.has(entry.id)) return refuse(409, 'entry_not_in_round', 'number', `contestant ${c.number} is not in this round`);
        if (notCompeting(entry.status)) return refuse(409, 'entry_not_competing', 'number', `contestant ${c.number} is ${entry.status}`);
        if (c.value !== null) {
          const problem = valueProblem(rule, c.value);
          if (problem) return refuse(400, problem.code, 'value', problem.message);
        }
        const slot = { roundId: round.id, entryId: entry.id, field: c.field };
        const key = slotKey(slot);
        if (seen.has(key)) return refuse(400, 'duplicate_cell', 'field', `number ${c.number}, ${rule.name} appears twice in the request`);
        seen.add(key);
        const current = values.current.get(key);
        const list = doubles.get(key) ?? [];

        if (mode === 'double' && actor.kind === 'judge') {
          if (c.value === null) return refuse(400, 'value_required', 'value', 'a blind entry needs a value');
          if (current?.value != null)
            return refuse(409, 'already_has_value', 'number', `number ${c.number}, ${rule.name} already has a value; ask the chief judge to change it`);
          if (list.some((d) => d.scorerId === actor.judgeId))
            return refuse(409, 'already_entered', 'number', `you already entered number ${c.number}, ${rule.name}; the second entry comes from another scorer`);
          if (list.length >= 2) return refuse(409, 'entered_twice', 'number', `number ${c.number}, ${rule.name} was already entered twice`);
          const row = tx
            .insert(objectiveDoubleEntries)
            .values({ ...slot, scorerId: actor.judgeId, value: c.value, enteredAt: at, idempotencyKey: c.idempotencyKey })
            .returning()
            .get();
          recordAudit(tx, actor, {
            action: 'objective.double_entry',
            entityType: 'objective_double_entry',
            entityId: row.id,
            orgId: competition.orgId,
            after: { round: round.id, number: c.number, field: c.field, value: c.value },
          });
          const first = list[0];
          let outcome: 'waiting' | 'matched' | 'disputed' = 'waiting';
          if (first && sameValue(first.value, c.value)) {
            addObjectiveVersion(tx, actor, competition.orgId, { ...slot, number: c.number }, c.value, {
              source: 'double_entry',
              reason: null,
              at,
              detail: { entries: [first.id, row.id], scorers: [first.scorerId, actor.judgeId] },
            });
            stored++;
            outcome = 'matched';
          } else if (first) outcome = 'disputed';
          outcomes.push({ key: c.idempotencyKey, number: c.number, field: c.field, entryId: entry.id, outcome });
          return;
        }

        if (disputeOpen(list, values.all.filter((v) => slotKey(v) === key)))
          return refuse(409, 'dispute_open', 'number', `the two entries of number ${c.number}, ${rule.name} differ: settle them first`);
        const previous = current?.value ?? null;
        if (sameValue(previous, c.value)) {
          outcomes.push({ key: c.idempotencyKey, number: c.number, field: c.field, entryId: entry.id, outcome: 'unchanged' });
          return;
        }
        const reason = c.reason ?? input.reason ?? null;
        if (previous !== null && !reason)
          return refuse(400, 'reason_required', 'reason', `number ${c.number}, ${rule.name} already has ${previous}: give a reason for the change`);
        addObjectiveVersion(tx, actor, competition.orgId, { ...slot, number: c.number }, c.value, {
          source: 'grid',
          reason: previous !== null ? reason : (c.reason ?? null),
          at,
          idempotencyKey: c.idempotencyKey,
        });
        stored++;
        outcomes.push({ key: c.idempotencyKey, number: c.number, field: c.field, entryId: entry.id, outcome: 'stored' });
      });
      // Throwing rolls the whole request back.
      throwRefusals(refusals);
      return { round, outcomes, stored };
    },
    { behavior: 'immediate' },
  );
  if (stored > 0) app.rankings.invalidate(eventId);

  const builder = new CellBuilder(app.db, round.id, access);
  const statusOf = new Map([...entriesByNumber.values()].map((e) => [e.id, e.status]));
  return {
    roundId: round.id,
    results: outcomes.map((o) => ({
      idempotencyKey: o.key,
      number: o.number,
      field: o.field,
      outcome: o.outcome,
      cell: builder.cell(o.entryId, o.field, !notCompeting(statusOf.get(o.entryId) ?? 'registered')),
    })),
  };
}

/** Every version of one cell, oldest first, with who entered each; and its blind entries. */
export function objectiveHistory(app: FastifyInstance, req: FastifyRequest, eventId: number, q: { roundId?: number; number: number; field: string }) {
  const access = objectiveAccess(app, req, eventId, 'read');
  const round = resolveRound(app.db, eventId, q.roundId, 'querystring.roundId');
  if (!fieldRule(access.scheme, q.field)) throw invalid('querystring.field', `the scheme has no objective part ${q.field}`, 'unknown_field');
  const entry = eventEntries(app.db, eventId).find((e) => e.number === q.number);
  if (!entry) throw invalid('querystring.number', `no contestant has number ${q.number}`, 'unknown_number');
  const slot = { roundId: round.id, entryId: entry.id, field: q.field };
  const versions = roundValues(app.db, round.id).all.filter((v) => slotKey(v) === slotKey(slot));
  const names = enteredByNames(app.db, eventId, versions);
  let doubles = roundDoubleEntries(app.db, round.id).get(slotKey(slot)) ?? [];
  const actor = access.actor;
  if (actor.kind === 'judge' && judgeRoleIn(actor, eventId) === 'scorer') doubles = doubles.filter((d) => d.scorerId === actor.judgeId);
  const scorerNames = enteredByNames(
    app.db,
    eventId,
    doubles.map((d) => ({ accountId: null, judgeId: d.scorerId })),
  );
  return {
    roundId: round.id,
    number: q.number,
    field: q.field,
    versions: versions.map((v) => {
      const account = v.accountId != null ? names.accounts.get(v.accountId) : undefined;
      const judge = v.judgeId != null ? names.judges.get(v.judgeId) : undefined;
      return {
        version: v.version,
        value: v.value,
        source: v.source,
        reason: v.reason,
        enteredAt: v.enteredAt.toISOString(),
        enteredBy: account
          ? { kind: 'account' as const, id: account.id, name: account.name, role: account.role }
          : judge
            ? { kind: 'judge' as const, id: judge.id, name: judge.name, role: judge.role }
            : { kind: 'system' as const, id: null, name: '', role: null },
      };
    }),
    doubleEntries: doubles.map((d) => ({
      scorerId: d.scorerId,
      scorerName: scorerNames.judges.get(d.scorerId)?.name ?? '',
      value: d.value,
      enteredAt: d.enteredAt.toISOString(),
    })),
  };
}

/** Double entries that disagree (open, settled or both), side by side: for the chief judge and organisers, never scorers. */
export function objectiveDisputes(app: FastifyInstance, req: FastifyRequest, eventId: number, q: { roundId?: number; status: 'open' | 'settled' | 'all' }): ObjectiveDispute[] {
  const access = objectiveAccess(app, req, eventId, 'read');
  if (judgeRoleIn(access.actor, access.event.id) === 'scorer') throw forbidden('Scorers enter blind: they do not see the other scorer’s values');
  const roundList = app.db.select().from(rounds).where(eq(rounds.eventId, eventId)).orderBy(asc(rounds.seq)).all();
  const chosen = q.roundId != null ? roundList.filter((r) => r.id === q.roundId) : roundList;
  if (q.roundId != null && chosen.length === 0) throw invalid('querystring.roundId', 'no such round in this event', 'unknown_round');
  const numberOf = new Map(eventEntries(app.db, eventId).map((e) => [e.id, e.number]));
  const out: ObjectiveDispute[] = [];
  for (const round of chosen) {
    const values = roundValues(app.db, round.id);
    const doubles = roundDoubleEntries(app.db, round.id);
    const allRows = [...doubles.values()].flat();
    const names = enteredByNames(app.db, eventId, [...allRows.map((d) => ({ accountId: null, judgeId: d.scorerId })), ...values.all]);
    for (const [key, list] of doubles) {
      if (list.length < 2 || sameValue(list[0]!.value, list[1]!.value)) continue;
      const settlement = values.all.filter((v) => slotKey(v) === key && v.source === 'settlement').at(-1);
      if (q.status === 'open' && settlement) continue;
      if (q.status === 'settled' && !settlement) continue;
      const rule = fieldRule(access.scheme, list[0]!.field);
      const by = settlement?.judgeId != null ? names.judges.get(settlement.judgeId)?.name : settlement?.accountId != null ? names.accounts.get(settlement.accountId)?.name : '';
      out.push({
        roundId: round.id,
        number: numberOf.get(list[0]!.entryId) ?? 0,
        field: list[0]!.field,
        fieldName: rule?.name ?? list[0]!.field,
        max: rule?.max ?? 0,
        step: rule?.step ?? 0.01,
        entries: list.map((d) => ({ scorerId: d.scorerId, scorerName: names.judges.get(d.scorerId)?.name ?? '', value: d.value, enteredAt: d.enteredAt.toISOString() })),
        settlement: settlement
          ? { value: settlement.value, note: settlement.reason ?? '', settledBy: by ?? '', settledAt: settlement.enteredAt.toISOString() }
          : null,
      });
    }
  }
  return out.sort((a, b) => a.roundId - b.roundId || a.number - b.number || a.field.localeCompare(b.field));
}

/** The chief judge settles two blind entries that differ (after looking at the exam sheet): the value is stored with the note as its reason. */
export function settleObjectiveDispute(
  app: FastifyInstance,
  req: FastifyRequest,
  eventId: number,
  input: { roundId: number; number: number; field: string; value: number; note: string },
): ObjectiveDispute {
  const access = objectiveAccess(app, req, eventId, 'settle');
  const at = app.clock.now();
  app.db.transaction(
    (tx) => {
      if (tx.select({ at: events.releasedAt }).from(events).where(eq(events.id, eventId)).get()?.at != null)
        throw conflict('results_released', 'Results are released; values change only through an appeal ruling');
      const round = resolveRound(tx, eventId, input.roundId);
      const entry = eventEntries(tx, eventId).find((e) => e.number === input.number);
      if (!entry) throw invalid('body.number', `no contestant has number ${input.number}`, 'unknown_number');
      const rule = fieldRule(access.scheme, input.field);
      if (!rule) throw invalid('body.field', `the scheme has no objective part ${input.field}`, 'unknown_field');
      const slot = { roundId: round.id, entryId: entry.id, field: input.field };
      const list = roundDoubleEntries(tx, round.id).get(slotKey(slot)) ?? [];
      const [a, b] = list;
      if (!a || !b || sameValue(a.value, b.value))
        throw new AppError(404, 'no_disagreement', 'These entries do not disagree: there is nothing to settle', [{ field: 'body.field', message: 'no disagreement for this cell' }]);
      if (roundValues(tx, round.id).all.some((v) => slotKey(v) === slotKey(slot) && v.source === 'settlement'))
        throw conflict('already_settled', 'This disagreement was already settled');
      const problem = valueProblem(rule, input.value);
      if (problem) throw invalid('body.value', problem.message, problem.code);
      if (round.status !== 'open')
        throw new AppError(409, 'marking_closed', 'This round is locked: reopen it to settle', [{ field: 'body.roundId', message: 'the round is locked' }]);
      addObjectiveVersion(tx, access.actor, access.competition.orgId, { ...slot, number: input.number }, input.value, {
        source: 'settlement',
        reason: input.note,
        at,
        detail: { entries: list.map((d) => ({ id: d.id, scorerId: d.scorerId, value: d.value })) },
      });
    },
    { behavior: 'immediate' },
  );
  app.rankings.invalidate(eventId);
  return objectiveDisputes(app, req, eventId, { roundId: input.roundId, status: 'settled' }).find((d) => d.number === input.number && d.field === input.field)!;
}

/** Turns double entry for scorers on or off (the chief judge or organisers). */
export function setObjectiveSettings(app: FastifyInstance, req: FastifyRequest, eventId: number, input: { doubleEntry: boolean }) {
  const access = objectiveAccess(app, req, eventId, 'manage');
  app.db.transaction(
    (tx) => {
      tx.update(events).set({ objectiveDoubleEntry: input.doubleEntry }).where(eq(events.id, eventId)).run();
      recordAudit(tx, access.actor, {
        action: 'event.objective_settings',
        entityType: 'event',
        entityId: eventId,
        orgId: access.competition.orgId,
        before: { doubleEntry: access.event.objectiveDoubleEntry },
        after: { doubleEntry: input.doubleEntry },
      });
    },
    { behavior: 'immediate' },
  );
  return { eventId, doubleEntry: input.doubleEntry };
}

/**
 * An upheld appeal's changes to objective values (the only way they change after release), inside
 * the ruling's transaction. Each becomes a new version citing the appeal. Returns how many changed.
 */
export function applyAppealObjectiveValues(
  tx: Tx,
  actor: Actor,
  ctx: { eventId: number; orgId: number; scheme: Scheme },
  corrections: { roundId?: number; number: number; field: string; value: number | null }[],
  reason: string,
  at: Date,
): number {
  if (corrections.length === 0) return 0;
  const byNumber = new Map(eventEntries(tx, ctx.eventId).map((e) => [e.number, e]));
  let changed = 0;
  corrections.forEach((c, i) => {
    const f = (name: string) => `body.objectiveCorrections.${i}.${name}`;
    const round = resolveRound(tx, ctx.eventId, c.roundId, f('roundId'));
    const rule = fieldRule(ctx.scheme, c.field);
    if (!rule) throw invalid(f('field'), `the scheme has no objective part ${c.field}`, 'unknown_field');
    const entry = byNumber.get(c.number);
    if (!entry) throw invalid(f('number'), `no contestant has number ${c.number}`, 'unknown_number');
    if (!roundMembers(tx, round.id).has(entry.id)) throw invalid(f('number'), `contestant ${c.number} is not in this round`, 'entry_not_in_round');
    if (c.value !== null) {
      const problem = valueProblem(rule, c.value);
      if (problem) throw invalid(f('value'), problem.message, problem.code);
    }
    const slot = { roundId: round.id, entryId: entry.id, field: c.field };
    if (sameValue(currentValue(tx, slot)?.value ?? null, c.value)) return;
    addObjectiveVersion(tx, actor, ctx.orgId, { ...slot, number: c.number }, c.value, { source: 'appeal', reason, at });
    changed++;
  });
  return changed;
}
