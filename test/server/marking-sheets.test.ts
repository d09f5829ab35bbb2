import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entries, people } from '../../db/schema.ts';
import type { MarkingSheets, OpenedPaperSheet } from '../../server/contracts/marking-sheets.ts';
import type { SchemeInput } from '../../server/contracts/scheme.ts';
import { loginAs, makeJudge, makeOrg, makePerson, seatPanel } from '../helpers/factories.ts';
import { judgeLogin, makeScenario, newKey, type Scenario } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

/**
 * Printed marking sheets (评分表) and the scorer opening one from its QR code: a sheet exists for
 * each task, judge on its panel and drawn number of an entrant still taking part, never where the
 * judge stands aside; the sheets carry numbers, never names; opening one checks every parameter.
 */

let app: TestApp;
let s: Scenario;
/** A second event (another competition) with a panel per criterion and a task nobody is seated on. */
let other: Scenario;
let colleagueId: number;
let outsiderEntryNumber: number;
const cookie: Record<string, string> = {};

const TWO_TASKS: SchemeInput = {
  totaling: 'weighted',
  parts: [
    { id: 'theory', name: '理论知识考试', role: 'theory', weight: 20, max: 100, marking: 'objective' },
    {
      id: 'weld',
      name: '板对接立焊',
      role: 'practical',
      weight: 40,
      max: 100,
      marking: 'rubric',
      panel: 'criterion',
      criteria: [
        { id: 'w1', name: '焊缝外观', max: 60, step: 0.5 },
        { id: 'w2', name: '安全文明生产', max: 40, step: 1 },
      ],
      expectedMarks: 3,
    },
    {
      id: 'pipe',
      name: '管对接（扣分制）',
      role: 'practical',
      weight: 40,
      max: 100,
      marking: 'deduction',
      criteria: [{ id: 'p1', name: '操作失误', max: 50, step: 0.5 }],
      expectedMarks: 3,
    },
  ],
};

const sheetsOf = async (who: string | null, eventId: number, query = '') =>
  call(app, who, { method: 'GET', url: `/api/events/${eventId}/marking-sheets${query ? `?${query}` : ''}` });
const openSheet = (who: string, query: string) => call(app, who, { method: 'GET', url: `/api/paper/sheet?${query}` });

beforeAll(async () => {
  app = await buildTestApp();
  s = makeScenario(app);
  other = makeScenario(app, { entrants: 3, judgeCount: 3, scheme: TWO_TASKS });
  // A judge from the employer of the even numbers: seated, but stands aside from 2 and 4.
  colleagueId = makeJudge(app, s.eventId, { name: '同厂裁判', employerId: s.employerIds[0]! }).id;
  seatPanel(app, s.roundId, 'task1', [s.judgeIds[0]!, s.judgeIds[1]!, s.judgeIds[2]!, colleagueId]);
  // Number 6 is absent; number 5 has not drawn yet.
  app.db.update(entries).set({ status: 'absent' }).where(eq(entries.id, s.entryIds[5]!)).run();
  app.db.update(entries).set({ drawnNumber: null }).where(eq(entries.id, s.entryIds[4]!)).run();
  // Number 9 is an entrant of the event who is not in the round.
  const person = makePerson(app, { orgId: s.orgId, name: '未入围选手' });
  app.db.insert(entries).values({ eventId: s.eventId, personId: person.id, status: 'checked_in', drawnNumber: 9 }).run();
  outsiderEntryNumber = 9;
  // The second event: per-criterion panel of weld (A on w1, B on w1 and w2); pipe has no seats.
  seatPanel(app, other.roundId, 'weld', [other.judgeIds[0]!, other.judgeIds[1]!], 'w1');
  seatPanel(app, other.roundId, 'weld', [other.judgeIds[1]!, other.judgeIds[2]!], 'w2');

  cookie.organiser = await loginAs(app, 'organiser', s.orgId);
  cookie.admin = await loginAs(app, 'admin', s.orgId);
  cookie.viewer = await loginAs(app, 'viewer', s.orgId);
  cookie.hr = await loginAs(app, 'hr_officer', s.orgId);
  const elsewhere = makeOrg(app, { name: '长丰县总工会', kind: 'union', level: 'county' });
  cookie.outsider = await loginAs(app, 'organiser', elsewhere.id);
  cookie.chief = await judgeLogin(app, s.chiefCode);
  cookie.otherChief = await judgeLogin(app, other.chiefCode);
  cookie.judge = await judgeLogin(app, s.judgeCodes[0]!);
  makeJudge(app, s.eventId, { role: 'supervisor', code: 'SUPERV01' });
  cookie.supervisor = await judgeLogin(app, 'SUPERV01');
  makeJudge(app, s.eventId, { name: '记分员甲', role: 'scorer', code: 'SCORERA1' });
  makeJudge(app, s.eventId, { name: '记分员乙', role: 'scorer', code: 'SCORERB1' });
  cookie.scorerA = await judgeLogin(app, 'SCORERA1');
  cookie.scorerB = await judgeLogin(app, 'SCORERB1');
});
afterAll(() => app.close());

describe('the marking sheets of a round', () => {
  it('has a sheet exactly for each seated judge and drawn number still taking part, leaving out recused pairs', async () => {
    const res = await sheetsOf(cookie.organiser!, s.eventId);
    expect(res.statusCode).toBe(200);
    const body = res.json<MarkingSheets>();
    expect(body.round).toMatchObject({ id: s.roundId, name: '决赛', status: 'open' });
    expect(body.parts.map((p) => p.id)).toEqual(['task1']);
    expect(body.parts[0]!.criteria).toEqual([
      { id: 'c1', name: '操作规范', max: 60, step: 0.5 },
      { id: 'c2', name: '完成质量', max: 40, step: 0.5 },
    ]);
    const seated = [s.judgeIds[0]!, s.judgeIds[1]!, s.judgeIds[2]!, colleagueId];
    const expected = seated.flatMap((judgeId) => [1, 2, 3, 4].filter((n) => !(judgeId === colleagueId && n % 2 === 0)).map((n) => `${judgeId}/${n}`));
    expect(body.sheets.map((x) => `${x.judgeId}/${x.number}`).sort()).toEqual(expected.sort());
    expect(body.sheets).toHaveLength(14);
    expect(body.recused).toEqual([
      { partId: 'task1', judgeId: colleagueId, number: 2 },
      { partId: 'task1', judgeId: colleagueId, number: 4 },
    ]);
    expect(body.withoutNumber).toBe(1);
    // Seats follow the seating order; every sheet names the whole rubric and its own QR address.
    const first = body.sheets.find((x) => x.judgeId === s.judgeIds[0] && x.number === 3)!;
    expect(first).toEqual({
      partId: 'task1',
      judgeId: s.judgeIds[0],
      judgeName: '裁判1',
      seat: 1,
      number: 3,
      criteria: ['c1', 'c2'],
      link: `/scorer?event=${s.eventId}&round=${s.roundId}&judge=${s.judgeIds[0]}&number=3&part=task1`,
    });
    expect(body.sheets.find((x) => x.judgeId === colleagueId)!.seat).toBe(4);
    // Ordered for handing out: by task, then by seat, then by number.
    expect(body.sheets.slice(0, 4).map((x) => [x.seat, x.number])).toEqual([
      [1, 1],
      [1, 2],
      [1, 3],
      [1, 4],
    ]);
  });

  it('says nothing about who is behind a number: no names, employers or ID numbers', async () => {
    const text = (await sheetsOf(cookie.chief!, s.eventId)).body;
    const rows = app.db.select({ name: people.name, idNumber: people.idNumber }).from(people).all();
    for (const p of rows) {
      expect(text).not.toContain(p.name);
      expect(text).not.toContain(p.idNumber);
      expect(text).not.toContain(p.idNumber.slice(0, 6));
    }
    for (const employer of ['国网肥西供电公司', '肥西消防救援大队']) expect(text).not.toContain(employer);
    expect(text).not.toMatch(/employer|idNumber|personId|entryId|delegation/);
  });

  it('gives one judge’s, one task’s or one number’s sheets', async () => {
    const one = (await sheetsOf(cookie.organiser!, s.eventId, `judgeId=${s.judgeIds[1]}`)).json<MarkingSheets>();
    expect(one.sheets.map((x) => x.number)).toEqual([1, 2, 3, 4]);
    // A judge of the event not seated on any task has no sheets.
    expect((await sheetsOf(cookie.organiser!, s.eventId, `judgeId=${s.judgeIds[3]}`)).json<MarkingSheets>().sheets).toEqual([]);
    const number = (await sheetsOf(cookie.organiser!, s.eventId, 'number=2&partId=task1')).json<MarkingSheets>();
    expect(number.sheets.map((x) => x.judgeId)).toEqual([s.judgeIds[0], s.judgeIds[1], s.judgeIds[2]]);
  });

  it('follows per-criterion panels, and the event’s judges where nobody is seated', async () => {
    const body = (await sheetsOf(cookie.otherChief!, other.eventId)).json<MarkingSheets>();
    expect(body.parts.map((p) => [p.id, p.marking])).toEqual([
      ['weld', 'rubric'],
      ['pipe', 'deduction'],
    ]);
    const weld = (judgeId: number) => body.sheets.find((x) => x.partId === 'weld' && x.judgeId === judgeId && x.number === 1);
    expect(weld(other.judgeIds[0]!)).toMatchObject({ seat: 1, criteria: ['w1'] });
    expect(weld(other.judgeIds[1]!)).toMatchObject({ seat: 2, criteria: ['w1', 'w2'] });
    expect(weld(other.judgeIds[2]!)).toMatchObject({ seat: 2, criteria: ['w2'] });
    // Pipe: no seats, so the event's judges (not the chief) mark it.
    const pipe = body.sheets.filter((x) => x.partId === 'pipe');
    expect([...new Set(pipe.map((x) => x.judgeId))]).toEqual(other.judgeIds);
    expect(pipe).toHaveLength(3 * 3);
    expect(body.sheets).toHaveLength(3 * 3 + 9);
  });

  it('refuses wrong parameters with a problem naming the field', async () => {
    const cases: [string, string, string][] = [
      ['partId=theory', 'query.partId', 'objective_part_staff_only'],
      ['partId=nosuch', 'query.partId', 'unknown_part'],
      ['partId=BAD PART', 'querystring.partId', ''],
      [`judgeId=${other.judgeIds[0]}`, 'query.judgeId', 'unknown_judge'],
      [`roundId=${other.roundId}`, 'query.roundId', 'unknown_round'],
      ['number=6', 'query.number', 'entry_not_in_round'],
      [`number=${outsiderEntryNumber}`, 'query.number', 'entry_not_in_round'],
      ['roundId=abc', 'querystring.roundId', ''],
    ];
    for (const [query, field, code] of cases) {
      const res = await sheetsOf(cookie.organiser!, s.eventId, query);
      expect(res.statusCode, query).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = res.json<{ code: string; errors: { field: string }[] }>();
      if (code) expect(problem.code, query).toBe(code);
      expect(problem.errors.map((e) => e.field).join(' '), query).toContain(field.replace(/^querystring\./, ''));
    }
  });

  it('is for the event’s organisers and its chief judge only', async () => {
    expect((await sheetsOf(cookie.admin!, s.eventId)).statusCode).toBe(200);
    expect((await sheetsOf(cookie.chief!, s.eventId)).statusCode).toBe(200);
    expect((await sheetsOf(null, s.eventId)).statusCode).toBe(401);
    for (const who of ['judge', 'supervisor', 'scorerA', 'viewer', 'hr', 'outsider', 'otherChief'])
      expect((await sheetsOf(cookie[who]!, s.eventId)).statusCode, who).toBe(403);
    expect((await sheetsOf(cookie.organiser!, 999_999)).statusCode).toBe(404);
  });
});

describe('a scorer opening a sheet from its QR code', () => {
  it('opens exactly the sheet the printed link names', async () => {
    const sheet = (await sheetsOf(cookie.organiser!, s.eventId)).json<MarkingSheets>().sheets.find((x) => x.judgeId === s.judgeIds[2] && x.number === 4)!;
    const params = new URL(sheet.link, 'http://venue.local').searchParams;
    const query = `eventId=${params.get('event')}&roundId=${params.get('round')}&judgeId=${params.get('judge')}&number=${params.get('number')}&partId=${params.get('part')}`;
    const res = await openSheet(cookie.scorerA!, query);
    expect(res.statusCode).toBe(200);
    const body = res.json<OpenedPaperSheet>();
    expect(body).toMatchObject({
      event: { id: s.eventId, name: '电工', released: false },
      round: { id: s.roundId, name: '决赛', status: 'open' },
      judge: { id: s.judgeIds[2], name: '裁判3' },
      number: 4,
      part: { id: 'task1', name: '技能操作' },
    });
    expect(body.criteria.map((c) => [c.partId, c.criterionId, c.max, c.step, c.marking])).toEqual([
      ['task1', 'c1', 60, 0.5, 'rubric'],
      ['task1', 'c2', 40, 0.5, 'rubric'],
    ]);
    expect(body.sheet.state).toBe('not_entered');
    expect(res.body).not.toContain('选手');
  });

  it('keeps the double entry blind: the second scorer sees that the sheet is open to them, never the first scorer’s values', async () => {
    const entered = await call(app, cookie.scorerA!, {
      method: 'POST',
      url: '/api/paper-entries',
      payload: {
        idempotencyKey: newKey(),
        eventId: s.eventId,
        roundId: s.roundId,
        judgeId: s.judgeIds[0],
        number: 1,
        marks: [
          { partId: 'task1', criterionId: 'c1', value: 47.5 },
          { partId: 'task1', criterionId: 'c2', value: 33 },
        ],
      },
    });
    expect(entered.statusCode).toBe(200);
    const query = `eventId=${s.eventId}&judgeId=${s.judgeIds[0]}&number=1&partId=task1`;
    const a = (await openSheet(cookie.scorerA!, query)).json<OpenedPaperSheet>();
    expect(a.sheet.state).toBe('waiting');
    expect(a.sheet.criteria.map((c) => c.myValue)).toEqual([47.5, 33]);
    const b = await openSheet(cookie.scorerB!, query);
    expect(b.json<OpenedPaperSheet>().sheet.state).toBe('not_entered');
    expect(b.json<OpenedPaperSheet>().sheet.criteria.every((c) => c.myValue === null && c.state === 'not_entered')).toBe(true);
    expect(b.body).not.toContain('47.5');
    expect(b.body).not.toMatch(/[^.\d]33[^.\d]/);
  });

  it('refuses a wrong or foreign sheet clearly, naming the field, instead of opening another one', async () => {
    const base = `eventId=${s.eventId}&roundId=${s.roundId}`;
    const cases: [string, number, string, string][] = [
      [`eventId=${other.eventId}&judgeId=${other.judgeIds[0]}&number=1`, 403, 'not_your_event', 'query.eventId'],
      [`eventId=${s.eventId}&roundId=${other.roundId}&judgeId=${s.judgeIds[0]}&number=1`, 400, 'unknown_round', 'query.roundId'],
      [`${base}&judgeId=${other.judgeIds[0]}&number=1`, 400, 'unknown_judge', 'query.judgeId'],
      [`${base}&judgeId=${s.judgeIds[3]}&number=1&partId=task1`, 400, 'not_on_panel', 'query.judgeId'],
      [`${base}&judgeId=${s.judgeIds[0]}&number=1&partId=theory`, 400, 'objective_part_staff_only', 'query.partId'],
      [`${base}&judgeId=${s.judgeIds[0]}&number=1&partId=nosuch`, 400, 'unknown_part', 'query.partId'],
      [`${base}&judgeId=${s.judgeIds[0]}&number=77`, 400, 'unknown_number', 'query.number'],
      [`${base}&judgeId=${s.judgeIds[0]}&number=${outsiderEntryNumber}`, 409, 'entry_not_in_round', 'query.number'],
      [`${base}&judgeId=${s.judgeIds[0]}&number=6`, 409, 'entry_not_taking_part', 'query.number'],
      [`${base}&judgeId=${colleagueId}&number=2&partId=task1`, 403, 'recused', 'query.number'],
    ];
    for (const [query, status, code, field] of cases) {
      const res = await openSheet(cookie.scorerA!, query);
      expect(res.statusCode, query).toBe(status);
      const problem = res.json<{ code: string; errors: { field: string }[] }>();
      expect(problem.code, query).toBe(code);
      expect(problem.errors.map((e) => e.field), query).toContain(field);
    }
    // Missing the judge or the number: a 400 naming it.
    const missing = await openSheet(cookie.scorerA!, `eventId=${s.eventId}&number=1`);
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('judgeId');
  });

  it('is for scorers only', async () => {
    const query = `eventId=${s.eventId}&judgeId=${s.judgeIds[0]}&number=1`;
    for (const who of ['chief', 'judge', 'supervisor', 'organiser']) expect((await openSheet(cookie[who]!, query)).statusCode, who).toBe(403);
  });

  it('works the same for a per-criterion panel: only the criteria the judge marks', async () => {
    makeJudge(app, other.eventId, { name: '记分员丙', role: 'scorer', code: 'SCORERC1' });
    const scorer = await judgeLogin(app, 'SCORERC1');
    const body = (await openSheet(scorer, `judgeId=${other.judgeIds[0]}&number=2&partId=weld`)).json<OpenedPaperSheet>();
    expect(body.criteria.map((c) => c.criterionId)).toEqual(['w1']);
    const pipe = (await openSheet(scorer, `judgeId=${other.judgeIds[0]}&number=2&partId=pipe`)).json<OpenedPaperSheet>();
    expect(pipe.criteria).toEqual([{ partId: 'pipe', partName: '管对接（扣分制）', marking: 'deduction', criterionId: 'p1', name: '操作失误', max: 50, step: 0.5 }]);
  });
});
