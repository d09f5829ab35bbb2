import { and, eq, like, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { competitionCoOrganisers, competitionOfficers, organisations, people } from '../../db/schema.ts';
import { regionPrefix } from '../domain/regions.ts';
import { forbidden } from '../errors.ts';
import { inScope, type Actor, type StaffActor } from '../plugins/auth.plugin.ts';
import type { Tx } from './audit/audit.service.ts';

/**
 * Who may see and act on what, beyond one subtree of the union tree.
 *
 * Unions form a tree and their staff act on records kept in their subtree. HR bureaus are a
 * separate government line (人社部 > 人社厅 > 人社局), peers of the union at each level, not part
 * of the union tree. So scope follows three things:
 * - the subtree of the caller's organisation (a union's, or an HR bureau's own line);
 * - co-organisation (联合主办): a competition is in scope for the staff of every body that
 *   co-organises it (or a body above one in its own line), each acting in their own role: the
 *   county HR bureau's officer reads the county union's B-level competition, its entrants and
 *   results, signs its proposals; an HR officer cannot edit it, since editing needs an organiser;
 * - region (行政区划代码): an HR bureau keeps certified levels for the workers of its region,
 *   whoever registered them, so its staff reach people kept by any organisation whose region
 *   code its own covers (server/domain/regions.ts).
 */

type OrgRow = typeof organisations.$inferSelect;

/** The caller's organisation (kind, level, region). */
export function actorOrganisation(db: Db | Tx, actor: StaffActor): OrgRow {
  return db.select().from(organisations).where(eq(organisations.id, actor.orgId)).get()!;
}

/** The region prefix the caller reaches people by: an HR bureau's region; null for everyone else. */
export function hrRegionPrefix(db: Db | Tx, actor: StaffActor): string | null {
  const org = actorOrganisation(db, actor);
  return org.kind === 'hr_bureau' ? regionPrefix(org.regionCode, org.level) : null;
}

/** Paths of the bodies co-organising a competition. */
export function coOrganiserPaths(db: Db | Tx, competitionId: number): string[] {
  return db
    .select({ path: organisations.path })
    .from(competitionCoOrganisers)
    .innerJoin(organisations, eq(organisations.id, competitionCoOrganisers.orgId))
    .where(eq(competitionCoOrganisers.competitionId, competitionId))
    .all()
    .map((r) => r.path);
}

/**
 * Whether a competition is in the caller's scope: its owner is in their subtree, their body
 * co-organises it, or they hold a duty for it (the encryption officer may sit in another body).
 */
export function competitionInScope(db: Db | Tx, actor: StaffActor, competitionId: number, ownerPath: string): boolean {
  if (inScope(actor, ownerPath)) return true;
  if (coOrganiserPaths(db, competitionId).some((p) => inScope(actor, p))) return true;
  return holdsDuty(db, actor.accountId, competitionId, 'encryption_officer');
}

export function assertCompetitionInScope(db: Db | Tx, actor: StaffActor, competitionId: number, ownerPath: string): void {
  if (!competitionInScope(db, actor, competitionId, ownerPath)) throw forbidden('This competition belongs to an organisation outside your scope');
}

/** SQL over `competitions` joined with its owner as `organisations`: the competitions in the caller's scope. */
export function competitionsInScope(actor: StaffActor, competitionId: SQL | AnyColumn, ownerPath: SQL | AnyColumn): SQL {
  return or(
    like(ownerPath, `${actor.orgPath}%`),
    coOrganisedBy(actor, competitionId),
    sql`${competitionId} in (select co.competition_id from competition_officers co where co.account_id = ${actor.accountId})`,
  )!;
}

/**
 * SQL: the competition id `column` is one co-organised by the caller's organisation or a body
 * under it (a prepared sub-select, so list queries stay one statement).
 */
export function coOrganisedBy(actor: StaffActor, column: SQL | AnyColumn): SQL {
  return sql`${column} in (select cco.competition_id from competition_co_organisers cco
    join organisations coo on coo.id = cco.org_id where coo.path like ${`${actor.orgPath}%`})`;
}

/**
 * SQL over `people` joined with its keeping organisation as `organisations`: the people the
 * caller may read. Their subtree's; for an HR bureau also its region's; and everyone entered in
 * a competition their body co-organises.
 */
export function peopleInScope(db: Db | Tx, actor: StaffActor): SQL {
  const region = hrRegionPrefix(db, actor);
  const entered = sql`${people.id} in (select en.person_id from entries en join events ev on ev.id = en.event_id
    where ${coOrganisedBy(actor, sql`ev.competition_id`)})`;
  return or(like(organisations.path, `${actor.orgPath}%`), ...(region !== null ? [like(organisations.regionCode, `${region}%`)] : []), entered)!;
}

/** Whether the caller may read this person (see `peopleInScope`). */
export function personInScope(db: Db | Tx, actor: StaffActor, personId: number): boolean {
  return !!db
    .select({ id: people.id })
    .from(people)
    .innerJoin(organisations, eq(organisations.id, people.orgId))
    .where(and(eq(people.id, personId), peopleInScope(db, actor)))
    .get();
}

/** Whether the staff member holds `duty` for the competition. */
export function holdsDuty(db: Db | Tx, accountId: number, competitionId: number, duty: 'encryption_officer'): boolean {
  return !!db
    .select({ id: competitionOfficers.accountId })
    .from(competitionOfficers)
    .where(and(eq(competitionOfficers.competitionId, competitionId), eq(competitionOfficers.accountId, accountId), eq(competitionOfficers.duty, duty)))
    .get();
}

/** Roles that hold the number ↔ person mapping of every competition in their scope (the organising committee). */
const MAPPING_ROLES: readonly StaffActor['role'][] = ['admin', 'organiser'];

/**
 * Whether the caller may see who is behind a drawn number of this competition before its results
 * are released: organisers and administrators (in scope; the caller has checked that) and the
 * competition's encryption officer (加密裁判). Judges, chief judges, scorers, supervisors, HR
 * officers and viewers work by numbers until release.
 */
export function seesIdentities(db: Db | Tx, actor: Actor | null, competitionId: number): boolean {
  if (!actor || actor.kind !== 'staff') return false;
  return MAPPING_ROLES.includes(actor.role) || holdsDuty(db, actor.accountId, competitionId, 'encryption_officer');
}

/** Competition ids where the staff member is an encryption officer. */
export function dutyCompetitionIds(db: Db | Tx, accountId: number): number[] {
  return db
    .select({ id: competitionOfficers.competitionId })
    .from(competitionOfficers)
    .where(eq(competitionOfficers.accountId, accountId))
    .all()
    .map((r) => r.id);
}

