import { and, count, eq, like, or, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { accounts, organisations, sessions } from '../../../db/schema.ts';
import type { Account, CreateAccountInput, ListAccountsQuery, UpdateAccountInput } from '../../contracts/accounts.ts';
import { AppError, conflict, invalid, notFound } from '../../errors.ts';
import { assertInScope, type StaffActor } from '../../plugins/auth.plugin.ts';
import { hashPassword } from '../../security.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { organisationForField } from '../organisations/organisations.service.ts';

type AccountRow = typeof accounts.$inferSelect;
type OrgRow = typeof organisations.$inferSelect;

/** The wire form of an account: the presenter is what keeps the password hash off the wire and out of audit rows. */
export function presentAccount(row: AccountRow): Account {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    orgId: row.orgId,
    role: row.role,
    active: row.active,
    mustChangePassword: row.mustChangePassword,
    passwordChangedAt: row.passwordChangedAt?.toISOString() ?? null,
    lockedUntil: row.lockedUntil?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The account, or 404; and 403 when its organisation is outside the caller's subtree. */
export function getAccountInScope(db: Db, actor: StaffActor, id: number): AccountRow {
  const found = db
    .select({ account: accounts, orgPath: organisations.path })
    .from(accounts)
    .innerJoin(organisations, eq(organisations.id, accounts.orgId))
    .where(eq(accounts.id, id))
    .get();
  if (!found) throw notFound('Account');
  assertInScope(actor, found.orgPath);
  return found.account;
}

/** Accounts of the caller's subtree, filtered and paged. */
export function listAccounts(db: Db, actor: StaffActor, q: ListAccountsQuery) {
  const where: SQL[] = [like(organisations.path, `${actor.orgPath}%`)];
  if (q.role) where.push(eq(accounts.role, q.role));
  if (q.orgId) where.push(eq(accounts.orgId, q.orgId));
  if (q.q) where.push(or(like(accounts.username, `%${q.q}%`), like(accounts.displayName, `%${q.q}%`))!);
  const cond = and(...where);
  const rows = db
    .select({ account: accounts })
    .from(accounts)
    .innerJoin(organisations, eq(organisations.id, accounts.orgId))
    .where(cond)
    .orderBy(accounts.username)
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .all();
  const total =
    db
      .select({ n: count() })
      .from(accounts)
      .innerJoin(organisations, eq(organisations.id, accounts.orgId))
      .where(cond)
      .get()?.n ?? 0;
  return { items: rows.map((r) => presentAccount(r.account)), total, page: q.page, pageSize: q.pageSize };
}

function usernameTaken(username: string): AppError {
  const message = `The username ${username} is taken`;
  return new AppError(409, 'username_taken', message, [{ field: 'body.username', message }]);
}

/** Creates an account in an organisation of the admin's subtree. */
export async function createAccount(db: Db, actor: StaffActor, input: CreateAccountInput): Promise<Account> {
  organisationForField(db, actor, input.orgId, 'body.orgId');
  // Hash before the transaction: better-sqlite3 transactions are synchronous and scrypt is not.
  const passwordHash = await hashPassword(input.password);
  return db.transaction((tx) => {
    // Checked inside the transaction so two admins racing for a name get a 409, not a 500.
    if (tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.username, input.username)).get()) {
      throw usernameTaken(input.username);
    }
    const row = tx
      .insert(accounts)
      .values({
        username: input.username,
        displayName: input.displayName,
        passwordHash,
        orgId: input.orgId,
        role: input.role,
        // The administrator chose this password and may have sent it by any channel: the holder replaces it.
        mustChangePassword: true,
      })
      .returning()
      .get();
    const account = presentAccount(row);
    recordAudit(tx, actor, { action: 'account.create', entityType: 'account', entityId: row.id, orgId: row.orgId, after: account });
    return account;
  });
}

/**
 * Changes display name, role, active flag or password. An admin may not demote or deactivate
 * themself: that is how a tree ends up with no one able to manage it.
 */
export async function updateAccount(db: Db, actor: StaffActor, id: number, patch: UpdateAccountInput, now: Date): Promise<Account> {
  const before = getAccountInScope(db, actor, id);
  const self = before.id === actor.accountId;
  if (self && patch.active === false) throw conflict('own_account', 'You cannot deactivate your own account');
  if (self && patch.role !== undefined && patch.role !== 'admin') {
    throw conflict('own_account', 'You cannot take the admin role from your own account');
  }
  const passwordHash = patch.password === undefined ? undefined : await hashPassword(patch.password);
  const changes = { displayName: patch.displayName, role: patch.role, active: patch.active, passwordHash };
  if (Object.values(changes).every((v) => v === undefined)) return presentAccount(before);
  // A reset ends a lock-out; someone else's reset must be replaced by its holder at the next sign-in
  // (the administrator knows it), an administrator's own choice need not be.
  const reset = passwordHash === undefined ? {} : { failedSignIns: 0, lockedUntil: null, mustChangePassword: !self, passwordChangedAt: self ? now : null };

  return db.transaction((tx) => {
    const row = tx.update(accounts).set({ ...changes, ...reset }).where(eq(accounts.id, id)).returning().get();
    // A deactivated account must lose access now, and a reset usually means the old password
    // leaked; but an admin resetting their own password keeps the session they are using.
    if (patch.active === false || (passwordHash !== undefined && !self)) {
      tx.delete(sessions).where(eq(sessions.accountId, id)).run();
    }
    const after = presentAccount(row);
    recordAudit(tx, actor, {
      action: 'account.update',
      entityType: 'account',
      entityId: id,
      orgId: row.orgId,
      before: presentAccount(before),
      after: passwordHash === undefined ? after : { ...after, passwordReset: true },
    });
    return after;
  });
}

/**
 * Deactivates the account and ends its sessions. Accounts are never removed: the audit log
 * keeps pointing at who did what.
 */
export function deactivateAccount(db: Db, actor: StaffActor, id: number): void {
  const before = getAccountInScope(db, actor, id);
  if (before.id === actor.accountId) throw conflict('own_account', 'You cannot deactivate your own account');
  db.transaction((tx) => {
    const row = tx.update(accounts).set({ active: false }).where(eq(accounts.id, id)).returning().get();
    tx.delete(sessions).where(eq(sessions.accountId, id)).run();
    recordAudit(tx, actor, {
      action: 'account.deactivate',
      entityType: 'account',
      entityId: id,
      orgId: row.orgId,
      before: presentAccount(before),
      after: presentAccount(row),
    });
  });
}
