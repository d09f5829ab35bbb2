import { describe, expect, it } from 'vitest';
import { checkLeaderEligibility } from '../../../server/domain/studios/index.ts';
import { studioSettingsPreset, studioSettingsSchema } from '../../../server/contracts/studios.ts';
import type { SkillLevel } from '../../../server/contracts/studios.ts';

const leader = (honours: string[], skillLevel: SkillLevel | null = null) => ({ honours, skillLevel });

describe('checkLeaderEligibility', () => {
  describe('model-worker studios (Hefei: city model worker, May Day medal or craftsman)', () => {
    it.each([['model_worker_city'], ['model_worker_province'], ['model_worker_national'], ['may_day_medal'], ['craftsman']])(
      'accepts %s',
      (honour) => {
        const result = checkLeaderEligibility('model_worker', leader(['technical_expert', honour]));
        expect(result.ok).toBe(true);
      },
    );

    it('refuses a county model worker, even a highly skilled one, with a Chinese reason and a code', () => {
      const result = checkLeaderEligibility('model_worker', leader(['model_worker_county'], 1));
      expect(result).toEqual({
        ok: false,
        reasons: [
          {
            code: 'honour_required',
            message: '劳模创新工作室的领办人须为市级及以上劳动模范、五一劳动奖章获得者或工匠',
            alternative: 0,
          },
        ],
      });
    });
  });

  describe('skill-master studios (HR: technician or above)', () => {
    it('accepts technicians (level 2) and senior technicians (level 1)', () => {
      expect(checkLeaderEligibility('skill_master', leader([], 2)).ok).toBe(true);
      expect(checkLeaderEligibility('skill_master', leader([], 1)).ok).toBe(true);
    });

    it('refuses a senior worker and says which level they hold', () => {
      const result = checkLeaderEligibility('skill_master', leader(['model_worker_national'], 3));
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.reasons).toHaveLength(1);
      expect(result.reasons[0]!.code).toBe('skill_level_required');
      expect(result.reasons[0]!.message).toBe('技能大师工作室的领办人须具备技师（二级）及以上职业技能等级（现为高级工（三级））');
    });

    it('refuses a leader with no certified level', () => {
      const result = checkLeaderEligibility('skill_master', leader([]));
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reasons[0]!.message).toContain('未登记职业技能等级');
    });
  });

  describe('worker and blue-collar studios (model worker or high-skill worker)', () => {
    it.each(['worker', 'blue_collar'] as const)('%s: a senior worker (level 3) or any honour qualifies', (kind) => {
      expect(checkLeaderEligibility(kind, leader([], 3)).ok).toBe(true);
      expect(checkLeaderEligibility(kind, leader(['technical_expert_county'], 5)).ok).toBe(true);
      expect(checkLeaderEligibility(kind, leader(['model_worker_county'])).ok).toBe(true);
    });

    it('reports every unmet alternative when none is met (any one would do)', () => {
      const result = checkLeaderEligibility('worker', leader([], 4));
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.reasons.map((r) => [r.code, r.alternative])).toEqual([
        ['honour_required', 0],
        ['skill_level_required', 1],
      ]);
      expect(result.reasons[1]!.message).toContain('现为中级工（四级）');
    });
  });

  it('craftsman studios need a craftsman title (county ones count)', () => {
    expect(checkLeaderEligibility('craftsman', leader(['craftsman_county'])).ok).toBe(true);
    expect(checkLeaderEligibility('craftsman', leader(['model_worker_national'], 1)).ok).toBe(false);
  });

  it('traditional-craft studios: an inheritor or crafts master, or a technician', () => {
    expect(checkLeaderEligibility('traditional_craft', leader(['intangible_heritage_inheritor'])).ok).toBe(true);
    expect(checkLeaderEligibility('traditional_craft', leader([], 2)).ok).toBe(true);
    expect(checkLeaderEligibility('traditional_craft', leader(['craftsman'], 3)).ok).toBe(false);
  });

  it('reports which alternative was met', () => {
    const result = checkLeaderEligibility('worker', leader([], 3));
    expect(result.ok && result.satisfiedBy.type).toBe('skill_level');
  });

  it('follows a body’s own settings', () => {
    // A county union accepts county model workers for its own model-worker studios.
    const county = studioSettingsSchema.parse({
      kinds: {
        ...studioSettingsPreset.kinds,
        model_worker: {
          ...studioSettingsPreset.kinds.model_worker,
          leader: [{ type: 'honour', anyOf: ['model_worker_county', 'model_worker_city'], label: '县级及以上劳动模范' }],
        },
      },
    });
    expect(checkLeaderEligibility('model_worker', leader(['model_worker_county']), county).ok).toBe(true);
    expect(checkLeaderEligibility('model_worker', leader(['model_worker_county'])).ok).toBe(false);
  });
});
