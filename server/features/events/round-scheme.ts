import { schemeSchema, type Scheme } from '../../contracts/scheme.ts';

/**
 * The one way to read a scheme for a round. A round may have its own scheme (a final with other
 * tasks, weights or tie-breaks than the preliminary); a round without one uses the event's. Marks
 * validation, ranking, the judges' sheets, the chief judge's grid, paper sheets and the prize
 * preview all read it through {@link schemeForRound}, so they can never disagree about a round.
 */

const schemeCache = new Map<string, Scheme>();

/** Parses a stored scheme once per distinct JSON text (it changes only before marking starts). */
export function parseStoredScheme(json: string): Scheme {
  let scheme = schemeCache.get(json);
  if (!scheme) {
    scheme = schemeSchema.parse(JSON.parse(json));
    if (schemeCache.size > 1000) schemeCache.clear();
    schemeCache.set(json, scheme);
  }
  return scheme;
}

/** A scheme as it comes from storage: parsed by Drizzle (an object) or raw SQL (JSON text); null when absent. */
type StoredScheme = Scheme | string | null | undefined;

/**
 * The scheme a round is marked and ranked by: the round's own, or the event's when the round has
 * none (or when no round is known yet). Parsed and defaulted by the shared zod schema, cached.
 */
export function schemeForRound(event: { scheme: Scheme | string }, round: { scheme?: StoredScheme } | null | undefined): Scheme {
  const stored = round?.scheme ?? event.scheme;
  return parseStoredScheme(typeof stored === 'string' ? stored : JSON.stringify(stored));
}
