import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs } from '../helpers/factories.ts';
import { makeScenario, newKey, SIMPLE_SCHEME, type Scenario } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

/**
 * A theory exam entered before any judge marks fixes the scoring scheme as marks do: a changed
 * maximum or weight would re-score the entered scores, a removed part would orphan them.
 */
let app: TestApp;
let s: Scenario;
let organiser: string;

const withTheoryWeight = (weight: number) => ({
  ...SIMPLE_SCHEME,
  parts: SIMPLE_SCHEME.parts.map((p) => (p.id === 'theory' ? { ...p, weight } : { ...p, weight: 100 - weight })),
});
const patchEvent = (scheme: unknown) => call(app, organiser, { method: 'PATCH', url: `/api/events/${s.eventId}`, payload: { scheme } as object });
const patchRound = (scheme: unknown) => call(app, organiser, { method: 'PATCH', url: `/api/rounds/${s.roundId}`, payload: { scheme } as object });

beforeAll(async () => {
  app = await buildTestApp();
  s = makeScenario(app, { entrants: 3, judgeCount: 3 });
  organiser = await loginAs(app, 'organiser', s.orgId);
});
afterAll(() => app.close());

describe('the scheme once theory scores are in', () => {
  it('can change while nothing is entered', async () => {
    expect((await patchEvent(withTheoryWeight(40))).statusCode).toBe(200);
  });

  it('is frozen on the event once a theory score is entered, with no judge’s mark yet', async () => {
    const entered = await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/objective-values`, payload: { cells: [{ idempotencyKey: newKey(), number: 1, field: 'theory', value: 88 }] } });
    expect(entered.statusCode, entered.body).toBe(200);
    const res = await patchEvent(withTheoryWeight(30));
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'marks_exist' });
    expect(res.json().detail).toContain('theory scores');
    // Sending the same scheme again is no change.
    expect((await patchEvent(withTheoryWeight(40))).statusCode).toBe(200);
  });

  it('and a round’s own scheme without the theory part is refused, naming it', async () => {
    const practicalOnly = { ...SIMPLE_SCHEME, parts: [{ ...SIMPLE_SCHEME.parts[1]!, weight: 100 }] };
    const res = await patchRound(practicalOnly);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('marks_exist');
    expect(res.json().detail).toContain('orphan the marks of theory');
  });
});
