import fp from 'fastify-plugin';
import { channelSnapshot } from '../features/ranking/channel-snapshot.ts';
import { RankingService } from '../features/ranking/ranking.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Live rankings kept in memory per event. Call `rankings.invalidate(eventId)` after committing
     * any change that alters a ranking other than a mark (entry status, difficulty, completion
     * time, scheme, rounds): it recomputes and broadcasts.
     */
    rankings: RankingService;
  }
}

export default fp(
  async (app) => {
    const rankings = new RankingService(app.db, app.live);
    app.decorate('rankings', rankings);
    // With Redis, relays serve the snapshots the primary stores from here.
    app.live.provideSnapshots((channel) => channelSnapshot(rankings, channel));
  },
  { name: 'rankings', dependencies: ['db', 'live'] },
);
