import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const peopleRoutes: FastifyPluginAsyncZod = async () => {};

export default peopleRoutes;
