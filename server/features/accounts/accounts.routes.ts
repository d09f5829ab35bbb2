import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const accountsRoutes: FastifyPluginAsyncZod = async () => {};

export default accountsRoutes;
