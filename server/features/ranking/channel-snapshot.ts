import { notFound } from '../../errors.ts';
import type { RankingService } from './ranking.service.ts';

/**
 * A live channel's whole state, as a client opening its stream gets it first: what the primary
 * stores in Redis beside each channel's stream for relays to serve (server/plugins/live-redis.ts).
 * A channel added to ranking.service.ts needs its line here, else relays answer 404 for it.
 */
export function channelSnapshot(rankings: RankingService, channel: string): unknown {
  const m = /^(event|competition):(\d+)$/.exec(channel);
  if (!m) throw notFound('Live channel');
  const id = Number(m[2]);
  return m[1] === 'event' ? rankings.eventRanking(id) : rankings.competitionRanking(id);
}
