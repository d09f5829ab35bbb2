import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, competitions, events } from '../../db/schema.ts';
import { fixedClock } from '../../server/clock.ts';
import { competitionPackageSchema, packageJsonSchema, verifyPackage, type CompetitionPackage } from '../../server/domain/package/index.ts';
import { DEMO_PASSWORD } from '../../db/seed.ts';
import { loginAs, makeOrg } from '../helpers/factories.ts';
import { completeRecheck, judgeLogin, makeScenario, newKey, reasonsForIncomplete, type Scenario } from '../helpers/scenario.ts';
import { buildTestApp, call, sessionCookie, type TestApp } from '../helpers/test-app.ts';

/**
 * The open competition package and its verifier, through the API: a county competition is marked
 * on tablets (one mark corrected through the chief judge), its theory exam entered by staff, its
 * results released and its prizes awarded; then exported (full and public), verified, tampered
 * with, imported back and exported again.
 */
let app: TestApp;
let s: Scenario;
let organiser: string;
let hr: string;
let chief: string;
const clock = fixedClock('2026-11-02T02:00:00Z');
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'package-test-'));

const get = (cookie: string | null, url: string) => call(app, cookie, { method: 'GET', url });
const post = (cookie: string | null, url: string, payload?: unknown) => call(app, cookie, { method: 'POST', url, ...(payload !== undefined ? { payload: payload as object } : {}) });
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

beforeAll(async () => {
  app = await buildTestApp({}, { clock });
  s = makeScenario(app, { entrants: 8, judgeCount: 5 });
  organiser = await loginAs(app, 'organiser', s.orgId);
  hr = await loginAs(app, 'hr_officer', s.orgId);
  chief = await judgeLogin(app, s.chiefCode);
  // Judge k gives entrant n 30 + 2n + k on c1 and 20 + (n mod 3) on c2: distinct totals but for a tie between 3 and 6 on c2.
  for (const [k, code] of s.judgeCodes.entries()) {
    const j = await judgeLogin(app, code);
    for (let n = 1; n <= 8; n++) {
      const res = await post(j, '/api/marks', {
        marks: [
          { idempotencyKey: newKey(), number: n, partId: 'task1', criterionId: 'c1', value: 30 + 2 * n + k },
          { idempotencyKey: newKey(), number: n, partId: 'task1', criterionId: 'c2', value: 20 + (n % 3) },
        ],
      });
      expect(res.statusCode, res.body).toBe(200);
    }
  }
  // The theory exam, entered by the organiser.
  const theory = await post(organiser, `/api/events/${s.eventId}/objective-values`, { cells: Array.from({ length: 8 }, (_, i) => ({ idempotencyKey: newKey(), number: i + 1, field: 'theory', value: 60 + 3 * i })) });
  expect(theory.statusCode, theory.body).toBe(200);
  // Judge 1 asks to correct entrant 2's c1; the chief judge approves.
  const j1 = await judgeLogin(app, s.judgeCodes[0]!);
  const mine = (await get(j1, `/api/judge/marks?eventId=${s.eventId}`)).json() as { id: number; number: number; criterionId: string }[];
  const target = mine.find((m) => m.number === 2 && m.criterionId === 'c1')!;
  const asked = await post(j1, '/api/corrections', { markId: target.id, newValue: 40, reason: '录入时看错行' });
  expect(asked.statusCode, asked.body).toBe(201);
  expect((await post(chief, `/api/corrections/${asked.json().id}/decision`, { decision: 'approve', note: '核对纸质评分表无误' })).statusCode).toBe(200);

  await post(chief, `/api/rounds/${s.roundId}/close`);
  await completeRecheck(app, chief, s.eventId);
  const released = await post(chief, `/api/events/${s.eventId}/release`, await reasonsForIncomplete(app, chief, s.eventId));
  expect(released.statusCode, released.body).toBe(200);
  await post(organiser, `/api/events/${s.eventId}/awards-override`, { reason: '成绩需报送市级评选，经组委会研究提前确认奖项' });
  const awarded = await post(organiser, `/api/events/${s.eventId}/prizes`);
  expect(awarded.statusCode, awarded.body).toBeLessThan(300);
});
afterAll(() => app.close());

let full: CompetitionPackage;
let pub: CompetitionPackage;

describe('exporting a competition package', () => {
  it('gives organisers the full package, valid against the JSON Schema the app serves and the repository keeps; audited', async () => {
    expect((await get(hr, `/api/competitions/${s.competitionId}/package`)).statusCode).toBe(403);
    const res = await get(organiser, `/api/competitions/${s.competitionId}/package`);
    expect(res.statusCode, res.body).toBe(200);
    full = res.json();
    const served = (await get(null, '/api/package/schema.json')).json();
    const kept = JSON.parse(readFileSync(new URL('../../server/domain/package/package.schema.json', import.meta.url), 'utf8'));
    // The schema file in the repository is the one generated from the contract (regenerate: see its README).
    expect(kept).toEqual(packageJsonSchema());
    expect(served).toEqual(kept);
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(kept);
    expect(validate(full), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    // The documented example (server/domain/package/README.md) is a valid package that verifies.
    const example = JSON.parse(readFileSync(new URL('../../server/domain/package/example-package.json', import.meta.url), 'utf8'));
    expect(validate(example), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(verifyPackage(competitionPackageSchema.parse(example))).toMatchObject({ ok: true, verified: 1, total: 1 });
    const broken = clone(example) as { version: number };
    broken.version = 2;
    expect(validate(broken)).toBe(false);

    expect(full).toMatchObject({ format: 'skills-competition-package', version: 1, variant: 'full', competition: { name: '肥西县职工技能大赛', grade: 'B', organiser: '肥西县总工会' } });
    expect(full.people).toHaveLength(8);
    expect(full.people[0]).toMatchObject({ ref: 'p1', idNumber: expect.stringMatching(/^\d{17}[\dX]$/), birthDate: expect.any(String) });
    expect(full.judges.map((j) => j.name)).toEqual(['裁判1', '裁判2', '裁判3', '裁判4', '裁判5', '裁判长']);
    const [ev] = full.events;
    expect(ev!.entries.map((e) => e.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const round = ev!.rounds[0]!;
    // 8 entrants × 5 judges × 2 criteria, one of them in two versions (the correction).
    expect(round.marks).toHaveLength(80);
    const corrected = round.marks.find((m) => m.versions.length === 2)!;
    expect(corrected).toMatchObject({ entry: 'e1.2', judge: 'j1', criterion: 'c1' });
    expect(corrected.versions[1]).toMatchObject({ version: 2, value: 40, correction: { requestedBy: 'j1', reason: '录入时看错行', decidedBy: 'j6', note: '核对纸质评分表无误' } });
    expect(round.objective).toHaveLength(8);
    expect(round.entries[0]!.panels).toEqual({ task1: { size: 5, expected: 5 } });
    expect(ev!.prizes.length).toBeGreaterThan(0);
    const audits = app.db.select().from(auditLog).where(eq(auditLog.action, 'competition.package_export')).all();
    expect(audits).toHaveLength(1);
  });

  it('publishes the public package only after release: masked, no ID numbers, birth dates, employers or staff notes', async () => {
    const res = await get(null, `/api/public/competitions/${s.competitionId}/package`);
    expect(res.statusCode).toBe(200);
    pub = res.json();
    expect(pub.variant).toBe('public');
    for (const p of full.people) expect(res.body).not.toContain(p.idNumber!);
    expect(res.body).not.toMatch(/"(idNumber|birthDate|employer|statusNote)"/);
    expect(pub.people[0]!.idNumberMasked).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    // A competition without released results has no public package.
    const other = makeScenario(app, { entrants: 2, judgeCount: 1 });
    expect((await get(null, `/api/public/competitions/${other.competitionId}/package`)).statusCode).toBe(404);
  });
});

describe('the verifier', () => {
  it('recomputes every total, rank and prize from the marks: the exported packages verify', () => {
    for (const pkg of [full, pub]) {
      const v = verifyPackage(pkg);
      expect(v.events[0]!.problems).toEqual([]);
      expect(v).toMatchObject({ ok: true, verified: 1, total: 1 });
      expect(v.events[0]!.prizes).toBeGreaterThan(0);
    }
  });

  it('fails a tampered mark, total, rank or prize and says where', () => {
    const mark = clone(pub);
    const m = mark.events[0]!.rounds[0]!.marks.find((x) => x.entry === 'e1.5' && x.criterion === 'c1')!;
    m.versions.at(-1)!.value += 10;
    const byMark = verifyPackage(mark).events[0]!;
    expect(byMark.ok).toBe(false);
    expect(byMark.problems).toContainEqual(expect.objectContaining({ round: 1, entry: 'e1.5', number: 5, what: 'total' }));

    const total = clone(pub);
    total.events[0]!.rounds[0]!.results.find((r) => r.entry === 'e1.8')!.total += 0.01;
    expect(verifyPackage(total).events[0]!.problems).toEqual([expect.objectContaining({ entry: 'e1.8', what: 'total' })]);

    const rank = clone(pub);
    const [first, second] = rank.events[0]!.rounds[0]!.results;
    [first!.rank, second!.rank] = [second!.rank, first!.rank];
    expect(verifyPackage(rank).events[0]!.problems.map((p) => p.what)).toEqual(['rank', 'rank']);

    const prize = clone(pub);
    prize.events[0]!.prizes[0]!.tier = 3;
    expect(verifyPackage(prize).events[0]!.problems).toEqual([expect.objectContaining({ what: 'prize', recomputed: 1, published: 3 })]);
  });

  it('runs as `npm run verify -- FILE` on the package alone: exit 0 and one line per event, 1 on a tampered copy', async () => {
    const good = join(dir, 'public.json');
    writeFileSync(good, JSON.stringify(pub));
    const ok = await run(process.execPath, ['--import', 'tsx', 'server/cli/verify.ts', good]);
    expect(ok.stdout).toContain('✓ e1 电工');
    expect(ok.stdout.trim().split('\n').at(-1)).toBe('verified 1/1 events');
    const bad = clone(pub);
    bad.events[0]!.rounds[0]!.results[2]!.total += 1;
    const badFile = join(dir, 'tampered.json');
    writeFileSync(badFile, JSON.stringify(bad));
    const failed = await run(process.execPath, ['--import', 'tsx', 'server/cli/verify.ts', badFile]).catch((err: { code: number; stdout: string }) => err);
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stdout: string }).stdout).toContain('verified 0/1 events');
    expect((failed as { stdout: string }).stdout).toMatch(/round 1, entry e1\.\d \(No\. \d\): total published/);
    const notPackage = join(dir, 'other.json');
    writeFileSync(notPackage, JSON.stringify({ format: 'wcif' }));
    expect(await run(process.execPath, ['--import', 'tsx', 'server/cli/verify.ts', notPackage]).catch((err: { code: number }) => err)).toMatchObject({ code: 2 });
  });

  it('is the chief judge’s check before release', async () => {
    const res = await post(chief, `/api/events/${s.eventId}/verify`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, entries: 8, marks: 80, problems: [] });
    const judge = await judgeLogin(app, s.judgeCodes[1]!);
    expect((await post(judge, `/api/events/${s.eventId}/verify`)).statusCode).toBe(403);
  });
});

describe('importing a package', () => {
  it('round trip: export → import → export gives the same document apart from ids and times of export', async () => {
    const imported = await post(organiser, '/api/competitions/import', full);
    expect(imported.statusCode, imported.body).toBe(201);
    const report = imported.json();
    expect(report).toMatchObject({ dryRun: false, events: 1, entries: 8, people: { matched: 8, created: 0 }, judges: 6, markVersions: 81, verified: 1, total: 1, differences: [] });
    const again = (await get(organiser, `/api/competitions/${report.competitionId}/package`)).json() as CompetitionPackage;
    const normal = (p: CompetitionPackage) => {
      const c = clone(p) as Partial<CompetitionPackage>;
      delete c.generatedAt;
      for (const ev of c.events!) for (const prize of ev.prizes) prize.certificateNumber = prize.certificateNumber === null ? null : 'JS…';
      return c;
    };
    expect(normal(again)).toEqual(normal(full));
    // The imported competition is one of the organiser's, with its judges (and no codes).
    const row = app.db.select().from(competitions).where(eq(competitions.id, report.competitionId)).get()!;
    expect(row).toMatchObject({ orgId: s.orgId, status: full.competition.status });
  });

  it('moves a competition to another system: people and delegations created there, the same document again', async () => {
    const other = await buildTestApp({}, { clock });
    try {
      const union = makeOrg(other, { name: '肥西县总工会', kind: 'union', level: 'county' });
      const cookie = await loginAs(other, 'organiser', union.id);
      const res = await call(other, cookie, { method: 'POST', url: '/api/competitions/import', payload: full });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ people: { matched: 0, created: 8 }, differences: [] });
      expect([...res.json().delegationsCreated].sort()).toEqual(['国网肥西供电公司', '肥西消防救援大队'].sort());
      const again = (await call(other, cookie, { method: 'GET', url: `/api/competitions/${res.json().competitionId}/package` })).json() as CompetitionPackage;
      const normal = (p: CompetitionPackage) => {
        const c = clone(p) as Partial<CompetitionPackage>;
        delete c.generatedAt;
        for (const ev of c.events!) for (const prize of ev.prizes) prize.certificateNumber = prize.certificateNumber === null ? null : 'JS…';
        return c;
      };
      expect(normal(again)).toEqual(normal(full));
      expect(verifyPackage(again).ok).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('reports a tampered total as a difference, stores the marks as they are, and never overwrites', async () => {
    const tampered = clone(full);
    tampered.competition.name = '肥西县职工技能大赛（篡改副本）';
    const row = tampered.events[0]!.rounds[0]!.results.find((r) => r.entry === 'e1.4')!;
    const truth = row.total;
    row.total += 5;
    const dry = await post(organiser, '/api/competitions/import?dryRun=true', tampered);
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, competitionId: null, verified: 0, differences: [expect.objectContaining({ entry: 'e1.4', number: 4, what: 'total' })] });
    expect(app.db.select().from(competitions).all().filter((c) => c.name === tampered.competition.name)).toHaveLength(0);

    const res = await post(organiser, '/api/competitions/import', tampered);
    expect(res.statusCode).toBe(201);
    expect(res.json().differences).toContainEqual(expect.objectContaining({ entry: 'e1.4', what: 'total', published: row.total }));
    // What this system publishes is recomputed from the marks, not the package's claim.
    const stored = (await get(organiser, `/api/competitions/${res.json().competitionId}/package`)).json() as CompetitionPackage;
    expect(stored.events[0]!.rounds[0]!.results.find((r) => r.entry === 'e1.4')!.total).toBe(truth);
    expect(app.db.select().from(auditLog).where(eq(auditLog.action, 'competition.import_differences')).all()).toHaveLength(1);
  });

  it('refuses a public package, a bad ID number and a dangling reference, naming the field', async () => {
    expect((await post(organiser, '/api/competitions/import', pub)).json().code).toBe('package_public_variant');
    const badId = clone(full);
    badId.people[2]!.idNumber = '340123198501011234';
    expect((await post(organiser, '/api/competitions/import', badId)).json().errors[0].field).toBe('body.people.2.idNumber');
    const dangling = clone(full);
    dangling.events[0]!.rounds[0]!.marks[0]!.judge = 'j99';
    expect((await post(organiser, '/api/competitions/import', dangling)).json().errors[0].field).toBe('body.events.0.rounds.0.marks.0.judge');
    const notAPackage = await post(organiser, '/api/competitions/import', { format: 'wcif', version: 1 });
    expect(notAPackage.statusCode).toBe(400);
    expect(notAPackage.json().errors.map((e: { field: string }) => e.field)).toContain('body.format');
    expect((await post(hr, '/api/competitions/import', full)).statusCode).toBe(403);
    expect(competitionPackageSchema.safeParse(full).success).toBe(true);
  });
});

describe('the demo competitions', () => {
  it('every demo competition’s public package verifies with `npm run verify`, and a tampered copy fails', async () => {
    const demo = await buildTestApp({ demo: true, sessionSecret: 'test-secret-test-secret-test-secret-0123' });
    try {
      const login = await demo.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'organiser', password: DEMO_PASSWORD } });
      expect(login.statusCode).toBe(200);
      const released = demo.db.select({ id: events.competitionId, releasedAt: events.releasedAt }).from(events).all().filter((e) => e.releasedAt !== null);
      const ids = [...new Set(released.map((e) => e.id))];
      expect(ids.length).toBeGreaterThanOrEqual(2);
      const files: string[] = [];
      for (const id of ids) {
        const res = await demo.inject({ method: 'GET', url: `/api/public/competitions/${id}/package` });
        expect(res.statusCode).toBe(200);
        const file = join(dir, `demo-${id}.json`);
        writeFileSync(file, res.body);
        files.push(file);
      }
      const ok = await run(process.execPath, ['--import', 'tsx', 'server/cli/verify.ts', ...files]);
      expect(ok.stdout.match(/^verified (\d+)\/\1 events$/gm)).toHaveLength(files.length);
      const tampered = JSON.parse(readFileSync(files[0]!, 'utf8')) as CompetitionPackage;
      tampered.events[0]!.rounds[0]!.marks[0]!.versions[0]!.value += 7;
      writeFileSync(files[0]!, JSON.stringify(tampered));
      const failed = await run(process.execPath, ['--import', 'tsx', 'server/cli/verify.ts', files[0]!]).catch((err: { code: number; stdout: string }) => err);
      expect(failed).toMatchObject({ code: 1 });
      // The full package of a competition the organiser runs verifies too (the running one, provisional ranks and all).
      const cookie = sessionCookie(login);
      const running = demo.db.select().from(competitions).all().find((c) => c.status === 'running')!;
      const fullDemo = await demo.inject({ method: 'GET', url: `/api/competitions/${running.id}/package`, headers: { cookie } });
      expect(fullDemo.statusCode).toBe(200);
      expect(verifyPackage(fullDemo.json()).ok).toBe(true);
    } finally {
      await demo.close();
    }
  }, 60_000);
});
