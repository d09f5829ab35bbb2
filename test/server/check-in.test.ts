import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditLog, entries, people } from '../../db/schema.ts';
import { loginAs, makeCompetition, makeEntry, makeEvent, makeOrg, makePerson } from '../helpers/factories.ts';
import { buildTestApp, call, rootOrg, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
let organiser: string;
let viewer: string;
let outsider: string;
let event: ReturnType<typeof makeEvent>;
/** Entries by drawn number 1…6: 5 is disqualified, 6 was marked absent. */
const byNumber = new Map<number, typeof entries.$inferSelect>();
const idNumberOf = (n: number) => app.db.select().from(people).where(eq(people.id, byNumber.get(n)!.personId)).get()!.idNumber;
const statusOf = (n: number) => app.db.select().from(entries).where(eq(entries.id, byNumber.get(n)!.id)).get()!.status;
const checkIns = () => app.db.select().from(auditLog).where(eq(auditLog.action, 'entry.check_in')).all().length;

beforeAll(async () => {
  app = await buildTestApp();
  rootOrg(app);
  const county = makeOrg(app, { name: '肥西县总工会' });
  const other = makeOrg(app, { name: '庐江县总工会' });
  organiser = await loginAs(app, 'organiser', county.id);
  viewer = await loginAs(app, 'viewer', county.id);
  outsider = await loginAs(app, 'organiser', other.id);
  event = makeEvent(app, { competitionId: makeCompetition(app, { orgId: county.id, status: 'running' }).id });
  for (let n = 1; n <= 6; n++) {
    const status = n === 5 ? 'disqualified' : n === 6 ? 'absent' : 'registered';
    const person = makePerson(app, { name: `选手${n}`, orgId: county.id });
    byNumber.set(n, makeEntry(app, event, { personId: person.id, drawnNumber: n, status, disqualifiedReason: n === 5 ? '冒名顶替' : null }));
  }
});
afterAll(() => app.close());

describe('POST /api/events/:id/check-in (checking in a row of typed or scanned entrants)', () => {
  it('checks in each recognised entrant at once and reports the others, in order', async () => {
    const invalidate = vi.spyOn(app.rankings, 'invalidate');
    const items = ['1', ' 2 ', idNumberOf(3).toLowerCase(), '99', '12ab', '1', idNumberOf(5), '６'];
    const res = await call(app, organiser, { method: 'POST', url: `/api/events/${event.id}/check-in`, payload: { items } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.results.map((r: { outcome: string }) => r.outcome)).toEqual([
      'checked_in',
      'checked_in',
      'checked_in',
      'unknown',
      'invalid',
      'duplicate',
      'not_checkable',
      'checked_in',
    ]);
    // Each with what the desk shows: number, name, the ID number masked.
    expect(body.results[2]).toMatchObject({ matchedBy: 'id_number', drawnNumber: 3, name: '选手3', status: 'checked_in' });
    expect(body.results[2].idNumber).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    expect(body.results[6]).toMatchObject({ drawnNumber: 5, status: 'disqualified' });
    expect(body.results[7]).toMatchObject({ matchedBy: 'number', drawnNumber: 6, status: 'checked_in' });
    expect(body.results[3]).toMatchObject({ input: '99', matchedBy: 'number', entryId: null, name: null });
    expect(body).toMatchObject({ checkedIn: 4, totals: { checkedIn: 4, active: 5 } });
    expect([1, 2, 3, 4, 5, 6].map(statusOf)).toEqual(['checked_in', 'checked_in', 'checked_in', 'registered', 'disqualified', 'checked_in']);
    expect(checkIns()).toBe(4);
    expect(invalidate).toHaveBeenCalledWith(event.id);
    invalidate.mockRestore();
  });

  it('changes nothing when the same batch is sent again (a retry)', async () => {
    const before = checkIns();
    const res = await call(app, organiser, { method: 'POST', url: `/api/events/${event.id}/check-in`, payload: { items: ['1', idNumberOf(3)] } });
    expect(res.json().results.map((r: { outcome: string }) => r.outcome)).toEqual(['already_checked_in', 'already_checked_in']);
    expect(res.json().checkedIn).toBe(0);
    expect(checkIns()).toBe(before);
    const audit = app.db.select().from(auditLog).where(and(eq(auditLog.action, 'entry.check_in'), eq(auditLog.entityId, byNumber.get(6)!.id))).get();
    expect(audit).toMatchObject({ before: { status: 'absent' }, after: { status: 'checked_in' } });
  });

  it('refuses an empty batch naming the field, read-only roles and outsiders', async () => {
    const empty = await call(app, organiser, { method: 'POST', url: `/api/events/${event.id}/check-in`, payload: { items: [] } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors[0].field).toBe('body.items');
    expect((await call(app, viewer, { method: 'POST', url: `/api/events/${event.id}/check-in`, payload: { items: ['4'] } })).statusCode).toBe(403);
    expect((await call(app, outsider, { method: 'POST', url: `/api/events/${event.id}/check-in`, payload: { items: ['4'] } })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'POST', url: `/api/events/${event.id}/check-in`, payload: { items: ['4'] } })).statusCode).toBe(401);
    expect(statusOf(4)).toBe('registered');
  });
});
