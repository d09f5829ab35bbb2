import { and, count, eq, like, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { organisations } from '../../../db/schema.ts';
import type { Organisation } from '../../contracts/organisations.ts';
import { AppError, conflict, invalid, notFound } from '../../errors.ts';
import { assertInScope, type StaffActor } from '../../plugins/auth.plugin.ts';
import { recordsUsing, usesText } from '../record-uses.ts';
import { recordAudit } from '../audit/audit.service.ts';

type OrgRow = typeof organisations.$inferSelect;

export function presentOrganisation(row: OrgRow): Organisation {
  return {
    id: row.id,
    parentId: row.parentId,
    name: row.name,
    kind: row.kind,
    level: row.level,
    regionCode: row.regionCode,
    path: row.path,
  };
}

/** The organisation, or 404; and 403 when it is outside the caller's subtree. */
export function getOrganisationInScope(db: Db, actor: StaffActor, id: number): OrgRow {
  const row = db.select().from(organisations).where(eq(organisations.id, id)).get();
  if (!row) throw notFound('Organisation');
  assertInScope(actor, row.path);
  return row;
}

/**
 * An organisation that a request body names in `field` (e.g. `body.orgId`): 400 naming the field
 * when it does not exist (the client sent a bad reference, not a bad URL), 403 outside the
 * caller's subtree.
 */
export function organisationForField(db: Db, actor: StaffActor, id: number, field: string): OrgRow {
  const row = db.select().from(organisations).where(eq(organisations.id, id)).get();
  if (!row) throw invalid(field, `there is no organisation ${id}`);
  assertInScope(actor, row.path);
  return row;
}

export function listOrganisations(
  db: Db,
  actor: StaffActor,
  q: { parentId?: number; kind?: OrgRow['kind']; q?: string; page: number; pageSize: number },
) {
  const where: SQL[] = [like(organisations.path, `${actor.orgPath}%`)];
  if (q.parentId) where.push(eq(organisations.parentId, q.parentId));
  if (q.kind) where.push(eq(organisations.kind, q.kind));
  if (q.q) where.push(like(organisations.name, `%${q.q}%`));
  const cond = and(...where);
  const rows = db
    .select()
    .from(organisations)
    .where(cond)
    .orderBy(organisations.path)
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .all();
  const total = db.select({ n: count() }).from(organisations).where(cond).get()?.n ?? 0;
  return { items: rows.map(presentOrganisation), total, page: q.page, pageSize: q.pageSize };
}

export function createOrganisation(
  db: Db,
  actor: StaffActor,
  input: { parentId: number; name: string; kind: OrgRow['kind']; level: OrgRow['level']; regionCode: string },
): Organisation {
  const parent = getOrganisationInScope(db, actor, input.parentId);
  return db.transaction((tx) => {
    const created = tx.insert(organisations).values({ ...input, path: '' }).returning().get();
    const row = tx
      .update(organisations)
      .set({ path: `${parent.path}${created.id}/` })
      .where(eq(organisations.id, created.id))
      .returning()
      .get();
    recordAudit(tx, actor, { action: 'organisation.create', entityType: 'organisation', entityId: row.id, orgId: row.id, after: row });
    return presentOrganisation(row);
  });
}

export function updateOrganisation(
  db: Db,
  actor: StaffActor,
  id: number,
  patch: Partial<Pick<OrgRow, 'name' | 'kind' | 'level' | 'regionCode'>>,
): Organisation {
  const before = getOrganisationInScope(db, actor, id);
  if (Object.keys(patch).length === 0) return presentOrganisation(before);
  return db.transaction((tx) => {
    const row = tx.update(organisations).set(patch).where(eq(organisations.id, id)).returning().get();
    recordAudit(tx, actor, { action: 'organisation.update', entityType: 'organisation', entityId: id, orgId: id, before, after: row });
    return presentOrganisation(row);
  });
}

/** Only an organisation nothing else refers to may be deleted; the rest would lose their owner. */
export function deleteOrganisation(db: Db, actor: StaffActor, id: number): void {
  const before = getOrganisationInScope(db, actor, id);
  if (before.path === actor.orgPath) throw conflict('own_organisation', 'You cannot delete your own organisation');
  // Every foreign key to organisations counts (sub-organisations, accounts, people, competitions,
  // judges' employers, studios…). The audit log keeps organisation ids and paths without a foreign
  // key: its rows stay after a deletion.
  const uses = recordsUsing(db, 'organisations', id);
  if (Object.keys(uses).length > 0) throw new AppError(409, 'organisation_in_use', `The organisation is still used: ${usesText(uses)}`, undefined, uses);
  db.transaction((tx) => {
    tx.delete(organisations).where(eq(organisations.id, id)).run();
    recordAudit(tx, actor, { action: 'organisation.delete', entityType: 'organisation', entityId: id, orgId: before.parentId, before });
  });
}
