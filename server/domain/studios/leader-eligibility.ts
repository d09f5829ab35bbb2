import { SKILL_LEVEL_NAMES, studioSettingsPreset } from '../../contracts/studios.ts';
import type { LeaderQualification, SkillLevel, StudioKind, StudioSettings } from '../../contracts/studios.ts';

/** What is known about a prospective studio leader (领办人 / 带头人). */
export interface LeaderProfile {
  /** Honour codes held (see HONOUR_NAMES in the contract): 'model_worker_city', 'may_day_medal' … */
  honours: readonly string[];
  /** Certified skill level, 1 = 高级技师 … 5 = 初级工; null when none is on record. */
  skillLevel: SkillLevel | null;
}

/** Why a leader does not qualify: a stable code and a Chinese message for the UI. */
export interface LeaderReason {
  code: 'honour_required' | 'skill_level_required';
  message: string;
  /** The rule alternative this reason is about (index into the kind's `leader` list). */
  alternative: number;
}

export type LeaderEligibility =
  | { ok: true; /** the first alternative the leader meets */ satisfiedBy: LeaderQualification }
  | { ok: false; /** one per alternative, any one of which would do */ reasons: LeaderReason[] };

/**
 * Whether `leader` may lead a studio of `kind` under `settings` (the presets by default:
 * model-worker studios a city model worker or above, a May Day medal holder or a craftsman;
 * skill-master studios a technician or above).
 *
 * A kind's rule is a list of alternatives and meeting any one is enough; when none is met,
 * every unmet alternative is reported, so the form can say "any one of these" (满足其一即可).
 */
export function checkLeaderEligibility(
  kind: StudioKind,
  leader: LeaderProfile,
  settings: StudioSettings = studioSettingsPreset,
): LeaderEligibility {
  const rule = settings.kinds[kind];
  const reasons: LeaderReason[] = [];
  for (const [alternative, q] of rule.leader.entries()) {
    if (meets(q, leader)) return { ok: true, satisfiedBy: q };
    reasons.push(reasonFor(q, leader, alternative, rule.name));
  }
  return { ok: false, reasons };
}

function meets(q: LeaderQualification, leader: LeaderProfile): boolean {
  if (q.type === 'honour') return q.anyOf.some((code) => leader.honours.includes(code));
  // Level 1 is the highest grade, so "this level or above" is numerically at most.
  return leader.skillLevel !== null && leader.skillLevel <= q.orAbove;
}

function reasonFor(q: LeaderQualification, leader: LeaderProfile, alternative: number, kindName: string): LeaderReason {
  if (q.type === 'honour') return { code: 'honour_required', message: `${kindName}的领办人须为${q.label}`, alternative };
  const held = leader.skillLevel === null ? '未登记职业技能等级' : `现为${SKILL_LEVEL_NAMES[leader.skillLevel] ?? `${leader.skillLevel}级`}`;
  return { code: 'skill_level_required', message: `${kindName}的领办人须具备${q.label}（${held}）`, alternative };
}
