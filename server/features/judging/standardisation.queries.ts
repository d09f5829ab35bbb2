import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { competitions } from '../../../db/schema.ts';
import type { StandardisationSetting } from '../../contracts/judging.ts';
import type { RankingRow } from '../../domain/scoring.ts';
import type { Tx } from '../audit/audit.service.ts';

export type { StandardisationSetting };

/** The competition's standardised-score option, null when off (never set, or switched off). */
export function standardisationOf(db: Db | Tx, competitionId: number): StandardisationSetting | null {
  const row = db.select({ s: competitions.standardisation }).from(competitions).where(eq(competitions.id, competitionId)).get();
  return row?.s?.enabled ? row.s : null;
}

/**
 * Whether a ranking row's total is standardised: ranked and complete (every part has the marks
 * its panel expects), and not withdrawn — a withdrawn entry ranks after the others on parts it
 * did not finish. See server/domain/judging/standardise.ts.
 */
export function countsForStandardisation(row: RankingRow): boolean {
  return row.rank != null && row.score.complete && row.status !== 'withdrawn';
}
