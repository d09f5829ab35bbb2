/**
 * A skills-competition event as the domain describes it (theory 30 % + practical 70 %, 5 judges
 * marking the practical task, drop the highest and the lowest, average the rest), worked out by
 * hand below. This is an illustration of the rules, not published data.
 */
import { describe, expect, it } from 'vitest';
import { computeRanking } from '../../server/domain/index.ts';
import type { MarkInput } from '../../server/domain/index.ts';
import { entry, marksOf, objectiveMark, objectivePart, scheme } from './helpers.ts';

const sch = scheme({
  totaling: 'weighted',
  parts: [
    objectivePart('theory', 'theory', 30),
    {
      id: 'task',
      name: '拉线制作及安装',
      role: 'practical',
      weight: 70,
      max: 100,
      marking: 'rubric',
      criteria: [
        { id: 'safety', name: '安全文明', max: 20 },
        { id: 'process', name: '工艺流程', max: 50 },
        { id: 'quality', name: '质量', max: 30 },
      ],
      aggregation: { kind: 'trimmed_mean', drop: 1 },
      expectedMarks: 5,
      minMarks: 3,
    },
  ],
});

function practical(entryId: number, perJudge: [number, number, number][]): MarkInput[] {
  return perJudge.flatMap(([safety, process, quality], j) => marksOf(entryId, j + 1, 'task', { safety, process, quality }));
}

const marks: MarkInput[] = [
  // Entry 101: theory 86.5
  // judges 18+44+25 = 87, 19+45+26.5 = 90.5, 17.5+42+24 = 83.5, 18.5+46+27 = 91.5, 18+43.5+25.5 = 87
  objectiveMark(101, 'theory', 86.5),
  ...practical(101, [
    [18, 44, 25],
    [19, 45, 26.5],
    [17.5, 42, 24],
    [18.5, 46, 27],
    [18, 43.5, 25.5],
  ]),
  // Entry 102: theory 92; judges 85, 86, 86.5, 80, 88
  objectiveMark(102, 'theory', 92),
  ...practical(102, [
    [17, 43, 25],
    [17.5, 43, 25.5],
    [18, 43, 25.5],
    [16, 40, 24],
    [18, 44, 26],
  ]),
  // Entry 103: theory 80; judges 90, 90.5, 91, 89, 95
  objectiveMark(103, 'theory', 80),
  ...practical(103, [
    [18, 45, 27],
    [18.5, 45, 27],
    [18, 46, 27],
    [17.5, 45, 26.5],
    [19.5, 47, 28.5],
  ]),
];

describe('worked example: theory 30 % + practical 70 %, 5 judges, drop high and low', () => {
  const rows = computeRanking(sch, [entry(101), entry(102), entry(103)], marks);
  const byId = (id: number) => rows.find((r) => r.entryId === id)!;

  it('entry 101: practical (87 + 87 + 90.5) / 3 = 88.1666… → 88.17; 25.95 + 61.72 = 87.67', () => {
    const r = byId(101);
    expect(r.score.parts[1]!.judgeMarks.map((j) => j.mark)).toEqual([87, 90.5, 83.5, 91.5, 87]);
    expect(r.score.parts[1]!.aggregate).toBe(88.17); // drop 83.5 and 91.5
    expect(r.score.parts[0]!.contribution).toBe(25.95); // 86.5 × 30 / 100
    expect(r.score.parts[1]!.contribution).toBe(61.72); // 88.17 × 70 / 100 = 61.719
    expect(r.total).toBe(87.67);
  });

  it('entry 102: practical (85 + 86 + 86.5) / 3 = 85.8333… → 85.83; 27.60 + 60.08 = 87.68', () => {
    const r = byId(102);
    expect(r.score.parts[1]!.aggregate).toBe(85.83); // drop 80 and 88
    expect(r.score.parts[1]!.contribution).toBe(60.08); // 85.83 × 0.7 = 60.081
    expect(r.theory).toBe(27.6);
    expect(r.total).toBe(87.68);
  });

  it('entry 103: practical (90 + 90.5 + 91) / 3 = 90.50; 24.00 + 63.35 = 87.35', () => {
    const r = byId(103);
    expect(r.score.parts[1]!.aggregate).toBe(90.5); // drop 89 and 95
    expect(r.practical).toBe(63.35);
    expect(r.total).toBe(87.35);
  });

  it('ranks 102 (87.68), 101 (87.67), 103 (87.35)', () => {
    expect(rows.map((r) => [r.rank, r.entryId])).toEqual([
      [1, 102],
      [2, 101],
      [3, 103],
    ]);
    expect(rows.every((r) => !r.provisional)).toBe(true);
  });
});
