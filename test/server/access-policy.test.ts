import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_POLICY, accessEntry, callersOf, ruleOf, type Caller } from '../../server/access-policy.ts';
import { fixedClock } from '../../server/clock.ts';
import accessPlugin from '../../server/plugins/access.plugin.ts';
import { loginAs, makeAccount, makeJudge, makePerson } from '../helpers/factories.ts';
import { judgeLogin, makeScenario, newKey, type Scenario } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

/**
 * Every operation of the OpenAPI document, called by each of ten callers, against the table in
 * server/access-policy.ts: a caller the entry does not list is refused (401 signed out, 403 signed
 * in); a listed caller gets past every permission check (any answer but 401 or 403: an empty body
 * is a 400, an unknown id a 404). A listed caller in the entry's `conditional` may still get the 403
 * its note describes. Every caller is in scope: the staff work at the county union that owns the
 * competition and hosts the studio, and each judge sits on the competition's event in their role.
 *
 * Each request runs in a transaction rolled back after it, so a delete, a status change or a
 * reissued judge code (which ends the judges' sessions) never changes what the next row sees.
 */

type TestCaller = 'anonymous' | Caller;
const CALLERS: readonly TestCaller[] = ['anonymous', 'viewer', 'studio_officer', 'hr_officer', 'organiser', 'admin', 'judge', 'chief', 'supervisor', 'scorer'];

type Operation = {
  operationId: string;
  method: string;
  path: string;
  security?: unknown[];
  requestBody?: { content: Record<string, unknown> };
  'x-callers'?: unknown;
  description?: string;
};

const app: TestApp = await buildTestApp({}, { clock: fixedClock('2026-06-15T02:00:00Z') });
afterAll(() => app.close());

const doc = app.swagger() as unknown as { paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'>>> };
const operations: Operation[] = Object.entries(doc.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({ ...op, method: method.toUpperCase(), path })),
);

describe('the access table', () => {
  it('has an entry for every operation, and none for operations that do not exist', () => {
    const documented = new Set(operations.map((op) => op.operationId));
    expect(operations.filter((op) => !accessEntry(op.operationId)).map((op) => op.operationId)).toEqual([]);
    const unused = Object.keys(ACCESS_POLICY).filter((id) => !documented.has(id));
    expect(unused).toEqual([]);
  });

  it('stops the app at startup when an /api route has no entry, naming it', async () => {
    // The app's order: sessions, the gate, then the routes in plugins of their own.
    const bare = async (route: (app: FastifyInstance) => void) => {
      const app = Fastify();
      await app.register(fp(async (a) => void a.decorateRequest('actor', null), { name: 'auth' }));
      await app.register(accessPlugin);
      app.register(async (child) => route(child));
      try {
        await app.ready();
      } finally {
        await app.close();
      }
    };
    await expect(bare((a) => a.get('/api/things', { schema: { operationId: 'listThings' } }, async () => []))).rejects.toThrow(/listThings .*server\/access-policy\.ts/);
    await expect(bare((a) => a.get('/api/things', async () => []))).rejects.toThrow(/GET \/api\/things has no schema\.operationId/);
    await expect(bare((a) => a.get('/health', async () => ({})))).resolves.toBeUndefined();
  });

  it('agrees with the document: public operations need no session, and each shows its callers', () => {
    for (const op of operations) {
      const callers = callersOf(accessEntry(op.operationId)!);
      const noSession = Array.isArray(op.security) && op.security.length === 0;
      expect(noSession, `${op.operationId}: security [] exactly when public`).toBe(callers === 'public');
      expect(op['x-callers'], op.operationId).toEqual(callers);
      expect(op.description, op.operationId).toMatch(/Callers: [^\n]+$/);
    }
  });
});

// ---- The fixture ----

const NO_SUCH_ID = 999_999;
const cookies = new Map<TestCaller, string | null>();
/** Path parameter values by the collection they follow (`…/studios/{id}`), or by both collections where a name is used twice (`…/studios/{id}/members/{itemId}`). */
const records = new Map<string, string | number>();

/** The JSON of a fixture request, which must succeed. */
async function made<T = { id: number }>(cookie: string, opts: Parameters<typeof call>[2]): Promise<T> {
  const res = await call(app, cookie, opts);
  if (res.statusCode >= 300) throw new Error(`fixture ${opts.method} ${opts.url}: ${res.statusCode} ${res.body}`);
  return res.json() as T;
}

beforeAll(async () => {
  const s: Scenario = makeScenario(app);
  cookies.set('anonymous', null);
  for (const role of ['viewer', 'studio_officer', 'hr_officer', 'organiser', 'admin'] as const) cookies.set(role, await loginAs(app, role, s.orgId));
  makeJudge(app, s.eventId, { role: 'supervisor', code: 'SUPERVI1' });
  makeJudge(app, s.eventId, { role: 'scorer', code: 'SCORERX1' });
  cookies.set('judge', await judgeLogin(app, s.judgeCodes[0]!));
  cookies.set('chief', await judgeLogin(app, s.chiefCode));
  cookies.set('supervisor', await judgeLogin(app, 'SUPERVI1'));
  cookies.set('scorer', await judgeLogin(app, 'SCORERX1'));
  const admin = cookies.get('admin')!;
  const judge = cookies.get('judge')!;

  // A mark of the signed-in judge, and their request to correct it.
  const submitted = await made<{ results: { mark: { id: number } }[] }>(judge, {
    method: 'POST',
    url: '/api/marks',
    payload: { marks: [{ idempotencyKey: newKey(), number: 1, partId: 'task1', criterionId: 'c1', value: 50 }] },
  });
  const markId = submitted.results[0]!.mark.id;
  const correction = await made(judge, { method: 'POST', url: '/api/corrections', payload: { markId, newValue: 48, reason: '笔误更正' } });

  const worker = makePerson(app, { orgId: s.orgId, employerId: s.employerIds[0]!, skillLevel: 3 });
  const certificate = await made(admin, {
    method: 'POST',
    url: '/api/certificates',
    payload: {
      personId: worker.id,
      occupationCode: '6-31-01-03',
      occupationName: '电工',
      level: 4,
      certificateNumber: 'Y000134000001264000123',
      issueDate: '2026-04-20',
      evaluationBody: '肥西县职业技能鉴定中心',
      basis: 'exam',
      theoryScore: 78,
      practicalScore: 85,
    },
  });
  const presets = await made<{ titleRules: { key: string }[] }>(admin, { method: 'GET', url: '/api/title-rules/presets' });
  const titleRule = await made(admin, { method: 'POST', url: '/api/title-rules', payload: { presetKey: presets.titleRules[0]!.key } });

  // A studio of the union's line (a worker studio) with a member, funding and an achievement.
  const leader = makePerson(app, { orgId: s.orgId, employerId: s.employerIds[0]!, skillLevel: 3 });
  const member = makePerson(app, { orgId: s.orgId, employerId: s.employerIds[0]!, skillLevel: 4 });
  const studio = await made<{ id: number; members: { id: number }[] }>(admin, {
    method: 'POST',
    url: '/api/studios',
    payload: {
      name: '供电职工创新工作室',
      kind: 'worker',
      field: '配网运维',
      siteAreaM2: 120,
      foundedOn: '2020-05-01',
      functions: ['technical_innovation', 'apprenticeship'],
      appliedOn: '2021-03-01',
      leaderHonours: [],
      hostEmployerId: s.employerIds[0],
      leaderPersonId: leader.id,
      members: [{ personId: member.id, role: 'apprentice' }],
    },
  });
  const withFunding = await made<{ funding: { id: number }[] }>(admin, {
    method: 'POST',
    url: `/api/studios/${studio.id}/funding`,
    payload: { year: 2025, kind: 'annual', amountYuan: 8000, source: '肥西县总工会' },
  });
  const achievement = await made(admin, { method: 'POST', url: `/api/studios/${studio.id}/achievements`, payload: { year: 2025, type: 'innovation_result', title: '配网带电作业工具改进', count: 2 } });
  const sheet = { name: '测试评估指标', items: [{ id: 'a', name: '创新项目与成果', max: 60 }, { id: 'b', name: '带徒传技', max: 40 }] };
  const indicatorSheet = await made(admin, { method: 'POST', url: '/api/studio-indicator-sheets', payload: sheet });
  const evaluation = await made(admin, {
    method: 'POST',
    url: '/api/studio-evaluations',
    payload: { name: '2026年度联合绩效评估', year: 2026, sheet, unionWeight: 60, hrWeight: 40, threshold: 80 },
  });
  const alliance = await made(admin, { method: 'POST', url: '/api/studio-alliances', payload: { name: '肥西县电力行业创新工作室联盟', field: '电力', foundedOn: '2023-03-28' } });
  const campaign = await made(admin, {
    method: 'POST',
    url: '/api/five-smalls-campaigns',
    payload: {
      name: '2025年度职工“五小”创新成果评选',
      year: 2025,
      screening: { completedFrom: '2024-01-01', completedTo: '2025-09-30', maxEntriesPerSubmitter: 2 },
      departments: [{ name: '县总工会' }],
      tiers: { counts: [1, 2, 3], prizeMoney: [3000, 2000, 1000] },
    },
  });
  const selection = await made(admin, {
    method: 'POST',
    url: '/api/selections',
    payload: { presetKey: 'hefei_craftsman', name: '2026年度测试工匠评选', year: 2026, nominationsOpen: '2026-06-01', nominationsClose: '2026-07-31' },
  });
  const spareAccount = await makeAccount(app, 'viewer', s.orgId);

  const set = (key: string, value: string | number) => records.set(key, value);
  set('organisations', s.orgId);
  set('accounts', spareAccount.id);
  set('people', worker.id);
  set('by-id-number', worker.idNumber);
  set('competitions', s.competitionId);
  set('events', s.eventId);
  set('rounds', s.roundId);
  set('entries', s.entryIds[0]!);
  // A judge of the panel who is not one of the callers: issuing their code ends no caller's session.
  set('judges', s.judgeIds[4]!);
  set('marks', markId);
  set('corrections', correction.id);
  set('rechecks', NO_SUCH_ID);
  set('appeals', NO_SUCH_ID);
  set('proposals', NO_SUCH_ID);
  set('prizes', NO_SUCH_ID);
  set('certificates', certificate.id);
  set('title-rules', titleRule.id);
  set('calendar', 2026);
  set('studios', studio.id);
  set('studios/members', studio.members[0]!.id);
  set('studios/funding', withFunding.funding[0]!.id);
  set('studios/achievements', achievement.id);
  set('studio-indicator-sheets', indicatorSheet.id);
  set('studio-evaluations', evaluation.id);
  set('studio-evaluations/applicants', NO_SUCH_ID);
  set('studio-evaluations/reviewers', NO_SUCH_ID);
  set('studio-alliances', alliance.id);
  set('studio-alliances/members', NO_SUCH_ID);
  set('studio-alliances/projects', NO_SUCH_ID);
  set('five-smalls-campaigns', campaign.id);
  set('five-smalls-campaigns/entries', NO_SUCH_ID);
  set('selections', selection.id);
  set('selection-candidates', NO_SUCH_ID);
  set('selection-reviewers', NO_SUCH_ID);
  set('selection-objections', NO_SUCH_ID);
  set('craftsman-titles', NO_SUCH_ID);
});

/** A stream never ends: these are asked for an unknown id, which is answered 404 before the stream opens. */
const STREAMS = new Set(['streamEventRanking', 'streamCompetitionRanking']);

/** The operation's path with each `{param}` filled from the fixture. */
function urlOf(op: Operation): string {
  const segments = op.path.split('/');
  return segments
    .map((segment, i) => {
      if (!segment.startsWith('{')) return segment;
      if (STREAMS.has(op.operationId)) return String(NO_SUCH_ID);
      const owner = segments[i - 1]!;
      const value = records.get(`${segments[i - 3]}/${owner}`) ?? records.get(owner);
      if (value === undefined) throw new Error(`${op.operationId}: the fixture has no record for ${segment} after /${owner}/ (add one to the records)`);
      return encodeURIComponent(String(value));
    })
    .join('/');
}

/** An empty body of the first type the operation accepts (JSON `{}`, or an empty file). */
function bodyOf(op: Operation): { payload?: string | object; headers?: Record<string, string> } {
  const type = op.requestBody && Object.keys(op.requestBody.content)[0];
  if (!type) return {};
  return type === 'application/json' ? { payload: {} } : { payload: '', headers: { 'content-type': type } };
}

/** Sends a request inside a transaction rolled back after it: the next one sees the fixture as it was. */
async function leavingNoTrace(cookie: string | null, opts: Parameters<typeof call>[2]) {
  app.db.$client.exec('BEGIN');
  try {
    return await call(app, cookie, opts);
  } finally {
    if (app.db.$client.inTransaction) app.db.$client.exec('ROLLBACK');
  }
}

describe('every operation answers each caller as the table says', () => {
  for (const op of operations) {
    it(`${op.operationId} (${op.method} ${op.path})`, async () => {
      const entry = accessEntry(op.operationId);
      expect(entry, 'an entry in server/access-policy.ts').toBeDefined();
      const callers = callersOf(entry!);
      const conditional = entry === 'public' ? [] : (ruleOf(entry!).conditional ?? []);
      const url = urlOf(op);
      const problems: string[] = [];
      for (const caller of CALLERS) {
        const allowed = callers === 'public' || (caller !== 'anonymous' && callers.includes(caller));
        const cookie = cookies.get(caller) ?? null;
        const { statusCode: status, body } = await leavingNoTrace(cookie, { method: op.method as 'GET', url, ...bodyOf(op) });
        const refused = status === 401 || status === 403;
        // Whatever the caller sends (here an empty or minimal body), a 5xx is a bug.
        if (status >= 500) problems.push(`${caller} got ${status} ${body.slice(0, 160)}`);
        if (allowed && refused && !(status === 403 && conditional.includes(caller as Caller)))
          problems.push(`${caller} is listed but got ${status} ${body.slice(0, 160)}`);
        if (!allowed && status !== (caller === 'anonymous' ? 401 : 403)) problems.push(`${caller} is not listed but got ${status} ${body.slice(0, 160)}`);
      }
      expect(problems).toEqual([]);
    });
  }
});
