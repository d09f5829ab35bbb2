import { t } from '../../app/i18n.ts';
import { schemeSchema, type Criterion, type Part, type Scheme, type SchemeInput, type TieBreak } from '../../../server/contracts/scheme.ts';
import { translateFieldMessage } from './org-shared.ts';

/**
 * The scheme as the form edits it. Numbers are kept as typed (strings), so a half-typed "7." is
 * not reset under the cursor; they become numbers when checked and saved. Ids are made up by the
 * form (the user never sees them) and kept when an existing scheme is edited.
 */
export type CriterionDraft = { id: string; name: string; max: string; step: string; extra?: CriterionExtra };

/**
 * Scheme options the form has no fields for (issue 13: element scoring, base values, grade tables,
 * penalties, rounding): kept as they came and written back unchanged, so editing a name or a weight
 * never drops them. They are set through the API or the scheme workbook.
 */
export type CriterionExtra = Pick<Criterion, 'min' | 'factor' | 'gradeTable'>;
export type PartExtra = Pick<Part, 'kind' | 'aggregateBy' | 'usesBaseValues'>;
export type SchemeExtra = Pick<Scheme, 'rounding' | 'gradeTables'>;

/** The keys of `from` that are set, as an object, or undefined when none is. */
function pick<T extends object, K extends keyof T>(from: T, keys: readonly K[]): Pick<T, K> | undefined {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k];
  return Object.keys(out).length ? (out as Pick<T, K>) : undefined;
}
export type AggregationKind = 'mean' | 'trimmed_mean' | 'median' | 'trimmed_sum';
export type PartDraft = {
  id: string;
  name: string;
  role: 'theory' | 'practical' | 'other';
  weight: string;
  max: string;
  marking: 'objective' | 'rubric' | 'deduction';
  criteria: CriterionDraft[];
  aggregation: AggregationKind;
  drop: string;
  minMarks: string;
  expectedMarks: string;
  usesDifficulty: boolean;
  /** Each criterion has its own panel (the scheme's `panel: 'criterion'`). */
  panelByCriterion: boolean;
  multiplier: string;
  extra?: PartExtra;
};
export type SchemeDraft = { totaling: 'weighted' | 'raw'; parts: PartDraft[]; tieBreaks: TieBreak[]; extra?: SchemeExtra };

/** Whether the scheme carries options the form keeps without showing (see CriterionExtra). */
export function hasExtras(draft: SchemeDraft): boolean {
  return draft.extra !== undefined || draft.parts.some((p) => p.extra !== undefined || p.criteria.some((c) => c.extra !== undefined));
}

export const TIE_BREAKS: TieBreak[] = ['completion_time', 'practical', 'theory'];
export const AGGREGATIONS: AggregationKind[] = ['trimmed_mean', 'mean', 'median', 'trimmed_sum'];

/** A number from a text box: NaN when blank or not a number. */
export function num(text: string): number {
  const s = text.trim();
  return s === '' ? NaN : Number(s);
}

/** Adds without binary fractions showing (0.1 + 0.2 = 0.3). */
export function sum(values: number[]): number {
  return Math.round(values.reduce((s, v) => s + v, 0) * 1e6) / 1e6;
}

function uniqueId(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
}

export function newCriterion(part: PartDraft, name = '', max = ''): CriterionDraft {
  const taken = new Set(part.criteria.map((c) => c.id));
  return { id: uniqueId(`${part.id}-c${part.criteria.length + 1}`, taken), name, max, step: '0.5' };
}

export function newPart(draft: SchemeDraft, role: PartDraft['role'], fields: Partial<PartDraft> = {}): PartDraft {
  const taken = new Set(draft.parts.map((p) => p.id));
  const part: PartDraft = {
    id: uniqueId(role, taken),
    name: '',
    role,
    weight: '',
    max: '100',
    marking: role === 'theory' ? 'objective' : 'rubric',
    criteria: [],
    // One objective mark needs no panel rule; a judged part drops the highest and lowest.
    aggregation: role === 'theory' ? 'mean' : 'trimmed_mean',
    drop: '1',
    minMarks: role === 'theory' ? '1' : '3',
    expectedMarks: role === 'theory' ? '1' : '5',
    usesDifficulty: false,
    panelByCriterion: false,
    multiplier: '1',
    ...fields,
  };
  return part;
}

/** Theory (objective, one mark) plus a practical rubric: the common shape, with the weights given. */
export function presetScheme(theoryWeight: number): SchemeDraft {
  const draft: SchemeDraft = { totaling: 'weighted', parts: [], tieBreaks: [...TIE_BREAKS] };
  const theory = newPart(draft, 'theory', { name: t('org.scheme.preset.theory'), weight: String(theoryWeight) });
  draft.parts.push(theory);
  const practical = newPart(draft, 'practical', { name: t('org.scheme.preset.practical'), weight: String(100 - theoryWeight) });
  practical.criteria = [newCriterion(practical, t('org.scheme.preset.safety'), '20')];
  practical.criteria.push(newCriterion(practical, t('org.scheme.preset.quality'), '80'));
  draft.parts.push(practical);
  return draft;
}

export function fromScheme(scheme: Scheme): SchemeDraft {
  const extra = pick(scheme, ['rounding', 'gradeTables'] as const);
  return {
    totaling: scheme.totaling,
    tieBreaks: [...scheme.tieBreaks],
    ...(extra ? { extra } : {}),
    parts: scheme.parts.map((p) => ({
      id: p.id,
      name: p.name,
      role: p.role,
      weight: String(p.weight),
      max: String(p.max),
      marking: p.marking,
      criteria: p.criteria.map((c) => {
        const cx = pick(c, ['min', 'factor', 'gradeTable'] as const);
        return { id: c.id, name: c.name, max: String(c.max), step: String(c.step), ...(cx ? { extra: cx } : {}) };
      }),
      ...(pick(p, ['kind', 'aggregateBy', 'usesBaseValues'] as const) ? { extra: pick(p, ['kind', 'aggregateBy', 'usesBaseValues'] as const) } : {}),
      aggregation: p.aggregation.kind,
      drop: 'drop' in p.aggregation ? String(p.aggregation.drop) : '1',
      minMarks: String(p.minMarks),
      expectedMarks: String(p.expectedMarks),
      usesDifficulty: p.usesDifficulty,
      panelByCriterion: p.panel === 'criterion',
      multiplier: String(p.multiplier),
    })),
  };
}

export function toScheme(draft: SchemeDraft): SchemeInput {
  return {
    totaling: draft.totaling,
    tieBreaks: draft.tieBreaks,
    ...draft.extra,
    parts: draft.parts.map((p) => ({
      ...p.extra,
      id: p.id,
      name: p.name.trim(),
      role: p.role,
      // Raw totaling ignores weights; the schema still wants a number.
      weight: draft.totaling === 'weighted' ? num(p.weight) : Number.isNaN(num(p.weight)) ? 0 : num(p.weight),
      max: num(p.max),
      marking: p.marking,
      criteria: p.marking === 'objective' ? [] : p.criteria.map((c) => ({ ...c.extra, id: c.id, name: c.name.trim(), max: num(c.max), step: num(c.step) })),
      aggregation:
        p.aggregation === 'trimmed_mean' || p.aggregation === 'trimmed_sum' ? { kind: p.aggregation, drop: num(p.drop) } : { kind: p.aggregation },
      minMarks: num(p.minMarks),
      expectedMarks: num(p.expectedMarks),
      usesDifficulty: p.usesDifficulty,
      ...(p.panelByCriterion && p.marking !== 'objective' ? { panel: 'criterion' as const } : {}),
      multiplier: num(p.multiplier),
    })),
  };
}

/** The sum of the weights (weighted totaling) and whether it is the required 100. */
export function weightTotal(draft: SchemeDraft): { total: number; ok: boolean } {
  const total = sum(draft.parts.map((p) => num(p.weight) || 0));
  return { total, ok: Math.abs(total - 100) < 1e-9 };
}

/** The criteria maxima (× their factors) of a rubric part against its maximum; always ok where base values or grade tables make the maximum a free scale. */
export function criteriaTotal(part: PartDraft): { total: number; ok: boolean } {
  const total = sum(part.criteria.map((c) => (num(c.max) || 0) * (c.extra?.factor ?? 1)));
  const free = part.extra?.usesBaseValues === true || part.criteria.some((c) => c.extra?.gradeTable !== undefined);
  return { total, ok: free || Math.abs(total - num(part.max)) < 1e-9 };
}

/**
 * Every problem the form can see, keyed like the server's field errors without `body.`
 * (`scheme.parts.0.weight`), in Chinese or English. The shared zod schema has the last word, so
 * nothing the server would refuse gets past the form.
 */
export function checkScheme(draft: SchemeDraft): Record<string, string> {
  const out: Record<string, string> = {};
  const at = (path: string, message: string) => (out[`scheme.${path}`] ??= message);
  const positive = (path: string, text: string, opts: { int?: boolean; min?: number; max?: number } = {}) => {
    const v = num(text);
    if (Number.isNaN(v)) return at(path, t('org.field.required'));
    if (opts.int && !Number.isInteger(v)) return at(path, t('org.field.integer'));
    if (v < (opts.min ?? 0) || (opts.min === undefined && v <= 0)) return at(path, t('org.field.min', { min: opts.min ?? 0 }));
    if (opts.max !== undefined && v > opts.max) return at(path, t('org.field.max', { max: opts.max }));
    return undefined;
  };
  if (draft.parts.length === 0) at('parts', t('org.scheme.needPart'));
  draft.parts.forEach((p, i) => {
    const base = `parts.${i}`;
    if (!p.name.trim()) at(`${base}.name`, t('org.field.required'));
    if (draft.totaling === 'weighted') positive(`${base}.weight`, p.weight, { min: 0, max: 100 });
    positive(`${base}.max`, p.max, { max: 10_000 });
    if (p.marking !== 'objective') {
      if (p.criteria.length === 0) at(`${base}.criteria`, t('org.scheme.needCriteria'));
      p.criteria.forEach((c, j) => {
        if (!c.name.trim()) at(`${base}.criteria.${j}.name`, t('org.field.required'));
        positive(`${base}.criteria.${j}.max`, c.max, { max: 10_000 });
        positive(`${base}.criteria.${j}.step`, c.step, { max: 100 });
      });
      if (p.marking === 'rubric' && p.criteria.length > 0) {
        const c = criteriaTotal(p);
        if (!c.ok && !Number.isNaN(num(p.max))) at(`${base}.criteria`, t('org.scheme.criteriaSum', { sum: c.total, max: num(p.max) }));
      }
    }
    if (p.aggregation === 'trimmed_mean' || p.aggregation === 'trimmed_sum') positive(`${base}.aggregation.drop`, p.drop, { int: true, min: 0, max: 7 });
    positive(`${base}.minMarks`, p.minMarks, { int: true, min: 1, max: 20 });
    positive(`${base}.expectedMarks`, p.expectedMarks, { int: true, min: 1, max: 20 });
    if (num(p.minMarks) > num(p.expectedMarks)) at(`${base}.minMarks`, t('org.scheme.minMarks'));
    positive(`${base}.multiplier`, p.multiplier, { max: 100 });
  });
  if (draft.totaling === 'weighted' && draft.parts.length) {
    const w = weightTotal(draft);
    if (!w.ok) at('parts', t('org.scheme.weightsSum', { sum: w.total }));
  }
  const parsed = schemeSchema.safeParse(toScheme(draft));
  if (!parsed.success)
    for (const issue of parsed.error.issues) at(issue.path.map(String).join('.'), translateFieldMessage(issue.message));
  return out;
}
