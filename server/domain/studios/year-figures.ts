/**
 * Yearly figures of studios (what they report: results, patents, breakthroughs, five-smalls
 * results, economic benefit, apprentices) per studio and year, and summed up the union tree,
 * for dashboards. Money is added in fen (integer hundredths of a yuan) so that totals of
 * thousands of records do not drift (Ordos: 1.26 billion yuan over its studios).
 */
import type { Achievement, StudioFigures } from '../../contracts/studios.ts';
import { fromHundredths, roundHalfUp, toHundredths } from '../rounding.ts';

/** One studio's figures for one year. */
export interface StudioYearFigures {
  studioId: number;
  year: number;
  figures: StudioFigures;
}

/** An organisation's totals over its whole subtree (itself and every descendant). */
export interface SubtreeTotals {
  organisationId: number;
  /** Studios registered in the subtree (whether or not they reported anything). */
  studios: number;
  /** Per year with any figures, in year order. */
  byYear: { year: number; figures: StudioFigures }[];
  /** All years together. */
  total: StudioFigures;
}

/** All-zero figures. */
export function emptyFigures(): StudioFigures {
  return {
    innovationResults: 0,
    patents: { invention: 0, utilityModel: 0, design: 0, total: 0 },
    technicalBreakthroughs: 0,
    fiveSmalls: 0,
    economicBenefitYuan: 0,
    apprenticesTrained: 0,
    apprenticesPromoted: 0,
  };
}

/** The sum of several figures (money added in fen). */
export function sumFigures(list: readonly StudioFigures[]): StudioFigures {
  const acc = emptyAcc();
  for (const f of list) addInto(acc, f);
  return finish(acc);
}

/**
 * Adds up achievements per studio and year, sorted by studio then year. Counts default to 1
 * per record; economic benefit is taken to the fen (half-up) before adding.
 */
export function studioYearFigures(achievements: readonly Achievement[]): StudioYearFigures[] {
  const accs = new Map<string, { studioId: number; year: number; acc: Acc }>();
  for (const a of achievements) {
    const key = `${a.studioId}/${a.year}`;
    let slot = accs.get(key);
    if (!slot) accs.set(key, (slot = { studioId: a.studioId, year: a.year, acc: emptyAcc() }));
    const acc = slot.acc;
    switch (a.type) {
      case 'innovation_result':
        acc.innovationResults += a.count;
        break;
      case 'patent':
        if (a.patentKind === 'invention') acc.invention += a.count;
        else if (a.patentKind === 'utility_model') acc.utilityModel += a.count;
        else acc.design += a.count;
        break;
      case 'technical_breakthrough':
        acc.technicalBreakthroughs += a.count;
        break;
      case 'five_smalls':
        acc.fiveSmalls += a.count;
        break;
      case 'economic_benefit':
        acc.fen += toHundredths(roundHalfUp(a.amountYuan, 2));
        break;
      case 'apprentices':
        acc.apprenticesTrained += a.trained;
        acc.apprenticesPromoted += a.promoted;
        break;
    }
  }
  return [...accs.values()]
    .sort((a, b) => a.studioId - b.studioId || a.year - b.year)
    .map(({ studioId, year, acc }) => ({ studioId, year, figures: finish(acc) }));
}

/**
 * Sums per-studio yearly figures up the organisation tree: each organisation's totals cover
 * the studios registered anywhere in its subtree, per year and overall. Every organisation
 * given gets a line (zeros when nothing is reported), in id order; a studio's organisation
 * missing from the list gets a line of its own. Figures of studios not in `studios` are left
 * out and listed in `unplacedStudioIds`. Throws a RangeError when the tree has a cycle.
 */
export function totalsBySubtree(
  rows: readonly StudioYearFigures[],
  studios: readonly { id: number; organisationId: number }[],
  organisations: readonly { id: number; parentId: number | null }[],
): { byOrganisation: SubtreeTotals[]; unplacedStudioIds: number[] } {
  const parentOf = new Map(organisations.map((o) => [o.id, o.parentId]));
  const lines = new Map<number, { studios: number; byYear: Map<number, Acc>; total: Acc }>();
  const lineOf = (organisationId: number) => {
    let line = lines.get(organisationId);
    if (!line) lines.set(organisationId, (line = { studios: 0, byYear: new Map(), total: emptyAcc() }));
    return line;
  };
  for (const o of organisations) lineOf(o.id);

  const ancestry = new Map<number, number[]>();
  const chainOf = (organisationId: number): number[] => {
    const known = ancestry.get(organisationId);
    if (known) return known;
    const chain: number[] = [];
    const seen = new Set<number>();
    for (let at: number | null | undefined = organisationId; at !== null && at !== undefined; at = parentOf.get(at)) {
      if (seen.has(at)) throw new RangeError(`the organisation tree has a cycle through ${at}`);
      seen.add(at);
      chain.push(at);
    }
    ancestry.set(organisationId, chain);
    return chain;
  };

  const studioChain = new Map<number, number[]>();
  for (const s of studios) {
    const chain = chainOf(s.organisationId);
    studioChain.set(s.id, chain);
    for (const o of chain) lineOf(o).studios++;
  }

  const unplaced = new Set<number>();
  for (const row of rows) {
    const chain = studioChain.get(row.studioId);
    if (!chain) {
      unplaced.add(row.studioId);
      continue;
    }
    for (const o of chain) {
      const line = lineOf(o);
      let year = line.byYear.get(row.year);
      if (!year) line.byYear.set(row.year, (year = emptyAcc()));
      addInto(year, row.figures);
      addInto(line.total, row.figures);
    }
  }

  const byOrganisation = [...lines.entries()]
    .sort(([a], [b]) => a - b)
    .map(([organisationId, line]) => ({
      organisationId,
      studios: line.studios,
      byYear: [...line.byYear.entries()].sort(([a], [b]) => a - b).map(([year, acc]) => ({ year, figures: finish(acc) })),
      total: finish(line.total),
    }));
  return { byOrganisation, unplacedStudioIds: [...unplaced].sort((a, b) => a - b) };
}

interface Acc {
  innovationResults: number;
  invention: number;
  utilityModel: number;
  design: number;
  technicalBreakthroughs: number;
  fiveSmalls: number;
  fen: number;
  apprenticesTrained: number;
  apprenticesPromoted: number;
}

function emptyAcc(): Acc {
  return {
    innovationResults: 0,
    invention: 0,
    utilityModel: 0,
    design: 0,
    technicalBreakthroughs: 0,
    fiveSmalls: 0,
    fen: 0,
    apprenticesTrained: 0,
    apprenticesPromoted: 0,
  };
}

function addInto(acc: Acc, f: StudioFigures): void {
  acc.innovationResults += f.innovationResults;
  acc.invention += f.patents.invention;
  acc.utilityModel += f.patents.utilityModel;
  acc.design += f.patents.design;
  acc.technicalBreakthroughs += f.technicalBreakthroughs;
  acc.fiveSmalls += f.fiveSmalls;
  acc.fen += toHundredths(f.economicBenefitYuan);
  acc.apprenticesTrained += f.apprenticesTrained;
  acc.apprenticesPromoted += f.apprenticesPromoted;
}

function finish(acc: Acc): StudioFigures {
  return {
    innovationResults: acc.innovationResults,
    patents: { invention: acc.invention, utilityModel: acc.utilityModel, design: acc.design, total: acc.invention + acc.utilityModel + acc.design },
    technicalBreakthroughs: acc.technicalBreakthroughs,
    fiveSmalls: acc.fiveSmalls,
    economicBenefitYuan: fromHundredths(acc.fen),
    apprenticesTrained: acc.apprenticesTrained,
    apprenticesPromoted: acc.apprenticesPromoted,
  };
}
