import { STUDIO_LEVEL_NAMES, studioSettingsPreset } from '../../contracts/studios.ts';
import type {
  Decider,
  DeciderInput,
  StudioAction,
  StudioKind,
  StudioLevel,
  StudioSettings,
  StudioState,
  StudioStatus,
  StudioStep,
} from '../../contracts/studios.ts';
import { addYears, isIsoDate } from './iso-dates.ts';
import { checkLeaderEligibility } from './leader-eligibility.ts';
import type { LeaderProfile, LeaderReason } from './leader-eligibility.ts';

/** Everything a decision carries besides the action itself. */
export interface TransitionContext {
  /** The decision date, `YYYY-MM-DD`; not before the studio's last step. */
  date: string;
  decidedBy: DeciderInput;
  /** recognise: required; reconfirm: optional, the current level by default. */
  level?: StudioLevel;
  /** recognise / reconfirm: the term, the kind's `termYears` by default. */
  termYears?: number;
  /** delist: the reapplication ban, the kind's `reapplyBanYears` by default. */
  banYears?: number;
  note?: string;
}

/** Stable codes of refused steps. */
export type RefusalCode =
  | 'invalid_date'
  | 'date_before_last_step'
  | 'terminal_state'
  | 'not_allowed'
  | 'wrong_body'
  | 'level_required'
  | 'invalid_term'
  | 'invalid_ban'
  | 'term_expired'
  | 'term_not_ended'
  | 'not_due'
  | 'already_warned'
  | 'reapply_banned'
  | 'pending_application'
  | 'leader_not_eligible';

/** A refused step: nothing changes and nothing is recorded. */
export interface Refusal {
  ok: false;
  code: RefusalCode;
  /** Chinese, for the UI. */
  reason: string;
  /** reapply_banned: the first day an application is accepted again. */
  until?: string;
  /** leader_not_eligible: the leader rule's reasons. */
  leaderReasons?: LeaderReason[];
}

/** An accepted step: the new state to keep and the step record to append to the history. */
export interface Transition {
  ok: true;
  state: StudioState;
  step: StudioStep;
}

/** Who applies: the host employer (依托单位), the leader and the kind sought. */
export interface Applicant {
  kind: StudioKind;
  hostEmployerId: number;
  leaderPersonId: number;
  /** When given, the leader rule of the kind is checked too. */
  leader?: LeaderProfile;
}

type DecidingAction = Exclude<StudioAction, 'apply'>;

const TERMINAL: ReadonlySet<StudioStatus> = new Set(['rejected', 'withdrawn', 'delisted']);

/** From which statuses each action may be taken, and where it leads. */
const MOVES: Readonly<Record<DecidingAction, { from: readonly StudioStatus[]; to: StudioStatus }>> = {
  start_evaluation: { from: ['applied'], to: 'under_evaluation' },
  recognise: { from: ['under_evaluation'], to: 'recognised' },
  // Rejection at the formal check (形式审查) or after the evaluation.
  reject: { from: ['applied', 'under_evaluation'], to: 'rejected' },
  // Only before a decision: a recognised studio that wants out is de-listed by its body, so
  // withdrawing cannot be used to dodge the reapplication ban.
  withdraw: { from: ['applied', 'under_evaluation'], to: 'withdrawn' },
  renew: { from: ['recognised', 'warned'], to: 'recognised' },
  warn: { from: ['recognised'], to: 'warned' },
  // Failing re-confirmation after expiry de-lists too (the skill-master rule).
  delist: { from: ['recognised', 'warned', 'expired'], to: 'delisted' },
  expire: { from: ['recognised', 'warned'], to: 'expired' },
  // A warned studio first has to pass a yearly review (renew) before it is re-confirmed.
  reconfirm: { from: ['recognised', 'expired'], to: 'recognised' },
};

const STATUS_NAMES: Readonly<Record<StudioStatus, string>> = {
  applied: '已申报',
  under_evaluation: '评估中',
  recognised: '已认定',
  warned: '限期整改',
  expired: '期满待复核',
  rejected: '不予认定',
  withdrawn: '已撤回',
  delisted: '已摘牌',
};

const ACTION_NAMES: Readonly<Record<StudioAction, string>> = {
  apply: '提交申报',
  start_evaluation: '进入联合绩效评估',
  recognise: '认定',
  reject: '不予认定',
  withdraw: '撤回申报',
  renew: '年度考核合格',
  warn: '年度考核限期整改（警告）',
  delist: '摘牌',
  expire: '认定期满，待复核',
  reconfirm: '复核认定',
};

/**
 * Whether an applicant may apply on `now` (`YYYY-MM-DD`), given `history`: the earlier studio
 * records of the same host employer or the same leader (any kind; the caller may pass more,
 * unrelated records are ignored).
 *
 * - A de-listed studio bans both its host employer and its leader from applying on the same
 *   line (union or HR) until `bannedUntil`; an application on that day is accepted. The ban
 *   does not cross lines: an HR de-listing does not stop a union application.
 * - A second application of the same kind by the same host and leader while one is pending
 *   is refused.
 */
export function canApply(
  history: readonly StudioState[],
  now: string,
  applicant: Pick<Applicant, 'kind' | 'hostEmployerId' | 'leaderPersonId'>,
  settings: StudioSettings = studioSettingsPreset,
): { ok: true } | Refusal {
  if (!isIsoDate(now)) return refuse('invalid_date', `日期格式不正确：${now}`);
  const line = settings.kinds[applicant.kind].line;
  let banEnd: string | null = null;
  for (const record of history) {
    const related = record.hostEmployerId === applicant.hostEmployerId || record.leaderPersonId === applicant.leaderPersonId;
    if (!related || settings.kinds[record.kind].line !== line) continue;
    if (record.status === 'delisted' && record.bannedUntil !== null && now < record.bannedUntil && (banEnd === null || record.bannedUntil > banEnd))
      banEnd = record.bannedUntil;
  }
  if (banEnd !== null)
    return { ...refuse('reapply_banned', `该单位或领办人的工作室已被摘牌，${banEnd}前不得再次申报`), until: banEnd };
  const pending = history.some(
    (r) =>
      r.kind === applicant.kind &&
      r.hostEmployerId === applicant.hostEmployerId &&
      r.leaderPersonId === applicant.leaderPersonId &&
      (r.status === 'applied' || r.status === 'under_evaluation'),
  );
  if (pending) return refuse('pending_application', '已有同类工作室申报正在办理中，不得重复申报');
  return { ok: true };
}

/**
 * Opens an application (the `apply` step): checks {@link canApply}, the leader rule when a
 * leader profile is given, and that the applicant is the one deciding to apply.
 */
export function openApplication(
  applicant: Applicant,
  history: readonly StudioState[],
  ctx: TransitionContext,
  settings: StudioSettings = studioSettingsPreset,
): Transition | Refusal {
  if (!isIsoDate(ctx.date)) return refuse('invalid_date', `日期格式不正确：${ctx.date}`);
  const decidedBy = decider(ctx.decidedBy);
  if (decidedBy.body !== 'applicant') return refuse('wrong_body', '申报须由申报单位提出');
  const allowed = canApply(history, ctx.date, applicant, settings);
  if (!allowed.ok) return allowed;
  if (applicant.leader) {
    const eligibility = checkLeaderEligibility(applicant.kind, applicant.leader, settings);
    if (!eligibility.ok)
      return { ...refuse('leader_not_eligible', eligibility.reasons.map((r) => r.message).join('；')), leaderReasons: eligibility.reasons };
  }
  const state: StudioState = {
    kind: applicant.kind,
    hostEmployerId: applicant.hostEmployerId,
    leaderPersonId: applicant.leaderPersonId,
    status: 'applied',
    level: null,
    recognisedOn: null,
    termStartsOn: null,
    termEndsOn: null,
    bannedUntil: null,
    lastStepOn: ctx.date,
  };
  return { ok: true, state, step: stepOf('apply', ACTION_NAMES.apply, null, state, ctx, decidedBy) };
}

/**
 * Applies one decision to a studio. Returns the new state and the step record to store, or a
 * refusal with a code and a Chinese reason (the state is then unchanged).
 *
 * Rules beyond the move table:
 * - the date must be a real date, not before the last step;
 * - decisions are the studio's line's (the union's, or the HR bureau's for skill-master
 *   studios) or joint; withdrawing is the applicant's;
 * - recognising needs a level; the term is the kind's `termYears` unless given;
 * - yearly reviews (renew, warn) are refused once the term has ended: the studio must be
 *   re-confirmed (reconfirm) or lapses (expire, allowed from the term's end date);
 * - a warned studio that is warned again is refused: its next review renews or de-lists it;
 * - re-confirmation is possible in the last year of the term or after it ended; the new term
 *   follows on from the old one (no gap, no overlap) or starts on the date if it had ended;
 * - de-listing sets `bannedUntil` = date + the ban years (no ban for 0).
 */
export function transition(
  state: StudioState,
  action: DecidingAction,
  ctx: TransitionContext,
  settings: StudioSettings = studioSettingsPreset,
): Transition | Refusal {
  if (!isIsoDate(ctx.date)) return refuse('invalid_date', `日期格式不正确：${ctx.date}`);
  if (ctx.date < state.lastStepOn) return refuse('date_before_last_step', `决定日期不得早于上一步骤日期（${state.lastStepOn}）`);
  if (TERMINAL.has(state.status))
    return refuse('terminal_state', `工作室已${STATUS_NAMES[state.status]}，不能再${ACTION_NAMES[action]}`);

  const move = MOVES[action];
  if (action === 'warn' && state.status === 'warned') return refuse('already_warned', '工作室已在限期整改中，本次考核应为合格或摘牌');
  if (!move.from.includes(state.status))
    return refuse('not_allowed', `工作室当前状态为「${STATUS_NAMES[state.status]}」，不能${ACTION_NAMES[action]}`);

  const rule = settings.kinds[state.kind];
  const decidedBy = decider(ctx.decidedBy);
  if (action === 'withdraw') {
    if (decidedBy.body !== 'applicant') return refuse('wrong_body', '撤回申报须由申报单位提出');
  } else if (decidedBy.body !== rule.line && decidedBy.body !== 'joint') {
    return refuse('wrong_body', `${rule.name}由${rule.line === 'union' ? '工会' : '人力资源社会保障部门'}认定和管理`);
  }

  const termEnded = state.termEndsOn !== null && ctx.date >= state.termEndsOn;
  let next: StudioState = { ...state, status: move.to, lastStepOn: ctx.date };
  let decision = ACTION_NAMES[action];

  switch (action) {
    case 'recognise': {
      if (!ctx.level) return refuse('level_required', '认定须注明级别');
      const term = termYearsOf(ctx, rule.termYears);
      if (term === null) return refuse('invalid_term', '认定期限须为1至10年的整数');
      next = { ...next, level: ctx.level, recognisedOn: ctx.date, termStartsOn: ctx.date, termEndsOn: addYears(ctx.date, term) };
      decision = `认定为${STUDIO_LEVEL_NAMES[ctx.level]}${rule.name}`;
      break;
    }
    case 'renew':
    case 'warn':
      if (termEnded) return refuse('term_expired', `认定有效期已于${state.termEndsOn}届满，须复核认定`);
      break;
    case 'expire':
      if (!termEnded) return refuse('term_not_ended', `认定有效期至${state.termEndsOn ?? '—'}，尚未届满`);
      break;
    case 'reconfirm': {
      const ends = state.termEndsOn;
      if (state.status === 'recognised' && ends !== null && ctx.date < addYears(ends, -1))
        return refuse('not_due', `认定有效期至${ends}，进入最后一年后方可复核`);
      const term = termYearsOf(ctx, rule.termYears);
      if (term === null) return refuse('invalid_term', '认定期限须为1至10年的整数');
      const level = ctx.level ?? state.level;
      if (!level) return refuse('level_required', '复核认定须注明级别');
      const startsOn = state.status === 'recognised' && ends !== null && ends > ctx.date ? ends : ctx.date;
      next = { ...next, level, termStartsOn: startsOn, termEndsOn: addYears(startsOn, term) };
      decision = `复核认定为${STUDIO_LEVEL_NAMES[level]}${rule.name}`;
      break;
    }
    case 'delist': {
      const ban = ctx.banYears ?? rule.reapplyBanYears;
      if (!Number.isInteger(ban) || ban < 0 || ban > 20) return refuse('invalid_ban', '禁止再次申报的年限须为0至20年的整数');
      next = { ...next, bannedUntil: ban > 0 ? addYears(ctx.date, ban) : null };
      decision = ban > 0 ? `摘牌，${ban}年内不得再次申报` : '摘牌';
      break;
    }
    default:
      break;
  }
  return { ok: true, state: next, step: stepOf(action, decision, state.status, next, ctx, decidedBy) };
}

/**
 * Where a studio stands in its term on `on`:
 * - `not_recognised`: never recognised, or no longer (rejected, withdrawn, de-listed);
 * - `in_term`: recognised and more than a year left;
 * - `final_year`: in the last year of the term, when re-confirmation (复核) is due;
 * - `expired`: the term has ended (status `expired`, or a recognised studio whose end date
 *   has passed but whose lapse was not yet recorded): needs re-confirmation.
 */
export function termStatus(state: StudioState, on: string): 'not_recognised' | 'in_term' | 'final_year' | 'expired' {
  if (state.status === 'expired') return 'expired';
  if ((state.status !== 'recognised' && state.status !== 'warned') || state.termEndsOn === null) return 'not_recognised';
  if (on >= state.termEndsOn) return 'expired';
  return on >= addYears(state.termEndsOn, -1) ? 'final_year' : 'in_term';
}

function termYearsOf(ctx: TransitionContext, fallback: number): number | null {
  const term = ctx.termYears ?? fallback;
  return Number.isInteger(term) && term >= 1 && term <= 10 ? term : null;
}

function decider(input: DeciderInput): Decider {
  return { body: input.body, organisationId: input.organisationId ?? null, name: input.name ?? '' };
}

function refuse(code: RefusalCode, reason: string): Refusal {
  return { ok: false, code, reason };
}

function stepOf(
  action: StudioAction,
  decision: string,
  from: StudioStatus | null,
  next: StudioState,
  ctx: TransitionContext,
  decidedBy: Decider,
): StudioStep {
  return {
    action,
    decision,
    from,
    to: next.status,
    date: ctx.date,
    decidedBy,
    level: next.level,
    termEndsOn: next.termEndsOn,
    bannedUntil: next.bannedUntil,
    note: ctx.note ?? '',
  };
}
