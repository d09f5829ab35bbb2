import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judges, people } from '../../db/schema.ts';
import { CSV_CONTENT_TYPE } from '../../server/contracts/import.ts';
import { normaliseEmployerName, sameEmployer } from '../../server/domain/recusal.ts';
import { loginAs, makeResidentId } from '../helpers/factories.ts';
import { judgeLogin, makeScenario, newKey, type Scenario } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
let s: Scenario;
let organiser: string;
let viewer: string;

const FIRM = '合肥顺达（机电）有限公司';

beforeAll(async () => {
  app = await buildTestApp();
  s = makeScenario(app, { entrants: 6, judgeCount: 5 });
  organiser = await loginAs(app, 'organiser', s.orgId);
  viewer = await loginAs(app, 'viewer', s.orgId);
});
afterAll(() => app.close());

const personOfEntry = (n: number) => app.db.select().from(people).where(eq(people.id, app.db.$client.prepare('select person_id from entries where id = ?').pluck().get(s.entryIds[n - 1]) as number)).get()!;

describe('an employer written as text (a small private firm)', () => {
  it('is kept on a person, shown as the employer, and never together with an organisation', async () => {
    const res = await call(app, organiser, { method: 'POST', url: '/api/people', payload: { name: '钱立新', idNumber: makeResidentId(), employerName: `  ${FIRM} ` } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ employerId: null, employerName: FIRM });
    const both = await call(app, organiser, {
      method: 'POST',
      url: '/api/people',
      payload: { name: '钱立新', idNumber: makeResidentId(), employerName: FIRM, employerId: s.employerIds[0] },
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().errors[0].field).toBe('body.employerName');
    // Choosing an organisation later replaces the text; the organisation's name is shown.
    const moved = await call(app, organiser, { method: 'PATCH', url: `/api/people/${res.json().id}`, payload: { employerId: s.employerIds[0] } });
    expect(moved.json()).toMatchObject({ employerId: s.employerIds[0], employerName: '国网肥西供电公司' });
    expect(app.db.select().from(people).where(eq(people.id, res.json().id)).get()!.employerName).toBeNull();
    const record = await call(app, viewer, { method: 'GET', url: `/api/people/${res.json().id}/record` });
    expect(record.json().employerName).toBe('国网肥西供电公司');
  });

  it('is accepted by the bulk registration and shown in the entrant list', async () => {
    const idNumber = makeResidentId();
    const res = await call(app, organiser, {
      method: 'POST',
      url: `/api/events/${s.eventId}/entries/bulk`,
      payload: { entries: [{ person: { name: '孙海波', idNumber, employerName: FIRM } }] },
    });
    expect(res.statusCode).toBe(200);
    const list = (await call(app, viewer, { method: 'GET', url: `/api/events/${s.eventId}/entries?q=孙海波` })).json();
    expect(list.items[0]).toMatchObject({ name: '孙海波', employerId: null, employerName: FIRM });
    const bad = await call(app, organiser, {
      method: 'POST',
      url: `/api/events/${s.eventId}/entries/bulk`,
      payload: { entries: [{ person: { name: '孙海涛', idNumber: makeResidentId(), employerName: FIRM, employerId: s.employerIds[1] } }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.entries.0.person.employerName');
  });

  it('comes from the entrant import when the sheet names no organisation, and the report lists it', async () => {
    const file = Buffer.from(`\uFEFF姓名,身份证号,工作单位\r\n赵一鸣,${makeResidentId()},肥西县 宏达 汽修厂\r\n钱二,${makeResidentId()},国网肥西供电公司\r\n`, 'utf8');
    const dry = await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/entries/import?dryRun=true`, headers: { 'content-type': CSV_CONTENT_TYPE }, payload: file });
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ valid: 2, created: 2, employersAsText: ['肥西县 宏达 汽修厂'] });
    const real = await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/entries/import`, headers: { 'content-type': CSV_CONTENT_TYPE }, payload: file });
    expect(real.json()).toMatchObject({ stored: true, created: 2 });
    const list = (await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}/entries?pageSize=100` })).json().items as { name: string; employerId: number | null; employerName: string }[];
    expect(list.find((e) => e.name === '赵一鸣')).toMatchObject({ employerId: null, employerName: '肥西县 宏达 汽修厂' });
    expect(list.find((e) => e.name === '钱二')).toMatchObject({ employerId: s.employerIds[0], employerName: '国网肥西供电公司' });
  });
});

describe('recusal with employers written as text', () => {
  const mark = (cookie: string, number: number) =>
    call(app, cookie, { method: 'POST', url: '/api/marks', payload: { marks: [{ idempotencyKey: newKey(), number, partId: 'task1', criterionId: 'c1', value: 30 }] } });

  it('compares a text employer by normalised name, with another text or an organisation’s name; organisations by identity', async () => {
    // Entrant 1 works for the firm (as text), entrant 2 for the first organisation, written as text.
    app.db.update(people).set({ employerId: null, employerName: '合肥顺达(机电)有限公司' }).where(eq(people.id, personOfEntry(1).id)).run();
    app.db.update(people).set({ employerId: null, employerName: '国网 肥西供电公司' }).where(eq(people.id, personOfEntry(2).id)).run();
    // Judge 1 gives the firm as text (spaces and full-width brackets), judge 2 is employed by the
    // first organisation, judge 3 by the second one; judges 4 and 5 have no employer.
    const edit = (judgeId: number, payload: object) => call(app, organiser, { method: 'PATCH', url: `/api/judges/${judgeId}`, payload });
    expect((await edit(s.judgeIds[0]!, { employerName: `合肥 ${FIRM.slice(2)}` })).json()).toMatchObject({ employerId: null, employerName: `合肥 ${FIRM.slice(2)}` });
    expect((await edit(s.judgeIds[1]!, { employerId: s.employerIds[0] })).json()).toMatchObject({ employerName: '国网肥西供电公司' });
    expect((await edit(s.judgeIds[2]!, { employerId: s.employerIds[1] })).statusCode).toBe(200);
    const both = await edit(s.judgeIds[3]!, { employerId: s.employerIds[1], employerName: FIRM });
    expect(both.statusCode).toBe(400);
    expect(both.json().errors[0].field).toBe('body.employerName');

    const [j1, j2, j3, j4] = await Promise.all(s.judgeCodes.slice(0, 4).map((c) => judgeLogin(app, c)));
    // The firm's judge stands aside from the firm's entrant (text against text).
    expect((await mark(j1!, 1)).json().code).toBe('recused');
    expect((await mark(j1!, 3)).statusCode).toBe(200);
    // The organisation's judge stands aside from an entrant who wrote its name as text.
    expect((await mark(j2!, 2)).json().code).toBe('recused');
    // Organisations compare by identity: entrant 3 works for the second organisation (judge 3), entrant 4 for the first (judge 2).
    expect((await mark(j3!, 3)).json().code).toBe('recused');
    expect((await mark(j3!, 4)).statusCode).toBe(200);
    expect((await mark(j2!, 4)).json().code).toBe('recused');
    expect((await mark(j2!, 3)).statusCode).toBe(200);
    expect((await mark(j4!, 1)).statusCode).toBe(200);

    // The chief judge's grid shows the same recusals.
    const chief = await judgeLogin(app, s.chiefCode);
    const progress = (await call(app, chief, { method: 'GET', url: `/api/events/${s.eventId}/progress` })).json();
    const cell = (number: number, judgeId: number) =>
      progress.rows.find((r: { number: number }) => r.number === number).cells.find((c: { judgeId: number }) => c.judgeId === judgeId);
    expect(cell(1, s.judgeIds[0]!).recused).toBe(true);
    expect(cell(2, s.judgeIds[1]!).recused).toBe(true);
    expect(cell(3, s.judgeIds[0]!).recused).toBe(false);
    expect(cell(3, s.judgeIds[2]!).recused).toBe(true);
    expect(cell(1, s.judgeIds[3]!).recused).toBe(false);
    expect(app.db.select().from(judges).where(eq(judges.id, s.judgeIds[1]!)).get()!.employerName).toBeNull();
  });

  it('normalises names but guesses nothing else', () => {
    expect(normaliseEmployerName(' 合肥顺达（机电）有限公司 ')).toBe(normaliseEmployerName('合肥顺达(机电)有限公司'));
    expect(normaliseEmployerName('ＡＢＣ 科技')).toBe('abc科技');
    expect(sameEmployer({ organisationId: null, name: '合肥顺达' }, { organisationId: null, name: '合肥顺达有限公司' })).toBe(false);
    expect(sameEmployer({ organisationId: 1, name: 'A厂' }, { organisationId: 2, name: 'A厂' })).toBe(false);
    expect(sameEmployer({ organisationId: 1, name: 'A厂' }, { organisationId: null, name: 'a 厂' })).toBe(true);
    expect(sameEmployer({ organisationId: null, name: null }, { organisationId: null, name: null })).toBe(false);
    expect(sameEmployer({ organisationId: null, name: '（）' }, { organisationId: null, name: '()' })).toBe(false);
  });
});
