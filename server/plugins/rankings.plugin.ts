import fp from 'fastify-plugin';
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
    app.decorate('rankings', new RankingService(app.db, app.live));
  },
  { name: 'rankings', dependencies: ['db', 'live'] },
);
