import { eq, inArray } from 'drizzle-orm';
import { entries, organisations, people } from '../../../db/schema.ts';
import type { BulkEntriesInput, BulkEntriesResult } from '../../contracts/entries.ts';
import { parseResidentId, type ResidentIdInfo } from '../../domain/resident-id.ts';
import { AppError, invalid } from '../../errors.ts';
import type { StaffActor } from '../../plugins/auth.plugin.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { getEventInScope, type RankingDeps } from '../events/events.service.ts';
import { insertEntry, usableForEvent } from './entries.service.ts';

type FieldError = { field: string; message: string };

/** A row once checked: an existing person, or one to create (by ID number) if nobody has it yet. */
type ResolvedRow =
  | { index: number; personId: number; delegationId: number | null }
  | {
      index: number;
      newPerson: ResidentIdInfo & NonNullable<BulkEntriesInput['entries'][number]['person']>;
      delegationId: number | null;
    };

/**
 * Registers many entrants at once, typically from the organiser's spreadsheet. Every row is
 * checked before anything is written, and one bad row stores nothing, so a corrected sheet can
 * simply be sent again; rows whose person is already entered come back as `existing`, which is
 * what makes a retry safe. People are matched by ID number and created (kept by the competition's
 * organisation) when unknown. Matching ignores who keeps the existing record: an ID number belongs
 * to one human, and the row must also give the same name, so the caller already knows who it is.
 */
export function registerEntriesInBulk(deps: RankingDeps, actor: StaffActor, eventId: number, input: BulkEntriesInput): BulkEntriesResult {
  const { db } = deps;
  const ctx = getEventInScope(db, actor, eventId);
  const rows = input.entries;
  // A row is one person: a team event's entrants are teams and pairs, entered with their members.
  if (ctx.event.mode === 'team')
    throw invalid('body.entries', 'a team event registers teams and pairs with their members (POST /events/{id}/entries with members), not one person per row');

  // Everything the rows refer to, fetched in a few queries (2,000 rows stay well under
  // SQLite's limit of 32,766 bound parameters).
  const parsed = rows.map((r) => (r.person ? parseResidentId(r.person.idNumber) : null));
  const idNumbers = parsed.flatMap((p) => (p?.ok ? [p.value.idNumber] : []));
  const personIds = rows.flatMap((r) => (r.personId !== undefined ? [r.personId] : []));
  const orgIds = rows.flatMap((r) => [r.delegationId, r.person?.employerId].filter((x): x is number => x != null));

  const personById = new Map(
    (personIds.length
      ? db
          .select({ id: people.id, path: organisations.path })
          .from(people)
          .innerJoin(organisations, eq(organisations.id, people.orgId))
          .where(inArray(people.id, personIds))
          .all()
      : []
    ).map((p) => [p.id, p]),
  );
  const personByIdNumber = new Map(
    (idNumbers.length
      ? db.select({ id: people.id, name: people.name, idNumber: people.idNumber }).from(people).where(inArray(people.idNumber, idNumbers)).all()
      : []
    ).map((p) => [p.idNumber, p]),
  );
  const orgById = new Map(
    (orgIds.length ? db.select({ id: organisations.id, path: organisations.path }).from(organisations).where(inArray(organisations.id, orgIds)).all() : []).map(
      (o) => [o.id, o],
    ),
  );

  const errors: FieldError[] = [];
  const resolved: ResolvedRow[] = [];
  // Names given earlier in this same request, so two rows with one ID number must agree too.
  const namesInRequest = new Map<string, string>();
  rows.forEach((row, i) => {
    const at = `body.entries.${i}`;
    const rowErrors: FieldError[] = [];
    const delegationId = row.delegationId ?? null;
    if (delegationId !== null) {
      const org = orgById.get(delegationId);
      if (!org || !usableForEvent(actor, ctx, org.path)) rowErrors.push({ field: `${at}.delegationId`, message: 'no such organisation in your scope' });
    }
    if (row.personId !== undefined) {
      const person = personById.get(row.personId);
      if (!person || !usableForEvent(actor, ctx, person.path)) rowErrors.push({ field: `${at}.personId`, message: 'no such person in your scope' });
      if (!rowErrors.length) resolved.push({ index: i, personId: row.personId, delegationId });
    } else if (row.person) {
      const id = parsed[i]!;
      if (!id.ok) {
        rowErrors.push({ field: `${at}.person.idNumber`, message: id.message });
      } else {
        // A different name under a known ID number is a typo in one of them; guessing would
        // enter the wrong person. The stored name is not echoed back (it may be out of scope).
        const knownName = personByIdNumber.get(id.value.idNumber)?.name ?? namesInRequest.get(id.value.idNumber);
        if (knownName !== undefined && knownName !== row.person.name)
          rowErrors.push({ field: `${at}.person.name`, message: 'this ID number is already registered under a different name' });
        namesInRequest.set(id.value.idNumber, knownName ?? row.person.name);
      }
      const employerId = row.person.employerId;
      // The entrant's record then shows the employer by name: one outside the reach of the caller and
      // the competition is refused like one that does not exist (as for a delegation, or an entry's change).
      const employer = employerId != null ? orgById.get(employerId) : undefined;
      if (employerId != null && (!employer || !usableForEvent(actor, ctx, employer.path)))
        rowErrors.push({ field: `${at}.person.employerId`, message: 'no such organisation in your scope' });
      if (employerId != null && row.person.employerName != null)
        rowErrors.push({ field: `${at}.person.employerName`, message: 'give the employer as an organisation or as text, not both' });
      if (!rowErrors.length && id.ok) {
        const known = personByIdNumber.get(id.value.idNumber);
        resolved.push(known ? { index: i, personId: known.id, delegationId } : { index: i, newPerson: { ...row.person, ...id.value }, delegationId });
      }
    }
    errors.push(...rowErrors);
  });
  if (errors.length) {
    const badRows = new Set(errors.map((e) => e.field.split('.')[2])).size;
    throw new AppError(400, 'validation_failed', `${badRows} of ${rows.length} rows are invalid; nothing was registered`, errors);
  }

  const result = db.transaction(
    (tx) => {
      const entryByPerson = new Map(
        tx
          .select({ id: entries.id, personId: entries.personId })
          .from(entries)
          .where(eq(entries.eventId, eventId))
          .all()
          .map((e) => [e.personId, e.id]),
      );
      const createdPeople = new Map<string, number>();
      const out: BulkEntriesResult['rows'] = [];
      const created: { entryId: number; personId: number }[] = [];
      for (const row of resolved) {
        let personId: number;
        if ('personId' in row) {
          personId = row.personId;
        } else {
          const p = row.newPerson;
          personId =
            createdPeople.get(p.idNumber) ??
            tx
              .insert(people)
              .values({
                orgId: ctx.competition.orgId,
                employerId: p.employerId ?? null,
                employerName: p.employerId != null ? null : (p.employerName ?? null),
                name: p.name,
                idNumber: p.idNumber,
                gender: p.gender,
                birthDate: p.birthDate,
                phone: p.phone ?? null,
                occupationCode: p.occupationCode ?? null,
                occupationName: p.occupationName ?? null,
                skillLevel: p.skillLevel ?? null,
              })
              .returning({ id: people.id })
              .get().id;
          createdPeople.set(p.idNumber, personId);
        }
        const existing = entryByPerson.get(personId);
        if (existing !== undefined) {
          out.push({ index: row.index, entryId: existing, personId, outcome: 'existing' });
          continue;
        }
        const entry = insertEntry(tx, ctx, { personId, delegationId: row.delegationId });
        entryByPerson.set(personId, entry.id);
        created.push({ entryId: entry.id, personId });
        out.push({ index: row.index, entryId: entry.id, personId, outcome: 'created' });
      }
      // One audit row for the whole sheet: it is one decision by one person, and 2,000 rows of
      // audit for it would bury everything else.
      recordAudit(tx, actor, {
        action: 'entry.bulk_create',
        entityType: 'event',
        entityId: eventId,
        orgId: ctx.competition.orgId,
        after: {
          created,
          existing: out.filter((r) => r.outcome === 'existing').map((r) => r.entryId),
          peopleCreated: [...createdPeople.values()],
        },
      });
      return { created: created.length, existing: out.length - created.length, peopleCreated: createdPeople.size, rows: out };
    },
    { behavior: 'immediate' },
  );
  if (result.created > 0) deps.rankings.invalidate(eventId);
  return result;
}
