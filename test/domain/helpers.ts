import { schemeSchema } from '../../server/contracts/scheme.ts';
import type { Scheme, SchemeInput } from '../../server/contracts/scheme.ts';
import type { EntryInput, MarkInput } from '../../server/domain/index.ts';

/** A validated scheme (defaults applied), failing the test with zod's message if invalid. */
export function scheme(input: SchemeInput): Scheme {
  return schemeSchema.parse(input);
}

/** An objective part marked once (an exam result): criterion id = part id. */
export function objectivePart(id: string, role: 'theory' | 'practical' | 'other', weight: number, extra: Record<string, unknown> = {}) {
  return {
    id,
    name: id,
    role,
    weight,
    max: 100,
    marking: 'objective' as const,
    aggregation: { kind: 'mean' as const },
    expectedMarks: 1,
    ...extra,
  };
}

/** Marks of one judge for one part, criterion ids → values. */
export function marksOf(entryId: number, judgeId: number, partId: string, values: Record<string, number>): MarkInput[] {
  return Object.entries(values).map(([criterionId, value]) => ({ entryId, judgeId, partId, criterionId, value }));
}

/** One objective mark (judge 1 unless given). */
export function objectiveMark(entryId: number, partId: string, value: number, judgeId = 1): MarkInput {
  return { entryId, judgeId, partId, criterionId: partId, value };
}

export function entry(entryId: number, extra: Partial<EntryInput> = {}): EntryInput {
  return { entryId, status: 'checked_in', ...extra };
}
