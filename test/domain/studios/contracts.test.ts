import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  achievementSchema,
  awardTiersConfigSchema,
  fiveSmallsConfigSchema,
  fiveSmallsScreeningSchema,
  fushunFiveSmallsTiers,
  indicatorSheetSchema,
  studioKindSchema,
  studioSettingsPreset,
  studioSettingsSchema,
  studioStateSchema,
  studioStepSchema,
} from '../../../server/contracts/studios.ts';
import { openApplication, transition } from '../../../server/domain/studios/index.ts';

describe('studio contracts', () => {
  it('the presets carry the public rules', () => {
    expect(Object.keys(studioSettingsPreset.kinds).sort()).toEqual([...studioKindSchema.options].sort());
    expect(studioSettingsPreset.kinds.model_worker.leader).toEqual([
      expect.objectContaining({ type: 'honour', anyOf: ['model_worker_national', 'model_worker_province', 'model_worker_city', 'may_day_medal', 'craftsman'] }),
    ]);
    expect(studioSettingsPreset.kinds.skill_master).toMatchObject({
      line: 'hr_bureau',
      leader: [{ type: 'skill_level', orAbove: 2 }],
      termYears: 3,
      reapplyBanYears: 6,
    });
    expect(fushunFiveSmallsTiers).toEqual({ counts: [8, 15, 22], ties: 'include' });
  });

  it('settings must cover every kind', () => {
    const { skill_master: _dropped, ...five } = studioSettingsPreset.kinds;
    expect(studioSettingsSchema.safeParse({ kinds: five }).success).toBe(false);
  });

  it('an indicator sheet refuses duplicate item ids', () => {
    const result = indicatorSheetSchema.safeParse({
      name: 's',
      items: [
        { id: 'a', name: 'A', max: 50 },
        { id: 'a', name: 'B', max: 50 },
      ],
    });
    expect(result.success).toBe(false);
  });

  it('defaults: one per achievement, equal department weights, all categories open', () => {
    expect(achievementSchema.parse({ studioId: 1, year: 2024, type: 'five_smalls' })).toEqual({ studioId: 1, year: 2024, type: 'five_smalls', count: 1 });
    expect(fiveSmallsConfigSchema.parse({ departments: [{ id: 1 }] })).toEqual({
      departments: [{ id: 1, name: '', weights: { economic: 1, social: 1, safety: 1, management: 1 } }],
      maxPoints: 100,
      requireAllDepartments: true,
    });
    expect(fiveSmallsScreeningSchema.parse({}).categories).toHaveLength(5);
    expect(fiveSmallsConfigSchema.safeParse({ departments: [{ id: 1, weights: { economic: 0, social: 0, safety: 0, management: 0 } }] }).success).toBe(false);
    expect(awardTiersConfigSchema.parse({ counts: [1, 2, 3] }).ties).toBe('include');
  });

  it('states and steps the domain returns are valid wire shapes, also as JSON Schema', () => {
    const opened = openApplication({ kind: 'worker', hostEmployerId: 1, leaderPersonId: 2 }, [], { date: '2024-01-02', decidedBy: { body: 'applicant' } });
    if (!opened.ok) throw new Error(opened.reason);
    const evaluating = transition(opened.state, 'start_evaluation', { date: '2024-01-03', decidedBy: { body: 'union', organisationId: 3 } });
    if (!evaluating.ok) throw new Error(evaluating.reason);
    expect(studioStateSchema.parse(evaluating.state)).toEqual(evaluating.state);
    expect(studioStepSchema.parse(opened.step)).toEqual(opened.step);
    expect(studioStepSchema.parse(evaluating.step)).toEqual(evaluating.step);
    expect(() => z.toJSONSchema(studioSettingsSchema)).not.toThrow();
    expect(() => z.toJSONSchema(achievementSchema)).not.toThrow();
  });
});
