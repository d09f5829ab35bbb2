import { describe, expect, it } from 'vitest';
import { canApply, openApplication, termStatus, transition } from '../../../server/domain/studios/index.ts';
import type { Refusal, Transition, TransitionContext } from '../../../server/domain/studios/index.ts';
import type { StudioState } from '../../../server/contracts/studios.ts';

const union = { body: 'union', organisationId: 2, name: '肥西县总工会' } as const;
const hr = { body: 'hr_bureau', organisationId: 7, name: '肥西县人社局' } as const;
const applicant = { body: 'applicant' } as const;

function ok(result: Transition | Refusal): Transition {
  if (!result.ok) throw new Error(`refused: ${result.code} ${result.reason}`);
  return result;
}

function refused(result: Transition | Refusal | { ok: true }): Refusal {
  if (result.ok) throw new Error('expected a refusal');
  return result;
}

/** Runs a sequence of decisions from an opened application, returning every step. */
function run(start: StudioState, moves: [Parameters<typeof transition>[1], TransitionContext][]) {
  let state = start;
  const steps = [];
  for (const [action, ctx] of moves) {
    const t = ok(transition(state, action, ctx));
    state = t.state;
    steps.push(t.step);
  }
  return { state, steps };
}

function opened(kind: StudioState['kind'], date: string, hostEmployerId = 501, leaderPersonId = 9001): StudioState {
  return ok(openApplication({ kind, hostEmployerId, leaderPersonId }, [], { date, decidedBy: applicant })).state;
}

function recognisedSkillMaster(): StudioState {
  return run(opened('skill_master', '2020-01-02'), [
    ['start_evaluation', { date: '2020-01-05', decidedBy: hr }],
    ['recognise', { date: '2020-01-10', decidedBy: hr, level: 'city' }],
  ]).state;
}

describe('studio life cycle', () => {
  it('runs application → evaluation → recognition → yearly reviews → re-confirmation, recording every step', () => {
    const open = ok(
      openApplication(
        { kind: 'model_worker', hostEmployerId: 501, leaderPersonId: 9001, leader: { honours: ['model_worker_city'], skillLevel: null } },
        [],
        { date: '2021-03-01', decidedBy: applicant },
      ),
    );
    expect(open.state.status).toBe('applied');
    expect(open.step).toMatchObject({ action: 'apply', decision: '提交申报', from: null, to: 'applied', date: '2021-03-01' });

    const { state, steps } = run(open.state, [
      ['start_evaluation', { date: '2021-04-01', decidedBy: union }],
      ['recognise', { date: '2021-06-30', decidedBy: union, level: 'city' }],
      ['renew', { date: '2022-06-01', decidedBy: union }],
      ['warn', { date: '2023-06-01', decidedBy: union, note: '台账不全' }],
      ['renew', { date: '2023-12-01', decidedBy: union }],
      ['reconfirm', { date: '2024-05-01', decidedBy: { body: 'joint' } }],
    ]);

    expect(steps.map((s) => [s.action, s.from, s.to])).toEqual([
      ['start_evaluation', 'applied', 'under_evaluation'],
      ['recognise', 'under_evaluation', 'recognised'],
      ['renew', 'recognised', 'recognised'],
      ['warn', 'recognised', 'warned'],
      ['renew', 'warned', 'recognised'],
      ['reconfirm', 'recognised', 'recognised'],
    ]);
    expect(steps[1]).toEqual({
      action: 'recognise',
      decision: '认定为市级劳模创新工作室',
      from: 'under_evaluation',
      to: 'recognised',
      date: '2021-06-30',
      decidedBy: union,
      level: 'city',
      termEndsOn: '2024-06-30', // the kind's default three-year term
      bannedUntil: null,
      note: '',
    });
    expect(steps[3]!.note).toBe('台账不全');
    expect(steps[5]!.decidedBy).toEqual({ body: 'joint', organisationId: null, name: '' });
    // Re-confirmed in the term's last year: the new term follows on from the old one.
    expect(state).toMatchObject({ status: 'recognised', recognisedOn: '2021-06-30', termStartsOn: '2024-06-30', termEndsOn: '2027-06-30' });
    expect(state.lastStepOn).toBe('2024-05-01');
  });

  it('a skill-master studio is recognised for three years by default, or for the term given', () => {
    expect(recognisedSkillMaster()).toMatchObject({ level: 'city', termStartsOn: '2020-01-10', termEndsOn: '2023-01-10' });
    const five = ok(transition(ok(transition(opened('skill_master', '2020-01-02'), 'start_evaluation', { date: '2020-01-03', decidedBy: hr })).state, 'recognise', { date: '2020-02-29', decidedBy: hr, level: 'province', termYears: 5 }));
    // A leap-day start ends on 28 February.
    expect(five.state.termEndsOn).toBe('2025-02-28');
  });

  describe('de-listing and the reapplication ban', () => {
    const delisted = ok(transition(recognisedSkillMaster(), 'delist', { date: '2022-01-15', decidedBy: hr, note: '年度评估不合格' }));

    it('de-listing a skill-master studio bans reapplying for six years', () => {
      expect(delisted.state).toMatchObject({ status: 'delisted', bannedUntil: '2028-01-15' });
      expect(delisted.step).toMatchObject({ action: 'delist', decision: '摘牌，6年内不得再次申报', bannedUntil: '2028-01-15' });
    });

    it('refuses the host and the leader before the ban ends, and accepts them on its last day', () => {
      const history = [delisted.state];
      const before = refused(canApply(history, '2028-01-14', { kind: 'skill_master', hostEmployerId: 501, leaderPersonId: 9001 }));
      expect(before).toEqual({
        ok: false,
        code: 'reapply_banned',
        reason: '该单位或领办人的工作室已被摘牌，2028-01-15前不得再次申报',
        until: '2028-01-15',
      });
      // the same host with another leader, and the same leader at another host
      expect(refused(canApply(history, '2025-06-01', { kind: 'skill_master', hostEmployerId: 501, leaderPersonId: 9002 })).code).toBe('reapply_banned');
      expect(refused(canApply(history, '2025-06-01', { kind: 'skill_master', hostEmployerId: 777, leaderPersonId: 9001 })).code).toBe('reapply_banned');
      expect(canApply(history, '2028-01-15', { kind: 'skill_master', hostEmployerId: 501, leaderPersonId: 9001 })).toEqual({ ok: true });
      // unrelated applicants are not touched
      expect(canApply(history, '2025-06-01', { kind: 'skill_master', hostEmployerId: 777, leaderPersonId: 9002 })).toEqual({ ok: true });
    });

    it('openApplication enforces the ban', () => {
      const refusal = refused(
        openApplication({ kind: 'skill_master', hostEmployerId: 501, leaderPersonId: 9001 }, [delisted.state], { date: '2027-12-31', decidedBy: applicant }),
      );
      expect(refusal.code).toBe('reapply_banned');
      const later = openApplication({ kind: 'skill_master', hostEmployerId: 501, leaderPersonId: 9001 }, [delisted.state], { date: '2028-01-15', decidedBy: applicant });
      expect(later.ok).toBe(true);
    });

    it('an HR de-listing does not stop a union application (the ban stays on its line)', () => {
      expect(canApply([delisted.state], '2023-01-01', { kind: 'model_worker', hostEmployerId: 501, leaderPersonId: 9001 })).toEqual({ ok: true });
    });

    it('union studios use their own ban (3 years preset), a given ban, or none', () => {
      const recognised = run(opened('model_worker', '2021-01-04'), [
        ['start_evaluation', { date: '2021-01-05', decidedBy: union }],
        ['recognise', { date: '2021-02-01', decidedBy: union, level: 'county' }],
      ]).state;
      expect(ok(transition(recognised, 'delist', { date: '2022-03-01', decidedBy: union })).state.bannedUntil).toBe('2025-03-01');
      expect(ok(transition(recognised, 'delist', { date: '2022-03-01', decidedBy: union, banYears: 2 })).state.bannedUntil).toBe('2024-03-01');
      const noBan = ok(transition(recognised, 'delist', { date: '2022-03-01', decidedBy: union, banYears: 0 }));
      expect(noBan.state.bannedUntil).toBeNull();
      expect(noBan.step.decision).toBe('摘牌');
      expect(refused(transition(recognised, 'delist', { date: '2022-03-01', decidedBy: union, banYears: 2.5 })).code).toBe('invalid_ban');
    });
  });

  describe('term expiry', () => {
    const recognised = recognisedSkillMaster(); // term 2020-01-10 … 2023-01-10

    it('termStatus: in term, final year (re-confirmation due), expired', () => {
      expect(termStatus(recognised, '2021-06-01')).toBe('in_term');
      expect(termStatus(recognised, '2022-01-10')).toBe('final_year');
      expect(termStatus(recognised, '2023-01-09')).toBe('final_year');
      expect(termStatus(recognised, '2023-01-10')).toBe('expired');
      expect(termStatus(opened('worker', '2020-01-01'), '2021-01-01')).toBe('not_recognised');
    });

    it('after the term has ended a yearly review is refused: the studio needs re-confirmation', () => {
      const refusal = refused(transition(recognised, 'renew', { date: '2023-01-10', decidedBy: hr }));
      expect(refusal).toEqual({ ok: false, code: 'term_expired', reason: '认定有效期已于2023-01-10届满，须复核认定' });
      expect(refused(transition(recognised, 'warn', { date: '2023-03-01', decidedBy: hr })).code).toBe('term_expired');
    });

    it('the lapse is recorded from the end date on; then re-confirmation starts a new term on its date', () => {
      expect(refused(transition(recognised, 'expire', { date: '2023-01-09', decidedBy: hr })).code).toBe('term_not_ended');
      const expired = ok(transition(recognised, 'expire', { date: '2023-01-10', decidedBy: hr }));
      expect(expired.state.status).toBe('expired');
      expect(expired.step.decision).toBe('认定期满，待复核');
      expect(termStatus(expired.state, '2023-01-11')).toBe('expired');
      const again = ok(transition(expired.state, 'reconfirm', { date: '2023-04-01', decidedBy: hr, level: 'province' }));
      expect(again.state).toMatchObject({ status: 'recognised', level: 'province', termStartsOn: '2023-04-01', termEndsOn: '2026-04-01', recognisedOn: '2020-01-10' });
      expect(again.step.decision).toBe('复核认定为省级技能大师工作室');
    });

    it('failing re-confirmation de-lists with the ban', () => {
      const expired = ok(transition(recognised, 'expire', { date: '2023-01-10', decidedBy: hr })).state;
      expect(ok(transition(expired, 'delist', { date: '2023-02-01', decidedBy: hr })).state.bannedUntil).toBe('2029-02-01');
    });

    it('re-confirmation before the last year is refused', () => {
      expect(refused(transition(recognised, 'reconfirm', { date: '2021-12-31', decidedBy: hr }))).toEqual({
        ok: false,
        code: 'not_due',
        reason: '认定有效期至2023-01-10，进入最后一年后方可复核',
      });
    });
  });

  describe('refused steps', () => {
    const applied = opened('model_worker', '2021-03-01');
    const recognised = run(applied, [
      ['start_evaluation', { date: '2021-04-01', decidedBy: union }],
      ['recognise', { date: '2021-06-30', decidedBy: union, level: 'city' }],
    ]).state;

    it('an action not allowed from the current status', () => {
      expect(refused(transition(applied, 'recognise', { date: '2021-04-01', decidedBy: union, level: 'city' }))).toEqual({
        ok: false,
        code: 'not_allowed',
        reason: '工作室当前状态为「已申报」，不能认定',
      });
      expect(refused(transition(applied, 'renew', { date: '2021-04-01', decidedBy: union })).code).toBe('not_allowed');
      expect(refused(transition(recognised, 'withdraw', { date: '2021-07-01', decidedBy: applicant })).code).toBe('not_allowed');
      expect(refused(transition(recognised, 'start_evaluation', { date: '2021-07-01', decidedBy: union })).code).toBe('not_allowed');
    });

    it('recognition without a level', () => {
      const evaluating = ok(transition(applied, 'start_evaluation', { date: '2021-04-01', decidedBy: union })).state;
      expect(refused(transition(evaluating, 'recognise', { date: '2021-06-30', decidedBy: union }))).toEqual({
        ok: false,
        code: 'level_required',
        reason: '认定须注明级别',
      });
      expect(refused(transition(evaluating, 'recognise', { date: '2021-06-30', decidedBy: union, level: 'city', termYears: 0 })).code).toBe('invalid_term');
    });

    it('a second warning: the next review must renew or de-list', () => {
      const warned = ok(transition(recognised, 'warn', { date: '2022-06-01', decidedBy: union })).state;
      expect(refused(transition(warned, 'warn', { date: '2023-06-01', decidedBy: union })).code).toBe('already_warned');
      expect(refused(transition(warned, 'reconfirm', { date: '2023-07-01', decidedBy: union })).code).toBe('not_allowed');
      expect(ok(transition(warned, 'delist', { date: '2023-06-01', decidedBy: union })).state.status).toBe('delisted');
    });

    it('anything after rejection, withdrawal or de-listing', () => {
      const rejected = ok(transition(applied, 'reject', { date: '2021-03-10', decidedBy: union, note: '材料不全' })).state;
      expect(refused(transition(rejected, 'start_evaluation', { date: '2021-04-01', decidedBy: union }))).toEqual({
        ok: false,
        code: 'terminal_state',
        reason: '工作室已不予认定，不能再进入联合绩效评估',
      });
      const withdrawn = ok(transition(applied, 'withdraw', { date: '2021-03-10', decidedBy: applicant })).state;
      expect(withdrawn.status).toBe('withdrawn');
      expect(refused(transition(withdrawn, 'reject', { date: '2021-04-01', decidedBy: union })).code).toBe('terminal_state');
      const delisted = ok(transition(recognised, 'delist', { date: '2022-01-01', decidedBy: union })).state;
      expect(refused(transition(delisted, 'renew', { date: '2022-06-01', decidedBy: union })).code).toBe('terminal_state');
    });

    it('a decision dated before the last step, or not a date', () => {
      expect(refused(transition(recognised, 'renew', { date: '2021-06-29', decidedBy: union }))).toEqual({
        ok: false,
        code: 'date_before_last_step',
        reason: '决定日期不得早于上一步骤日期（2021-06-30）',
      });
      expect(refused(transition(recognised, 'renew', { date: '2022-02-30', decidedBy: union })).code).toBe('invalid_date');
    });

    it('the wrong body: the union cannot name a skill-master studio, nor withdraw for the applicant', () => {
      const skill = opened('skill_master', '2021-03-01');
      expect(refused(transition(skill, 'start_evaluation', { date: '2021-03-02', decidedBy: union }))).toEqual({
        ok: false,
        code: 'wrong_body',
        reason: '技能大师工作室由人力资源社会保障部门认定和管理',
      });
      expect(ok(transition(skill, 'start_evaluation', { date: '2021-03-02', decidedBy: { body: 'joint' } })).state.status).toBe('under_evaluation');
      expect(refused(transition(applied, 'withdraw', { date: '2021-03-02', decidedBy: union })).code).toBe('wrong_body');
      expect(refused(openApplication({ kind: 'worker', hostEmployerId: 1, leaderPersonId: 2 }, [], { date: '2021-03-02', decidedBy: union })).code).toBe('wrong_body');
    });

    it('a duplicate pending application and an ineligible leader', () => {
      expect(refused(canApply([applied], '2021-03-05', { kind: 'model_worker', hostEmployerId: 501, leaderPersonId: 9001 })).code).toBe(
        'pending_application',
      );
      const refusal = refused(
        openApplication(
          { kind: 'skill_master', hostEmployerId: 502, leaderPersonId: 9003, leader: { honours: [], skillLevel: 4 } },
          [],
          { date: '2021-03-05', decidedBy: applicant },
        ),
      );
      expect(refusal.code).toBe('leader_not_eligible');
      expect(refusal.leaderReasons?.[0]?.code).toBe('skill_level_required');
    });

    it('a refusal leaves the state as it was', () => {
      const before = structuredClone(recognised);
      transition(recognised, 'expire', { date: '2022-01-01', decidedBy: union });
      expect(recognised).toEqual(before);
    });
  });
});
