import type { Db } from '../../../db/client.ts';
import { auditLog } from '../../../db/schema.ts';
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

/** Records who did what to which record, with before and after, in the caller's transaction. */
export function recordAudit(tx: Tx, actor: Actor | null | 'system', input: AuditInput): void {
  const who = actor === 'system' ? { actorKind: 'system' as const, actorId: null } : actorRef(actor);
  tx.insert(auditLog)
    .values({
      at: new Date(),
      ...who,
      action: input.action,
      entityType: input.entityType,
      entityId: input.entityId ?? null,
      orgId: input.orgId ?? null,
      before: input.before ?? null,
      after: input.after ?? null,
    })
    .run();
}
