/**
 * Reproduces published results of real judged competitions, mark by mark: every dive score,
 * every total and every place must come out exactly as officially published.
 */
import { describe, expect, it } from 'vitest';
import { carriedTotal, computeRanking, scoreEntry } from '../../server/domain/index.ts';
import type { EntryInput, MarkInput } from '../../server/domain/index.ts';
import type { Scheme } from '../../server/contracts/scheme.ts';
import * as paris from './fixtures/paris-2024-men-10m-platform-final.ts';
import * as sydney from './fixtures/sydney-2000-men-3m-springboard.ts';
import { scheme } from './helpers.ts';

/** A diving round as a scheme: one objective part per dive, 7 judges, raw totaling, no tie-breaks. */
function divingScheme(dives: number, drop: number, multiplier: number): Scheme {
  return scheme({
    totaling: 'raw',
    tieBreaks: [],
    parts: Array.from({ length: dives }, (_, i) => ({
      id: `dive${i + 1}`,
      name: `Dive ${i + 1}`,
      role: 'other' as const,
      weight: 0,
      max: 10,
      marking: 'objective' as const,
      aggregation: { kind: 'trimmed_sum' as const, drop },
      minMarks: 7,
      expectedMarks: 7,
      usesDifficulty: true,
      multiplier,
    })),
  });
}

describe('Paris 2024 Olympic men’s 10 m platform final (7 judges, drop 2 + 2, × DD)', () => {
  const sch = divingScheme(6, 2, 1);
  const entries: EntryInput[] = paris.divers.map((d) => ({
    entryId: d.startNo,
    status: 'checked_in',
    difficulty: Object.fromEntries(d.dives.map((dive, i) => [`dive${i + 1}`, dive.dd])),
  }));
  const marks: MarkInput[] = paris.divers.flatMap((d) =>
    d.dives.flatMap((dive, i) =>
      dive.marks.map((value, j) => ({ entryId: d.startNo, judgeId: j + 1, partId: `dive${i + 1}`, criterionId: `dive${i + 1}`, value })),
    ),
  );
  const rows = computeRanking(sch, entries, marks);

  it.each(paris.divers.map((d) => [d.name, d] as const))('%s: every dive score and the total', (_name, diver) => {
    const row = rows.find((r) => r.entryId === diver.startNo)!;
    expect(row.score.parts.map((p) => p.score)).toEqual(diver.dives.map((d) => d.points));
    expect(row.total).toBe(diver.officialTotal);
    expect(row.rank).toBe(diver.officialRank);
    expect(row.provisional).toBe(false);
  });

  it('reproduces the official standings in order', () => {
    const official = [...paris.divers].sort((a, b) => a.officialRank - b.officialRank);
    expect(rows.map((r) => [r.rank, r.entryId, r.total])).toEqual(official.map((d) => [d.officialRank, d.startNo, d.officialTotal]));
  });

  it('a dive’s panel result is the sum of the 3 middle marks (Cao Yuan, dive 1: seven 9.5s → 28.5 × 3.4 = 96.90)', () => {
    const cao = rows.find((r) => r.entryId === 12)!;
    expect(cao.score.parts[0]).toMatchObject({ aggregate: 28.5, difficulty: 3.4, score: 96.9, marksIn: 7, complete: true });
  });
});

describe('Sydney 2000 Olympic men’s 3 m springboard (drop 1 + 1, × DD × 0.6, semifinal carried into the final)', () => {
  const semi = divingScheme(5, 1, 0.6);
  const final = divingScheme(6, 1, 0.6);

  const difficulty = (dives: readonly sydney.SydneyDive[]) => Object.fromEntries(dives.map((d, i) => [`dive${i + 1}`, d.dd]));
  const marksFor = (entryId: number, dives: readonly sydney.SydneyDive[]): MarkInput[] =>
    dives.flatMap((dive, i) =>
      dive.marks.map((value, j) => ({ entryId, judgeId: dive.panel[j]!, partId: `dive${i + 1}`, criterionId: `dive${i + 1}`, value })),
    );

  const semiScores = new Map(
    sydney.divers.map((d) => [d.entryId, scoreEntry(semi, { entryId: d.entryId, status: 'checked_in', difficulty: difficulty(d.semi) }, marksFor(d.entryId, d.semi))]),
  );
  const rows = computeRanking(
    final,
    sydney.divers.map((d) => ({
      entryId: d.entryId,
      status: 'checked_in' as const,
      difficulty: difficulty(d.final),
      carried: carriedTotal([semiScores.get(d.entryId)!.roundTotal], 'previous'),
    })),
    sydney.divers.flatMap((d) => marksFor(d.entryId, d.final)),
  );

  it('reproduces the official totals and medal order, including Platas 0.30 behind Xiong', () => {
    expect(rows.map((r) => [r.rank, r.entryId, r.total])).toEqual(
      [...sydney.divers].sort((a, b) => a.officialRank - b.officialRank).map((d) => [d.officialRank, d.entryId, d.officialTotal]),
    );
    expect(rows[0]!.total - rows[1]!.total).toBeCloseTo(0.3, 10);
  });

  it('reproduces the dive scores stated in the reports', () => {
    for (const [entryId, points] of Object.entries(sydney.reportedLastDive)) {
      const row = rows.find((r) => r.entryId === Number(entryId))!;
      expect(row.score.parts[5]!.score).toBe(points);
    }
    // Xiong needed 81.30 on his last dive to pass Platas: his total before it was 627.12.
    const xiong = rows.find((r) => r.entryId === 1)!;
    const platas = rows.find((r) => r.entryId === 2)!;
    expect(platas.total - (xiong.total - xiong.score.parts[5]!.score!)).toBeCloseTo(81.3, 10);
  });

  it('carries the semifinal total (Xiong: 230.40 + 478.32)', () => {
    const xiong = rows.find((r) => r.entryId === 1)!;
    expect(xiong.score.carried).toBe(230.4);
    expect(xiong.score.roundTotal).toBe(478.32);
    // 39 × 1.6 × 0.6 is 37.440000000000005 in binary; the sheet says 37.44
    expect(semiScores.get(1)!.parts[0]!.score).toBe(37.44);
  });
});
