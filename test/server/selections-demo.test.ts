import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { craftsmanCandidates, craftsmanSelections, people, personTitles } from '../../db/schema.ts';
import { fixedClock } from '../../server/clock.ts';
import { DEMO_PASSWORD } from '../../db/seed.ts';
import { buildTestApp, call, sessionCookie, type TestApp } from '../helpers/test-app.ts';

/**
 * The demo's craftsman selections (工匠评选), read through the API as the Hefei city union's
 * organiser: last year's 合肥工匠 selection, finished (10 named, two nomination awards, rewards
 * paid but for two), and this year's, taking nominations.
 */
let app: TestApp;
const cookies: Record<string, string> = {};
const chinaDay = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

type Selection = { id: number; name: string; year: number; status: string; orgName: string; coOrganisers: { name: string }[]; quota: number; nominationsOpen: string; nominationsClose: string; namedAt: string | null; candidateCounts: Record<string, number> };
type Candidate = {
  id: number;
  personId: number;
  personName: string;
  idNumber: string;
  occupationName: string | null;
  employerName: string | null;
  source: string;
  nominatingOrgId: number | null;
  nominatingOrgName: string | null;
  status: string;
  rank: number | null;
  reviewScore: number | null;
  proposedAward: string | null;
  eligibility: { eligible: boolean; checkedOn: string; failures: { code: string; reason: string }[] };
  form: { position: string; yearsInTrade: number | null; frontLine: boolean | null };
  personTitleId: number | null;
  certificateNumber: string | null;
};

const goodForm = {
  position: '电气维修班班长',
  frontLine: true,
  yearsInTrade: 9,
  stillInTrade: true,
  skillConditions: ['unique_technique'],
  achievements: ['总结“低压配电故障快速判别法”，故障平均处理时间缩短40%'],
  apprentices: 6,
  attachments: [{ name: '合肥工匠推荐表.pdf' }],
  declaredNoDisciplinaryRecord: true,
};

async function selections(who: string): Promise<Selection[]> {
  const res = await call(app, cookies[who]!, { method: 'GET', url: '/api/selections' });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
const get = async <T>(url: string, who = 'hefei-organiser'): Promise<T> => {
  const res = await call(app, cookies[who]!, { method: 'GET', url });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as T;
};

beforeAll(async () => {
  app = await buildTestApp({ demo: true, sessionSecret: 'test-secret-test-secret-test-secret-0123' });
  for (const username of ['hefei-organiser', 'viewer', 'organiser']) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
    expect(res.statusCode, username).toBe(200);
    cookies[username] = sessionCookie(res);
  }
});
afterAll(() => app.close());

describe('the demo craftsman selections', () => {
  it('has last year’s 合肥工匠 selection named and this year’s taking nominations, run by the city union with the city HR bureau', async () => {
    const today = chinaDay(app.clock.now());
    const thisYear = Number(today.slice(0, 4));
    const list = await selections('hefei-organiser');
    expect(list.map((s) => [s.name, s.status])).toEqual([
      [`${thisYear - 1}年度合肥工匠评选`, 'named'],
      [`${thisYear}年度合肥工匠评选`, 'nominating'],
    ]);
    for (const s of list) expect(s).toMatchObject({ orgName: '合肥市总工会', quota: 10, coOrganisers: [{ name: '合肥市人力资源和社会保障局' }] });
    const [finished, open] = list as [Selection, Selection];
    expect(finished.candidateCounts).toEqual({ named: 10, nomination_award: 2, not_selected: 1, ineligible: 2 });
    expect(finished.nominationsClose < today && chinaDay(new Date(finished.namedAt!)) < today).toBe(true);
    expect(open.nominationsOpen <= today && today <= open.nominationsClose).toBe(true);
    expect(open.candidateCounts).toEqual({ nominated: 5, ineligible: 1 });
    // The city's viewer reads them; the Feixi county union (below the city) does not run them: it
    // takes part as a nominating unit, seeing its own people only.
    expect((await selections('viewer')).map((s) => s.id)).toEqual(list.map((s) => s.id));
    const fromCounty = (await selections('organiser')) as (Selection & { yourPart: string })[];
    expect(fromCounty.map((s) => [s.id, s.yourPart])).toEqual(list.map((s) => [s.id, 'nominating_unit']));
  });

  it('lists 10 named craftsmen with certificate numbers in rank order, two nomination awards and the two ineligible with their reasons', async () => {
    const [finished] = await selections('hefei-organiser');
    const candidates = await get<Candidate[]>(`/api/selections/${finished!.id}/candidates`);
    expect(candidates).toHaveLength(15);
    const named = candidates.filter((c) => c.status === 'named');
    expect(named.map((c) => c.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(named.map((c) => c.certificateNumber)).toEqual(named.map((_, i) => `GJ${finished!.year}-${String(finished!.id).padStart(4, '0')}-${String(i + 1).padStart(3, '0')}`));
    expect(named.every((c) => c.personTitleId !== null && c.proposedAward === 'title')).toBe(true);
    const scores = candidates.filter((c) => c.rank !== null).map((c) => c.reviewScore!);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const awards = candidates.filter((c) => c.status === 'nomination_award');
    expect(awards.map((c) => [c.rank, c.certificateNumber])).toEqual([
      [11, null],
      [12, null],
    ]);
    // Sources: the units (employers and the county union) and one self-nomination; the organiser sees full ID numbers.
    expect(candidates.filter((c) => c.source === 'self_nomination')).toHaveLength(1);
    expect(candidates.some((c) => c.nominatingOrgName === '肥西县总工会')).toBe(true);
    expect(candidates.every((c) => /^\d{17}[\dX]$/.test(c.idNumber) && c.employerName && c.occupationName)).toBe(true);
    // The forms fit the people: years in the trade below their age less 18.
    for (const c of candidates) {
      const person = app.db.select().from(people).all().find((p) => p.id === c.personId)!;
      expect(c.form.yearsInTrade!).toBeLessThanOrEqual(finished!.year - Number(person.birthDate.slice(0, 4)) - 18);
      expect(c.eligibility.checkedOn.slice(0, 4)).toBe(String(finished!.year));
    }
    const ineligible = candidates.filter((c) => c.status === 'ineligible');
    expect(ineligible.map((c) => c.eligibility.failures.map((f) => f.code)).sort()).toEqual([['not_front_line'], ['too_few_years_in_trade']]);
    expect(ineligible.every((c) => c.eligibility.failures[0]!.reason.length > 5 && c.rank === null)).toBe(true);

    const objections = await get<{ candidateId: number; decision: string; note: string }[]>(`/api/selections/${finished!.id}/objections`);
    expect(objections).toEqual([expect.objectContaining({ decision: 'dismissed' })]);
    expect(named.some((c) => c.id === objections[0]!.candidateId)).toBe(true);
  });

  it('has paid 170,000 of the 210,000 yuan due: eight craftsmen and both nomination awards, two craftsmen still due', async () => {
    const [finished] = await selections('hefei-organiser');
    const r = await get<{
      due: number;
      paid: number;
      outstanding: number;
      recipients: { award: string; due: number; paid: number; outstanding: number }[];
      byBudgetYear: { budgetYear: number; paid: number; payments: number }[];
      payments: { amountYuan: number; voucherNumber: string; paidOn: string; budgetYear: number; personTitleId: number | null }[];
    }>(`/api/selections/${finished!.id}/rewards`);
    expect(r).toMatchObject({ due: 210_000, paid: 170_000, outstanding: 40_000 });
    expect(r.recipients).toHaveLength(12);
    expect(r.payments.reduce((sum, p) => sum + p.amountYuan, 0)).toBe(r.paid);
    expect(r.recipients.reduce((sum, p) => sum + p.due, 0)).toBe(r.due);
    expect(r.recipients.filter((x) => x.outstanding > 0)).toEqual([
      expect.objectContaining({ award: 'title', due: 20_000, paid: 0, outstanding: 20_000 }),
      expect.objectContaining({ award: 'title', due: 20_000, paid: 0, outstanding: 20_000 }),
    ]);
    expect(r.recipients.filter((x) => x.award === 'nomination_award').every((x) => x.due === 5_000 && x.outstanding === 0)).toBe(true);
    expect(r.payments.map((p) => p.voucherNumber)).toEqual(r.payments.map((_, i) => `HF-GJ-${finished!.year}-${String(i + 1).padStart(3, '0')}`));
    expect(r.payments.every((p) => p.paidOn < chinaDay(app.clock.now()) && p.budgetYear === finished!.year)).toBe(true);
    expect(r.payments.filter((p) => p.personTitleId === null)).toHaveLength(2);
    expect(r.byBudgetYear).toEqual([{ budgetYear: finished!.year, paid: 170_000, payments: 10 }]);
  });

  it('shows the public the named list with names and certificates, never an ID number', async () => {
    const [finished] = await selections('hefei-organiser');
    const res = await app.inject({ method: 'GET', url: `/api/public/selections/${finished!.id}` });
    expect(res.statusCode).toBe(200);
    const pub = res.json() as { stage: string; organiser: string; list: { name: string; award: string; certificateNumber: string | null; employerName: string | null }[] };
    expect(pub).toMatchObject({ stage: 'named', organiser: '合肥市总工会' });
    expect(pub.list.filter((x) => x.award === 'title').map((x) => x.certificateNumber)).toHaveLength(10);
    expect(pub.list.filter((x) => x.award === 'title').every((x) => /^GJ\d{4}-\d{4}-\d{3}$/.test(x.certificateNumber!) && x.name.length >= 2)).toBe(true);
    expect(pub.list.filter((x) => x.award === 'nomination_award')).toHaveLength(2);
    // The public index counts the named apart from the nomination awards (已命名 10 人，提名奖 2 人).
    const index = (await app.inject({ method: 'GET', url: '/api/public/selections' })).json() as { id: number; listed: number; nominationAwards: number }[];
    expect(index.find((x) => x.id === finished!.id)).toMatchObject({ listed: 12, nominationAwards: 2 });
    expect(res.body).not.toContain('idNumber');
    for (const p of app.db.select().from(people).all()) expect(res.body).not.toContain(p.idNumber);
    expect(res.body).not.toMatch(/\d{6}\*{8}/); // not even masked
    // This year's is not public yet.
    const [, open] = await selections('hefei-organiser');
    expect((await app.inject({ method: 'GET', url: `/api/public/selections/${open!.id}` })).statusCode).toBe(404);
  });

  it('takes a nomination today in this year’s selection; last year’s craftsmen are not named twice', async () => {
    const [finished, open] = await selections('hefei-organiser');
    const current = await get<Candidate[]>(`/api/selections/${open!.id}/candidates`);
    expect(current).toHaveLength(6);
    const [ineligible] = current.filter((c) => c.status === 'ineligible');
    // A 肥西名匠 forwarded by the county union; the county's other title holder may still be forwarded.
    const forwarded = current.find((c) => c.source === 'forwarded')!;
    expect(forwarded).toMatchObject({ status: 'nominated', forwardedTitleId: expect.any(Number) });
    const forwardable = (
      await call(app, cookies['organiser']!, { method: 'GET', url: `/api/selections/${open!.id}/forwardable-titles` })
    ).json() as { personId: number; titleName: string; conferredBy: string }[];
    expect(forwardable).toEqual([expect.objectContaining({ titleName: '肥西名匠', conferredBy: '肥西县总工会' })]);
    expect(forwardable[0]!.personId).not.toBe(forwarded.personId);
    expect(ineligible!.eligibility.failures.map((f) => f.code)).toEqual(['no_skill_condition']);
    expect(current.some((c) => c.source === 'self_nomination')).toBe(true);
    // Last year's candidate left off the list is nominated again.
    const lastYear = await get<Candidate[]>(`/api/selections/${finished!.id}/candidates`);
    const leftOff = lastYear.find((c) => c.status === 'not_selected')!;
    expect(current.some((c) => c.personId === leftOff.personId)).toBe(true);

    // A Feixi electrician in neither selection, nominated by the county union today.
    const taken = new Set([...current, ...lastYear].map((c) => c.personId));
    const county = current.find((c) => c.nominatingOrgName === '肥西县总工会')!.nominatingOrgId;
    const person = app.db
      .select()
      .from(people)
      .all()
      .find((p) => p.occupationName === '电工' && !taken.has(p.id))!;
    const res = await call(app, cookies['hefei-organiser']!, {
      method: 'POST',
      url: `/api/selections/${open!.id}/candidates`,
      payload: { source: 'unit_nomination', personId: person.id, nominatingOrgId: county, form: goodForm },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ personId: person.id, status: 'nominated', eligibility: { eligible: true, checkedOn: chinaDay(app.clock.now()) } });

    // One of last year's craftsmen, nominated again: kept, but ineligible (the title is held).
    const craftsman = lastYear.find((c) => c.status === 'named')!;
    const again = await call(app, cookies['hefei-organiser']!, {
      method: 'POST',
      url: `/api/selections/${open!.id}/candidates`,
      payload: { source: 'self_nomination', personId: craftsman.personId, form: goodForm },
    });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().eligibility.failures.map((f: { code: string }) => f.code)).toEqual(['already_holds_title']);
  });
});


describe.each(['2029-01-01T08:00:00+08:00', '2029-12-31T23:30:00+08:00'])('the demo selections created on %s', (when) => {
  it('are dated around that day: last year’s over, this year’s open today, no nomination after now', async () => {
    const clock = fixedClock(when);
    const dated = await buildTestApp({ demo: true, sessionSecret: 'test-secret-test-secret-test-secret-0123' }, { clock });
    try {
      const today = chinaDay(clock.now());
      const [finished, open] = dated.db.select().from(craftsmanSelections).all();
      expect(finished).toMatchObject({ year: Number(today.slice(0, 4)) - 1, status: 'named' });
      expect(finished!.namedAt!.getTime()).toBeLessThan(clock.now().getTime());
      expect(open).toMatchObject({ year: Number(today.slice(0, 4)), status: 'nominating' });
      expect(open!.nominationsOpen.startsWith(today.slice(0, 4)) && open!.nominationsOpen <= today && today <= open!.nominationsClose).toBe(true);
      const nominated = dated.db.select().from(craftsmanCandidates).all().filter((c) => c.selectionId === open!.id);
      expect(nominated).toHaveLength(6);
      // The county title forwarded was conferred last year, before this year's nominations.
      const countyTitle = dated.db.select().from(personTitles).all().find((t) => t.certificateNumber?.startsWith('FXMJ'))!;
      expect(chinaDay(countyTitle.conferredAt) < open!.nominationsOpen).toBe(true);
      expect(nominated.every((c) => c.createdAt.getTime() < clock.now().getTime())).toBe(true);
    } finally {
      await dated.close();
    }
  });
});
