import { and, count, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditLog, entries, marks, people, roundEntries } from '../../db/schema.ts';
import { residentIdCheckChar } from '../../server/domain/resident-id.ts';
import { loginAs, makeCompetition, makeEntry, makeEvent, makeJudge, makeOrg, makePerson } from '../helpers/factories.ts';
import { buildTestApp, call, rootOrg, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
let admin: string;
let organiser: string;
let viewer: string;
let county: ReturnType<typeof makeOrg>;
let countyOrganiser: string;

beforeAll(async () => {
  app = await buildTestApp();
  rootOrg(app);
  admin = await loginAs(app, 'admin');
  organiser = await loginAs(app, 'organiser');
  viewer = await loginAs(app, 'viewer');
  county = makeOrg(app, { name: '肥西县总工会' });
  countyOrganiser = await loginAs(app, 'organiser', county.id);
});
afterAll(() => app.close());

let seq = 100;
/** A valid resident ID born 1990-03-07 in 肥西县, distinct on each call. */
function residentId(): string {
  const first17 = `34012319900307${String(seq++).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

function markEntry(event: ReturnType<typeof makeEvent>, entryId: number, partId = 'theory', criterionId = partId) {
  const judge = makeJudge(app, event.id);
  app.db
    .insert(marks)
    .values({ roundId: event.round.id, entryId, judgeId: judge.id, partId, criterionId, version: 1, value: 30, enteredAt: new Date() })
    .run();
}

function latestAudit(action: string) {
  return app.db.select().from(auditLog).where(eq(auditLog.action, action)).orderBy(desc(auditLog.id)).get();
}

const entriesOf = (eventId: number) => app.db.select().from(entries).where(eq(entries.eventId, eventId)).all();

describe('POST /api/events/:id/entries', () => {
  it('enters a person, puts the entry in the first round and audits it', async () => {
    const event = makeEvent(app);
    const person = makePerson(app);
    const team = makeOrg(app, { name: '国网合肥供电公司代表队', kind: 'employer' });
    const res = await call(app, organiser, { method: 'POST', url: `/api/events/${event.id}/entries`, payload: { personId: person.id, delegationId: team.id } });
    expect(res.statusCode).toBe(201);
    const entry = res.json();
    expect(entry).toMatchObject({ personId: person.id, name: person.name, idNumber: person.idNumber, status: 'registered', drawnNumber: null, delegationName: '国网合肥供电公司代表队' });
    expect(app.db.select().from(roundEntries).where(eq(roundEntries.entryId, entry.id)).all()).toEqual([
      expect.objectContaining({ roundId: event.round.id, completionSeconds: null, difficulty: {} }),
    ]);
    expect(latestAudit('entry.create')?.entityId).toBe(entry.id);
  });

  it('refuses to enter the same person twice', async () => {
    const event = makeEvent(app);
    const person = makePerson(app);
    await call(app, organiser, { method: 'POST', url: `/api/events/${event.id}/entries`, payload: { personId: person.id } });
    const again = await call(app, organiser, { method: 'POST', url: `/api/events/${event.id}/entries`, payload: { personId: person.id } });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('already_entered');
    expect(entriesOf(event.id)).toHaveLength(1);
  });

  it('needs a reason to register someone as disqualified', async () => {
    const event = makeEvent(app);
    const res = await call(app, organiser, {
      method: 'POST',
      url: `/api/events/${event.id}/entries`,
      payload: { personId: makePerson(app).id, status: 'disqualified' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toEqual({ field: 'body.disqualifiedReason', message: 'a disqualification needs a reason' });
  });

  it('only enters people kept in the caller’s or the competition owner’s subtree', async () => {
    const event = makeEvent(app, { competitionId: makeCompetition(app, { orgId: county.id }).id });
    const other = makeOrg(app, { name: '庐江县总工会' });
    const outsider = makePerson(app, { orgId: other.id });
    const res = await call(app, countyOrganiser, { method: 'POST', url: `/api/events/${event.id}/entries`, payload: { personId: outsider.id } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('body.personId');
    const local = makePerson(app, { orgId: county.id });
    expect((await call(app, countyOrganiser, { method: 'POST', url: `/api/events/${event.id}/entries`, payload: { personId: local.id } })).statusCode).toBe(201);
  });

  it('refuses a viewer, anyone signed out and an organiser outside the subtree', async () => {
    const event = makeEvent(app);
    const payload = { personId: makePerson(app).id };
    const url = `/api/events/${event.id}/entries`;
    expect((await call(app, viewer, { method: 'POST', url, payload })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'POST', url, payload })).statusCode).toBe(401);
    expect((await call(app, countyOrganiser, { method: 'POST', url, payload })).statusCode).toBe(403);
  });
});

describe('GET /api/events/:id/entries', () => {
  it('lists entries with names, employers and delegations, masking ID numbers for a viewer', async () => {
    const event = makeEvent(app);
    const employer = makeOrg(app, { name: '合肥市轨道交通集团', kind: 'employer' });
    const team = makeOrg(app, { name: '合肥市代表队' });
    const wang = makePerson(app, { name: '王建国', employerId: employer.id });
    makeEntry(app, event, { personId: wang.id, delegationId: team.id });
    makeEntry(app, event, { status: 'absent' });

    const asViewer = (await call(app, viewer, { method: 'GET', url: `/api/events/${event.id}/entries?q=建国` })).json();
    expect(asViewer.total).toBe(1);
    expect(asViewer.items[0]).toMatchObject({ name: '王建国', employerName: '合肥市轨道交通集团', delegationName: '合肥市代表队' });
    expect(asViewer.items[0].idNumber).toBe(`${wang.idNumber.slice(0, 6)}********${wang.idNumber.slice(14)}`);

    const asOrganiser = (await call(app, organiser, { method: 'GET', url: `/api/events/${event.id}/entries?delegationId=${team.id}` })).json();
    expect(asOrganiser.items.map((e: { idNumber: string }) => e.idNumber)).toEqual([wang.idNumber]);
    const absent = (await call(app, viewer, { method: 'GET', url: `/api/events/${event.id}/entries?status=absent&pageSize=10` })).json();
    expect(absent.items.map((e: { status: string }) => e.status)).toEqual(['absent']);
  });

  it('names a bad status filter', async () => {
    const event = makeEvent(app);
    const res = await call(app, viewer, { method: 'GET', url: `/api/events/${event.id}/entries?status=gone` });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('querystring.status');
  });

  it('refuses anyone signed out and staff outside the subtree', async () => {
    const event = makeEvent(app);
    expect((await call(app, null, { method: 'GET', url: `/api/events/${event.id}/entries` })).statusCode).toBe(401);
    expect((await call(app, countyOrganiser, { method: 'GET', url: `/api/events/${event.id}/entries` })).statusCode).toBe(403);
  });
});

describe('GET/PATCH/DELETE /api/entries/:id', () => {
  it('gets one entry', async () => {
    const event = makeEvent(app);
    const entry = makeEntry(app, event);
    const res = await call(app, viewer, { method: 'GET', url: `/api/entries/${entry.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: entry.id, eventId: event.id });
    expect(res.json().idNumber).toContain('********');
  });

  it('refuses a bad id, anyone signed out and staff outside the subtree', async () => {
    expect((await call(app, viewer, { method: 'GET', url: '/api/entries/abc' })).json().errors[0].field).toBe('params.id');
    const entry = makeEntry(app, makeEvent(app));
    expect((await call(app, null, { method: 'GET', url: `/api/entries/${entry.id}` })).statusCode).toBe(401);
    expect((await call(app, countyOrganiser, { method: 'GET', url: `/api/entries/${entry.id}` })).statusCode).toBe(403);
  });

  it('changes the delegation and keeps a reason only while disqualified', async () => {
    const event = makeEvent(app);
    const entry = makeEntry(app, event);
    const team = makeOrg(app, { name: '巢湖市代表队' });
    const moved = await call(app, organiser, { method: 'PATCH', url: `/api/entries/${entry.id}`, payload: { delegationId: team.id } });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ delegationId: team.id, delegationName: '巢湖市代表队', status: 'registered' });
    const dq = await call(app, organiser, { method: 'PATCH', url: `/api/entries/${entry.id}`, payload: { status: 'disqualified', disqualifiedReason: '冒名顶替' } });
    expect(dq.json()).toMatchObject({ status: 'disqualified', disqualifiedReason: '冒名顶替', delegationId: team.id });
    const back = await call(app, organiser, { method: 'PATCH', url: `/api/entries/${entry.id}`, payload: { status: 'registered' } });
    expect(back.json()).toMatchObject({ status: 'registered', disqualifiedReason: null });
    expect(latestAudit('entry.update')).toMatchObject({ entityId: entry.id, before: { status: 'disqualified' }, after: { status: 'registered' } });
  });

  it('refuses a disqualification without a reason and an unknown delegation', async () => {
    const entry = makeEntry(app, makeEvent(app));
    const dq = await call(app, organiser, { method: 'PATCH', url: `/api/entries/${entry.id}`, payload: { status: 'disqualified' } });
    expect(dq.statusCode).toBe(400);
    expect(dq.json().errors[0].field).toBe('body.disqualifiedReason');
    const team = await call(app, organiser, { method: 'PATCH', url: `/api/entries/${entry.id}`, payload: { delegationId: 999999 } });
    expect(team.statusCode).toBe(400);
    expect(team.json().errors[0].field).toBe('body.delegationId');
  });

  it('refuses a viewer changing an entry', async () => {
    const entry = makeEntry(app, makeEvent(app));
    expect((await call(app, viewer, { method: 'PATCH', url: `/api/entries/${entry.id}`, payload: { status: 'absent' } })).statusCode).toBe(403);
  });

  it('withdraws an unmarked entry but not a marked one', async () => {
    const event = makeEvent(app);
    const entry = makeEntry(app, event);
    const res = await call(app, organiser, { method: 'DELETE', url: `/api/entries/${entry.id}` });
    expect(res.statusCode).toBe(200);
    expect(entriesOf(event.id)).toEqual([]);
    expect(latestAudit('entry.delete')?.entityId).toBe(entry.id);

    const marked = makeEntry(app, event);
    markEntry(event, marked.id);
    const refused = await call(app, organiser, { method: 'DELETE', url: `/api/entries/${marked.id}` });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('marks_exist');
  });

  it('refuses deleting with a bad id or as a viewer', async () => {
    expect((await call(app, organiser, { method: 'DELETE', url: '/api/entries/1.5' })).json().errors[0].field).toBe('params.id');
    const entry = makeEntry(app, makeEvent(app));
    expect((await call(app, viewer, { method: 'DELETE', url: `/api/entries/${entry.id}` })).statusCode).toBe(403);
  });
});

describe('POST /api/entries/:id/status', () => {
  it('checks an entrant in, audits it and refreshes the ranking', async () => {
    const event = makeEvent(app);
    const entry = makeEntry(app, event);
    const invalidate = vi.spyOn(app.rankings, 'invalidate');
    const res = await call(app, organiser, { method: 'POST', url: `/api/entries/${entry.id}/status`, payload: { status: 'checked_in' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('checked_in');
    expect(invalidate).toHaveBeenCalledWith(event.id);
    invalidate.mockRestore();
    expect(latestAudit('entry.status')).toMatchObject({ entityId: entry.id, before: { status: 'registered' }, after: { status: 'checked_in' } });
  });

  it('disqualifies with a reason and resets to registered', async () => {
    const entry = makeEntry(app, makeEvent(app));
    const dq = await call(app, organiser, { method: 'POST', url: `/api/entries/${entry.id}/status`, payload: { status: 'disqualified', reason: '未按时检录' } });
    expect(dq.json()).toMatchObject({ status: 'disqualified', disqualifiedReason: '未按时检录' });
    const back = await call(app, organiser, { method: 'POST', url: `/api/entries/${entry.id}/status`, payload: { status: 'registered' } });
    expect(back.json()).toMatchObject({ status: 'registered', disqualifiedReason: null });
  });

  it('needs a reason to disqualify', async () => {
    const entry = makeEntry(app, makeEvent(app));
    const res = await call(app, organiser, { method: 'POST', url: `/api/entries/${entry.id}/status`, payload: { status: 'disqualified' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('body.reason');
  });

  it('refuses a viewer and anyone signed out', async () => {
    const entry = makeEntry(app, makeEvent(app));
    const payload = { status: 'checked_in' };
    expect((await call(app, viewer, { method: 'POST', url: `/api/entries/${entry.id}/status`, payload })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'POST', url: `/api/entries/${entry.id}/status`, payload })).statusCode).toBe(401);
  });
});

describe('POST /api/events/:id/entries/bulk', () => {
  const peopleCount = () => app.db.select({ n: count() }).from(people).get()!.n;

  it('registers known and new people, deriving gender and birth date', async () => {
    const competition = makeCompetition(app, { orgId: county.id });
    const event = makeEvent(app, { competitionId: competition.id });
    const known = makePerson(app, { orgId: county.id });
    const team = makeOrg(app, { parentId: county.id, name: '桃花工业园代表队' });
    const newId = residentId();
    const res = await call(app, countyOrganiser, {
      method: 'POST',
      url: `/api/events/${event.id}/entries/bulk`,
      payload: {
        entries: [
          { personId: known.id },
          { person: { name: '李秀英', idNumber: newId.toLowerCase(), phone: '13800000000', occupationCode: '6-31-01-03', skillLevel: 4 }, delegationId: team.id },
        ],
      },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ created: 2, existing: 0, peopleCreated: 1 });
    expect(body.rows.map((r: { index: number; outcome: string }) => [r.index, r.outcome])).toEqual([
      [0, 'created'],
      [1, 'created'],
    ]);
    const created = app.db.select().from(people).where(eq(people.idNumber, newId)).get()!;
    // The 17th digit decides the gender (odd = male).
    expect(created).toMatchObject({ name: '李秀英', birthDate: '1990-03-07', orgId: county.id, skillLevel: 4, gender: Number(newId[16]) % 2 ? 'male' : 'female' });
    expect(entriesOf(event.id).find((e) => e.personId === created.id)?.delegationId).toBe(team.id);
    expect(app.db.select().from(roundEntries).where(eq(roundEntries.roundId, event.round.id)).all()).toHaveLength(2);
  });

  it('stores nothing when one ID number is wrong, and names every bad row', async () => {
    const event = makeEvent(app);
    const good = residentId();
    const wrongCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const before = peopleCount();
    const res = await call(app, organiser, {
      method: 'POST',
      url: `/api/events/${event.id}/entries/bulk`,
      payload: {
        entries: [
          { person: { name: '张三', idNumber: residentId() } },
          { person: { name: '李四', idNumber: wrongCheck } },
          { person: { name: '王五', idNumber: residentId() } },
          { person: { name: '赵六', idNumber: '34012319991399001X' } },
          { personId: 999999 },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    const errors = res.json().errors as { field: string; message: string }[];
    expect(errors.map((e) => e.field)).toEqual(['body.entries.1.person.idNumber', 'body.entries.3.person.idNumber', 'body.entries.4.personId']);
    expect(errors[0]!.message).toContain('check character');
    expect(res.json().detail).toContain('3 of 5 rows');
    expect(entriesOf(event.id)).toEqual([]);
    expect(peopleCount()).toBe(before);
  });

  it('refuses a known ID number under a different name', async () => {
    const event = makeEvent(app);
    const known = makePerson(app, { name: '陈明' });
    const res = await call(app, organiser, {
      method: 'POST',
      url: `/api/events/${event.id}/entries/bulk`,
      payload: { entries: [{ person: { name: '陈敏', idNumber: known.idNumber } }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('body.entries.0.person.name');
  });

  it('creates no duplicates when the same sheet is sent again', async () => {
    const event = makeEvent(app);
    const payload = {
      entries: [{ person: { name: '刘洋', idNumber: residentId() } }, { person: { name: '周敏', idNumber: residentId() } }],
    };
    const first = await call(app, organiser, { method: 'POST', url: `/api/events/${event.id}/entries/bulk`, payload });
    const peopleAfterFirst = peopleCount();
    const second = await call(app, organiser, { method: 'POST', url: `/api/events/${event.id}/entries/bulk`, payload });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ created: 0, existing: 2, peopleCreated: 0 });
    expect(second.json().rows.map((r: { entryId: number }) => r.entryId)).toEqual(first.json().rows.map((r: { entryId: number }) => r.entryId));
    expect(entriesOf(event.id)).toHaveLength(2);
    expect(peopleCount()).toBe(peopleAfterFirst);
    expect(latestAudit('entry.bulk_create')).toMatchObject({ entityId: event.id, after: { created: [], existing: expect.any(Array) } });
  });

  it('names a row that has neither personId nor person, and refuses more than 2,000 rows', async () => {
    const event = makeEvent(app);
    const empty = await call(app, organiser, { method: 'POST', url: `/api/events/${event.id}/entries/bulk`, payload: { entries: [{ delegationId: null }] } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors[0].field).toBe('body.entries.0.personId');
    const tooMany = await call(app, organiser, {
      method: 'POST',
      url: `/api/events/${event.id}/entries/bulk`,
      payload: { entries: Array.from({ length: 2001 }, () => ({ personId: 1 })) },
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().errors[0].field).toBe('body.entries');
  });

  it('refuses a viewer and anyone signed out', async () => {
    const event = makeEvent(app);
    const payload = { entries: [{ person: { name: '某某', idNumber: residentId() } }] };
    expect((await call(app, viewer, { method: 'POST', url: `/api/events/${event.id}/entries/bulk`, payload })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'POST', url: `/api/events/${event.id}/entries/bulk`, payload })).statusCode).toBe(401);
  });
});

describe('POST /api/events/:id/draw', () => {
  it('gives each entry still taking part a distinct number 1..n and audits the mapping', async () => {
    const event = makeEvent(app);
    const taking = [makeEntry(app, event), makeEntry(app, event, { status: 'checked_in' }), makeEntry(app, event), makeEntry(app, event)];
    const absent = makeEntry(app, event, { status: 'absent' });
    const dq = makeEntry(app, event, { status: 'disqualified', disqualifiedReason: '违规' });
    const res = await call(app, organiser, { method: 'POST', url: `/api/events/${event.id}/draw` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body.mapping).sort()).toEqual(['1', '2', '3', '4']);
    expect(Object.values(body.mapping).sort()).toEqual(taking.map((e) => e.id).sort());
    expect(body.unnumbered.sort()).toEqual([absent.id, dq.id].sort());

    const stored = new Map(entriesOf(event.id).map((e) => [e.id, e.drawnNumber]));
    expect(stored.get(absent.id)).toBeNull();
    expect(stored.get(dq.id)).toBeNull();
    for (const [n, entryId] of Object.entries(body.mapping)) expect(stored.get(entryId as number)).toBe(Number(n));

    const audit = app.db.select().from(auditLog).where(and(eq(auditLog.action, 'event.draw'), eq(auditLog.entityId, event.id))).get()!;
    const after = audit.after as { method: string; mapping: Record<string, number> };
    expect(after.method).toContain('randomInt');
    expect(after.mapping).toEqual(Object.fromEntries(taking.map((e) => [String(e.id), stored.get(e.id)])));
  });

  it('starts at the given number and allows a redraw before marking, audited with the old mapping', async () => {
    const event = makeEvent(app);
    const a = makeEntry(app, event);
    const b = makeEntry(app, event);
    await call(app, organiser, { method: 'POST', url: `/api/events/${event.id}/draw` });
    const first = new Map(entriesOf(event.id).map((e) => [e.id, e.drawnNumber]));
    const res = await call(app, organiser, { method: 'POST', url: `/api/events/${event.id}/draw`, payload: { startAt: 101 } });
    expect(res.statusCode).toBe(200);
    expect(entriesOf(event.id).map((e) => e.drawnNumber).sort()).toEqual([101, 102]);
    const audit = app.db.select().from(auditLog).where(and(eq(auditLog.action, 'event.redraw'), eq(auditLog.entityId, event.id))).get()!;
    expect(audit.before).toEqual({ mapping: { [a.id]: first.get(a.id), [b.id]: first.get(b.id) } });
  });

  it('refuses a redraw once a mark exists', async () => {
    const event = makeEvent(app);
    const entry = makeEntry(app, event);
    makeEntry(app, event);
    await call(app, organiser, { method: 'POST', url: `/api/events/${event.id}/draw` });
    const numbers = entriesOf(event.id).map((e) => e.drawnNumber);
    markEntry(event, entry.id);
    const res = await call(app, organiser, { method: 'POST', url: `/api/events/${event.id}/draw` });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('marks_exist');
    expect(entriesOf(event.id).map((e) => e.drawnNumber)).toEqual(numbers);
  });

  it('names a bad start number', async () => {
    const event = makeEvent(app);
    const res = await call(app, organiser, { method: 'POST', url: `/api/events/${event.id}/draw`, payload: { startAt: 0 } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('body.startAt');
  });

  it('refuses a viewer, anyone signed out and an organiser outside the subtree', async () => {
    const event = makeEvent(app);
    const url = `/api/events/${event.id}/draw`;
    expect((await call(app, viewer, { method: 'POST', url })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'POST', url })).statusCode).toBe(401);
    expect((await call(app, countyOrganiser, { method: 'POST', url })).statusCode).toBe(403);
  });
});

describe('PATCH /api/rounds/:roundId/entries/:entryId', () => {
  it('records completion time and a difficulty coefficient, and refreshes the ranking', async () => {
    const event = makeEvent(app);
    const entry = makeEntry(app, event);
    const invalidate = vi.spyOn(app.rankings, 'invalidate');
    const url = `/api/rounds/${event.round.id}/entries/${entry.id}`;
    const res = await call(app, organiser, { method: 'PATCH', url, payload: { completionSeconds: 1520.5, difficulty: { practical: 1.2 } } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ roundId: event.round.id, entryId: entry.id, completionSeconds: 1520.5, difficulty: { practical: 1.2 } });
    expect(invalidate).toHaveBeenCalledWith(event.id);
    invalidate.mockRestore();
    // null removes the coefficient; the completion time is left alone.
    const cleared = await call(app, organiser, { method: 'PATCH', url, payload: { difficulty: { practical: null } } });
    expect(cleared.json()).toMatchObject({ completionSeconds: 1520.5, difficulty: {} });
    expect(latestAudit('round_entry.update')).toMatchObject({ entityId: entry.id, before: { difficulty: { practical: 1.2 } }, after: { difficulty: {} } });
  });

  it('names a part without difficulty and a coefficient out of range', async () => {
    const event = makeEvent(app);
    const entry = makeEntry(app, event);
    const url = `/api/rounds/${event.round.id}/entries/${entry.id}`;
    const theory = await call(app, organiser, { method: 'PATCH', url, payload: { difficulty: { theory: 1.1 } } });
    expect(theory.statusCode).toBe(400);
    expect(theory.json().errors[0].field).toBe('body.difficulty.theory');
    const big = await call(app, organiser, { method: 'PATCH', url, payload: { difficulty: { practical: 20 } } });
    expect(big.statusCode).toBe(400);
    expect(big.json().errors[0].field).toBe('body.difficulty.practical');
  });

  it('refuses to change a coefficient once that part is marked, but still takes the time', async () => {
    const event = makeEvent(app);
    const entry = makeEntry(app, event);
    const url = `/api/rounds/${event.round.id}/entries/${entry.id}`;
    await call(app, organiser, { method: 'PATCH', url, payload: { difficulty: { practical: 1.2 } } });
    markEntry(event, entry.id, 'practical', 'safety');
    const res = await call(app, organiser, { method: 'PATCH', url, payload: { difficulty: { practical: 1.5 } } });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('marks_exist');
    const time = await call(app, organiser, { method: 'PATCH', url, payload: { completionSeconds: 900, difficulty: { practical: 1.2 } } });
    expect(time.statusCode).toBe(200);
    expect(time.json()).toMatchObject({ completionSeconds: 900, difficulty: { practical: 1.2 } });
  });

  it('answers 404 for an entry not in the round', async () => {
    const event = makeEvent(app);
    const elsewhere = makeEntry(app, makeEvent(app));
    const res = await call(app, organiser, { method: 'PATCH', url: `/api/rounds/${event.round.id}/entries/${elsewhere.id}`, payload: { completionSeconds: 1 } });
    expect(res.statusCode).toBe(404);
  });

  it('refuses a viewer and anyone signed out', async () => {
    const event = makeEvent(app);
    const entry = makeEntry(app, event);
    const url = `/api/rounds/${event.round.id}/entries/${entry.id}`;
    expect((await call(app, viewer, { method: 'PATCH', url, payload: { completionSeconds: 1 } })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'PATCH', url, payload: { completionSeconds: 1 } })).statusCode).toBe(401);
  });
});
