import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, idParams, okSchema } from '../../../contracts/common.ts';
import { requireStaff } from '../../../plugins/auth.plugin.ts';
import {
  achievementBody,
  figuresQuery,
  listAchievementsQuery,
  studioAchievementSchema,
  studioFiguresReportSchema,
  studioSubParams,
} from '../studios.contracts.ts';
import { addAchievement, figuresReport, listAchievements, removeAchievement } from './achievements.service.ts';

const tags = ['studio-achievements'];
const EDITORS = ['admin', 'organiser', 'studio_officer', 'hr_officer'] as const;

const achievementsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/studios/:id/achievements', {
    schema: {
      operationId: 'listStudioAchievements',
      summary: "A studio's recorded results, patents, breakthroughs, benefit and apprentices",
      tags,
      params: idParams,
      querystring: listAchievementsQuery,
      response: { 200: z.array(studioAchievementSchema), ...commonErrors },
    },
    handler: async (req) => listAchievements(app.db, requireStaff(req), req.params.id, req.query),
  });

  app.post('/studios/:id/achievements', {
    schema: {
      operationId: 'addStudioAchievement',
      summary: 'Record a result of a studio or one of its members',
      tags,
      params: idParams,
      body: achievementBody,
      response: { 201: studioAchievementSchema, ...commonErrors },
    },
    handler: async (req, reply) => reply.status(201).send(addAchievement(app.db, requireStaff(req, ...EDITORS), req.params.id, req.body)),
  });

  app.delete('/studios/:id/achievements/:itemId', {
    schema: {
      operationId: 'removeStudioAchievement',
      summary: 'Delete an achievement entered in error',
      tags,
      params: studioSubParams,
      response: { 200: okSchema, ...commonErrors },
    },
    handler: async (req) => {
      removeAchievement(app.db, requireStaff(req, ...EDITORS), req.params.id, req.params.itemId);
      return { ok: true as const };
    },
  });

  app.get('/studio-figures', {
    schema: {
      operationId: 'getStudioFigures',
      summary: 'Yearly figures per studio and totals per organisation subtree',
      tags,
      querystring: figuresQuery,
      response: { 200: studioFiguresReportSchema, ...commonErrors },
    },
    handler: async (req) => figuresReport(app.db, requireStaff(req), req.query),
  });
};

export default achievementsRoutes;
