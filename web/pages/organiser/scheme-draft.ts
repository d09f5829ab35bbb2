import { t } from '../../app/i18n.ts';
import { schemeSchema, type Criterion, type Part, type Scheme, type SchemeInput, type TieBreak } from '../../../server/contracts/scheme.ts';
import { translateFieldMessage } from './org-shared.ts';

/**
 * The scheme as the form edits it. Numbers are kept as typed (strings), so a half-typed "7." is
 * not reset under the cursor; they become numbers when checked and saved. Ids are made up by the
 * form (the user never sees them) and kept when an existing scheme is edited.
 */
export type CriterionDraft = {
  id: string;
  name: string;
  max: string;
  step: string;
  /** The lowest value a judge may enter (may be negative: grades −5 … +5); blank: not set (0). */
  min: string;
  /** The panel's value is multiplied by it (× 1.5); blank: not set (1). */
  factor: string;
  extra?: CriterionExtra;
};

/**
 * Scheme options the form has no fields for (grade tables, issue 13): kept as they came and written
 * back unchanged, so editing a name or a weight never drops them. They are set through the API or
 * the scheme workbook.
 */
export type CriterionExtra = Pick<Criterion, 'gradeTable'>;
export type SchemeExtra = Pick<Scheme, 'gradeTables'>;
export type RoundingAt = NonNullable<Scheme['rounding']>['at'];
export type RoundingMode = NonNullable<Scheme['rounding']>['mode'];
export const ROUNDING_AT: RoundingAt[] = ['element', 'part', 'end'];
export const ROUNDING_MODES: RoundingMode[] = ['half_up', 'truncate'];

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
  /** score: added to the total; penalty (罚分): subtracted as it is, weight 0. */
  kind: 'score' | 'penalty';
  /** judge: each judge's part mark is aggregated; element: each criterion (element) on its own. Not for objective parts. */
  aggregateBy: 'judge' | 'element';
  /** Base value + the panel's value per element; rubric element parts only. */
  usesBaseValues: boolean;
  /** Which of kind / aggregateBy / usesBaseValues the stored scheme spelled out, defaults included: written back as they were. */
  explicit?: PartOption[];
};
type PartOption = 'kind' | 'aggregateBy' | 'usesBaseValues';
export type SchemeDraft = {
  totaling: 'weighted' | 'raw';
  parts: PartDraft[];
  tieBreaks: TieBreak[];
  /** Where and how values are rounded; both blank: not set (half-up at today's points). */
  roundingAt: RoundingAt | '';
  roundingMode: RoundingMode | '';
  extra?: SchemeExtra;
};

/** Whether the scheme carries options the form keeps without showing (see CriterionExtra). */
export function hasExtras(draft: SchemeDraft): boolean {
  return draft.extra !== undefined || draft.parts.some((p) => p.criteria.some((c) => c.extra !== undefined));
}

/** Whether the part has any of the less common options set (the form then opens its "more options"). */
export function hasAdvanced(part: PartDraft): boolean {
  return (
    part.kind === 'penalty' ||
    (part.marking !== 'objective' && (part.aggregateBy === 'element' || (part.marking === 'rubric' && part.usesBaseValues))) ||
    (part.marking !== 'objective' && part.criteria.some((c) => c.min.trim() !== '' || c.factor.trim() !== ''))
  );
}

export const TIE_BREAKS: TieBreak[] = ['completion_time', 'practical', 'theory'];
export const AGGREGATIONS: AggregationKind[] = ['trimmed_mean', 'mean', 'median', 'trimmed_sum'];

/** A number from a text box: NaN when blank or not a number. A typographic or full-width minus (−5, －5) reads as "-". */
export function num(text: string): number {
  const s = text.trim().replace(/^[\u2212\uff0d]/, '-');
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
  return { id: uniqueId(`${part.id}-c${part.criteria.length + 1}`, taken), name, max, step: '0.5', min: '', factor: '' };
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
    kind: 'score',
    aggregateBy: 'judge',
    usesBaseValues: false,
    ...fields,
  };
  return part;
}

/** Theory (objective, one mark) plus a practical rubric: the common shape, with the weights given. */
export function presetScheme(theoryWeight: number): SchemeDraft {
  const draft: SchemeDraft = { totaling: 'weighted', parts: [], tieBreaks: [...TIE_BREAKS], roundingAt: '', roundingMode: '' };
  const theory = newPart(draft, 'theory', { name: t('org.scheme.preset.theory'), weight: String(theoryWeight) });
  draft.parts.push(theory);
  const practical = newPart(draft, 'practical', { name: t('org.scheme.preset.practical'), weight: String(100 - theoryWeight) });
  practical.criteria = [newCriterion(practical, t('org.scheme.preset.safety'), '20')];
  practical.criteria.push(newCriterion(practical, t('org.scheme.preset.quality'), '80'));
  draft.parts.push(practical);
  return draft;
}

function explicitOptions(part: Part): PartOption[] {
  return (['kind', 'aggregateBy', 'usesBaseValues'] as const).filter((k) => part[k] !== undefined);
}

/** A criterion's optional number: left out when blank. */
function optionalNumber(text: string): number | undefined {
  return text.trim() === '' ? undefined : num(text);
}

export function fromScheme(scheme: Scheme): SchemeDraft {
  const extra = pick(scheme, ['gradeTables'] as const);
  return {
    totaling: scheme.totaling,
    tieBreaks: [...scheme.tieBreaks],
    roundingAt: scheme.rounding?.at ?? '',
    roundingMode: scheme.rounding?.mode ?? '',
    ...(extra ? { extra } : {}),
    parts: scheme.parts.map((p) => ({
      id: p.id,
      name: p.name,
      role: p.role,
      weight: String(p.weight),
      max: String(p.max),
      marking: p.marking,
      criteria: p.criteria.map((c) => {
        const cx = pick(c, ['gradeTable'] as const);
        return {
          id: c.id,
          name: c.name,
          max: String(c.max),
          step: String(c.step),
          min: c.min === undefined ? '' : String(c.min),
          factor: c.factor === undefined ? '' : String(c.factor),
          ...(cx ? { extra: cx } : {}),
        };
      }),
      kind: p.kind ?? 'score',
      aggregateBy: p.aggregateBy ?? 'judge',
      usesBaseValues: p.usesBaseValues === true,
      ...(explicitOptions(p).length ? { explicit: explicitOptions(p) } : {}),
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
  const rounding =
    draft.roundingAt || draft.roundingMode ? { rounding: { at: draft.roundingAt || ('element' as const), mode: draft.roundingMode || ('half_up' as const) } } : {};
  return {
    totaling: draft.totaling,
    tieBreaks: draft.tieBreaks,
    ...rounding,
    ...draft.extra,
    parts: draft.parts.map((p) => {
      const penalty = p.kind === 'penalty';
      const objective = p.marking === 'objective';
      // An option is written when it is set, or when the stored scheme spelled out its default;
      // one the part's marking has no use for (hidden in the form) is left out, like the panel.
      const spelled = (k: PartOption) => p.explicit?.includes(k) === true;
      const aggregateBy = !objective && (p.aggregateBy === 'element' || spelled('aggregateBy')) ? { aggregateBy: p.aggregateBy } : {};
      const usesBaseValues = p.marking === 'rubric' && (p.usesBaseValues || spelled('usesBaseValues')) ? { usesBaseValues: p.usesBaseValues } : {};
      return {
        id: p.id,
        name: p.name.trim(),
        role: p.role,
        // Raw totaling ignores weights; the schema still wants a number, and 0 for a penalty.
        weight: draft.totaling === 'weighted' ? num(p.weight) : penalty || Number.isNaN(num(p.weight)) ? 0 : num(p.weight),
        max: num(p.max),
        marking: p.marking,
        criteria: objective
          ? []
          : p.criteria.map((c) => {
              const min = optionalNumber(c.min);
              const factor = optionalNumber(c.factor);
              return {
                ...c.extra,
                id: c.id,
                name: c.name.trim(),
                max: num(c.max),
                step: num(c.step),
                ...(min !== undefined ? { min } : {}),
                ...(factor !== undefined ? { factor } : {}),
              };
            }),
        aggregation:
          p.aggregation === 'trimmed_mean' || p.aggregation === 'trimmed_sum' ? { kind: p.aggregation, drop: num(p.drop) } : { kind: p.aggregation },
        minMarks: num(p.minMarks),
        expectedMarks: num(p.expectedMarks),
        usesDifficulty: p.usesDifficulty,
        ...(p.panelByCriterion && !objective ? { panel: 'criterion' as const } : {}),
        multiplier: num(p.multiplier),
        ...(penalty || spelled('kind') ? { kind: p.kind } : {}),
        ...aggregateBy,
        ...usesBaseValues,
      };
    }),
  };
}

/** The sum of the weights (weighted totaling) and whether it is the required 100. */
export function weightTotal(draft: SchemeDraft): { total: number; ok: boolean } {
  const total = sum(draft.parts.map((p) => num(p.weight) || 0));
  return { total, ok: Math.abs(total - 100) < 1e-9 };
}

/** The criteria maxima (× their factors) of a rubric part against its maximum; always ok where base values or grade tables make the maximum a free scale. */
export function criteriaTotal(part: PartDraft): { total: number; ok: boolean; factors: boolean } {
  // A factor still being typed (or mistyped) counts as 1 here; its own field says what is wrong.
  const factorOf = (c: CriterionDraft) => (num(c.factor) > 0 ? num(c.factor) : 1);
  const total = sum(part.criteria.map((c) => (num(c.max) || 0) * factorOf(c)));
  const free = (part.marking === 'rubric' && part.usesBaseValues) || part.criteria.some((c) => c.extra?.gradeTable !== undefined);
  return { total, ok: free || Math.abs(total - num(part.max)) < 1e-9, factors: part.criteria.some((c) => c.factor.trim() !== '') };
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
  /** The lowest value, when set: a number within range, below the maximum, on the step grid; negative only in a rubric. */
  const checkMin = (path: string, c: CriterionDraft, marking: PartDraft['marking']) => {
    if (c.min.trim() === '') return;
    const v = num(c.min);
    if (Number.isNaN(v)) return at(path, t('org.field.invalid'));
    if (v < -10_000) return at(path, t('org.field.min', { min: -10_000 }));
    if (v < 0 && marking !== 'rubric') return at(path, t('org.scheme.minNegative'));
    const max = num(c.max);
    if (!Number.isNaN(max) && v >= max) return at(path, t('org.scheme.minBelowMax', { max }));
    const step = num(c.step);
    if (step > 0 && Math.abs(v / step - Math.round(v / step)) > 1e-9) return at(path, t('org.scheme.minStep', { step }));
    return undefined;
  };
  if (draft.parts.length === 0) at('parts', t('org.scheme.needPart'));
  else if (draft.parts.every((p) => p.kind === 'penalty')) at('parts', t('org.scheme.needScoringPart'));
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
        checkMin(`${base}.criteria.${j}.min`, c, p.marking);
        if (c.factor.trim() !== '') {
          const f = num(c.factor);
          const path = `${base}.criteria.${j}.factor`;
          if (Number.isNaN(f)) at(path, t('org.field.invalid'));
          else if (f <= 0) at(path, t('org.scheme.factorPositive'));
          else if (f > 100) at(path, t('org.field.max', { max: 100 }));
        }
      });
      if (p.marking === 'rubric' && p.criteria.length > 0) {
        const c = criteriaTotal(p);
        if (!c.ok && !Number.isNaN(num(p.max)))
          at(`${base}.criteria`, t(c.factors ? 'org.scheme.criteriaSumFactors' : 'org.scheme.criteriaSum', { sum: c.total, max: num(p.max) }));
      }
      if (p.marking === 'rubric' && p.usesBaseValues && p.aggregateBy !== 'element' && !p.panelByCriterion)
        at(`${base}.usesBaseValues`, t('org.scheme.baseValuesNeedElement'));
    }
    if (p.kind === 'penalty' && draft.totaling === 'weighted' && num(p.weight) !== 0 && !Number.isNaN(num(p.weight)))
      at(`${base}.weight`, t('org.scheme.penaltyWeight'));
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
