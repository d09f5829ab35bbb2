import { eq } from 'drizzle-orm';
import { accounts, organisations } from '../../db/schema.ts';
import { hashPassword } from '../../server/security.ts';
import { rootOrg, sessionCookie, type TestApp } from './test-app.ts';

type OrgInput = Partial<typeof organisations.$inferInsert>;

let counter = 0;
const next = () => ++counter;

/** An organisation under `parentId` (default: the root), path maintained like the service does. */
export function makeOrg(app: TestApp, input: OrgInput = {}) {
  const parentId = input.parentId ?? rootOrg(app).id;
  const parent = app.db.select().from(organisations).where(eq(organisations.id, parentId)).get()!;
  const created = app.db
    .insert(organisations)
    .values({
      name: input.name ?? `测试单位${next()}`,
      kind: input.kind ?? 'union',
      level: input.level ?? 'county',
      regionCode: input.regionCode ?? '340123',
      parentId,
      path: '',
    })
    .returning()
    .get();
  return app.db
    .update(organisations)
    .set({ path: `${parent.path}${created.id}/` })
    .where(eq(organisations.id, created.id))
    .returning()
    .get();
}

const passwordHashes = new Map<string, string>();

/** A staff account; hashing is cached per password so suites stay fast. */
export async function makeAccount(
  app: TestApp,
  role: 'admin' | 'organiser' | 'hr_officer' | 'studio_officer' | 'viewer',
  orgId?: number,
  password = 'correct horse battery',
) {
  let hash = passwordHashes.get(password);
  if (!hash) {
    hash = await hashPassword(password);
    passwordHashes.set(password, hash);
  }
  const username = `${role}${next()}`;
  return app.db
    .insert(accounts)
    .values({ username, displayName: `${role} user`, passwordHash: hash, orgId: orgId ?? rootOrg(app).id, role })
    .returning()
    .get();
}

/** Creates an account and signs it in through the real login route; returns its cookie. */
export async function loginAs(
  app: TestApp,
  role: 'admin' | 'organiser' | 'hr_officer' | 'studio_officer' | 'viewer',
  orgId?: number,
): Promise<string> {
  const account = await makeAccount(app, role, orgId);
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: account.username, password: 'correct horse battery' },
  });
  return sessionCookie(res);
}
