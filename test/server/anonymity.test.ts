import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, organisations, people } from '../../db/schema.ts';
import { loginAs, makeAccount, makeJudge, makeOrg } from '../helpers/factories.ts';
import { completeRecheck, judgeLogin, makeScenario, newKey, type Scenario, reasonsForIncomplete } from '../helpers/scenario.ts';
import { SseClient, waitFor } from '../helpers/sse-client.ts';
import { buildTestApp, call, sessionCookie, type TestApp } from '../helpers/test-app.ts';

// Nothing known before release (issue 8 §4): venue streams, public pages and the chief judge's
// console show drawn numbers and scores only; organisers and the encryption officer hold the draw.
// A kept-open SSE reply never ends under inject(): the streams are read on a real port.
let app: TestApp;
let base: string;
let s: Scenario;
let cookies: Record<'organiser' | 'viewer' | 'hr' | 'chief' | 'supervisor' | 'judge' | 'encryptor', string>;
let encryptorId: number;

/** Everything that tells who is behind a number: names, employers / delegations, ID numbers. */
let secrets: string[];
function assertAnonymous(what: string, body: unknown): void {
  const text = JSON.stringify(body);
  for (const secret of secrets) expect(text, `${what} reveals ${secret}`).not.toContain(secret);
  expect(text, `${what} carries a masked ID number`).not.toMatch(/\*{8}/);
}

const sheet = (number: number, c1: number) => ({
  marks: [
    { idempotencyKey: newKey(), number, partId: 'task1', criterionId: 'c1', value: c1 },
    { idempotencyKey: newKey(), number, partId: 'task1', criterionId: 'c2', value: 30 },
  ],
});

beforeAll(async () => {
  app = await buildTestApp();
  s = makeScenario(app, { entrants: 6, judgeCount: 3 });
  app.db.update(events).set({ teamRanking: { method: 'sum', bestN: 2 } }).where(eq(events.id, s.eventId)).run();
  const supervisorCode = 'SUPVANON';
  makeJudge(app, s.eventId, { name: '监督组长', role: 'supervisor', code: supervisorCode });
  // The encryption officer sits in a township union under the county: the competition is not in their subtree.
  const township = makeOrg(app, { name: '上派镇工会', kind: 'union', level: 'township', parentId: s.orgId });
  const encryptor = await makeAccount(app, 'viewer', township.id);
  encryptorId = encryptor.id;
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: encryptor.username, password: 'correct horse battery' } });
  cookies = {
    organiser: await loginAs(app, 'organiser', s.orgId),
    viewer: await loginAs(app, 'viewer', s.orgId),
    hr: await loginAs(app, 'hr_officer', s.orgId),
    chief: await judgeLogin(app, s.chiefCode),
    supervisor: await judgeLogin(app, supervisorCode),
    judge: await judgeLogin(app, s.judgeCodes[0]!),
    encryptor: sessionCookie(login),
  };
  const persons = app.db.select().from(people).all();
  const orgNames = app.db.select({ name: organisations.name }).from(organisations).all().map((o) => o.name);
  secrets = [...persons.map((p) => p.name), ...persons.map((p) => p.idNumber), ...persons.map((p) => p.idNumber.slice(0, 10)), ...orgNames.filter((n) => n !== '肥西县总工会')];
  for (const code of s.judgeCodes) {
    const j = await judgeLogin(app, code);
    for (let n = 1; n <= 5; n++) expect((await call(app, j, { method: 'POST', url: '/api/marks', payload: sheet(n, 30 + n) })).statusCode).toBe(200);
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(() => app.close());

describe('before release', () => {
  it('the public streams and pages show drawn numbers and scores only, while marks arrive', async () => {
    const eventStream = await SseClient.open(`${base}/api/public/events/${s.eventId}/live`);
    const competitionStream = await SseClient.open(`${base}/api/public/competitions/${s.competitionId}/live`);
    const snapshot = await eventStream.next('snapshot');
    assertAnonymous('event stream snapshot', snapshot.data);
    expect(snapshot.data.rows.map((r: { number: number }) => r.number).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(snapshot.data.rows.every((r: { delegation: string | null; name?: string }) => r.delegation === null && r.name === undefined)).toBe(true);
    expect(snapshot.data.teams).toBeNull();
    assertAnonymous('competition stream snapshot', (await competitionStream.next('snapshot')).data);

    // Number 6 gets its marks: the update that goes out is as anonymous as the snapshot.
    for (const code of s.judgeCodes) await call(app, await judgeLogin(app, code), { method: 'POST', url: '/api/marks', payload: sheet(6, 50) });
    const update = await waitFor(eventStream, (m) => m.event === 'ranking' && m.data.rows.some((r: { number: number; total: number }) => r.number === 6 && r.total > 0));
    assertAnonymous('event stream update', update.data);
    assertAnonymous('competition stream update', (await waitFor(competitionStream, (m) => m.event === 'ranking')).data);
    eventStream.close();
    competitionStream.close();

    for (const url of [`/api/public/events/${s.eventId}/ranking`, `/api/public/competitions/${s.competitionId}/ranking`, '/api/public/competitions', '/api/public/results']) {
      const res = await call(app, null, { method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      assertAnonymous(url, res.json());
    }
    expect((await call(app, null, { method: 'GET', url: `/api/public/competitions/${s.competitionId}/results` })).statusCode).toBe(404);
  });

  it('an event may opt in to show delegations (team contests), never names; it is off by default', async () => {
    const event = (await call(app, cookies.organiser, { method: 'GET', url: `/api/events/${s.eventId}` })).json();
    expect(event.showDelegationsBeforeRelease).toBe(false);
    expect((await call(app, cookies.viewer, { method: 'PATCH', url: `/api/events/${s.eventId}`, payload: { showDelegationsBeforeRelease: true } })).statusCode).toBe(403);
    const on = await call(app, cookies.organiser, { method: 'PATCH', url: `/api/events/${s.eventId}`, payload: { showDelegationsBeforeRelease: true } });
    expect(on.json().showDelegationsBeforeRelease).toBe(true);
    const ranking = (await call(app, null, { method: 'GET', url: `/api/public/events/${s.eventId}/ranking` })).json();
    expect(new Set(ranking.rows.map((r: { delegation: string }) => r.delegation))).toEqual(new Set(['国网肥西供电公司', '肥西消防救援大队']));
    expect(ranking.teams.map((t: { delegation: string }) => t.delegation).sort()).toEqual(['国网肥西供电公司', '肥西消防救援大队'].sort());
    expect(JSON.stringify(ranking)).not.toContain('选手');
    await call(app, cookies.organiser, { method: 'PATCH', url: `/api/events/${s.eventId}`, payload: { showDelegationsBeforeRelease: false } });
    assertAnonymous('public ranking after opting out again', (await call(app, null, { method: 'GET', url: `/api/public/events/${s.eventId}/ranking` })).json());
  });

  it('the chief judge, supervisors, judges, HR officers and viewers work by numbers', async () => {
    for (const who of ['chief', 'supervisor', 'hr', 'viewer'] as const) {
      const ranking = await call(app, cookies[who], { method: 'GET', url: `/api/events/${s.eventId}/ranking` });
      expect(ranking.statusCode, who).toBe(200);
      assertAnonymous(`${who}: staff ranking`, ranking.json());
      expect(ranking.json().staffRows.every((r: { name: string | null; idNumberMasked: string | null }) => r.name === null && r.idNumberMasked === null)).toBe(true);
      const preview = await call(app, cookies[who], { method: 'GET', url: `/api/events/${s.eventId}/prizes/preview` });
      expect(preview.statusCode, who).toBe(200);
      assertAnonymous(`${who}: prize preview`, preview.json());
      for (const url of [`/api/events/${s.eventId}/publication`, `/api/events/${s.eventId}/appeals`, `/api/events/${s.eventId}/prizes`, `/api/events/${s.eventId}/marks`, `/api/events/${s.eventId}/corrections`])
        assertAnonymous(`${who}: ${url}`, (await call(app, cookies[who], { method: 'GET', url })).json());
    }
    for (const who of ['chief', 'supervisor'] as const) {
      const progress = await call(app, cookies[who], { method: 'GET', url: `/api/events/${s.eventId}/progress` });
      expect(progress.statusCode).toBe(200);
      assertAnonymous(`${who}: progress`, progress.json());
      assertAnonymous(`${who}: rechecks`, (await call(app, cookies[who], { method: 'GET', url: `/api/events/${s.eventId}/rechecks` })).json());
    }
    for (const url of ['/api/judge/panel', '/api/judge/entries', '/api/judge/marks']) {
      const res = await call(app, cookies.judge, { method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      assertAnonymous(`judge: ${url}`, res.json());
    }
    // HR officers and viewers see who entered, but not who drew which number.
    for (const who of ['hr', 'viewer'] as const) {
      const list = (await call(app, cookies[who], { method: 'GET', url: `/api/events/${s.eventId}/entries` })).json();
      expect(list.items).toHaveLength(6);
      expect(list.items.every((e: { drawnNumber: number | null; name: string }) => e.drawnNumber === null && e.name.startsWith('选手'))).toBe(true);
      const one = (await call(app, cookies[who], { method: 'GET', url: `/api/entries/${s.entryIds[0]}` })).json();
      expect(one.drawnNumber).toBeNull();
    }
  });

  it('organisers hold the number ↔ person mapping', async () => {
    const ranking = (await call(app, cookies.organiser, { method: 'GET', url: `/api/events/${s.eventId}/ranking` })).json();
    expect(ranking.staffRows.find((r: { number: number }) => r.number === 3)).toMatchObject({ name: '选手3', delegation: '肥西消防救援大队' });
    expect(ranking.staffRows[0].idNumberMasked).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    const entries = (await call(app, cookies.organiser, { method: 'GET', url: `/api/events/${s.eventId}/entries` })).json();
    expect(entries.items.find((e: { name: string }) => e.name === '选手3').drawnNumber).toBe(3);
  });

  it('so does the encryption officer (加密裁判) the organisers name, who may draw lots; nobody else outside', async () => {
    expect((await call(app, cookies.encryptor, { method: 'GET', url: `/api/events/${s.eventId}/ranking` })).statusCode).toBe(403);
    expect((await call(app, cookies.encryptor, { method: 'POST', url: `/api/events/${s.eventId}/draw`, payload: {} })).statusCode).toBe(403);
    expect((await call(app, cookies.viewer, { method: 'POST', url: `/api/events/${s.eventId}/draw`, payload: {} })).statusCode).toBe(403);
    const outsider = await makeAccount(app, 'viewer', makeOrg(app, { name: '外县总工会', regionCode: '340124' }).id);
    const refused = await call(app, cookies.organiser, { method: 'PATCH', url: `/api/competitions/${s.competitionId}`, payload: { encryptionOfficerIds: [outsider.id] } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].field).toBe('body.encryptionOfficerIds.0');
    const named = await call(app, cookies.organiser, { method: 'PATCH', url: `/api/competitions/${s.competitionId}`, payload: { encryptionOfficerIds: [encryptorId] } });
    expect(named.statusCode).toBe(200);
    expect(named.json().encryptionOfficers).toEqual([expect.objectContaining({ accountId: encryptorId, orgName: '上派镇工会' })]);
    const ranking = (await call(app, cookies.encryptor, { method: 'GET', url: `/api/events/${s.eventId}/ranking` })).json();
    expect(ranking.staffRows.find((r: { number: number }) => r.number === 3).name).toBe('选手3');
    const entries = (await call(app, cookies.encryptor, { method: 'GET', url: `/api/events/${s.eventId}/entries` })).json();
    expect(entries.items.find((e: { name: string }) => e.name === '选手3').drawnNumber).toBe(3);
    // Allowed to draw: refused only because marks exist.
    expect((await call(app, cookies.encryptor, { method: 'POST', url: `/api/events/${s.eventId}/draw`, payload: {} })).json().code).toBe('marks_exist');
    // An officer reads; editing the competition still needs an organiser.
    expect((await call(app, cookies.encryptor, { method: 'PATCH', url: `/api/competitions/${s.competitionId}`, payload: { venue: '别处' } })).statusCode).toBe(403);
  });
});

describe('after release', () => {
  it('names and delegations appear; ID numbers only masked', async () => {
    await call(app, cookies.chief, { method: 'POST', url: `/api/rounds/${s.roundId}/close` });
    await completeRecheck(app, cookies.chief, s.eventId);
    expect((await call(app, cookies.chief, { method: 'POST', url: `/api/events/${s.eventId}/release`, payload: await reasonsForIncomplete(app, cookies.chief, s.eventId) })).statusCode).toBe(200);

    const stream = await SseClient.open(`${base}/api/public/events/${s.eventId}/live`);
    const snapshot = (await stream.next('snapshot')).data;
    stream.close();
    expect(snapshot.released).toBe(true);
    expect(snapshot.rows.find((r: { number: number }) => r.number === 3)).toMatchObject({ name: '选手3', delegation: '肥西消防救援大队' });
    expect(snapshot.teams).toHaveLength(2);

    const results = (await call(app, null, { method: 'GET', url: `/api/public/competitions/${s.competitionId}/results` })).json();
    const rows = results.events[0].rows as { number: number; name: string; delegation: string; idNumberMasked: string }[];
    expect(rows.find((r) => r.number === 3)).toMatchObject({ name: '选手3', delegation: '肥西消防救援大队' });
    expect(rows.every((r) => /^\d{6}\*{8}\d{3}[\dX]$/.test(r.idNumberMasked))).toBe(true);
    const fullIds = app.db.select({ id: people.idNumber }).from(people).all().map((p) => p.id);
    for (const id of fullIds) expect(JSON.stringify(results)).not.toContain(id);

    const chiefView = (await call(app, cookies.chief, { method: 'GET', url: `/api/events/${s.eventId}/ranking` })).json();
    expect(chiefView.staffRows.find((r: { number: number }) => r.number === 3).name).toBe('选手3');
    const judgeView = (await call(app, cookies.judge, { method: 'GET', url: '/api/judge/entries' })).json();
    expect(judgeView.find((r: { number: number }) => r.number === 3).name).toBe('选手3');
    const hrEntries = (await call(app, cookies.hr, { method: 'GET', url: `/api/events/${s.eventId}/entries` })).json();
    expect(hrEntries.items.find((e: { name: string }) => e.name === '选手3').drawnNumber).toBe(3);
  });
});
