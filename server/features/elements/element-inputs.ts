import type { EntryInput } from '../../domain/index.ts';

/** What round_entries stores per element besides difficulty (db/schema.ts `baseValues`, `voids`). */
export type StoredElements = {
  baseValues?: Record<string, Record<string, number>> | null;
  voids?: Record<string, Record<string, string>> | null;
};

/**
 * The engine's view of an entry's base values and void elements (EntryInput.baseValues, .voids):
 * void reasons are the chief judge's words for people, the engine needs only which elements.
 * Nothing at all when neither is set, so entries of schemes without elements read as before.
 */
export function elementInputs(row: StoredElements): Pick<EntryInput, 'baseValues' | 'voids'> {
  const out: Pick<EntryInput, 'baseValues' | 'voids'> = {};
  if (row.baseValues && Object.keys(row.baseValues).length > 0) out.baseValues = row.baseValues;
  if (row.voids && Object.keys(row.voids).length > 0) {
    const voids: Record<string, string[]> = {};
    for (const [partId, criteria] of Object.entries(row.voids)) {
      const ids = Object.keys(criteria);
      if (ids.length > 0) voids[partId] = ids;
    }
    if (Object.keys(voids).length > 0) out.voids = voids;
  }
  return out;
}
