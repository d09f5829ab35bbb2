import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const rankingRoutes: FastifyPluginAsyncZod = async () => {};

export default rankingRoutes;
