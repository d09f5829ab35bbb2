import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeRanking, computeTeamRanking, computeTeamStanding, finalStandings, placingPoints, ratioPoints } from '../../server/domain/index.ts';
import type { EntryInput, MarkInput, RankingRow, Ratio } from '../../server/domain/index.ts';
import { entry, objectiveMark, objectivePart, scheme } from './helpers.ts';

const sch = scheme({ totaling: 'raw', tieBreaks: [], parts: [objectivePart('exam', 'theory', 100)] });

/** A ranking from [entryId, total, teamId?, status?] tuples. */
function ranking(list: [number, number, number?, EntryInput['status']?][]): RankingRow[] {
  const entries = list.map(([id, , teamId, status]) => entry(id, { teamId: teamId ?? null, status: status ?? 'checked_in' }));
  const marks: MarkInput[] = list.map(([id, total]) => objectiveMark(id, 'exam', total));
  return computeRanking(sch, entries, marks);
}

const TOP_TEN = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
const points = (r: Ratio | undefined) => (r ? ratioPoints(r) : 0);
const sumRatios = (list: Iterable<Ratio>) => {
  let n = 0n;
  let d = 1n;
  for (const r of list) [n, d] = [n * r.d + r.n * d, d * r.d];
  return { n, d };
};

describe('placing points (名次积分)', () => {
  it('gives each place its points and shares the points of shared places', () => {
    // Totals 95, 90, 90, 88, 80, 80, 80, 70: places 1, 2=, 2=, 4, 5=, 5=, 5=, 8.
    const rows = ranking([
      [1, 95],
      [2, 90],
      [3, 90],
      [4, 88],
      [5, 80],
      [6, 80],
      [7, 80],
      [8, 70],
      [9, 99, undefined, 'absent'],
    ]);
    const p = placingPoints(rows, TOP_TEN);
    // 2nd and 3rd shared: (9 + 8) / 2 = 8.5 each; 5th–7th shared: (6 + 5 + 4) / 3 = 5 each.
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((id) => points(p.get(id)))).toEqual([10, 8.5, 8.5, 7, 5, 5, 5, 3]);
    expect(p.has(9)).toBe(false); // absent: no place, no points
  });

  it('keeps thirds exact: three sharing 2nd of 10, 9, 7, 6 each get 22/3, and the sum is still 32', () => {
    const rows = ranking([
      [1, 95],
      [2, 90],
      [3, 90],
      [4, 90],
    ]);
    const p = placingPoints(rows, [10, 9, 7, 6]);
    expect(points(p.get(2))).toBe(7.33);
    const total = sumRatios(p.values());
    expect(total.n).toBe(3200n * total.d); // 32 points = 3,200 hundredths, exactly
  });

  it('worked example: 10, 8, 6, 4, 2 for the top five placings, summed per school (Moraine State Technical College FFA CDE "Chapter of Excellence": https://www.mstc.edu/ffa-cde/chapter-of-excellence-award)', () => {
    // Three schools, two entries each; a tie for 3rd shares (6 + 4) / 2 = 5.
    const rows = ranking([
      [1, 92, 100],
      [2, 88, 200],
      [3, 85, 100],
      [4, 85, 300],
      [5, 80, 200],
      [6, 60, 300],
    ]);
    const teams = computeTeamRanking(rows, { method: 'placing_points', bestN: 2, points: [10, 8, 6, 4, 2] });
    // 100: 10 + 5 = 15; 200: 8 + 2 = 10; 300: 5 + 0 (6th is past the table) = 5.
    expect(teams.map((t) => [t.teamId, t.rank, t.value])).toEqual([
      [100, 1, 15],
      [200, 2, 10],
      [300, 3, 5],
    ]);
  });

  it('shares a team place when the exact points are equal', () => {
    const rows = ranking([
      [1, 95, 1],
      [2, 90, 2],
      [3, 90, 1],
      [4, 80, 2],
    ]);
    // Entries 2 and 3 share 2nd: (9 + 8) / 2 = 8.5 each. Team 1: 10 + 8.5 = 18.5; team 2: 8.5 + 7 (4th) = 15.5.
    const teams = computeTeamRanking(rows, { method: 'placing_points', bestN: 2, points: [10, 9, 8, 7] });
    expect(teams.map((t) => [t.teamId, t.rank, t.value])).toEqual([
      [1, 1, 18.5],
      [2, 2, 15.5],
    ]);
    const even = computeTeamRanking(
      ranking([
        [1, 95, 1],
        [2, 95, 2],
      ]),
      { method: 'placing_points', bestN: 1, points: [10, 9] },
    );
    expect(even.map((t) => [t.teamId, t.rank, t.value, t.sharedRank])).toEqual([
      [1, 1, 9.5, true],
      [2, 1, 9.5, true],
    ]);
  });

  it('needs a table for placing points', () => {
    expect(() => computeTeamRanking([], { method: 'placing_points', bestN: 1 })).toThrow(RangeError);
    expect(() => placingPoints([], [10, -1])).toThrow(RangeError);
  });

  // Ranks as rankEntries gives them: sorted totals, equal totals share the rank (1, 2, 2, 4).
  const rankedTotals = fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 0, maxLength: 30 }).map((totals) => {
    const sorted = totals.map((t, i) => ({ entryId: i + 1, total: t })).sort((a, b) => b.total - a.total || a.entryId - b.entryId);
    return sorted.map((r, i) => ({ entryId: r.entryId, rank: sorted.findIndex((o) => o.total === r.total) + 1, i }));
  });
  const table = fc.array(fc.integer({ min: 0, max: 2000 }).map((h) => h / 100), { minLength: 1, maxLength: 12 });

  it('property: the points handed out are the table’s points for the places filled, however ties fall', () => {
    fc.assert(
      fc.property(rankedTotals, table, (rows, tbl) => {
        const total = sumRatios(placingPoints(rows, tbl).values());
        const filledH = tbl.slice(0, rows.length).reduce((s, p) => s + BigInt(Math.round(p * 100)), 0n);
        expect(total.n).toBe(filledH * total.d);
        // Breaking every tie (distinct ranks 1…n) hands out the same total.
        const broken = sumRatios(placingPoints(rows.map((r, i) => ({ entryId: r.entryId, rank: i + 1 })), tbl).values());
        expect(broken.n * total.d).toBe(total.n * broken.d);
      }),
    );
  });
});

describe('competition team standing (团体总分) over events', () => {
  it('sums each event’s placing points per delegation; shared team places', () => {
    const welding = ranking([
      [1, 95, 10],
      [2, 90, 20],
      [3, 80, 10],
    ]);
    const electrics = ranking([
      [11, 88, 20],
      [12, 88, 10],
      [13, 70, 30],
    ]);
    const standing = computeTeamStanding(
      [
        { eventId: 1, rows: welding },
        { eventId: 2, rows: electrics },
      ],
      { points: [5, 3, 1], bestN: 2 },
    );
    // Welding: 10 gets 5 + 1 = 6, 20 gets 3. Electrics: 20 and 10 share 1st: (5 + 3) / 2 = 4 each; 30 gets 1.
    expect(standing.map((t) => [t.teamId, t.rank, t.value, t.byEvent.map((b) => b.points)])).toEqual([
      [10, 1, 10, [6, 4]],
      [20, 2, 7, [3, 4]],
      [30, 3, 1, [1]],
    ]);
  });
});

describe('final standings (最终名次)', () => {
  // Preliminary of 6, the top 3 go to the final.
  const prelim = ranking([
    [1, 90],
    [2, 85],
    [3, 80],
    [4, 75],
    [5, 75],
    [6, 60, undefined, 'disqualified'],
  ]);
  const final = ranking([
    [3, 99],
    [1, 95],
    [2, 94],
  ]);

  it('lists the finalists by the final, then those out after the preliminary by its standing', () => {
    const s = finalStandings([
      { roundId: 1, rows: prelim },
      { roundId: 2, rows: final },
    ]);
    expect(s.map((x) => [x.entryId, x.place, x.finalist, x.roundId, x.sharedPlace])).toEqual([
      [3, 1, true, 2, false],
      [1, 2, true, 2, false],
      [2, 3, true, 2, false],
      [4, 4, false, 1, true],
      [5, 4, false, 1, true],
      [6, null, false, 1, false],
    ]);
  });

  const roundsArb = fc
    .tuple(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 20 }), fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 3 }))
    .map(([totals, cuts]) => {
      // Round 1 has everyone; each later round keeps a prefix of the previous round's ranking.
      const rounds: { roundId: number; rows: RankingRow[] }[] = [];
      let ids = totals.map((_, i) => i + 1);
      let r = 0;
      for (const cut of [Infinity, ...cuts]) {
        if (ids.length === 0) break;
        const keep = cut === Infinity ? ids : ids.slice(0, Math.max(1, Math.min(cut, ids.length)));
        const rows = ranking(keep.map((id) => [id, (totals[id - 1]! + r * 3) % 7] as [number, number]));
        rounds.push({ roundId: ++r, rows });
        ids = rows.map((x) => x.entryId);
      }
      return rounds;
    });

  it('property: everyone exactly once, finalists first, places never go down the list', () => {
    fc.assert(
      fc.property(roundsArb, (rounds) => {
        const s = finalStandings(rounds);
        const everyone = new Set(rounds.flatMap((r) => r.rows.map((x) => x.entryId)));
        expect(s.map((x) => x.entryId).sort((a, b) => a - b)).toEqual([...everyone].sort((a, b) => a - b));
        const finalists = new Set(rounds.at(-1)!.rows.map((x) => x.entryId));
        const firstOther = s.findIndex((x) => !finalists.has(x.entryId));
        if (firstOther !== -1) expect(s.slice(firstOther).some((x) => finalists.has(x.entryId))).toBe(false);
        expect(s.filter((x) => x.finalist).length).toBe(finalists.size);
        const places = s.flatMap((x) => (x.place === null ? [] : [x.place]));
        for (let i = 1; i < places.length; i++) expect(places[i]!).toBeGreaterThanOrEqual(places[i - 1]!);
      }),
    );
  });
});
