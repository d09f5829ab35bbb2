import type Database from 'better-sqlite3';
import type { Db } from '../../../db/client.ts';
import type { Actor } from '../../plugins/auth.plugin.ts';

/** A Drizzle transaction or the database itself: audit rows are written inside the change's transaction. */
export type Tx = Pick<Db, 'insert' | 'select' | 'update' | 'delete'>;

export type AuditInput = {
  action: string;
  entityType: string;
  entityId?: number | null;
  orgId?: number | null;
  before?: unknown;
  after?: unknown;
};

export function actorRef(actor: Actor | null): { actorKind: 'account' | 'judge' | 'system' | 'public'; actorId: number | null } {
  if (!actor) return { actorKind: 'public', actorId: null };
  return actor.kind === 'staff' ? { actorKind: 'account', actorId: actor.accountId } : { actorKind: 'judge', actorId: actor.judgeId };
}

const statements = new WeakMap<Database.Database, Database.Statement>();

/**
 * The connection behind a Drizzle database or transaction. better-sqlite3 has one connection and
 * its transactions are connection-wide, so a statement run on it inside a transaction callback
 * is part of that transaction.
 */
function connectionOf(tx: Tx | Db): Database.Database {
  return '$client' in tx ? tx.$client : (tx as unknown as { session: { client: Database.Database } }).session.client;
}

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

/**
 * Records who did what to which record, with before and after, in the caller's transaction.
 * A prepared statement rather than the query builder: every mark writes one of these.
 */
// The audit trail stamps the machine's wall clock on purpose (when a thing really happened), not
// `app.clock`: no rule reads these times back.
export function recordAudit(tx: Tx | Db, actor: Actor | null | 'system', input: AuditInput): void {
  const who = actor === 'system' ? { actorKind: 'system' as const, actorId: null } : actorRef(actor);
  const conn = connectionOf(tx);
  let insert = statements.get(conn);
  if (!insert) {
    insert = conn.prepare(
      `insert into audit_log (at, actor_kind, actor_id, action, entity_type, entity_id, org_id, org_path, before, after)
       values (?, ?, ?, ?, ?, ?, ?, (select path from organisations where id = ?), ?, ?)`,
    );
    statements.set(conn, insert);
  }
  const orgId = input.orgId ?? null;
  insert.run(Date.now(), who.actorKind, who.actorId, input.action, input.entityType, input.entityId ?? null, orgId, orgId, json(input.before), json(input.after));
}
