import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditLog, marks, roundEntries } from '../../db/schema.ts';
import { loginAs, makeCompetition, makeEntry, makeEvent, makeJudge, makeOrg } from '../helpers/factories.ts';
import { buildTestApp, call, rootOrg, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
let organiser: string;
let viewer: string;
let outsider: string;
let event: ReturnType<typeof makeEvent>;
const entryOf = new Map<number, number>();
let otherEntryId: number;
const url = () => `/api/rounds/${event.round.id}/difficulty`;
const stored = (n: number) => app.db.select().from(roundEntries).where(eq(roundEntries.entryId, entryOf.get(n)!)).get()!.difficulty;

beforeAll(async () => {
  app = await buildTestApp();
  rootOrg(app);
  const county = makeOrg(app, { name: '肥西县总工会' });
  organiser = await loginAs(app, 'organiser', county.id);
  viewer = await loginAs(app, 'viewer', county.id);
  outsider = await loginAs(app, 'organiser', makeOrg(app, { name: '庐江县总工会' }).id);
  // testScheme: theory (no difficulty) + practical (uses difficulty).
  event = makeEvent(app, { competitionId: makeCompetition(app, { orgId: county.id, status: 'running' }).id });
  for (const n of [3, 1, 2, 4]) entryOf.set(n, makeEntry(app, event, { drawnNumber: n, status: 'checked_in' }).id);
  makeEntry(app, event, { status: 'registered' }); // not drawn yet
  otherEntryId = makeEntry(app, makeEvent(app), {}).id;
});
afterAll(() => app.close());

describe('the difficulty grid of a round', () => {
  it('lists drawn numbers × the parts that use difficulty', async () => {
    const res = await call(app, viewer, { method: 'GET', url: url() });
    expect(res.statusCode).toBe(200);
    const grid = res.json();
    expect(grid).toMatchObject({ roundId: event.round.id, min: 0.5, max: 10, parts: [{ id: 'practical', name: '技能操作考核' }], undrawn: 1 });
    expect(grid.rows.map((r: { drawnNumber: number }) => r.drawnNumber)).toEqual([1, 2, 3, 4]);
    expect(grid.rows[0]).toMatchObject({ values: { practical: null }, locked: [] });
  });

  it('saves many coefficients in one request, audits them once and refreshes the ranking', async () => {
    const invalidate = vi.spyOn(app.rankings, 'invalidate');
    const values = [1, 2, 3, 4].map((n) => ({ entryId: entryOf.get(n)!, partId: 'practical', coefficient: 1 + n / 10 }));
    const res = await call(app, organiser, { method: 'PUT', url: url(), payload: { values } });
    expect(res.statusCode).toBe(200);
    expect(res.json().changed).toBe(4);
    expect(res.json().rows.map((r: { values: { practical: number } }) => r.values.practical)).toEqual([1.1, 1.2, 1.3, 1.4]);
    expect(stored(3)).toEqual({ practical: 1.3 });
    expect(invalidate).toHaveBeenCalledWith(event.id);
    invalidate.mockRestore();
    const audits = app.db.select().from(auditLog).where(eq(auditLog.action, 'round.difficulty')).all();
    expect(audits).toHaveLength(1);
    expect((audits[0]!.after as { changes: unknown[] }).changes).toHaveLength(4);
    // The staff ranking scores with them.
    const ranking = (await call(app, organiser, { method: 'GET', url: `/api/events/${event.id}/ranking` })).json();
    const row = ranking.staffRows.find((r: { entryId: number }) => r.entryId === entryOf.get(2));
    expect(row.partDetails.find((p: { partId: string }) => p.partId === 'practical').difficulty).toBe(1.2);
    // The same grid again changes nothing; null clears a cell.
    expect((await call(app, organiser, { method: 'PUT', url: url(), payload: { values } })).json().changed).toBe(0);
    const cleared = await call(app, organiser, { method: 'PUT', url: url(), payload: { values: [{ entryId: entryOf.get(4)!, partId: 'practical', coefficient: null }] } });
    expect(cleared.json().rows[3].values.practical).toBeNull();
    expect(stored(4)).toEqual({});
  });

  it('names every bad cell and saves none of them', async () => {
    const res = await call(app, organiser, {
      method: 'PUT',
      url: url(),
      payload: {
        values: [
          { entryId: entryOf.get(1)!, partId: 'practical', coefficient: 2 },
          { entryId: entryOf.get(2)!, partId: 'theory', coefficient: 1.5 },
          { entryId: otherEntryId, partId: 'practical', coefficient: 1.5 },
          { entryId: entryOf.get(1)!, partId: 'practical', coefficient: 2.5 },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(['body.values.1.partId', 'body.values.2.entryId', 'body.values.3.partId']);
    expect(stored(1)).toEqual({ practical: 1.1 });
    const range = await call(app, organiser, {
      method: 'PUT',
      url: url(),
      payload: { values: [{ entryId: entryOf.get(1)!, partId: 'practical', coefficient: 10.5 }, { entryId: entryOf.get(2)!, partId: 'practical', coefficient: 1.234 }] },
    });
    expect(range.statusCode).toBe(400);
    expect(range.json().errors.map((e: { field: string }) => e.field)).toEqual(['body.values.0.coefficient', 'body.values.1.coefficient']);
    expect(range.json().errors[1].message).toContain('two decimals');
  });

  it('fixes a coefficient once its part has marks for that entry', async () => {
    const judge = makeJudge(app, event.id);
    app.db
      .insert(marks)
      .values({ roundId: event.round.id, entryId: entryOf.get(1)!, judgeId: judge.id, partId: 'practical', criterionId: 'safety', version: 1, value: 30, enteredAt: new Date() })
      .run();
    const grid = (await call(app, organiser, { method: 'GET', url: url() })).json();
    expect(grid.rows[0].locked).toEqual(['practical']);
    const res = await call(app, organiser, {
      method: 'PUT',
      url: url(),
      payload: { values: [{ entryId: entryOf.get(2)!, partId: 'practical', coefficient: 2 }, { entryId: entryOf.get(1)!, partId: 'practical', coefficient: 3 }] },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'marks_exist', errors: [{ field: 'body.values.1.coefficient' }] });
    expect(stored(2)).toEqual({ practical: 1.2 });
    // Sending the fixed cell with its own value is fine.
    const same = await call(app, organiser, { method: 'PUT', url: url(), payload: { values: [{ entryId: entryOf.get(1)!, partId: 'practical', coefficient: 1.1 }, { entryId: entryOf.get(2)!, partId: 'practical', coefficient: 2 }] } });
    expect(same.json().changed).toBe(1);
  });

  it('is set by organisers in scope only', async () => {
    const values = [{ entryId: entryOf.get(3)!, partId: 'practical', coefficient: 2 }];
    expect((await call(app, viewer, { method: 'PUT', url: url(), payload: { values } })).statusCode).toBe(403);
    expect((await call(app, outsider, { method: 'PUT', url: url(), payload: { values } })).statusCode).toBe(403);
    expect((await call(app, outsider, { method: 'GET', url: url() })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'GET', url: url() })).statusCode).toBe(401);
    expect(stored(3)).toEqual({ practical: 1.3 });
  });
});
