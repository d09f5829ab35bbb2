import { and, count, eq, like, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { organisations } from '../../../db/schema.ts';
import type { Organisation } from '../../contracts/organisations.ts';
import { AppError, conflict, invalid, notFound } from '../../errors.ts';
import { assertInScope, type StaffActor } from '../../plugins/auth.plugin.ts';
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

/**
 * What still points at an organisation, by `table.column` and count: every foreign key to
 * `organisations` read from the database itself (sub-organisations, accounts, people and their
 * employers, competitions, delegations, judges' employers, certificates, studios…), so a new
 * table cannot be forgotten here. The audit log keeps organisation ids without a foreign key: its
 * rows stay after a deletion.
 */
function recordsUsing(db: Db, id: number): Record<string, number> {
  const client = db.$client;
  const tables = client.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%'`).all() as { name: string }[];
  const uses: Record<string, number> = {};
  for (const { name } of tables) {
    const keys = client.prepare(`select "from" as col from pragma_foreign_key_list(?) where "table" = 'organisations'`).all(name) as { col: string }[];
    for (const { col } of keys) {
      const n = (client.prepare(`select count(*) as n from "${name}" where "${col}" = ?`).get(id) as { n: number }).n;
      if (n > 0) uses[`${name}.${col}`] = n;
    }
  }
  return uses;
}

/** Only an organisation nothing else refers to may be deleted; the rest would lose their owner. */
export function deleteOrganisation(db: Db, actor: StaffActor, id: number): void {
  const before = getOrganisationInScope(db, actor, id);
  if (before.path === actor.orgPath) throw conflict('own_organisation', 'You cannot delete your own organisation');
  const uses = recordsUsing(db, id);
  if (Object.keys(uses).length > 0)
    throw new AppError(
      409,
      'organisation_in_use',
      `The organisation is still used: ${Object.entries(uses)
        .map(([where, n]) => `${where} ${n}`)
        .join(', ')}`,
      undefined,
      uses,
    );
  db.transaction((tx) => {
    tx.delete(organisations).where(eq(organisations.id, id)).run();
    recordAudit(tx, actor, { action: 'organisation.delete', entityType: 'organisation', entityId: id, orgId: before.parentId, before });
  });
}
