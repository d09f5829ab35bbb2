import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, idParams, problemSchema } from '../../../contracts/common.ts';
import { requireStaff } from '../../../plugins/auth.plugin.ts';
import { exportCampaign } from '../exports.service.ts';
import { UNION_STUDIO_ROLES } from '../scope.ts';
import {
  awardCampaignBody,
  campaignDetailSchema,
  campaignEntryBody,
  campaignEntrySchema,
  campaignSubParams,
  campaignSummarySchema,
  createCampaignBody,
  departmentScoreBody,
  exclusionBody,
  updateCampaignBody,
} from '../studios.contracts.ts';
import {
  addEntry,
  awardCampaign,
  createCampaign,
  getCampaign,
  listCampaigns,
  scoreEntry,
  setExclusion,
  updateCampaign,
} from './five-smalls.service.ts';

const tags = ['five-smalls'];
const withConflict = { ...commonErrors, 409: problemSchema };

const fiveSmallsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/five-smalls-campaigns', {
    schema: {
      operationId: 'listFiveSmallsCampaigns',
      summary: '"Five smalls" (五小) campaigns in your scope',
      tags,
      response: { 200: z.array(campaignSummarySchema), ...commonErrors },
    },
    handler: async (req) => listCampaigns(app.db, requireStaff(req)),
  });

  app.post('/five-smalls-campaigns', {
    schema: {
      operationId: 'createFiveSmallsCampaign',
      summary: 'Open a campaign: screening rules, scoring departments and award tiers',
      tags,
      body: createCampaignBody,
      response: { 201: campaignDetailSchema, ...commonErrors },
    },
    handler: async (req, reply) => reply.status(201).send(createCampaign(app.db, requireStaff(req, ...UNION_STUDIO_ROLES), req.body)),
  });

  app.get('/five-smalls-campaigns/:id', {
    schema: {
      operationId: 'getFiveSmallsCampaign',
      summary: 'A campaign with its screening, department scores, ranking and award tiers',
      tags,
      params: idParams,
      response: { 200: campaignDetailSchema, ...commonErrors },
    },
    handler: async (req) => getCampaign(app.db, requireStaff(req), req.params.id),
  });

  app.patch('/five-smalls-campaigns/:id', {
    schema: {
      operationId: 'updateFiveSmallsCampaign',
      summary: 'Change the screening rules or award tiers of an open campaign',
      tags,
      params: idParams,
      body: updateCampaignBody,
      response: { 200: campaignDetailSchema, ...withConflict },
    },
    handler: async (req) => updateCampaign(app.db, requireStaff(req, ...UNION_STUDIO_ROLES), req.params.id, req.body),
  });

  app.get('/five-smalls-campaigns/:id/export', {
    schema: {
      operationId: 'exportFiveSmallsCampaign',
      summary: "A campaign's results as .xlsx (ranked entries, screened-out entries, tiers); audited",
      tags,
      params: idParams,
      response: { 200: z.any().describe('the .xlsx file'), ...commonErrors },
    },
    handler: async (req, reply) => {
      const { buffer, name, rows } = await exportCampaign(app.db, requireStaff(req), req.params.id);
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="five-smalls-${req.params.id}.xlsx"; filename*=UTF-8''${encodeURIComponent(`${name}.xlsx`)}`)
        .header('x-row-count', String(rows))
        .header('cache-control', 'no-store')
        .send(buffer);
    },
  });

  app.post('/five-smalls-campaigns/:id/entries', {
    schema: {
      operationId: 'addFiveSmallsEntry',
      summary: 'Add an entry (small invention, creation, innovation, design or suggestion) from a worker or a studio',
      tags,
      params: idParams,
      body: campaignEntryBody,
      response: { 201: campaignEntrySchema, ...withConflict },
    },
    handler: async (req, reply) => reply.status(201).send(addEntry(app.db, requireStaff(req, ...UNION_STUDIO_ROLES), req.params.id, req.body)),
  });

  app.put('/five-smalls-campaigns/:id/entries/:entryId/exclusion', {
    schema: {
      operationId: 'setFiveSmallsExclusion',
      summary: 'Screen an entry out by hand with a reason (null readmits it)',
      tags,
      params: campaignSubParams,
      body: exclusionBody,
      response: { 200: campaignDetailSchema, ...withConflict },
    },
    handler: async (req) => setExclusion(app.db, requireStaff(req, ...UNION_STUDIO_ROLES), req.params.id, req.params.entryId, req.body.reason),
  });

  app.put('/five-smalls-campaigns/:id/scores', {
    schema: {
      operationId: 'scoreFiveSmallsEntry',
      summary: "Record a department's points for an eligible entry (economic, social, safety, management benefit)",
      tags,
      params: idParams,
      body: departmentScoreBody,
      response: { 200: campaignEntrySchema, ...withConflict },
    },
    handler: async (req) => scoreEntry(app.db, requireStaff(req, ...UNION_STUDIO_ROLES), req.params.id, req.body),
  });

  app.post('/five-smalls-campaigns/:id/award', {
    schema: {
      operationId: 'awardFiveSmallsCampaign',
      summary: 'Award the tiers once every eligible entry is scored; the campaign becomes final',
      tags,
      params: idParams,
      body: awardCampaignBody,
      response: { 200: campaignDetailSchema, ...withConflict },
    },
    handler: async (req) => awardCampaign(app.db, requireStaff(req, ...UNION_STUDIO_ROLES), req.params.id, req.body.date),
  });
};

export default fiveSmallsRoutes;
