import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, idParams, problemSchema } from '../../contracts/common.ts';
import {
  paperDisagreementSchema,
  paperDisagreementsQuery,
  paperEntryBody,
  paperEntryResponse,
  paperPanelQuery,
  paperPanelSchema,
  paperSheetSchema,
  paperSheetsQuery,
  settleDisagreementBody,
} from '../../contracts/paper.ts';
import { requireJudge } from '../../plugins/auth.plugin.ts';
import { markingSheetsQuery, markingSheetsSchema, openedPaperSheetSchema, openPaperSheetQuery } from '../../contracts/marking-sheets.ts';
import { markingSheets, openPaperSheet } from './marking-sheets.service.ts';
import { listDisagreements, listScorerSheets, paperPanel, settleDisagreement, submitPaperEntry } from './paper.service.ts';

const tags = ['paper sheets'];
const errors = { ...commonErrors, 409: problemSchema };

/** Paper sheets entered twice by scorers (记分员双录入), and the chief judge's rulings on disagreements. */
const paperRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/paper/panel', {
    schema: {
      operationId: 'getPaperPanel',
      summary: 'The signed-in scorer’s event, scheme, rounds and the judges whose sheets they enter',
      tags,
      querystring: paperPanelQuery,
      response: { 200: paperPanelSchema, ...commonErrors },
    },
    handler: async (req) => paperPanel(app, requireJudge(req, 'scorer'), req.query.eventId),
  });

  app.post('/paper-entries', {
    schema: {
      operationId: 'enterPaperSheet',
      summary: 'A scorer enters a judge’s signed paper sheet (blind double entry; agreeing entries become the judge’s marks)',
      description:
        'Checked like marks. The answer shows the scorer’s own values and whether each criterion waits for the second entry, matched or is in dispute — never the other scorer’s values.',
      tags,
      body: paperEntryBody,
      response: { 200: paperEntryResponse, ...errors },
    },
    handler: async (req) => submitPaperEntry(app, requireJudge(req, 'scorer'), req.body),
  });

  app.get('/paper/sheets', {
    schema: {
      operationId: 'listOwnPaperSheets',
      summary: 'The sheets the signed-in scorer has entered, with their own values and each sheet’s state',
      tags,
      querystring: paperSheetsQuery,
      response: { 200: z.array(paperSheetSchema), ...commonErrors },
    },
    handler: async (req) => listScorerSheets(app, requireJudge(req, 'scorer'), req.query),
  });

  app.get('/paper/sheet', {
    schema: {
      operationId: 'openPaperSheet',
      summary: 'A scorer opens one judge’s sheet for one drawn number (typed in, or from the printed sheet’s QR code)',
      description:
        'Every parameter is checked (the scorer’s event, the round, the judge on the task’s panel, the number in the round, recusal), each refusal naming its field. Answers the criteria to type in and the scorer’s own entry so far, never the other scorer’s values.',
      tags,
      querystring: openPaperSheetQuery,
      response: { 200: openedPaperSheetSchema, ...errors },
    },
    handler: async (req) => openPaperSheet(app, requireJudge(req, 'scorer'), req.query),
  });

  app.get('/events/:id/marking-sheets', {
    schema: {
      operationId: 'getMarkingSheets',
      summary: 'The printable marking sheets of a round: one per task, judge on its panel and drawn number (recused pairs left out); numbers only',
      tags,
      params: idParams,
      querystring: markingSheetsQuery,
      response: { 200: markingSheetsSchema, ...errors },
    },
    handler: async (req) => markingSheets(app, req, req.params.id, req.query),
  });

  app.get('/events/:id/paper-disagreements', {
    schema: {
      operationId: 'listPaperDisagreements',
      summary: 'Paper entries that disagree, side by side (chief judge, supervisor, admin or organiser in scope)',
      tags,
      params: idParams,
      querystring: paperDisagreementsQuery,
      response: { 200: z.array(paperDisagreementSchema), ...commonErrors },
    },
    handler: async (req) => listDisagreements(app, req, req.params.id, req.query),
  });

  app.post('/paper-disagreements/settle', {
    schema: {
      operationId: 'settlePaperDisagreement',
      summary: 'The chief judge settles two disagreeing paper entries: the chosen value is stored as the judge’s mark',
      tags,
      body: settleDisagreementBody,
      response: { 200: paperDisagreementSchema, ...errors },
    },
    handler: async (req) => settleDisagreement(app, requireJudge(req, 'chief'), req.body),
  });
};

export default paperRoutes;
