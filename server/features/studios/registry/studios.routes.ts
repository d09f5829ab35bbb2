import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { commonErrors, idParams, problemSchema } from '../../../contracts/common.ts';
import { studioSettingsSchema } from '../../../contracts/studios.ts';
import { requireStaff } from '../../../plugins/auth.plugin.ts';
import { exportRegistry } from '../exports.service.ts';
import {
  addMemberBody,
  createStudioBody,
  exportStudiosQuery,
  fundingBody,
  listStudiosQuery,
  studioDecisionBody,
  studioDetailSchema,
  studioListSchema,
  studioSubParams,
  updateStudioBody,
} from '../studios.contracts.ts';
import {
  addFunding,
  addMember,
  createStudio,
  decide,
  getSettings,
  getStudio,
  listStudios,
  removeFunding,
  removeMember,
  setSettings,
  updateStudio,
} from './studios.service.ts';

const tags = ['studios'];
/** Roles that register and look after studios; each may change only its line's kinds (checked in the service). */
const EDITORS = ['admin', 'organiser', 'studio_officer', 'hr_officer'] as const;
const withConflict = { ...commonErrors, 409: problemSchema };

const studiosRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/studios/settings', {
    schema: {
      operationId: 'getStudioSettings',
      summary: 'The studio rules in force for your organisation (leader rules, terms, reapplication bans)',
      tags,
      response: { 200: studioSettingsSchema, ...commonErrors },
    },
    handler: async (req) => getSettings(app.db, requireStaff(req)),
  });

  app.put('/studios/settings', {
    schema: {
      operationId: 'setStudioSettings',
      summary: 'Set the studio rules for your organisation and those under it (administrators only)',
      description:
        'The rules decide which line (the union’s or the HR bureau’s) each kind of studio belongs to, so they are an administrator’s: a studio officer setting them could take over the other line’s studios.',
      tags,
      body: studioSettingsSchema,
      response: { 200: studioSettingsSchema, ...commonErrors },
    },
    handler: async (req) => setSettings(app.db, requireStaff(req, 'admin'), req.body),
  });

  app.get('/studios', {
    schema: {
      operationId: 'listStudios',
      summary: 'The studio registry of your subtree, filtered and paged',
      tags,
      querystring: listStudiosQuery,
      response: { 200: studioListSchema, ...commonErrors },
    },
    handler: async (req) => listStudios(app.db, requireStaff(req), req.query),
  });

  app.get('/studios/export', {
    schema: {
      operationId: 'exportStudioRegistry',
      summary: 'The studio registry as .xlsx (the same filters as the list); audited',
      tags,
      querystring: exportStudiosQuery,
      response: { 200: z.any().describe('the .xlsx file'), ...commonErrors },
    },
    handler: async (req, reply) => {
      const { buffer, rows } = await exportRegistry(app.db, requireStaff(req), req.query);
      const stamp = app.clock.now().toISOString().slice(0, 10);
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="studios-${stamp}.xlsx"; filename*=UTF-8''${encodeURIComponent(`创新工作室名录_${stamp}.xlsx`)}`)
        .header('x-row-count', String(rows))
        .header('cache-control', 'no-store')
        .send(buffer);
    },
  });

  app.post('/studios', {
    schema: {
      operationId: 'applyForStudio',
      summary: 'Register an application (申报) for a studio on behalf of its host employer',
      description:
        "The kind's leader rule, the reapplication ban after a de-listing (409 reapply_banned) and the one-pending-application rule are checked.",
      tags,
      body: createStudioBody,
      response: { 201: studioDetailSchema, ...withConflict },
    },
    handler: async (req, reply) => reply.status(201).send(createStudio(app.db, requireStaff(req, ...EDITORS), req.body)),
  });

  app.get('/studios/:id', {
    schema: {
      operationId: 'getStudio',
      summary: 'A studio with its members, life-cycle steps, funding and yearly figures',
      tags,
      params: idParams,
      response: { 200: studioDetailSchema, ...commonErrors },
    },
    handler: async (req) => getStudio(app.db, requireStaff(req), req.params.id),
  });

  app.patch('/studios/:id', {
    schema: {
      operationId: 'updateStudio',
      summary: "Change a studio's particulars (a new leader must meet the kind's leader rule)",
      tags,
      params: idParams,
      body: updateStudioBody,
      response: { 200: studioDetailSchema, ...commonErrors },
    },
    handler: async (req) => updateStudio(app.db, requireStaff(req, ...EDITORS), req.params.id, req.body),
  });

  app.post('/studios/:id/steps', {
    schema: {
      operationId: 'decideStudio',
      summary: 'Record a life-cycle decision: evaluation, recognition, yearly review, warning, de-listing, re-confirmation',
      description: 'Refusals: 400 naming the field (date, level), 403 wrong_body (another line decides), 409 for the studio\'s state.',
      tags,
      params: idParams,
      body: studioDecisionBody,
      response: { 200: studioDetailSchema, ...withConflict },
    },
    handler: async (req) => decide(app.db, requireStaff(req, ...EDITORS), req.params.id, req.body),
  });

  app.post('/studios/:id/members', {
    schema: {
      operationId: 'addStudioMember',
      summary: 'Add a member or apprentice to a studio',
      tags,
      params: idParams,
      body: addMemberBody,
      response: { 200: studioDetailSchema, ...withConflict },
    },
    handler: async (req) => addMember(app.db, requireStaff(req, ...EDITORS), req.params.id, req.body),
  });

  app.delete('/studios/:id/members/:itemId', {
    schema: {
      operationId: 'removeStudioMember',
      summary: 'Remove a member from a studio',
      tags,
      params: studioSubParams,
      response: { 200: studioDetailSchema, ...commonErrors },
    },
    handler: async (req) => removeMember(app.db, requireStaff(req, ...EDITORS), req.params.id, req.params.itemId),
  });

  app.post('/studios/:id/funding', {
    schema: {
      operationId: 'addStudioFunding',
      summary: 'Record a subsidy or funding a studio received in a year',
      tags,
      params: idParams,
      body: fundingBody,
      response: { 200: studioDetailSchema, ...commonErrors },
    },
    handler: async (req) => addFunding(app.db, requireStaff(req, ...EDITORS), req.params.id, req.body),
  });

  app.delete('/studios/:id/funding/:itemId', {
    schema: {
      operationId: 'removeStudioFunding',
      summary: 'Delete a funding record entered in error',
      tags,
      params: studioSubParams,
      response: { 200: studioDetailSchema, ...commonErrors },
    },
    handler: async (req) => removeFunding(app.db, requireStaff(req, ...EDITORS), req.params.id, req.params.itemId),
  });
};

export default studiosRoutes;
