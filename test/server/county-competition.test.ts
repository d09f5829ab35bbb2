import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisations, people as peopleTable } from '../../db/schema.ts';
import { DEMO_PASSWORD } from '../../db/seed.ts';
import { fixedClock } from '../../server/clock.ts';
import { CSV_CONTENT_TYPE } from '../../server/contracts/import.ts';
import type { SchemeInput } from '../../server/contracts/scheme.ts';
import { makeResidentId } from '../helpers/factories.ts';
import { completeRecheck, newKey } from '../helpers/scenario.ts';
import { SseClient, waitFor } from '../helpers/sse-client.ts';
import { buildTestApp, call, sessionCookie, type TestApp } from '../helpers/test-app.ts';

/**
 * One county competition, end to end, as 肥西县总工会 and 肥西县人社局 run it together on the demo
 * data, every step through the HTTP API and each role with its own session: the organiser sets it
 * up (co-organised by the HR bureau), registers and draws, seats the panel and issues codes; the
 * chief judge enters the theory exam; judges mark by number, one of them standing aside from a
 * worker of their own (small, unregistered) employer; nothing about who is behind a number is
 * public before release; release waits for complete scores or a reason; an appeal is heard in the
 * publicity period; then prizes, a title signed by union and HR, and the HR bureau's certificate.
 */

const clock = fixedClock('2027-03-10T01:00:00Z'); // a Wednesday, 09:00 in Beijing
const DAY = '2027-03-10';
const FIRM = '合肥顺达机电有限公司'; // a small private firm: no organisation of the system

const FITTER: SchemeInput = {
  totaling: 'weighted',
  parts: [
    { id: 'theory', name: '理论知识考试', role: 'theory', weight: 30, max: 100, marking: 'objective' },
    {
      id: 'bench',
      name: '钳工实操',
      role: 'practical',
      weight: 70,
      max: 100,
      marking: 'rubric',
      criteria: [
        { id: 'size', name: '尺寸精度', max: 60 },
        { id: 'finish', name: '表面质量', max: 40 },
      ],
      aggregation: { kind: 'mean' },
      minMarks: 3,
      expectedMarks: 3,
    },
  ],
};

let app: TestApp;
let base: string;
const staff: Record<'organiser' | 'hr' | 'viewer', string> = { organiser: '', hr: '', viewer: '' };
let competitionId: number;
let eventId: number;
let roundId: number;
const numberOf = new Map<string, number>(); // entrant name → drawn number
const codes = new Map<string, string>(); // judge name → sign-in code
const judgeCookie = new Map<string, string>();

const orgId = (name: string) => app.db.select().from(organisations).where(eq(organisations.name, name)).get()!.id;

async function staffLogin(username: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
  expect(res.statusCode, res.body).toBe(200);
  return sessionCookie(res);
}

async function judgeLogin(name: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/judge-login', payload: { code: codes.get(name)! } });
  expect(res.statusCode, res.body).toBe(200);
  return sessionCookie(res);
}

/** One judge's sheet for one contestant: both criteria of the practical part. */
const sheet = (number: number, size: number, finish: number) => ({
  marks: [
    { idempotencyKey: newKey(), number, partId: 'bench', criterionId: 'size', value: size },
    { idempotencyKey: newKey(), number, partId: 'bench', criterionId: 'finish', value: finish },
  ],
});

function csv(rows: string[][]): Buffer {
  return Buffer.from('\uFEFF' + rows.map((r) => r.join(',')).join('\r\n') + '\r\n', 'utf8');
}

/** Uploads a spreadsheet as the page does: the file is the body. */
const upload = (cookie: string, url: string, file: Buffer) => call(app, cookie, { method: 'POST', url, headers: { 'content-type': CSV_CONTENT_TYPE }, payload: file });

/** The public ranking rows of the event, as a venue screen or anyone on the internet reads them. */
async function publicRows() {
  const res = await call(app, null, { method: 'GET', url: `/api/public/events/${eventId}/ranking` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { released: boolean; rows: Record<string, unknown>[] };
}

beforeAll(async () => {
  // The demo data of a county (unions, the HR line, title presets), created on the clock's day.
  app = await buildTestApp({ demo: true, sessionTtlMs: 365 * 86_400_000 }, { clock });
  staff.organiser = await staffLogin('organiser');
  staff.hr = await staffLogin('hr');
  staff.viewer = await staffLogin('viewer');
  // Listening for real: the venue screen's stream is read over HTTP like a screen reads it.
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await app.close();
});

describe('a county competition, end to end', () => {
  it('the organiser sets up a B-level competition co-organised by the county HR bureau', async () => {
    const created = await call(app, staff.organiser, {
      method: 'POST',
      url: '/api/competitions',
      payload: {
        name: '2027年肥西县钳工职业技能竞赛',
        grade: 'B',
        year: 2027,
        organisers: ['肥西县总工会', '肥西县人力资源和社会保障局'],
        startDate: DAY,
        endDate: DAY,
        coOrganiserIds: [orgId('肥西县人力资源和社会保障局')],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    competitionId = created.json().id;
    expect(created.json().coOrganisers.map((o: { name: string }) => o.name)).toEqual(['肥西县人力资源和社会保障局']);

    const event = await call(app, staff.organiser, {
      method: 'POST',
      url: `/api/competitions/${competitionId}/events`,
      payload: { name: '钳工', occupationCode: '6-20-01-01', occupationName: '钳工', targetLevel: 3, minEntrants: 1, scheme: FITTER },
    });
    expect(event.statusCode, event.body).toBe(201);
    eventId = event.json().id;
    roundId = event.json().rounds[0].id;
    const open = await call(app, staff.organiser, { method: 'POST', url: `/api/competitions/${competitionId}/status`, payload: { status: 'registration' } });
    expect(open.statusCode, open.body).toBe(200);
    // The HR officer reads the co-organised competition but cannot edit it.
    expect((await call(app, staff.hr, { method: 'GET', url: `/api/competitions/${competitionId}` })).statusCode).toBe(200);
    expect((await call(app, staff.hr, { method: 'PATCH', url: `/api/competitions/${competitionId}`, payload: { venue: '别处' } })).statusCode).toBe(403);
  });

  it('imports five workers from the registration spreadsheet (one of a small firm, kept as written), draws and checks them in', async () => {
    const people = [
      { name: '钱志强', employer: '国网肥西县供电公司' },
      { name: '孙海涛', employer: '国网肥西县供电公司' },
      { name: '李建国', employer: FIRM },
      { name: '周文斌', employer: '合肥华川机械有限公司' },
      { name: '吴国庆', employer: '肥西县上派建筑公司' },
    ];
    const ids = people.map((_, i) => makeResidentId({ birth: `1988031${i}`, sequence: 500 + i }));
    const file = csv([
      ['姓名', '身份证号', '工作单位', '技能等级'],
      ...people.map((p, i) => [p.name, ids[i]!, p.employer, '四级/中级工']),
    ]);
    // A dry run first, as the organiser's page does: every row checked, nothing stored.
    const dry = await upload(staff.organiser, `/api/events/${eventId}/entries/import?dryRun=true`, file);
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, stored: false, total: 5, valid: 5, errors: [] });
    const imported = await upload(staff.organiser, `/api/events/${eventId}/entries/import`, file);
    expect(imported.json()).toMatchObject({ stored: true, created: 5 });
    // 李建国's firm is no organisation: kept as written, for recusal by name.
    const li = app.db.select().from(peopleTable).where(eq(peopleTable.idNumber, ids[2]!)).get()!;
    expect(li).toMatchObject({ employerId: null, employerName: FIRM });

    const drawn = await call(app, staff.organiser, { method: 'POST', url: `/api/events/${eventId}/draw` });
    expect(drawn.statusCode, drawn.body).toBe(200);
    const list = (await call(app, staff.organiser, { method: 'GET', url: `/api/events/${eventId}/entries` })).json().items as { name: string; drawnNumber: number }[];
    for (const e of list) numberOf.set(e.name, e.drawnNumber);
    expect(numberOf.size).toBe(5);

    const checkIn = await call(app, staff.organiser, { method: 'POST', url: `/api/events/${eventId}/check-in`, payload: { items: [...numberOf.values()].map(String) } });
    expect(checkIn.statusCode, checkIn.body).toBe(200);
    expect(checkIn.json().checkedIn).toBe(5);
    // Sent again (a second desk, a retry): nothing changes.
    const again = await call(app, staff.organiser, { method: 'POST', url: `/api/events/${eventId}/check-in`, payload: { items: [...numberOf.values()].map(String) } });
    expect(again.json().results.map((i: { outcome: string }) => i.outcome)).toEqual(Array(5).fill('already_checked_in'));
  });

  it('seats the panel on the practical part and issues every code at once', async () => {
    const add = async (name: string, role: string, employer: Record<string, unknown> = {}) => {
      const res = await call(app, staff.organiser, { method: 'POST', url: `/api/events/${eventId}/judges`, payload: { name, role, ...employer } });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as number;
    };
    await add('裁判长', 'chief');
    const a = await add('裁判甲', 'judge', { employerId: orgId('肥西县职业技术学校') });
    const b = await add('裁判乙', 'judge');
    // The same firm as 李建国, typed with a space: unregistered employers are compared by name, normalised.
    const c = await add('裁判丙', 'judge', { employerName: '合肥 顺达机电有限公司' });
    await add('裁判丁', 'judge');
    const panels = await call(app, staff.organiser, { method: 'PUT', url: `/api/rounds/${roundId}/panels`, payload: { panels: [{ partId: 'bench', judgeIds: [a, b, c] }] } });
    expect(panels.statusCode, panels.body).toBe(200);

    const issued = await call(app, staff.organiser, { method: 'POST', url: `/api/events/${eventId}/judge-codes` });
    expect(issued.statusCode, issued.body).toBe(200);
    for (const slip of issued.json().slips as { name: string; code: string; expiresAtBeijing: string }[]) {
      codes.set(slip.name, slip.code);
      expect(slip.expiresAtBeijing >= DAY).toBe(true);
    }
    expect(codes.size).toBe(5);
    for (const name of codes.keys()) judgeCookie.set(name, await judgeLogin(name));
    // The tablet tells 裁判丙 whom to stand aside from, by number only.
    const panel = (await call(app, judgeCookie.get('裁判丙')!, { method: 'GET', url: '/api/judge/panel' })).json();
    expect(panel.recusedNumbers).toEqual([numberOf.get('李建国')]);
    expect(JSON.stringify(panel)).not.toContain('李建国');
  });

  it('starts on the day: marks are taken only while the competition runs', async () => {
    const early = await call(app, judgeCookie.get('裁判甲')!, { method: 'POST', url: '/api/marks', payload: sheet(1, 50, 30) });
    expect(early.json().code).toBe('competition_not_running');
    const start = await call(app, staff.organiser, { method: 'POST', url: `/api/competitions/${competitionId}/status`, payload: { status: 'running' } });
    expect(start.statusCode, start.body).toBe(200);
  });

  it('takes the theory exam from the exam system’s file, imported by the chief judge; never from a marking judge', async () => {
    const byJudge = await call(app, judgeCookie.get('裁判甲')!, { method: 'POST', url: '/api/marks', payload: { marks: [{ idempotencyKey: newKey(), number: 1, partId: 'theory', criterionId: 'theory', value: 90 }] } });
    expect(byJudge.statusCode, byJudge.body).toBe(403);
    expect(byJudge.json().code).toBe('objective_part_staff_only');
    const gridByJudge = await call(app, judgeCookie.get('裁判甲')!, {
      method: 'POST',
      url: `/api/events/${eventId}/objective-values`,
      payload: { cells: [{ idempotencyKey: newKey(), number: 1, field: 'theory', value: 90 }] },
    });
    expect(gridByJudge.json().code).toBe('objective_entry_not_allowed');

    // The exam system's export: by ID number, as it knows no drawn numbers.
    const theory: Record<string, number> = { 钱志强: 88, 孙海涛: 76, 李建国: 92, 周文斌: 81, 吴国庆: 69 };
    const idOf = (name: string) => app.db.select().from(peopleTable).where(eq(peopleTable.name, name)).all().at(-1)!.idNumber;
    const file = csv([['考生姓名', '身份证号', '理论成绩'], ...Object.entries(theory).map(([name, value]) => [name, idOf(name), String(value)])]);
    const chief = judgeCookie.get('裁判长')!;
    const dry = await upload(chief, `/api/events/${eventId}/objective-values/import?dryRun=true`, file);
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ matchBy: 'idNumber', total: 5, valid: 5, newValues: 5, errors: [] });
    const res = await upload(chief, `/api/events/${eventId}/objective-values/import`, file);
    expect(res.statusCode, res.body).toBe(200);
    const grid = (await call(app, chief, { method: 'GET', url: `/api/events/${eventId}/objective-grid` })).json();
    expect(JSON.stringify(grid)).not.toContain('李建国'); // the chief judge works by numbers
  });

  it('takes marks from the seated judges only; the recused judge is refused and the entrant expects one mark fewer', async () => {
    const li = numberOf.get('李建国')!;
    const refused = await call(app, judgeCookie.get('裁判丙')!, { method: 'POST', url: '/api/marks', payload: sheet(li, 50, 30) });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('recused');
    const notSeated = await call(app, judgeCookie.get('裁判丁')!, { method: 'POST', url: '/api/marks', payload: sheet(1, 50, 30) });
    expect(notSeated.json().code).toBe('not_on_panel');

    // The venue screen is watching while the marks arrive.
    const screen = await SseClient.open(`${base}/api/public/events/${eventId}/live`);
    const snapshot = await screen.next('snapshot');
    const wu = numberOf.get('吴国庆')!;
    for (const [judge, start] of [['裁判甲', 50], ['裁判乙', 52], ['裁判丙', 48]] as const)
      for (const [name, n] of numberOf) {
        if (judge === '裁判丙' && name === '李建国') continue;
        if (judge === '裁判乙' && n === wu) continue; // 裁判乙's sheet for 吴国庆 is lost: his score stays incomplete
        const res = await call(app, judgeCookie.get(judge)!, { method: 'POST', url: '/api/marks', payload: sheet(n, start + (n % 3), 30 + (n % 5)) });
        expect(res.statusCode, res.body).toBe(200);
      }

    const update = await waitFor(screen, (m) => m.event === 'ranking' && m.data.rows.some((r: { number: number; total: number }) => r.number === li && r.total > 0), 10_000);
    screen.close();
    // Numbers and scores only on the screen before release: no name, employer or delegation.
    for (const data of [snapshot.data, update.data]) {
      const text = JSON.stringify(data);
      for (const name of numberOf.keys()) expect(text).not.toContain(name);
      expect(text).not.toContain('供电公司');
      expect(data.rows.every((r: { delegation: string | null; name?: string }) => r.delegation === null && r.name === undefined)).toBe(true);
    }

    const ranking = (await call(app, judgeCookie.get('裁判长')!, { method: 'GET', url: `/api/events/${eventId}/ranking` })).json();
    const row = (n: number) => ranking.staffRows.find((r: { number: number }) => r.number === n);
    // Two marks are all 李建国 can get (裁判丙 stands aside): complete, not provisional.
    expect(row(li)).toMatchObject({ provisional: false });
    expect(row(wu)).toMatchObject({ provisional: true });
    // The chief judge works by numbers too, before release.
    expect(row(li).name ?? null).toBeNull();
  });

  it('shows nobody’s name, employer or delegation on the public pages before release', async () => {
    const pub = await publicRows();
    expect(pub.released).toBe(false);
    const text = JSON.stringify(pub);
    for (const name of numberOf.keys()) expect(text).not.toContain(name);
    expect(text).not.toContain('供电公司');
    expect(text).not.toContain(FIRM);
    const live = await call(app, null, { method: 'GET', url: `/api/public/competitions/${competitionId}/ranking` });
    for (const name of numberOf.keys()) expect(live.body).not.toContain(name);
  });

  it('refuses to release while a score is incomplete, and releases once every entry is complete', async () => {
    const chief = judgeCookie.get('裁判长')!;
    expect((await call(app, chief, { method: 'POST', url: `/api/rounds/${roundId}/close` })).statusCode).toBe(200);
    await completeRecheck(app, chief, eventId);
    const wu = numberOf.get('吴国庆')!;
    const refused = await call(app, chief, { method: 'POST', url: `/api/events/${eventId}/release` });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('entries_incomplete');
    expect(refused.json().errors[0].message).toContain(`${wu}:`);

    // The lost sheet turns up: the chief judge reopens marking, 裁判乙 enters it, marking closes again.
    expect((await call(app, chief, { method: 'POST', url: `/api/rounds/${roundId}/reopen` })).statusCode).toBe(200);
    // The results check confirmed on the old results no longer stands: it is drawn again.
    expect((await call(app, chief, { method: 'GET', url: `/api/events/${eventId}/rechecks` })).json().items).toEqual([]);
    expect((await call(app, judgeCookie.get('裁判乙')!, { method: 'POST', url: '/api/marks', payload: sheet(wu, 51, 33) })).statusCode).toBe(200);
    expect((await call(app, chief, { method: 'POST', url: `/api/rounds/${roundId}/close` })).statusCode).toBe(200);
    expect((await call(app, chief, { method: 'GET', url: `/api/events/${eventId}/incomplete` })).json()).toEqual([]);
    await completeRecheck(app, chief, eventId);
    const released = await call(app, chief, { method: 'POST', url: `/api/events/${eventId}/release` });
    expect(released.statusCode, released.body).toBe(200);

    const pub = await publicRows();
    expect(pub.released).toBe(true);
    expect(pub.rows.every((r) => r.provisional === false)).toBe(true);
    expect(pub.rows.find((r) => r.number === wu)).toMatchObject({ name: '吴国庆' });
    // Names after release; ID numbers never in full on a public page.
    expect(JSON.stringify(pub)).not.toMatch(/\d{17}[\dX]/);
  });

  it('hears an appeal in the publicity period, and awards nothing until it is decided and the period is over', async () => {
    const appeal = await call(app, staff.organiser, {
      method: 'POST',
      url: `/api/events/${eventId}/appeals`,
      payload: { number: numberOf.get('孙海涛'), lodgedBy: '国网肥西县供电公司领队', reason: '对尺寸精度评分有异议' },
    });
    expect(appeal.statusCode, appeal.body).toBe(201);
    const early = await call(app, staff.organiser, { method: 'POST', url: `/api/events/${eventId}/prizes` });
    expect(early.statusCode).toBe(409);
    const decided = await call(app, staff.organiser, { method: 'POST', url: `/api/appeals/${appeal.json().id}/decision`, payload: { decision: 'dismissed', note: '复核量具记录，维持原评分' } });
    expect(decided.statusCode, decided.body).toBe(200);

    clock.set('2027-03-24T01:00:00Z'); // five working days later, and more
    const prizes = await call(app, staff.organiser, { method: 'POST', url: `/api/events/${eventId}/prizes` });
    expect(prizes.statusCode, prizes.body).toBe(200);
  });

  it('turns the results into titles signed by the union and the HR bureau; HR records the winner’s promotion and exports it', async () => {
    const install = await call(app, staff.organiser, { method: 'POST', url: '/api/title-rules', payload: { presetKey: 'feixi_b_level' } });
    expect([201, 409]).toContain(install.statusCode);
    const generated = await call(app, staff.hr, { method: 'POST', url: `/api/events/${eventId}/proposals/generate` });
    expect(generated.statusCode, generated.body).toBe(200);
    const proposals = (await call(app, staff.hr, { method: 'GET', url: `/api/proposals?eventId=${eventId}` })).json() as {
      id: number;
      kind: string;
      personId: number;
      personName: string;
    }[];
    expect(proposals.length).toBeGreaterThan(0);
    for (const p of proposals) {
      expect((await call(app, staff.organiser, { method: 'POST', url: `/api/proposals/${p.id}/sign` })).statusCode).toBe(200);
      const signed = await call(app, staff.hr, { method: 'POST', url: `/api/proposals/${p.id}/sign` });
      expect(signed.json().status).toBe('approved');
    }
    // The winner's record shows the titles the results led to.
    const winner = proposals[0]!;
    const record = (await call(app, staff.hr, { method: 'GET', url: `/api/people/${winner.personId}/record` })).json();
    expect(record.titles.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['肥西县技术能手', '肥西技能大师']));

    // The Feixi rules name titles; the promotion (晋升一级) the county grants its winner is recorded
    // by the HR bureau from the competition's result: level 3 for the fourth-level winner.
    const certificate = await call(app, staff.hr, {
      method: 'POST',
      url: '/api/certificates',
      payload: {
        personId: winner.personId,
        occupationCode: '6-20-01-01',
        occupationName: '钳工',
        level: 3,
        basis: 'competition_promotion',
        certificateNumber: 'Y000134000001273000731',
        issueDate: '2027-03-30',
        evaluationBody: '肥西县职业技能鉴定中心',
        theoryScore: 92,
      },
    });
    expect(certificate.statusCode, certificate.body).toBe(201);
    const levels = (await call(app, staff.organiser, { method: 'GET', url: `/api/people/${winner.personId}/record` })).json();
    expect(levels.certificates.map((c: { level: number }) => c.level)).toContain(3);
    const exported = await call(app, staff.hr, { method: 'GET', url: '/api/certificates/export?format=csv' });
    expect(exported.statusCode, exported.body.slice(0, 300)).toBe(200);
    const promoted = app.db.select().from(peopleTable).where(eq(peopleTable.id, winner.personId)).get()!;
    // The HR bureau's upload file carries the full resident ID number; a viewer's never does.
    expect(exported.body).toContain(promoted.idNumber);
    const byViewer = await call(app, staff.viewer, { method: 'GET', url: '/api/certificates/export?format=csv' });
    expect(byViewer.body).not.toContain(promoted.idNumber);
  });
});
