import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const judgesRoutes: FastifyPluginAsyncZod = async () => {};

export default judgesRoutes;
