import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, idParams, problemSchema } from '../../contracts/common.ts';
import {
  candidateSchema,
  craftsmanTitleSchema,
  createSelectionBody,
  decideObjectionBody,
  importResultSchema,
  listSelectionsQuery,
  namingResultSchema,
  nominateBody,
  objectionBody,
  objectionSchema,
  paymentBody,
  paymentSchema,
  proposedListBody,
  publicObjectionReceiptSchema,
  publicSelectionSchema,
  revokeBody,
  rewardsSchema,
  selectionPresetSchema,
  selectionSchema,
  updateCandidateBody,
  updateSelectionBody,
  withdrawBody,
} from '../../contracts/selections.ts';
import { requireStaff } from '../../plugins/auth.plugin.ts';
import {
  closeSelection,
  createSelection,
  decideObjection,
  getSelection,
  importRecommendations,
  listCandidates,
  listObjections,
  listSelectionPresets,
  listSelections,
  lodgeObjection,
  nameSelection,
  nominate,
  openNominations,
  publicSelection,
  recheckEligibility,
  recordPayment,
  revokeTitle,
  rewards,
  setProposedList,
  startPublicity,
  startReview,
  updateCandidate,
  updateSelection,
  withdrawCandidate,
} from './selections.service.ts';

const tags = ['craftsman selection'];
const errors = { ...commonErrors, 409: problemSchema };
/** Who reads selections (studio officers do not). */
const READERS = ['admin', 'organiser', 'hr_officer', 'viewer'] as const;
/** The owning union's staff who run it. */
const MANAGERS = ['admin', 'organiser'] as const;
/** Who nominates: the union's staff and the co-organising HR bureau's officers. */
const NOMINATORS = ['admin', 'organiser', 'hr_officer'] as const;

const selectionsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/selections/presets', {
    schema: { operationId: 'listSelectionPresets', summary: 'Selection presets: 合肥工匠, 安徽工匠, 鄂尔多斯工匠 (title, quota, rules, rewards)', tags, response: { 200: z.array(selectionPresetSchema), ...commonErrors } },
    handler: async (req) => {
      requireStaff(req, ...READERS);
      return listSelectionPresets();
    },
  });

  app.get('/selections', {
    schema: { operationId: 'listSelections', summary: 'Craftsman selections (工匠评选) run in your subtree or co-organised by your body', tags, querystring: listSelectionsQuery, response: { 200: z.array(selectionSchema), ...commonErrors } },
    handler: async (req) => listSelections(app, requireStaff(req, ...READERS), req.query),
  });

  app.post('/selections', {
    schema: { operationId: 'createSelection', summary: 'Create a selection, from a preset or with its own title, quota, rules, timetable and rewards', tags, body: createSelectionBody, response: { 201: selectionSchema, ...errors } },
    handler: async (req, reply) => reply.status(201).send(createSelection(app, requireStaff(req, ...MANAGERS), req.body)),
  });

  app.get('/selections/:id', {
    schema: { operationId: 'getSelection', summary: 'A selection with its settings, timetable and candidates by status', tags, params: idParams, response: { 200: selectionSchema, ...commonErrors } },
    handler: async (req) => getSelection(app, requireStaff(req, ...READERS), req.params.id),
  });

  app.patch('/selections/:id', {
    schema: { operationId: 'updateSelection', summary: 'Change the settings until nominations close; changed rules are applied again to every open candidate', tags, params: idParams, body: updateSelectionBody, response: { 200: selectionSchema, ...errors } },
    handler: async (req) => updateSelection(app, requireStaff(req, ...MANAGERS), req.params.id, req.body),
  });

  app.post('/selections/:id/open-nominations', {
    schema: { operationId: 'openSelectionNominations', summary: 'Open nominations (accepted between the timetable’s open and close dates)', tags, params: idParams, response: { 200: selectionSchema, ...errors } },
    handler: async (req) => openNominations(app, requireStaff(req, ...MANAGERS), req.params.id),
  });

  app.get('/selections/:id/candidates', {
    schema: { operationId: 'listSelectionCandidates', summary: 'Candidates with their forms, eligibility and the reasons, ranks; ID numbers masked unless you edit people', tags, params: idParams, response: { 200: z.array(candidateSchema), ...commonErrors } },
    handler: async (req) => listCandidates(app, requireStaff(req, ...READERS), req.params.id),
  });

  app.post('/selections/:id/candidates', {
    schema: {
      operationId: 'nominateSelectionCandidate',
      summary: 'Nominate: by a unit with its form, a self-nomination recorded by staff, or a lower union’s title forwarded; checked against the rules at once',
      tags,
      params: idParams,
      body: nominateBody,
      response: { 201: candidateSchema, ...errors },
    },
    handler: async (req, reply) => reply.status(201).send(nominate(app, requireStaff(req, ...NOMINATORS), req.params.id, req.body)),
  });

  app.post('/selections/:id/import-recommendations', {
    schema: {
      operationId: 'importSelectionRecommendations',
      summary: 'Turn approved recommendations for this title from released competitions into candidates (again: only new ones)',
      tags,
      params: idParams,
      response: { 200: importResultSchema, ...errors },
    },
    handler: async (req) => importRecommendations(app, requireStaff(req, ...MANAGERS), req.params.id),
  });

  app.post('/selections/:id/check-eligibility', {
    schema: { operationId: 'checkSelectionEligibility', summary: 'Check every open candidate against the rules again, as of today', tags, params: idParams, response: { 200: z.array(candidateSchema), ...errors } },
    handler: async (req) => recheckEligibility(app, requireStaff(req, ...MANAGERS), req.params.id),
  });

  app.patch('/selection-candidates/:id', {
    schema: { operationId: 'updateSelectionCandidate', summary: 'Complete or correct a nomination form while nominations are open; the rules are applied again', tags, params: idParams, body: updateCandidateBody, response: { 200: candidateSchema, ...errors } },
    handler: async (req) => updateCandidate(app, requireStaff(req, ...NOMINATORS), req.params.id, req.body.form),
  });

  app.post('/selection-candidates/:id/withdraw', {
    schema: { operationId: 'withdrawSelectionCandidate', summary: 'Withdraw a candidate with the reason', tags, params: idParams, body: withdrawBody, response: { 200: candidateSchema, ...errors } },
    handler: async (req) => withdrawCandidate(app, requireStaff(req, ...MANAGERS), req.params.id, req.body.reason),
  });

  app.post('/selections/:id/start-review', {
    schema: { operationId: 'startSelectionReview', summary: 'Close nominations and start the review', tags, params: idParams, response: { 200: selectionSchema, ...errors } },
    handler: async (req) => startReview(app, requireStaff(req, ...MANAGERS), req.params.id),
  });

  app.put('/selections/:id/proposed-list', {
    schema: {
      operationId: 'setSelectionProposedList',
      summary: 'The ranked proposed list with review scores (by hand until the review engine fills it); titles within the quota',
      tags,
      params: idParams,
      body: proposedListBody,
      response: { 200: z.array(candidateSchema), ...errors },
    },
    handler: async (req) => setProposedList(app, requireStaff(req, ...MANAGERS), req.params.id, req.body.items),
  });

  app.post('/selections/:id/start-publicity', {
    schema: { operationId: 'startSelectionPublicity', summary: 'Put the proposed list up for the publicity period (公示期), its end counted in working days', tags, params: idParams, response: { 200: selectionSchema, ...errors } },
    handler: async (req) => startPublicity(app, requireStaff(req, ...MANAGERS), req.params.id),
  });

  app.get('/selections/:id/objections', {
    schema: { operationId: 'listSelectionObjections', summary: 'Objections (异议) lodged during the publicity period, with their decisions', tags, params: idParams, response: { 200: z.array(objectionSchema), ...commonErrors } },
    handler: async (req) => listObjections(app, requireStaff(req, ...READERS), req.params.id),
  });

  app.post('/selections/:id/objections', {
    schema: { operationId: 'recordSelectionObjection', summary: 'Record an objection received by letter or phone during the publicity period', tags, params: idParams, body: objectionBody, response: { 201: objectionSchema, ...errors } },
    handler: async (req, reply) => reply.status(201).send(lodgeObjection(app, requireStaff(req, ...MANAGERS), req.params.id, req.body)),
  });

  app.post('/selection-objections/:id/decision', {
    schema: { operationId: 'decideSelectionObjection', summary: 'Decide an objection: upheld takes the candidate off the list, dismissed leaves it', tags, params: idParams, body: decideObjectionBody, response: { 200: objectionSchema, ...errors } },
    handler: async (req) => decideObjection(app, requireStaff(req, ...MANAGERS), req.params.id, req.body),
  });

  app.post('/selections/:id/name', {
    schema: {
      operationId: 'nameSelection',
      summary: 'Name the list after the publicity period with every objection decided: titles conferred with certificate numbers, never twice',
      tags,
      params: idParams,
      response: { 200: namingResultSchema, ...errors },
    },
    handler: async (req) => nameSelection(app, requireStaff(req, ...MANAGERS), req.params.id),
  });

  app.post('/selections/:id/close', {
    schema: { operationId: 'closeSelection', summary: 'Close a named selection (payments may still be recorded)', tags, params: idParams, response: { 200: selectionSchema, ...errors } },
    handler: async (req) => closeSelection(app, requireStaff(req, ...MANAGERS), req.params.id),
  });

  app.post('/craftsman-titles/:id/revoke', {
    schema: { operationId: 'revokeCraftsmanTitle', summary: 'Revoke a title a selection conferred, with the reason (it is not conferred again)', tags, params: idParams, body: revokeBody, response: { 200: craftsmanTitleSchema, ...errors } },
    handler: async (req) => revokeTitle(app, requireStaff(req, ...MANAGERS), req.params.id, req.body.reason),
  });

  app.get('/selections/:id/rewards', {
    schema: { operationId: 'getSelectionRewards', summary: 'Reward money: due, paid and outstanding per recipient, per selection and per budget year', tags, params: idParams, response: { 200: rewardsSchema, ...commonErrors } },
    handler: async (req) => rewards(app, requireStaff(req, ...READERS), req.params.id),
  });

  app.post('/selections/:id/reward-payments', {
    schema: { operationId: 'recordSelectionRewardPayment', summary: 'Record a reward payment with its voucher; more than is due is refused', tags, params: idParams, body: paymentBody, response: { 201: paymentSchema, ...errors } },
    handler: async (req, reply) => reply.status(201).send(recordPayment(app, requireStaff(req, ...MANAGERS), req.params.id, req.body)),
  });

  app.get('/public/selections/:id', {
    schema: {
      operationId: 'getPublicSelection',
      summary: 'The publicity list or the named list of a selection: names, employers, occupations; no ID numbers; no sign-in',
      tags,
      security: [],
      params: idParams,
      response: { 200: publicSelectionSchema, 400: problemSchema, 404: problemSchema },
    },
    handler: async (req) => publicSelection(app, req.params.id),
  });

  app.post('/public/selections/:id/objections', {
    schema: {
      operationId: 'lodgePublicSelectionObjection',
      summary: 'Lodge an objection (异议) against a candidate on the publicity list; no sign-in',
      tags,
      security: [],
      params: idParams,
      body: objectionBody,
      response: { 201: publicObjectionReceiptSchema, 400: problemSchema, 404: problemSchema, 409: problemSchema },
    },
    handler: async (req, reply) => {
      const lodged = lodgeObjection(app, null, req.params.id, req.body);
      return reply.status(201).send({ id: lodged.id, lodgedAt: lodged.lodgedAt });
    },
  });
};

export default selectionsRoutes;
