import type { FastifyPluginAsync } from 'fastify';
import achievementsRoutes from './achievements/achievements.routes.ts';
import alliancesRoutes from './alliances/alliances.routes.ts';
import studioDashboardRoutes from './dashboard/studio-dashboard.routes.ts';
import evaluationsRoutes from './evaluations/evaluations.routes.ts';
import fiveSmallsRoutes from './five-smalls/five-smalls.routes.ts';
import lookupsRoutes from './registry/lookups.routes.ts';
import studiosRoutes from './registry/studios.routes.ts';

/**
 * Innovation studios (创新工作室): the registry and life cycle, achievements and figures, the
 * joint evaluation, alliances, "five smalls" campaigns and the dashboard. Registered under /api.
 */
const studiosPlugin: FastifyPluginAsync = async (app) => {
  await app.register(studiosRoutes);
  await app.register(lookupsRoutes);
  await app.register(achievementsRoutes);
  await app.register(evaluationsRoutes);
  await app.register(alliancesRoutes);
  await app.register(fiveSmallsRoutes);
  await app.register(studioDashboardRoutes);
};

export default studiosPlugin;
