/**
 * Shared ranks moved to the review engine (server/domain/review/), which both the studios'
 * evaluation and the craftsman selection rank with; re-exported here so the studios' modules
 * and their callers keep their imports.
 */
export { rankByScore } from '../review/shared-ranks.ts';
export type { RankedItem } from '../review/shared-ranks.ts';
