import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, idParams, problemSchema } from '../../../contracts/common.ts';
import { indicatorSheetSchema } from '../../../contracts/studios.ts';
import { requireStaff } from '../../../plugins/auth.plugin.ts';
import { EVALUATION_MANAGERS } from '../scope.ts';
import {
  addApplicantBody,
  addReviewerBody,
  closeEvaluationBody,
  createEvaluationBody,
  evaluationDetailSchema,
  evaluationSummarySchema,
  indicatorSheetListSchema,
  indicatorSheetRecordSchema,
  mySheetSchema,
  scoreSheetBody,
  studioSubParams,
  updateEvaluationBody,
} from '../studios.contracts.ts';
import {
  addApplicant,
  addReviewer,
  closeEvaluation,
  createEvaluation,
  createSheet,
  getEvaluation,
  listEvaluations,
  listSheets,
  mySheet,
  removeApplicant,
  removeReviewer,
  submitScores,
  updateEvaluation,
  updateSheet,
} from './evaluations.service.ts';

const tags = ['studio-evaluations'];
const withConflict = { ...commonErrors, 409: problemSchema };

const evaluationsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/studio-indicator-sheets', {
    schema: {
      operationId: 'listIndicatorSheets',
      summary: 'The preset indicator sheet and the sheets the bodies in your scope keep',
      tags,
      response: { 200: indicatorSheetListSchema, ...commonErrors },
    },
    handler: async (req) => listSheets(app.db, requireStaff(req)),
  });

  app.post('/studio-indicator-sheets', {
    schema: {
      operationId: 'createIndicatorSheet',
      summary: "Set up your body's own indicator sheet (items, maximum points, guidance)",
      tags,
      body: indicatorSheetSchema,
      response: { 201: indicatorSheetRecordSchema, ...commonErrors },
    },
    handler: async (req, reply) => reply.status(201).send(createSheet(app.db, requireStaff(req, ...EVALUATION_MANAGERS), req.body)),
  });

  app.put('/studio-indicator-sheets/:id', {
    schema: {
      operationId: 'updateIndicatorSheet',
      summary: "Change your body's indicator sheet (rounds already created keep their copy)",
      tags,
      params: idParams,
      body: indicatorSheetSchema,
      response: { 200: indicatorSheetRecordSchema, ...commonErrors },
    },
    handler: async (req) => updateSheet(app.db, requireStaff(req, ...EVALUATION_MANAGERS), req.params.id, req.body),
  });

  app.get('/studio-evaluations', {
    schema: {
      operationId: 'listStudioEvaluations',
      summary: 'Joint evaluation rounds in your scope',
      tags,
      response: { 200: z.array(evaluationSummarySchema), ...commonErrors },
    },
    handler: async (req) => listEvaluations(app.db, requireStaff(req)),
  });

  app.post('/studio-evaluations', {
    schema: {
      operationId: 'createStudioEvaluation',
      summary: 'Open a joint evaluation round: indicator sheet, body weights and recognition threshold',
      tags,
      body: createEvaluationBody,
      response: { 201: evaluationDetailSchema, ...commonErrors },
    },
    handler: async (req, reply) => reply.status(201).send(createEvaluation(app.db, requireStaff(req, ...EVALUATION_MANAGERS), req.body)),
  });

  app.get('/studio-evaluations/:id', {
    schema: {
      operationId: 'getStudioEvaluation',
      summary: 'A round with its panel and the ranked list of applicants (combined scores)',
      tags,
      params: idParams,
      response: { 200: evaluationDetailSchema, ...commonErrors },
    },
    handler: async (req) => getEvaluation(app.db, requireStaff(req), req.params.id),
  });

  app.patch('/studio-evaluations/:id', {
    schema: {
      operationId: 'updateStudioEvaluation',
      summary: 'Change the weights, threshold or aggregation of an open round',
      tags,
      params: idParams,
      body: updateEvaluationBody,
      response: { 200: evaluationDetailSchema, ...withConflict },
    },
    handler: async (req) => updateEvaluation(app.db, requireStaff(req, ...EVALUATION_MANAGERS), req.params.id, req.body),
  });

  app.post('/studio-evaluations/:id/applicants', {
    schema: {
      operationId: 'addEvaluationApplicant',
      summary: 'Put an applying studio into the round (it enters evaluation)',
      tags,
      params: idParams,
      body: addApplicantBody,
      response: { 200: evaluationDetailSchema, ...withConflict },
    },
    handler: async (req) => addApplicant(app.db, requireStaff(req, ...EVALUATION_MANAGERS), req.params.id, req.body),
  });

  app.delete('/studio-evaluations/:id/applicants/:itemId', {
    schema: {
      operationId: 'removeEvaluationApplicant',
      summary: 'Take an unscored applicant out of the round',
      tags,
      params: studioSubParams,
      response: { 200: evaluationDetailSchema, ...withConflict },
    },
    handler: async (req) => removeApplicant(app.db, requireStaff(req, ...EVALUATION_MANAGERS), req.params.id, req.params.itemId),
  });

  app.post('/studio-evaluations/:id/reviewers', {
    schema: {
      operationId: 'addEvaluationReviewer',
      summary: 'Put a staff account on the panel for the union or the HR bureau, with their employer',
      tags,
      params: idParams,
      body: addReviewerBody,
      response: { 200: evaluationDetailSchema, ...withConflict },
    },
    handler: async (req) => addReviewer(app.db, requireStaff(req, ...EVALUATION_MANAGERS), req.params.id, req.body),
  });

  app.delete('/studio-evaluations/:id/reviewers/:itemId', {
    schema: {
      operationId: 'removeEvaluationReviewer',
      summary: 'Take a reviewer who has not scored yet off the panel',
      tags,
      params: studioSubParams,
      response: { 200: evaluationDetailSchema, ...withConflict },
    },
    handler: async (req) => removeReviewer(app.db, requireStaff(req, ...EVALUATION_MANAGERS), req.params.id, req.params.itemId),
  });

  app.get('/studio-evaluations/:id/my-sheet', {
    schema: {
      operationId: 'getMyEvaluationSheet',
      summary: "The signed-in reviewer's scoring sheet (applicants, conflicts, points so far)",
      tags,
      params: idParams,
      response: { 200: mySheetSchema, ...commonErrors },
    },
    handler: async (req) => mySheet(app.db, requireStaff(req), req.params.id),
  });

  app.put('/studio-evaluations/:id/scores', {
    schema: {
      operationId: 'submitEvaluationScores',
      summary: "Store the signed-in reviewer's points for one applicant",
      description: 'A reviewer never scores a studio of their own employer: 403 reviewer_conflict.',
      tags,
      params: idParams,
      body: scoreSheetBody,
      response: { 200: mySheetSchema, ...withConflict },
    },
    handler: async (req) => submitScores(app.db, requireStaff(req), req.params.id, req.body),
  });

  app.post('/studio-evaluations/:id/close', {
    schema: {
      operationId: 'closeStudioEvaluation',
      summary: 'Close the round; optionally recognise every applicant at or above the threshold',
      tags,
      params: idParams,
      body: closeEvaluationBody,
      response: { 200: evaluationDetailSchema, ...withConflict },
    },
    handler: async (req) => closeEvaluation(app.db, requireStaff(req, ...EVALUATION_MANAGERS), req.params.id, req.body),
  });
};

export default evaluationsRoutes;
