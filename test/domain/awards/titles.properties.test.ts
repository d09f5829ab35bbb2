import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ANHUI_2023_RULES, FEIXI_B_LEVEL_RULES, NATIONAL_SKILLS_RULES, TIANJIN_2024_RULES } from '../../../server/contracts/awards.ts';
import { proposeAwards } from '../../../server/domain/awards/index.ts';
import type { AwardCandidate, AwardContext } from '../../../server/domain/awards/index.ts';

// Random finals under every preset at once: ties, absent entrants, random levels, titles held
// and promotions already granted this year.

const ALL_RULES = [...FEIXI_B_LEVEL_RULES.rules, ...ANHUI_2023_RULES.rules, ...TIANJIN_2024_RULES.rules, ...NATIONAL_SKILLS_RULES.rules];
const TITLE_KEYS = ['feixi_technical_expert', 'feixi_skill_master', 'hefei_craftsman', 'anhui_technical_expert', 'national_technical_expert'];

const contextArb: fc.Arbitrary<AwardContext> = fc
  .record({
    grade: fc.constantFrom('A' as const, 'B' as const, 'C' as const),
    competitionClass: fc.constantFrom('class1' as const, 'class2' as const, null),
    entrantGroup: fc.constantFrom('workers' as const, 'students' as const),
    people: fc.array(
      fc.record({
        total: fc.integer({ min: 0, max: 15 }),
        absent: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
        currentLevel: fc.constantFrom(null, -1, 0, 1, 2, 3, 4, 5),
        titles: fc.subarray(TITLE_KEYS),
        promotedThisYear: fc.boolean(),
        provisional: fc.boolean(),
      }),
      { maxLength: 45 },
    ),
  })
  .map(({ grade, competitionClass, entrantGroup, people }) => {
    const ranked = people.map((p, i) => ({ ...p, entryId: i + 1 })).filter((p) => !p.absent).sort((a, b) => b.total - a.total || a.entryId - b.entryId);
    const rankOf = new Map<number, number>();
    ranked.forEach((p, i) => rankOf.set(p.entryId, i > 0 && ranked[i - 1]!.total === p.total ? rankOf.get(ranked[i - 1]!.entryId)! : i + 1));
    const rows: AwardCandidate[] = people.map((p, i) => ({
      entryId: i + 1,
      personId: 1000 + i,
      rank: rankOf.get(i + 1) ?? null,
      status: p.absent ? 'absent' : 'checked_in',
      provisional: p.provisional,
      currentLevel: p.currentLevel,
      titles: p.titles,
      promotedThisYear: p.promotedThisYear,
    }));
    return { competition: { grade, competitionClass, year: 2024 }, event: { entrantGroup }, rows };
  });

describe('title and promotion properties', () => {
  it('proposes nothing to unranked or absent entrants', () => {
    fc.assert(
      fc.property(contextArb, (ctx) => {
        const ranked = new Set(ctx.rows.filter((r) => r.rank !== null && r.status !== 'absent').map((r) => r.entryId));
        for (const p of proposeAwards(ctx, ALL_RULES).proposals) expect(ranked.has(p.entryId)).toBe(true);
      }),
    );
  });

  it('never proposes a title twice, nor one the person holds', () => {
    fc.assert(
      fc.property(contextArb, (ctx) => {
        const held = new Map(ctx.rows.map((r) => [r.personId, r.titles]));
        const seen = new Set<string>();
        for (const p of proposeAwards(ctx, ALL_RULES).proposals) {
          if (p.kind === 'promotion') continue;
          expect(held.get(p.personId)).not.toContain(p.titleKey);
          const key = `${p.personId}|${p.titleKey}`;
          expect(seen.has(key)).toBe(false);
          seen.add(key);
        }
      }),
    );
  });

  it('proposes at most one promotion per person, none after one this year, always upwards and never past 高级技师', () => {
    fc.assert(
      fc.property(contextArb, (ctx) => {
        const byPerson = new Map(ctx.rows.map((r) => [r.personId, r]));
        const promoted = new Set<number>();
        for (const p of proposeAwards(ctx, ALL_RULES).proposals) {
          if (p.kind !== 'promotion') continue;
          const person = byPerson.get(p.personId)!;
          expect(promoted.has(p.personId)).toBe(false);
          promoted.add(p.personId);
          expect(person.promotedThisYear).toBe(false);
          expect(p.toLevel).toBeGreaterThanOrEqual(1);
          if (person.currentLevel !== null) expect(p.toLevel).toBeLessThan(person.currentLevel);
        }
      }),
    );
  });

  it('treats entrants sharing a rank alike when they are alike', () => {
    fc.assert(
      fc.property(contextArb, (ctx) => {
        // Make everybody identical but for rank: then the proposals per rank must be the same.
        const plain = { ...ctx, rows: ctx.rows.map((r) => ({ ...r, currentLevel: 3, titles: [], promotedThisYear: false, provisional: false })) };
        const outcome = proposeAwards(plain, ALL_RULES);
        const perEntry = new Map<number, string[]>();
        for (const p of outcome.proposals) perEntry.set(p.entryId, [...(perEntry.get(p.entryId) ?? []), `${p.ruleId}/${p.actionIndex}`]);
        const byRank = new Map<number, string>();
        for (const r of plain.rows) {
          if (r.rank === null || r.status === 'absent') continue;
          const what = (perEntry.get(r.entryId) ?? []).join(',');
          if (byRank.has(r.rank)) expect(what).toBe(byRank.get(r.rank));
          else byRank.set(r.rank, what);
        }
      }),
    );
  });

  it('does not depend on the order of the rows', () => {
    fc.assert(
      fc.property(
        contextArb.chain((ctx) => fc.tuple(fc.constant(ctx), fc.shuffledSubarray([...ctx.rows], { minLength: ctx.rows.length, maxLength: ctx.rows.length }))),
        ([ctx, shuffled]) => {
        expect(proposeAwards({ ...ctx, rows: shuffled }, ALL_RULES)).toEqual(proposeAwards(ctx, ALL_RULES));
        },
      ),
    );
  });
});
