import { and, count, eq, like, ne, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../../db/client.ts';
import { organisations, people } from '../../../db/schema.ts';
import type { CreatePersonInput, ListPeopleQuery, Person, UpdatePersonInput } from '../../contracts/people.ts';
import { maskResidentId, parseResidentId, type ResidentIdInfo } from '../../domain/resident-id.ts';
import { AppError, forbidden, invalid, notFound } from '../../errors.ts';
import { assertInScope, inScope, type StaffActor, type StaffRole } from '../../plugins/auth.plugin.ts';
import { organisationForField } from '../organisations/organisations.service.ts';
import { recordsUsing, usesText } from '../record-uses.ts';
import { recordAudit, type Tx } from '../audit/audit.service.ts';
import { peopleInScope, personInScope } from '../scope.ts';

type PersonRow = typeof people.$inferSelect;

/** Roles that register and edit people, and therefore need to see full ID numbers. */
export const PEOPLE_EDITORS = ['admin', 'organiser', 'hr_officer'] as const satisfies StaffRole[];

function seesFullIdNumber(role: StaffRole): boolean {
  return (PEOPLE_EDITORS as readonly StaffRole[]).includes(role);
}

/** The employer's name as shown: the organisation's when there is one, else the name as written. */
export function employerNameOf(db: Tx, row: Pick<PersonRow, 'employerId' | 'employerName'>): string | null {
  if (row.employerId == null) return row.employerName;
  return db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, row.employerId)).get()?.name ?? null;
}

/**
 * The employer fields to store: an organisation or a name as written, never both (a PATCH that
 * sets one clears the other). 400 naming `body.employerName` when both are given.
 */
export function employerFields(input: { employerId?: number | null; employerName?: string | null }, field = 'body.employerName') {
  if (input.employerId != null && input.employerName != null) throw invalid(field, 'give the employer as an organisation or as text, not both');
  if (input.employerId != null) return { employerId: input.employerId, employerName: null };
  if (input.employerName != null) return { employerId: null, employerName: input.employerName };
  return { employerId: input.employerId, employerName: input.employerName };
}

/** The wire form of a person; read-only roles get the masked ID number (`340123********1234`). */
export function presentPerson(db: Tx, row: PersonRow, actor: StaffActor, employerName = employerNameOf(db, row)): Person {
  return {
    id: row.id,
    orgId: row.orgId,
    employerId: row.employerId,
    employerName,
    name: row.name,
    idNumber: seesFullIdNumber(actor.role) ? row.idNumber : maskResidentId(row.idNumber),
    gender: row.gender,
    // The masked number hides the birth date: giving it here would hand the hidden digits back.
    birthDate: seesFullIdNumber(actor.role) ? row.birthDate : null,
    birthYear: Number(row.birthDate.slice(0, 4)),
    phone: row.phone,
    occupationCode: row.occupationCode,
    occupationName: row.occupationName,
    skillLevel: row.skillLevel,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Validates an ID number from the body; the problem code carries the reason for the UI to translate. */
function parseIdNumberField(raw: string): ResidentIdInfo {
  const parsed = parseResidentId(raw);
  if (!parsed.ok) throw invalid('body.idNumber', parsed.message, `id_number_${parsed.reason}`);
  return parsed.value;
}

/**
 * 409 when someone else already has this ID number. This is the one deliberate exception to
 * answering "held elsewhere" like "held by nobody": one resident ID number is one person, so a
 * second registration cannot be created and the caller must be told why. What is still hidden:
 * the holder's id (and with it their name and record) unless the caller may read them; in scope,
 * the detail gives the id so the UI can link to the existing record.
 */
function assertIdNumberFree(tx: Tx, actor: StaffActor, idNumber: string, exceptId?: number): void {
  const cond = exceptId === undefined ? eq(people.idNumber, idNumber) : and(eq(people.idNumber, idNumber), ne(people.id, exceptId));
  const existing = tx.select({ id: people.id, orgPath: organisations.path }).from(people).innerJoin(organisations, eq(organisations.id, people.orgId)).where(cond).get();
  if (existing) {
    const readable = inScope(actor, existing.orgPath) || personInScope(tx, actor, existing.id);
    const message = readable ? `A person with this ID number is already registered (person ${existing.id})` : 'A person with this ID number is already registered';
    throw new AppError(409, 'person_exists', message, [{ field: 'body.idNumber', message }]);
  }
}

function findPerson(db: Db, where: SQL): { person: PersonRow; orgPath: string } | undefined {
  return db
    .select({ person: people, orgPath: organisations.path })
    .from(people)
    .innerJoin(organisations, eq(organisations.id, people.orgId))
    .where(where)
    .get();
}

/**
 * The person, or 404; and 403 when the caller may not read them: kept outside their subtree, not
 * in a competition their body co-organises and, for an HR bureau, not of its region
 * (server/features/scope.ts). Changing a person's record needs the keeping subtree
 * (`getPersonForChange`).
 */
export function getPersonInScope(db: Db, actor: StaffActor, id: number): PersonRow {
  const found = findPerson(db, eq(people.id, id));
  if (!found) throw notFound('Person');
  if (!inScope(actor, found.orgPath) && !personInScope(db, actor, id)) throw forbidden('This record belongs to an organisation outside your scope');
  return found.person;
}

/** The person, or 404; and 403 unless kept in the caller's subtree (who registered them keeps them). */
export function getPersonForChange(db: Db, actor: StaffActor, id: number): PersonRow {
  const found = findPerson(db, eq(people.id, id));
  if (!found) throw notFound('Person');
  assertInScope(actor, found.orgPath);
  return found.person;
}

/**
 * Looks a person up by resident ID number (already normalised to upper case), in scope. Someone
 * the caller may not read is answered 404 like a number nobody holds: a 403 would confirm that
 * the number belongs to a registered worker somewhere else.
 */
export function getPersonByIdNumber(db: Db, actor: StaffActor, idNumber: string): PersonRow {
  const found = findPerson(db, eq(people.idNumber, idNumber));
  if (!found || (!inScope(actor, found.orgPath) && !personInScope(db, actor, found.person.id))) throw notFound('Person');
  return found.person;
}

/** People the caller may read (their subtree's, their co-organised competitions', an HR bureau's region's), filtered and paged. */
export function listPeople(db: Db, actor: StaffActor, q: ListPeopleQuery) {
  const where: SQL[] = [peopleInScope(db, actor)];
  if (q.q) where.push(like(people.name, `%${q.q}%`));
  if (q.employerId) where.push(eq(people.employerId, q.employerId));
  if (q.occupationCode) where.push(eq(people.occupationCode, q.occupationCode));
  if (q.skillLevel) where.push(eq(people.skillLevel, q.skillLevel));
  if (q.orgId) where.push(eq(people.orgId, q.orgId));
  const cond = and(...where);
  const employer = alias(organisations, 'employer');
  const rows = db
    .select({ person: people, employerOrgName: employer.name })
    .from(people)
    .innerJoin(organisations, eq(organisations.id, people.orgId))
    .leftJoin(employer, eq(employer.id, people.employerId))
    .where(cond)
    .orderBy(people.id)
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .all();
  const total =
    db.select({ n: count() }).from(people).innerJoin(organisations, eq(organisations.id, people.orgId)).where(cond).get()?.n ?? 0;
  return {
    items: rows.map((r) => presentPerson(db, r.person, actor, r.employerOrgName ?? r.person.employerName)),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** Registers a worker; gender and birth date come from the ID number. */
export function createPerson(db: Db, actor: StaffActor, input: CreatePersonInput): Person {
  const id = parseIdNumberField(input.idNumber);
  const orgId = input.orgId ?? actor.orgId;
  organisationForField(db, actor, orgId, 'body.orgId');
  if (input.employerId != null) organisationForField(db, actor, input.employerId, 'body.employerId');
  const employer = employerFields(input);
  return db.transaction((tx) => {
    assertIdNumberFree(tx, actor, id.idNumber);
    const row = tx
      .insert(people)
      .values({
        orgId,
        employerId: employer.employerId ?? null,
        employerName: employer.employerName ?? null,
        name: input.name,
        idNumber: id.idNumber,
        gender: id.gender,
        birthDate: id.birthDate,
        phone: input.phone ?? null,
        occupationCode: input.occupationCode ?? null,
        occupationName: input.occupationName ?? null,
        skillLevel: input.skillLevel ?? null,
      })
      .returning()
      .get();
    recordAudit(tx, actor, { action: 'person.create', entityType: 'person', entityId: row.id, orgId: row.orgId, after: row });
    return presentPerson(tx, row, actor);
  });
}

/** Changes a person; a new ID number re-derives gender and birth date. */
export function updatePerson(db: Db, actor: StaffActor, personId: number, patch: UpdatePersonInput): Person {
  const before = getPersonForChange(db, actor, personId);
  const id = patch.idNumber === undefined ? undefined : parseIdNumberField(patch.idNumber);
  if (patch.orgId !== undefined) organisationForField(db, actor, patch.orgId, 'body.orgId');
  if (patch.employerId != null) organisationForField(db, actor, patch.employerId, 'body.employerId');
  const employer = employerFields(patch);
  // Drizzle leaves undefined keys out of the update; null clears a field.
  const changes = {
    name: patch.name,
    phone: patch.phone,
    employerId: employer.employerId,
    employerName: employer.employerName,
    orgId: patch.orgId,
    occupationCode: patch.occupationCode,
    occupationName: patch.occupationName,
    skillLevel: patch.skillLevel,
    ...(id && { idNumber: id.idNumber, gender: id.gender, birthDate: id.birthDate }),
  };
  if (Object.values(changes).every((v) => v === undefined)) return presentPerson(db, before, actor);

  return db.transaction((tx) => {
    if (id) assertIdNumberFree(tx, actor, id.idNumber, personId);
    const row = tx.update(people).set(changes).where(eq(people.id, personId)).returning().get();
    recordAudit(tx, actor, { action: 'person.update', entityType: 'person', entityId: personId, orgId: row.orgId, before, after: row });
    return presentPerson(tx, row, actor);
  });
}

/** Deletes a person nothing refers to (entries, certified levels, titles…): those keep results that must stay traceable. */
export function deletePerson(db: Db, actor: StaffActor, personId: number): void {
  const before = getPersonForChange(db, actor, personId);
  db.transaction((tx) => {
    // Entries, certified levels, titles, studio roles…: whatever points at the person keeps them.
    const uses = recordsUsing(db, 'people', personId);
    if (Object.keys(uses).length > 0) throw new AppError(409, 'person_in_use', `The person is still referred to: ${usesText(uses)}`, undefined, uses);
    tx.delete(people).where(eq(people.id, personId)).run();
    recordAudit(tx, actor, { action: 'person.delete', entityType: 'person', entityId: personId, orgId: before.orgId, before });
  });
}
