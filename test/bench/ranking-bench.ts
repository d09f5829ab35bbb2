/**
 * Ranking engine benchmark: 1,000 entries × 5 judges × 20 criteria = 100,000 marks.
 * Run: node --import tsx test/bench/ranking-bench.ts
 * Targets: computeRanking ≤ 30 ms; rankEntries (the incremental re-rank) well under 5 ms.
 */
import { performance } from 'node:perf_hooks';
import { schemeSchema } from '../../server/contracts/scheme.ts';
import { computeRanking, rankEntries, scoreEntry } from '../../server/domain/index.ts';
import type { EntryInput, EntryScore, MarkInput } from '../../server/domain/index.ts';

const ENTRIES = 1000;
const JUDGES = 5;

// 20 criteria per judge: theory (1, objective) + practical task (11, rubric) + safety (8, deduction).
const scheme = schemeSchema.parse({
  totaling: 'weighted',
  parts: [
    { id: 'theory', name: '理论', role: 'theory', weight: 30, max: 100, marking: 'objective', aggregation: { kind: 'median' }, expectedMarks: JUDGES },
    {
      id: 'task',
      name: '实操',
      role: 'practical',
      weight: 50,
      max: 110,
      marking: 'rubric',
      criteria: Array.from({ length: 11 }, (_, i) => ({ id: `t${i}`, name: `t${i}`, max: 10 })),
      aggregation: { kind: 'trimmed_mean', drop: 1 },
      expectedMarks: JUDGES,
    },
    {
      id: 'safety',
      name: '安全',
      role: 'practical',
      weight: 20,
      max: 100,
      marking: 'deduction',
      criteria: Array.from({ length: 8 }, (_, i) => ({ id: `s${i}`, name: `s${i}`, max: 10 })),
      aggregation: { kind: 'trimmed_mean', drop: 1 },
      expectedMarks: JUDGES,
    },
  ],
});

// Deterministic pseudo-random marks on a 0.5 grid.
let seed = 42;
const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const half = (max: number) => Math.floor(rand() * (max * 2 + 1)) / 2;

const entries: EntryInput[] = Array.from({ length: ENTRIES }, (_, i) => ({
  entryId: i + 1,
  status: i % 97 === 0 ? 'absent' : 'checked_in',
  completionSeconds: 1200 + Math.floor(rand() * 600),
  teamId: (i % 50) + 1,
}));
function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const k = Math.floor(rand() * (i + 1));
    [items[i], items[k]] = [items[k]!, items[i]!];
  }
  return items;
}

// One sheet = one judge's 20 marks for one entry, submitted together from the tablet.
const sheets: MarkInput[][] = [];
for (const e of entries)
  for (let j = 1; j <= JUDGES; j++) {
    const sheet: MarkInput[] = [];
    for (const part of scheme.parts) {
      const ids = part.marking === 'objective' ? [part.id] : part.criteria.map((c) => c.id);
      for (const criterionId of ids)
        sheet.push({ entryId: e.entryId, judgeId: j, partId: part.id, criterionId, value: part.marking === 'objective' ? half(100) : half(part.marking === 'deduction' ? 3 : 10) });
    }
    sheets.push(sheet);
  }
/** Read back ordered by entry (ORDER BY entry_id). */
const byEntry = sheets.flat();
/** In the order the sheets were submitted: sheets of all entries and judges interleaved. */
const submitted = shuffle([...sheets]).flat();
/** Worst case: every single mark in random order (poor memory locality). */
const shuffled = shuffle([...byEntry]);
const marks = submitted;

function measure(label: string, runs: number, fn: () => unknown) {
  for (let i = 0; i < Math.min(20, runs); i++) fn(); // warm-up (JIT)
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
  console.log(`${label.padEnd(46)} median ${at(0.5).toFixed(3).padStart(8)} ms   p99 ${at(0.99).toFixed(3).padStart(8)} ms   (${runs} runs)`);
}

console.log(`${ENTRIES} entries × ${JUDGES} judges × 20 criteria = ${marks.length} marks, node ${process.version}`);
measure('computeRanking, marks ordered by entry', 200, () => computeRanking(scheme, entries, byEntry));
measure('computeRanking, marks in submission order', 200, () => computeRanking(scheme, entries, submitted));
measure('computeRanking, every mark shuffled (worst)', 200, () => computeRanking(scheme, entries, shuffled));

const rows = computeRanking(scheme, entries, marks);
const scores: EntryScore[] = shuffle(rows.map((r) => r.score));
measure('rankEntries (1,000 kept scores)', 1000, () => rankEntries(scheme, scores));

const one = entries[500]!;
const oneMarks = marks.filter((m) => m.entryId === one.entryId);
measure('scoreEntry (one entry, 100 marks)', 5000, () => scoreEntry(scheme, one, oneMarks));
const slot = scores.findIndex((sc) => sc.entryId === one.entryId);
measure('incremental: scoreEntry + rankEntries', 1000, () => {
  scores[slot] = scoreEntry(scheme, one, oneMarks);
  return rankEntries(scheme, scores);
});
