import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PRESET_TITLE_TYPES, PRIZE_RULE_PRESETS, prizeRuleSchema, TITLE_RULE_PRESETS, titleRuleSetSchema } from '../../contracts/awards.ts';
import { commonErrors, idParams, problemSchema } from '../../contracts/common.ts';
import {
  createTitleRuleBody,
  createTitleTypeBody,
  generateResultSchema,
  listProposalsQuery,
  proposalSchema,
  rejectBody,
  titleRuleRowSchema,
  titleTypeSchema,
  updateTitleRuleBody,
} from '../../contracts/titles.ts';
import { requireStaff } from '../../plugins/auth.plugin.ts';
import {
  createTitleRule,
  createTitleType,
  generateProposals,
  listProposals,
  listTitleRules,
  listTitleTypes,
  rejectProposal,
  signProposal,
  updateTitleRule,
} from './titles.service.ts';

const tags = ['titles and promotions'];
const errors = { ...commonErrors, 409: problemSchema };
const KEEPERS = ['admin', 'organiser', 'hr_officer'] as const;

const titlesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/title-types', {
    schema: { operationId: 'listTitleTypes', summary: 'Title types (荣誉称号) of your organisation and above', tags, response: { 200: z.array(titleTypeSchema), ...commonErrors } },
    handler: async (req) => listTitleTypes(app, requireStaff(req)),
  });

  app.post('/title-types', {
    schema: { operationId: 'createTitleType', summary: 'Add a title type with its level, conferring bodies and reward', tags, body: createTitleTypeBody, response: { 201: titleTypeSchema, ...errors } },
    handler: async (req, reply) => reply.status(201).send(createTitleType(app, requireStaff(req, ...KEEPERS), req.body)),
  });

  app.get('/title-rules/presets', {
    schema: {
      operationId: 'listAwardPresets',
      summary: 'The shipped rule presets: title rule sets (Feixi, Anhui 2023, Tianjin 2024, national) and prize rules',
      tags,
      response: {
        200: z.object({
          titleRules: z.array(titleRuleSetSchema),
          titleTypes: z.array(z.object({ key: z.string(), name: z.string(), level: z.string() })),
          prizeRules: z.array(z.object({ key: z.string(), rule: prizeRuleSchema })),
        }),
        ...commonErrors,
      },
    },
    handler: async (req) => {
      requireStaff(req);
      return {
        titleRules: Object.values(TITLE_RULE_PRESETS),
        titleTypes: Object.entries(PRESET_TITLE_TYPES).map(([key, t]) => ({ key, ...t })),
        prizeRules: Object.entries(PRIZE_RULE_PRESETS).map(([key, rule]) => ({ key, rule })),
      };
    },
  });

  app.get('/title-rules', {
    schema: { operationId: 'listTitleRules', summary: 'Rules that turn results into proposals, of your organisation and above', tags, response: { 200: z.array(titleRuleRowSchema), ...commonErrors } },
    handler: async (req) => listTitleRules(app, requireStaff(req)),
  });

  app.post('/title-rules', {
    schema: { operationId: 'createTitleRule', summary: 'Install a preset rule set or your own (creates the title types it names)', tags, body: createTitleRuleBody, response: { 201: titleRuleRowSchema, ...errors } },
    handler: async (req, reply) => reply.status(201).send(createTitleRule(app, requireStaff(req, ...KEEPERS), req.body)),
  });

  app.patch('/title-rules/:id', {
    schema: { operationId: 'updateTitleRule', summary: 'Edit, switch on or off a rule set of your organisation', tags, params: idParams, body: updateTitleRuleBody, response: { 200: titleRuleRowSchema, ...errors } },
    handler: async (req) => updateTitleRule(app, requireStaff(req, ...KEEPERS), req.params.id, req.body),
  });

  app.post('/events/:id/proposals/generate', {
    schema: {
      operationId: 'generateProposals',
      summary: 'Apply the rules to an event’s released results: titles, recommendations and promotions to sign off',
      tags,
      params: idParams,
      response: { 200: generateResultSchema, ...errors },
    },
    handler: async (req) => generateProposals(app, req, req.params.id),
  });

  app.get('/proposals', {
    schema: { operationId: 'listProposals', summary: 'Proposals in your scope (filter by status or event)', tags, querystring: listProposalsQuery, response: { 200: z.array(proposalSchema), ...commonErrors } },
    handler: async (req) => listProposals(app, requireStaff(req), req.query),
  });

  app.post('/proposals/:id/sign', {
    schema: {
      operationId: 'signProposal',
      summary: 'Sign a proposal for your side (union or HR bureau); with both it is approved and takes effect',
      tags,
      params: idParams,
      response: { 200: proposalSchema, ...errors },
    },
    handler: async (req) => signProposal(app, requireStaff(req, ...KEEPERS), req.params.id),
  });

  app.post('/proposals/:id/reject', {
    schema: { operationId: 'rejectProposal', summary: 'Reject a proposal with the reason', tags, params: idParams, body: rejectBody, response: { 200: proposalSchema, ...errors } },
    handler: async (req) => rejectProposal(app, requireStaff(req, ...KEEPERS), req.params.id, req.body.reason),
  });
};

export default titlesRoutes;
