import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, people } from '../../db/schema.ts';
import { loginAs, makeOrg } from '../helpers/factories.ts';
import { residentId } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
let bureau: ReturnType<typeof makeOrg>;
let hr: string;
let viewer: string;
let personId: number;

beforeAll(async () => {
  app = await buildTestApp();
  bureau = makeOrg(app, { name: '肥西县人力资源和社会保障局', kind: 'hr_bureau' });
  hr = await loginAs(app, 'hr_officer', bureau.id);
  viewer = await loginAs(app, 'viewer', bureau.id);
  personId = app.db.insert(people).values({ orgId: bureau.id, name: '陈晓东', idNumber: residentId(31, '19870605'), gender: 'male', birthDate: '1987-06-05', skillLevel: 5 }).returning().get().id;
});
afterAll(() => app.close());

const issued = {
  occupationCode: '6-31-01-03',
  occupationName: '电工',
  level: 4,
  certificateNumber: 'Y000134000001264000123',
  issueDate: '2026-04-20',
  evaluationBody: '肥西县职业技能鉴定中心',
  basis: 'exam',
  theoryScore: 78,
  practicalScore: 85,
};

describe('certified skill levels', () => {
  it('records an issued certificate, raises the person’s level, and audits it', async () => {
    const res = await call(app, hr, { method: 'POST', url: '/api/certificates', payload: { ...issued, personId } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ levelLabel: '四级/中级工', status: 'issued', trade: '--', idNumber: residentId(31, '19870605') });
    expect(app.db.select().from(people).where(eq(people.id, personId)).get()!.skillLevel).toBe(4);
    expect(app.db.select().from(auditLog).where(eq(auditLog.action, 'certificate.create')).all()).toHaveLength(1);
  });

  it('refuses a number that disagrees with the record, naming the field and the reason', async () => {
    const wrongYear = await call(app, hr, { method: 'POST', url: '/api/certificates', payload: { ...issued, personId, certificateNumber: 'Y000134000001254000124' } });
    expect(wrongYear.statusCode).toBe(400);
    expect(wrongYear.json().errors[0].field).toBe('body.certificateNumber');
    const wrongLevel = await call(app, hr, { method: 'POST', url: '/api/certificates', payload: { ...issued, personId, certificateNumber: 'Y000134000001263000124' } });
    expect(wrongLevel.statusCode).toBe(400);
    const badFormat = await call(app, hr, { method: 'POST', url: '/api/certificates', payload: { ...issued, personId, certificateNumber: 'X12' } });
    expect(badFormat.statusCode).toBe(400);
    const missing = await call(app, hr, { method: 'POST', url: '/api/certificates', payload: { ...issued, personId, issueDate: null, evaluationBody: null } });
    expect(missing.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.evaluationBody', 'body.issueDate']);
    const duplicate = await call(app, hr, { method: 'POST', url: '/api/certificates', payload: { ...issued, personId } });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().code).toBe('certificate_number_taken');
  });

  it('completes and issues a pending record', async () => {
    const pending = await call(app, hr, {
      method: 'POST',
      url: '/api/certificates',
      payload: { personId, occupationCode: '6-31-01-03', occupationName: '电工', level: 3, basis: 'competition_promotion', status: 'pending' },
    });
    expect(pending.statusCode).toBe(201);
    const early = await call(app, hr, { method: 'PATCH', url: `/api/certificates/${pending.json().id}`, payload: { status: 'issued' } });
    expect(early.statusCode).toBe(400);
    const done = await call(app, hr, {
      method: 'PATCH',
      url: `/api/certificates/${pending.json().id}`,
      payload: { status: 'issued', certificateNumber: 'Y000134000001263000200', issueDate: '2026-11-30', evaluationBody: '肥西县职业技能鉴定中心' },
    });
    expect(done.statusCode).toBe(200);
    expect(done.json().status).toBe('issued');
    expect(app.db.select().from(people).where(eq(people.id, personId)).get()!.skillLevel).toBe(3);
    const back = await call(app, hr, { method: 'PATCH', url: `/api/certificates/${pending.json().id}`, payload: { status: 'pending' } });
    expect(back.json().code).toBe('already_issued');
  });

  it('lists in scope with masked IDs for a viewer; refuses editing by a viewer and outsiders', async () => {
    const list = await call(app, viewer, { method: 'GET', url: `/api/certificates?personId=${personId}` });
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBe(2);
    expect(list.json().items[0].idNumber).toMatch(/\*{8}/);
    expect((await call(app, viewer, { method: 'POST', url: '/api/certificates', payload: { ...issued, personId } })).statusCode).toBe(403);
    const outsider = await loginAs(app, 'hr_officer', makeOrg(app, { name: '长丰县人社局', kind: 'hr_bureau' }).id);
    const id = list.json().items[0].id;
    expect((await call(app, outsider, { method: 'GET', url: `/api/certificates/${id}` })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'GET', url: '/api/certificates' })).statusCode).toBe(401);
    const bad = await call(app, hr, { method: 'POST', url: '/api/certificates', payload: { ...issued, personId, level: 7 } });
    expect(bad.json().errors[0].field).toBe('body.level');
  });
});
