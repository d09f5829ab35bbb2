import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const competitionsRoutes: FastifyPluginAsyncZod = async () => {};

export default competitionsRoutes;
