import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const marksRoutes: FastifyPluginAsyncZod = async () => {};

export default marksRoutes;
