import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const entriesRoutes: FastifyPluginAsyncZod = async () => {};

export default entriesRoutes;
