import { eq } from 'drizzle-orm';
import { accounts, competitions, entries, events, judgeAssignments, judges, organisations, panelSeats, people, roundEntries, rounds } from '../../db/schema.ts';
import { schemeSchema, type SchemeInput } from '../../server/contracts/scheme.ts';
import { parseResidentId, residentIdCheckChar } from '../../server/domain/resident-id.ts';
import { hashPassword, tokenHash } from '../../server/security.ts';
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

// Imports for the factories below, kept with them so the file's head stays untouched by this addition.

/**
 * A valid resident ID number, different on every call: area 340123 (肥西县), a real birth date
 * and sequence varying with a counter, and the computed check character.
 */
export function makeResidentId(opts: { area?: string; birth?: string; sequence?: number } = {}): string {
  const n = next();
  const birth = opts.birth ?? `${1960 + Math.floor(n / 1000) % 40}0615`;
  const sequence = String(opts.sequence ?? n % 1000).padStart(3, '0');
  const first17 = `${opts.area ?? '340123'}${birth}${sequence}`;
  return first17 + residentIdCheckChar(first17);
}

/** A person kept by `orgId` (default: the root), gender and birth date derived like the service does. */
export function makePerson(app: TestApp, input: Partial<typeof people.$inferInsert> = {}) {
  const idNumber = input.idNumber ?? makeResidentId();
  const parsed = parseResidentId(idNumber);
  if (!parsed.ok) throw new Error(`makePerson: ${idNumber} is not a valid ID number (${parsed.reason})`);
  return app.db
    .insert(people)
    .values({
      name: `职工${next()}`,
      orgId: input.orgId ?? rootOrg(app).id,
      gender: parsed.value.gender,
      birthDate: parsed.value.birthDate,
      ...input,
      idNumber: parsed.value.idNumber,
    })
    .returning()
    .get();
}

/** A competition owned by `orgId` (default: the root), in draft unless told otherwise. */
export function makeCompetition(app: TestApp, input: Partial<typeof competitions.$inferInsert> = {}) {
  return app.db
    .insert(competitions)
    .values({
      name: `职工技能竞赛${next()}`,
      grade: 'B',
      year: 2024,
      organisers: ['肥西县总工会', '肥西县人力资源和社会保障局'],
      hosts: [],
      orgId: input.orgId ?? rootOrg(app).id,
      ...input,
    })
    .returning()
    .get();
}

// Events, entries and judges (imports kept with the factories that use them).

/** Theory 30 % (one objective mark) + practical 70 % (a two-criterion rubric); practical may use difficulty. */
export const testScheme: SchemeInput = {
  totaling: 'weighted',
  parts: [
    { id: 'theory', name: '理论知识考试', role: 'theory', weight: 30, max: 100, marking: 'objective' },
    {
      id: 'practical',
      name: '技能操作考核',
      role: 'practical',
      weight: 70,
      max: 100,
      marking: 'rubric',
      usesDifficulty: true,
      criteria: [
        { id: 'safety', name: '安全文明生产', max: 40 },
        { id: 'quality', name: '作业质量', max: 60 },
      ],
    },
  ],
};

/**
 * An event of `competitionId` (when omitted, a new competition that is running, so marks are taken)
 * with one open final round.
 */
export function makeEvent(app: TestApp, input: Partial<typeof events.$inferInsert> = {}) {
  const competitionId = input.competitionId ?? makeCompetition(app, { status: 'running' }).id;
  const event = app.db
    .insert(events)
    .values({
      name: `电工${next()}`,
      occupationCode: '6-31-01-03',
      occupationName: '电工',
      scheme: schemeSchema.parse(testScheme),
      ...input,
      competitionId,
    })
    .returning()
    .get();
  const round = app.db.insert(rounds).values({ eventId: event.id, seq: 1, name: '决赛', kind: 'final' }).returning().get();
  return { ...event, round };
}

/** An entry of a new person (kept by the root) in the event's first round. */
export function makeEntry(app: TestApp, event: { id: number; round: { id: number } }, input: Partial<typeof entries.$inferInsert> = {}) {
  const personId = input.personId ?? makePerson(app).id;
  const entry = app.db
    .insert(entries)
    .values({ ...input, eventId: event.id, personId })
    .returning()
    .get();
  app.db.insert(roundEntries).values({ roundId: event.round.id, entryId: entry.id }).run();
  return entry;
}

/**
 * A judge of the event's competition sitting on the event in `role` (default judge); with `code`,
 * a sign-in code valid for a day is stored (as its hash) too. With `judgeId`, an existing judge of
 * the competition is put on this event instead of a new one.
 */
export function makeJudge(
  app: TestApp,
  eventId: number,
  input: Partial<Omit<typeof judges.$inferInsert, 'competitionId'>> & { code?: string; role?: 'chief' | 'judge' | 'supervisor' | 'scorer'; judgeId?: number } = {},
) {
  const { code, role = 'judge', judgeId, ...values } = input;
  const event = app.db.select({ competitionId: events.competitionId }).from(events).where(eq(events.id, eventId)).get()!;
  const judge =
    judgeId != null
      ? app.db.select().from(judges).where(eq(judges.id, judgeId)).get()!
      : app.db
          .insert(judges)
          .values({
            name: `裁判${next()}`,
            ...(code
              ? { codeHash: tokenHash(app.sessionSecret, code), codeNumber: 1, codeIssuedAt: app.clock.now(), codeExpiresAt: new Date(app.clock.now().getTime() + 86_400_000) }
              : {}),
            ...values,
            competitionId: event.competitionId,
          })
          .returning()
          .get();
  app.db.insert(judgeAssignments).values({ judgeId: judge.id, eventId, role }).run();
  return { ...judge, eventId, role };
}

/** Seats judges on a part's panel (or one criterion's) in a round, straight in the database. */
export function seatPanel(app: TestApp, roundId: number, partId: string, judgeIds: number[], criterionId = '') {
  for (const judgeId of judgeIds) app.db.insert(panelSeats).values({ roundId, partId, criterionId, judgeId }).run();
}
