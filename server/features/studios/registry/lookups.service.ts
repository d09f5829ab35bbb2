import { and, asc, eq, inArray, like, or, type SQL } from 'drizzle-orm';
import type { Db } from '../../../../db/client.ts';
import { accounts, organisations, people } from '../../../../db/schema.ts';
import type { StaffActor } from '../../../plugins/auth.plugin.ts';
import { organisationForField, orgNames, studioScope } from '../scope.ts';

/**
 * Choices for the studio forms inside the caller's studio scope: host employers, people
 * (leaders, members, five-smalls submitters) and staff accounts (reviewers). The general lists
 * follow the caller's own subtree, which for an HR bureau holds no employers.
 */

export function lookupHosts(db: Db, actor: StaffActor) {
  const scope = studioScope(db, actor);
  const rows = db
    .select()
    .from(organisations)
    .where(and(like(organisations.path, `${scope.path}%`), inArray(organisations.kind, ['employer', 'department'])))
    .orderBy(asc(organisations.path))
    .all();
  const parents = orgNames(db, rows.flatMap((r) => (r.parentId === null ? [] : [r.parentId])));
  return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind as 'employer' | 'department', area: r.parentId === null ? null : (parents.get(r.parentId)?.name ?? null) }));
}

export function lookupPeople(db: Db, actor: StaffActor, q: { employerId?: number; q?: string }) {
  const scope = studioScope(db, actor);
  const where: SQL[] = [like(organisations.path, `${scope.path}%`)];
  if (q.employerId) {
    organisationForField(db, scope, q.employerId, 'querystring.employerId');
    where.push(eq(people.employerId, q.employerId));
  }
  if (q.q) where.push(like(people.name, `%${q.q}%`));
  const rows = db
    .select({ p: people })
    .from(people)
    .innerJoin(organisations, eq(organisations.id, people.orgId))
    .where(and(...where))
    .orderBy(asc(people.name), asc(people.id))
    .limit(500)
    .all();
  const employers = orgNames(db, rows.flatMap((r) => (r.p.employerId === null ? [] : [r.p.employerId])));
  return rows.map(({ p }) => ({
    id: p.id,
    name: p.name,
    skillLevel: p.skillLevel,
    occupationName: p.occupationName,
    employer: p.employerId === null ? null : { id: p.employerId, name: employers.get(p.employerId)?.name ?? '' },
  }));
}

export function lookupAccounts(db: Db, actor: StaffActor, q: { q?: string }) {
  const scope = studioScope(db, actor);
  const where: SQL[] = [like(organisations.path, `${scope.path}%`), eq(accounts.active, true)];
  if (q.q) where.push(or(like(accounts.displayName, `%${q.q}%`), like(accounts.username, `%${q.q}%`))!);
  return db
    .select({ id: accounts.id, username: accounts.username, displayName: accounts.displayName, role: accounts.role, orgId: organisations.id, orgName: organisations.name, orgKind: organisations.kind })
    .from(accounts)
    .innerJoin(organisations, eq(organisations.id, accounts.orgId))
    .where(and(...where))
    .orderBy(asc(accounts.username))
    .limit(500)
    .all()
    .map((a) => ({ id: a.id, username: a.username, displayName: a.displayName, role: a.role, org: { id: a.orgId, name: a.orgName, kind: a.orgKind } }));
}
