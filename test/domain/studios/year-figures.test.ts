import { describe, expect, it } from 'vitest';
import { emptyFigures, studioYearFigures, sumFigures, totalsBySubtree } from '../../../server/domain/studios/index.ts';
import { achievementSchema } from '../../../server/contracts/studios.ts';
import type { Achievement, AchievementInput } from '../../../server/contracts/studios.ts';

const a = (input: AchievementInput): Achievement => achievementSchema.parse(input);

const achievements: Achievement[] = [
  a({ studioId: 1, year: 2023, type: 'innovation_result', count: 3 }),
  a({ studioId: 1, year: 2023, type: 'patent', patentKind: 'invention' }),
  a({ studioId: 1, year: 2023, type: 'patent', patentKind: 'utility_model', count: 4 }),
  a({ studioId: 1, year: 2023, type: 'economic_benefit', amountYuan: 0.1 }),
  a({ studioId: 1, year: 2023, type: 'economic_benefit', amountYuan: 0.2 }),
  a({ studioId: 1, year: 2024, type: 'technical_breakthrough', count: 2 }),
  a({ studioId: 1, year: 2024, type: 'five_smalls', count: 5 }),
  a({ studioId: 1, year: 2024, type: 'apprentices', trained: 12, promoted: 4 }),
  a({ studioId: 2, year: 2024, type: 'patent', patentKind: 'design', count: 2 }),
  a({ studioId: 2, year: 2024, type: 'economic_benefit', amountYuan: 1_250_000.5 }),
  a({ studioId: 2, year: 2024, type: 'apprentices', trained: 50, promoted: 10 }),
  a({ studioId: 99, year: 2024, type: 'innovation_result' }),
];

describe('studioYearFigures', () => {
  it('adds up each studio’s achievements per year, patents by kind, money to the fen', () => {
    const rows = studioYearFigures(achievements);
    expect(rows.map((r) => [r.studioId, r.year])).toEqual([
      [1, 2023],
      [1, 2024],
      [2, 2024],
      [99, 2024],
    ]);
    expect(rows[0]!.figures).toEqual({
      ...emptyFigures(),
      innovationResults: 3,
      patents: { invention: 1, utilityModel: 4, design: 0, total: 5 },
      economicBenefitYuan: 0.3, // not 0.30000000000000004
    });
    expect(rows[1]!.figures).toEqual({ ...emptyFigures(), technicalBreakthroughs: 2, fiveSmalls: 5, apprenticesTrained: 12, apprenticesPromoted: 4 });
    expect(rows[2]!.figures).toMatchObject({ patents: { design: 2, total: 2 }, economicBenefitYuan: 1_250_000.5, apprenticesTrained: 50 });
  });

  it('money totals at Ordos scale do not drift (1.26 billion yuan)', () => {
    const many = Array.from({ length: 1000 }, () => a({ studioId: 1, year: 2023, type: 'economic_benefit', amountYuan: 1_260_000.01 }));
    expect(studioYearFigures(many)[0]!.figures.economicBenefitYuan).toBe(1_260_000_010);
    expect(sumFigures(Array.from({ length: 10 }, () => ({ ...emptyFigures(), economicBenefitYuan: 0.1 }))).economicBenefitYuan).toBe(1);
  });
});

describe('totalsBySubtree', () => {
  // city 1 > county 2 > township 3; city 1 > county 4
  const organisations = [
    { id: 1, parentId: null },
    { id: 2, parentId: 1 },
    { id: 3, parentId: 2 },
    { id: 4, parentId: 1 },
  ];
  const studios = [
    { id: 1, organisationId: 3 },
    { id: 2, organisationId: 4 },
    { id: 3, organisationId: 2 }, // reports nothing
  ];

  it('sums every studio in an organisation’s subtree, per year and overall', () => {
    const rows = studioYearFigures(achievements);
    const { byOrganisation, unplacedStudioIds } = totalsBySubtree(rows, studios, organisations);
    const of = (id: number) => byOrganisation.find((o) => o.organisationId === id)!;

    expect(byOrganisation.map((o) => [o.organisationId, o.studios])).toEqual([
      [1, 3],
      [2, 2],
      [3, 1],
      [4, 1],
    ]);
    expect(of(1).total).toEqual({
      innovationResults: 3,
      patents: { invention: 1, utilityModel: 4, design: 2, total: 7 },
      technicalBreakthroughs: 2,
      fiveSmalls: 5,
      economicBenefitYuan: 1_250_000.8,
      apprenticesTrained: 62,
      apprenticesPromoted: 14,
    });
    expect(of(1).byYear.map((y) => [y.year, y.figures.patents.total, y.figures.apprenticesTrained])).toEqual([
      [2023, 5, 0],
      [2024, 2, 62],
    ]);
    expect(of(2).total).toEqual(of(3).total);
    expect(of(4).total.economicBenefitYuan).toBe(1_250_000.5);
    // studio 99 is not registered anywhere: reported, not silently added
    expect(unplacedStudioIds).toEqual([99]);
  });

  it('an organisation with no studios gets zeros; a cycle in the tree is refused', () => {
    const { byOrganisation } = totalsBySubtree([], [], [{ id: 5, parentId: null }]);
    expect(byOrganisation).toEqual([{ organisationId: 5, studios: 0, byYear: [], total: emptyFigures() }]);
    expect(() =>
      totalsBySubtree([], [{ id: 1, organisationId: 1 }], [
        { id: 1, parentId: 2 },
        { id: 2, parentId: 1 },
      ]),
    ).toThrow(/cycle/);
  });
});
