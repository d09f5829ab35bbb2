import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, entries, events, skillCertificates } from '../../db/schema.ts';
import { residentIdCheckChar } from '../../server/domain/resident-id.ts';
import { loginAs, makeCompetition, makeOrg, makePerson, makeResidentId } from '../helpers/factories.ts';
import { buildTestApp, call, rootOrg, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
let county: ReturnType<typeof makeOrg>;
let otherCounty: ReturnType<typeof makeOrg>;
let employer: ReturnType<typeof makeOrg>;
let admin: string;
let organiser: string;
let hrOfficer: string;
let viewer: string;
let studioOfficer: string;
let otherOrganiser: string;

beforeAll(async () => {
  app = await buildTestApp();
  rootOrg(app);
  county = makeOrg(app, { name: '肥西县总工会' });
  otherCounty = makeOrg(app, { name: '庐江县总工会', regionCode: '340124' });
  employer = makeOrg(app, { name: '合肥某电力公司', kind: 'employer', level: 'enterprise', parentId: county.id });
  admin = await loginAs(app, 'admin');
  organiser = await loginAs(app, 'organiser', county.id);
  hrOfficer = await loginAs(app, 'hr_officer', county.id);
  viewer = await loginAs(app, 'viewer', county.id);
  studioOfficer = await loginAs(app, 'studio_officer', county.id);
  otherOrganiser = await loginAs(app, 'organiser', otherCounty.id);
});
afterAll(() => app.close());

/** A valid ID number with a chosen birth date and sequence (odd = male). */
function idOf(birth: string, sequence: string): string {
  const first17 = `340123${birth}${sequence}`;
  return first17 + residentIdCheckChar(first17);
}

function masked(id: string): string {
  return `${id.slice(0, 6)}********${id.slice(14)}`;
}

function createPerson(cookie: string | null, overrides: Record<string, unknown> = {}) {
  return call(app, cookie, {
    method: 'POST',
    url: '/api/people',
    payload: { name: '王师傅', idNumber: makeResidentId(), ...overrides },
  });
}

/** An entry for the person in a fresh event, so the person counts as used. */
function enter(personId: number) {
  const competition = makeCompetition(app, { orgId: county.id });
  const event = app.db
    .insert(events)
    .values({ competitionId: competition.id, name: '配电线路工', occupationCode: '6-28-01-05', occupationName: '配电线路工', scheme: {} as never })
    .returning()
    .get();
  app.db.insert(entries).values({ eventId: event.id, personId }).run();
}

describe('POST /api/people', () => {
  it('registers a worker, derives gender and birth date, and keeps them in the caller’s organisation', async () => {
    const idNumber = idOf('19850312', '123');
    const res = await createPerson(hrOfficer, {
      name: '李明',
      idNumber: ` ${idNumber.toLowerCase()} `,
      // Ignored: both come from the ID number.
      gender: 'female',
      birthDate: '2000-01-01',
      phone: '13912345678',
      employerId: employer.id,
      occupationCode: '6-31-01-03',
      occupationName: '电工',
      skillLevel: 3,
    });
    expect(res.statusCode).toBe(201);
    const person = res.json();
    expect(person).toMatchObject({
      name: '李明',
      idNumber,
      gender: 'male',
      birthDate: '1985-03-12',
      phone: '13912345678',
      employerId: employer.id,
      orgId: county.id,
      occupationCode: '6-31-01-03',
      skillLevel: 3,
    });
    const audit = app.db.select().from(auditLog).where(and(eq(auditLog.action, 'person.create'), eq(auditLog.entityId, person.id))).get();
    expect(audit?.orgId).toBe(county.id);
  });

  it.each([
    ['format', '34012319850312123', 'id_number_format'],
    ['birth date', idOf('19850230', '123'), 'id_number_birth_date'],
    ['check character', idOf('19850312', '123').slice(0, 17) + (idOf('19850312', '123').endsWith('0') ? '1' : '0'), 'id_number_check_char'],
  ])('refuses an ID number with a wrong %s, naming the field and the reason', async (_label, idNumber, code) => {
    const res = await createPerson(organiser, { idNumber });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe(code);
    expect(body.errors[0].field).toBe('body.idNumber');
    expect(body.errors[0].message.length).toBeGreaterThan(0);
  });

  it.each([
    ['phone', { phone: '021-1234567' }],
    ['occupationCode', { occupationCode: '6-31-01' }],
    ['skillLevel', { skillLevel: 6 }],
    ['name', { name: '' }],
  ])('names a bad %s', async (field, overrides) => {
    const res = await createPerson(organiser, overrides);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe(`body.${field}`);
  });

  it('names an employer that does not exist', async () => {
    const res = await createPerson(organiser, { employerId: 999_999 });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('body.employerId');
  });

  it('refuses a duplicate ID number and points at the person who has it', async () => {
    const existing = makePerson(app, { orgId: county.id });
    const res = await createPerson(organiser, { idNumber: existing.idNumber });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('person_exists');
    expect(res.json().detail).toContain(String(existing.id));
  });

  it('refuses read-only roles and anyone signed out', async () => {
    expect((await createPerson(viewer)).statusCode).toBe(403);
    expect((await createPerson(studioOfficer)).statusCode).toBe(403);
    expect((await createPerson(null)).statusCode).toBe(401);
  });

  it('refuses keeping organisations and employers outside the subtree', async () => {
    expect((await createPerson(organiser, { orgId: otherCounty.id })).statusCode).toBe(403);
    expect((await createPerson(otherOrganiser, { employerId: employer.id })).statusCode).toBe(403);
  });
});

describe('GET /api/people', () => {
  it('filters on name, employer, occupation, skill level and organisation', async () => {
    const welder = makePerson(app, { orgId: county.id, name: '焊工赵', employerId: employer.id, occupationCode: '6-18-02-04', skillLevel: 2 });
    makePerson(app, { orgId: county.id, name: '焊工钱', occupationCode: '6-18-02-04', skillLevel: 4 });
    const ids = async (query: string) =>
      (await call(app, organiser, { method: 'GET', url: `/api/people?${query}` })).json().items.map((p: { id: number }) => p.id);

    expect(await ids(`q=${encodeURIComponent('焊工赵')}`)).toEqual([welder.id]);
    expect(await ids(`occupationCode=6-18-02-04&skillLevel=2`)).toEqual([welder.id]);
    expect(await ids(`employerId=${employer.id}&q=${encodeURIComponent('焊工')}`)).toEqual([welder.id]);
    expect(await ids(`orgId=${employer.id}`)).toEqual([]);
  });

  it('masks ID numbers for viewers and studio officers only', async () => {
    const person = makePerson(app, { orgId: county.id, name: '掩码测试' });
    const url = `/api/people?q=${encodeURIComponent('掩码测试')}`;
    for (const [cookie, expected] of [
      [organiser, person.idNumber],
      [hrOfficer, person.idNumber],
      [admin, person.idNumber],
      [viewer, masked(person.idNumber)],
      [studioOfficer, masked(person.idNumber)],
    ] as const) {
      const res = await call(app, cookie, { method: 'GET', url });
      expect(res.json().items[0].idNumber).toBe(expected);
    }
  });

  it('keeps a county to its own people', async () => {
    const theirs = makePerson(app, { orgId: otherCounty.id });
    const mine = makePerson(app, { orgId: employer.id });
    const res = await call(app, organiser, { method: 'GET', url: '/api/people?pageSize=500' });
    const ids = res.json().items.map((p: { id: number }) => p.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
    const total = res.json().total;
    expect(total).toBe(ids.length);
  });

  it('names a bad filter and refuses anyone signed out', async () => {
    const res = await call(app, organiser, { method: 'GET', url: '/api/people?skillLevel=9' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('querystring.skillLevel');
    expect((await call(app, null, { method: 'GET', url: '/api/people' })).statusCode).toBe(401);
  });
});

describe('GET /api/people/:id', () => {
  it('gets a person, full ID number for editors and masked for viewers', async () => {
    const person = makePerson(app, { orgId: county.id });
    const full = await call(app, hrOfficer, { method: 'GET', url: `/api/people/${person.id}` });
    expect(full.statusCode).toBe(200);
    expect(full.json()).toMatchObject({ id: person.id, idNumber: person.idNumber, gender: person.gender, birthDate: person.birthDate });
    const part = await call(app, viewer, { method: 'GET', url: `/api/people/${person.id}` });
    expect(part.json().idNumber).toBe(masked(person.idNumber));
  });

  it('answers 404 for an unknown person and 400 for a bad id', async () => {
    expect((await call(app, organiser, { method: 'GET', url: '/api/people/999999' })).statusCode).toBe(404);
    const res = await call(app, organiser, { method: 'GET', url: '/api/people/x' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('params.id');
  });

  it('refuses another county and anyone signed out', async () => {
    const person = makePerson(app, { orgId: county.id });
    expect((await call(app, otherOrganiser, { method: 'GET', url: `/api/people/${person.id}` })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'GET', url: `/api/people/${person.id}` })).statusCode).toBe(401);
  });
});

describe('GET /api/people/by-id-number/:idNumber', () => {
  it('finds a person by ID number, with a lower-case x too', async () => {
    const idNumber = Array.from({ length: 1000 }, (_, i) => idOf('19790101', String(i).padStart(3, '0'))).find((id) => id.endsWith('X'))!;
    const person = makePerson(app, { orgId: county.id, idNumber });
    const res = await call(app, organiser, { method: 'GET', url: `/api/people/by-id-number/${idNumber.toLowerCase()}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: person.id, idNumber });
    const asViewer = await call(app, viewer, { method: 'GET', url: `/api/people/by-id-number/${idNumber}` });
    expect(asViewer.json().idNumber).toBe(masked(idNumber));
  });

  it('answers 404 for an unknown number and 400 naming the parameter for a malformed one', async () => {
    expect((await call(app, organiser, { method: 'GET', url: `/api/people/by-id-number/${idOf('19700101', '999')}` })).statusCode).toBe(404);
    const res = await call(app, organiser, { method: 'GET', url: '/api/people/by-id-number/12345' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('params.idNumber');
  });

  it('answers another county as if nobody held the number, and refuses anyone signed out', async () => {
    const person = makePerson(app, { orgId: county.id });
    const url = `/api/people/by-id-number/${person.idNumber}`;
    // 404, not 403: a refusal would confirm the number is registered elsewhere.
    expect((await call(app, otherOrganiser, { method: 'GET', url })).statusCode).toBe(404);
    expect((await call(app, null, { method: 'GET', url })).statusCode).toBe(401);
  });
});

describe('PATCH /api/people/:id', () => {
  it('changes only what is sent; a new ID number re-derives gender and birth date', async () => {
    const person = makePerson(app, { orgId: county.id, phone: '13800000000', skillLevel: 4, occupationCode: '6-31-01-03', idNumber: idOf('19880808', '135') });
    const newId = idOf('19920704', '246');
    const res = await call(app, hrOfficer, {
      method: 'PATCH',
      url: `/api/people/${person.id}`,
      payload: { skillLevel: 3, phone: null, idNumber: newId },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      skillLevel: 3,
      phone: null,
      idNumber: newId,
      gender: 'female',
      birthDate: '1992-07-04',
      occupationCode: '6-31-01-03',
      name: person.name,
    });
    const audit = app.db.select().from(auditLog).where(and(eq(auditLog.action, 'person.update'), eq(auditLog.entityId, person.id))).get();
    expect(audit?.before).toMatchObject({ skillLevel: 4 });
    expect(audit?.after).toMatchObject({ skillLevel: 3 });
  });

  it('names a bad ID number and refuses one someone else has', async () => {
    const person = makePerson(app, { orgId: county.id });
    const other = makePerson(app, { orgId: county.id });
    const bad = await call(app, organiser, { method: 'PATCH', url: `/api/people/${person.id}`, payload: { idNumber: idOf('21000101', '123') } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.idNumber');
    const taken = await call(app, organiser, { method: 'PATCH', url: `/api/people/${person.id}`, payload: { idNumber: other.idNumber } });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('person_exists');
    // Re-sending one's own number is not a clash.
    const same = await call(app, organiser, { method: 'PATCH', url: `/api/people/${person.id}`, payload: { idNumber: person.idNumber } });
    expect(same.statusCode).toBe(200);
  });

  it('refuses read-only roles, another county and anyone signed out', async () => {
    const person = makePerson(app, { orgId: county.id, name: '不可改' });
    const patch = { method: 'PATCH' as const, url: `/api/people/${person.id}`, payload: { name: '改了' } };
    expect((await call(app, viewer, patch)).statusCode).toBe(403);
    expect((await call(app, studioOfficer, patch)).statusCode).toBe(403);
    expect((await call(app, otherOrganiser, patch)).statusCode).toBe(403);
    expect((await call(app, null, patch)).statusCode).toBe(401);
    // Nor may a person be moved out of the subtree.
    const move = await call(app, organiser, { method: 'PATCH', url: `/api/people/${person.id}`, payload: { orgId: otherCounty.id } });
    expect(move.statusCode).toBe(403);
    expect((await call(app, admin, { method: 'GET', url: `/api/people/${person.id}` })).json()).toMatchObject({ name: '不可改', orgId: county.id });
  });
});

describe('DELETE /api/people/:id', () => {
  it('deletes a person without entries', async () => {
    const person = makePerson(app, { orgId: county.id });
    const res = await call(app, organiser, { method: 'DELETE', url: `/api/people/${person.id}` });
    expect(res.statusCode).toBe(200);
    expect((await call(app, organiser, { method: 'GET', url: `/api/people/${person.id}` })).statusCode).toBe(404);
    const audit = app.db.select().from(auditLog).where(and(eq(auditLog.action, 'person.delete'), eq(auditLog.entityId, person.id))).get();
    expect(audit?.before).toMatchObject({ idNumber: person.idNumber });
  });

  it('refuses to delete a person who has entries', async () => {
    const person = makePerson(app, { orgId: county.id });
    enter(person.id);
    const res = await call(app, organiser, { method: 'DELETE', url: `/api/people/${person.id}` });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('person_in_use');
  });

  it('refuses to delete a person with a certified level, naming what refers to them (not a 500)', async () => {
    const person = makePerson(app, { orgId: county.id });
    app.db
      .insert(skillCertificates)
      .values({ personId: person.id, orgId: county.id, occupationCode: '6-31-01-03', occupationName: '电工', level: 3, basis: 'exam', status: 'pending' })
      .run();
    const res = await call(app, organiser, { method: 'DELETE', url: `/api/people/${person.id}` });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'person_in_use', params: { 'skill_certificates.person_id': 1 } });
  });

  it('names a bad id', async () => {
    const res = await call(app, organiser, { method: 'DELETE', url: '/api/people/-1' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('params.id');
  });

  it('refuses read-only roles, another county and anyone signed out', async () => {
    const person = makePerson(app, { orgId: county.id });
    const del = { method: 'DELETE' as const, url: `/api/people/${person.id}` };
    expect((await call(app, viewer, del)).statusCode).toBe(403);
    expect((await call(app, studioOfficer, del)).statusCode).toBe(403);
    expect((await call(app, otherOrganiser, del)).statusCode).toBe(403);
    expect((await call(app, null, del)).statusCode).toBe(401);
    expect((await call(app, organiser, { method: 'GET', url: `/api/people/${person.id}` })).statusCode).toBe(200);
  });
});
