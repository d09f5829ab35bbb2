import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, idParams, problemSchema } from '../../../contracts/common.ts';
import { requireStaff } from '../../../plugins/auth.plugin.ts';
import { UNION_STUDIO_ROLES } from '../scope.ts';
import {
  allianceApplicationBody,
  allianceDecisionBody,
  allianceDetailSchema,
  allianceSummarySchema,
  createAllianceBody,
  createProjectBody,
  rotateLeadBody,
  studioSubParams,
  updateAllianceBody,
  updateProjectBody,
} from '../studios.contracts.ts';
import {
  applyToAlliance,
  createAlliance,
  createProject,
  decideApplication,
  getAlliance,
  listAlliances,
  rotateLead,
  updateAlliance,
  updateProject,
} from './alliances.service.ts';

const tags = ['studio-alliances'];
const withConflict = { ...commonErrors, 409: problemSchema };

const alliancesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/studio-alliances', {
    schema: {
      operationId: 'listStudioAlliances',
      summary: 'Studio alliances kept in your scope',
      tags,
      response: { 200: z.array(allianceSummarySchema), ...commonErrors },
    },
    handler: async (req) => listAlliances(app.db, requireStaff(req)),
  });

  app.post('/studio-alliances', {
    schema: {
      operationId: 'createStudioAlliance',
      summary: 'Found an alliance, kept by a union',
      tags,
      body: createAllianceBody,
      response: { 201: allianceDetailSchema, ...commonErrors },
    },
    handler: async (req, reply) => reply.status(201).send(createAlliance(app.db, requireStaff(req, ...UNION_STUDIO_ROLES), req.body)),
  });

  app.get('/studio-alliances/:id', {
    schema: {
      operationId: 'getStudioAlliance',
      summary: 'An alliance with its members, lead rotation and joint projects',
      tags,
      params: idParams,
      response: { 200: allianceDetailSchema, ...commonErrors },
    },
    handler: async (req) => getAlliance(app.db, requireStaff(req), req.params.id),
  });

  app.patch('/studio-alliances/:id', {
    schema: {
      operationId: 'updateStudioAlliance',
      summary: "Change an alliance's name, field, founding date or description",
      tags,
      params: idParams,
      body: updateAllianceBody,
      response: { 200: allianceDetailSchema, ...commonErrors },
    },
    handler: async (req) => updateAlliance(app.db, requireStaff(req, ...UNION_STUDIO_ROLES), req.params.id, req.body),
  });

  app.post('/studio-alliances/:id/members', {
    schema: {
      operationId: 'applyToStudioAlliance',
      summary: 'Record an application to join, from a studio or an employer',
      tags,
      params: idParams,
      body: allianceApplicationBody,
      response: { 200: allianceDetailSchema, ...withConflict },
    },
    handler: async (req) => applyToAlliance(app.db, requireStaff(req, ...UNION_STUDIO_ROLES), req.params.id, req.body),
  });

  app.post('/studio-alliances/:id/members/:itemId/decision', {
    schema: {
      operationId: 'decideStudioAllianceApplication',
      summary: 'Approve or reject an application to join',
      tags,
      params: studioSubParams,
      body: allianceDecisionBody,
      response: { 200: allianceDetailSchema, ...withConflict },
    },
    handler: async (req) => decideApplication(app.db, requireStaff(req, ...UNION_STUDIO_ROLES), req.params.id, req.params.itemId, req.body),
  });

  app.post('/studio-alliances/:id/lead', {
    schema: {
      operationId: 'rotateStudioAllianceLead',
      summary: 'Pass the lead to the next member in rotation (or the member given)',
      tags,
      params: idParams,
      body: rotateLeadBody,
      response: { 200: allianceDetailSchema, ...withConflict },
    },
    handler: async (req) => rotateLead(app.db, requireStaff(req, ...UNION_STUDIO_ROLES), req.params.id, req.body),
  });

  app.post('/studio-alliances/:id/projects', {
    schema: {
      operationId: 'createStudioAllianceProject',
      summary: 'Start a joint project of alliance members',
      tags,
      params: idParams,
      body: createProjectBody,
      response: { 200: allianceDetailSchema, ...commonErrors },
    },
    handler: async (req) => createProject(app.db, requireStaff(req, ...UNION_STUDIO_ROLES), req.params.id, req.body),
  });

  app.patch('/studio-alliances/:id/projects/:itemId', {
    schema: {
      operationId: 'updateStudioAllianceProject',
      summary: 'Change a joint project (status, members, outcome)',
      tags,
      params: studioSubParams,
      body: updateProjectBody,
      response: { 200: allianceDetailSchema, ...commonErrors },
    },
    handler: async (req) => updateProject(app.db, requireStaff(req, ...UNION_STUDIO_ROLES), req.params.id, req.params.itemId, req.body),
  });
};

export default alliancesRoutes;
