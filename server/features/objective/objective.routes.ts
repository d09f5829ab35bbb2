import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, idParams, problemSchema } from '../../contracts/common.ts';
import { CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE } from '../../contracts/import.ts';
import {
  objectiveDisputeSchema,
  objectiveDisputesQuery,
  objectiveGridQuery,
  objectiveGridSchema,
  objectiveHistoryQuery,
  objectiveHistorySchema,
  objectiveImportProblem,
  objectiveImportQuery,
  objectiveImportReport,
  objectiveSettingsBody,
  objectiveSettingsSchema,
  settleObjectiveBody,
  writeObjectiveBody,
  writeObjectiveResponse,
} from '../../contracts/objective.ts';
import { unauthorized } from '../../errors.ts';
import { acceptSheetBodies, refuseInvalidImport, SHEET_BODY_LIMIT, uploadedSheet } from '../import/sheet-upload.ts';
import { sendTemplate, templateXlsx } from '../import/templates.ts';
import { importObjectiveValues } from './objective-import.service.ts';
import {
  objectiveAccess,
  objectiveDisputes,
  objectiveGrid,
  objectiveHistory,
  setObjectiveSettings,
  settleObjectiveDispute,
  writeObjectiveValues,
} from './objective.service.ts';

const tags = ['objective values'];
const errors = { ...commonErrors, 409: problemSchema };

/**
 * Objective values (theory exam scores, completion times, measured results) per drawn number:
 * the grid, batch writes, each cell's history, the exam system's file import and double entry.
 * Encapsulated: the spreadsheet body parsers apply to the import route of this plugin only.
 */
const objectiveRoutes: FastifyPluginAsyncZod = async (app) => {
  acceptSheetBodies(app);

  app.get('/events/:id/objective-grid', {
    schema: {
      operationId: 'getObjectiveGrid',
      summary: 'The per-number grid of a round: each objective part’s value, the completion time, missing cells, row totals',
      description:
        'Organisers, admins, HR officers and viewers in scope; the event’s chief judge, scorers and supervisor. Names only for organisers and admins. ' +
        'A scorer entering blind (double entry) sees only their own entries.',
      tags,
      params: idParams,
      querystring: objectiveGridQuery,
      response: { 200: objectiveGridSchema, ...commonErrors },
    },
    handler: async (req) => objectiveGrid(app, req, req.params.id, req.query.roundId),
  });

  app.get('/events/:id/objective-template', {
    schema: {
      operationId: 'objectiveImportTemplate',
      summary: 'The .xlsx to fill for an objective import: 检录号 and the round’s objective columns, one row per contestant still in',
      tags,
      params: idParams,
      querystring: objectiveGridQuery,
      response: { 200: z.any().describe('the .xlsx file'), ...commonErrors },
    },
    handler: async (req, reply) => {
      const grid = objectiveGrid(app, req, req.params.id, req.query.roundId);
      const columns = [
        { header: '检录号', width: 10, required: true },
        ...grid.columns.map((c) => ({ header: c.kind === 'part' ? c.name : '用时', width: Math.max(12, (c.kind === 'part' ? c.name : '用时').length * 2 + 4) })),
      ];
      const rows = grid.rows.filter((r) => r.status !== 'absent' && r.status !== 'disqualified').map((r) => [r.number, ...grid.columns.map(() => null)]);
      return sendTemplate(reply, 'objective-template.xlsx', '客观成绩导入模板.xlsx', await templateXlsx('客观成绩', columns, rows));
    },
  });

  app.post('/events/:id/objective-values', {
    schema: {
      operationId: 'writeObjectiveValues',
      summary: 'Write one or many cells of the grid (all or nothing); retries with the same idempotency keys store nothing twice',
      description:
        'The chief judge, scorers, organisers and admins in scope; never a judge who marks (403 objective_entry_not_allowed). ' +
        'Changing a value already entered needs a reason. With double entry on, a scorer’s value is a blind entry: agreeing entries are stored, differing ones wait for the chief judge.',
      tags,
      params: idParams,
      body: writeObjectiveBody,
      response: { 200: writeObjectiveResponse, ...errors },
    },
    handler: async (req) => writeObjectiveValues(app, req, req.params.id, req.body),
  });

  app.get('/events/:id/objective-values/history', {
    schema: {
      operationId: 'getObjectiveValueHistory',
      summary: 'Every version of one cell (who, when, how, why), oldest first, with its blind entries',
      tags,
      params: idParams,
      querystring: objectiveHistoryQuery,
      response: { 200: objectiveHistorySchema, ...commonErrors },
    },
    handler: async (req) => objectiveHistory(app, req, req.params.id, req.query),
  });

  app.post('/events/:id/objective-values/import', {
    bodyLimit: SHEET_BODY_LIMIT,
    // Refuse a caller before a 10 MB body is read.
    onRequest: async (req) => {
      if (!req.actor) throw unauthorized();
      objectiveAccess(app, req, Number((req.params as unknown as { id: string }).id), 'manage');
    },
    schema: {
      operationId: 'importObjectiveValues',
      summary: 'Import the exam system’s results (.xlsx or CSV) by drawn number (检录号) or ID number (身份证号), with a dry run',
      description:
        'The body is the file itself (`' +
        XLSX_CONTENT_TYPE +
        '` or `text/csv`). Headers are matched by name: 检录号 or 身份证号, and a column per objective part (its name, or 成绩/分数 when there is one) and 用时 (seconds or 12:34). ' +
        'With `dryRun=true` nothing is stored and the report says row by row what an import would do. Without it, a file with any bad row stores nothing and is answered 400 with the report; ' +
        'a file changing values already entered needs `reason`. The chief judge, organisers and admins in scope.',
      tags,
      params: idParams,
      querystring: objectiveImportQuery,
      consumes: [XLSX_CONTENT_TYPE, CSV_CONTENT_TYPE],
      response: { 200: objectiveImportReport, ...commonErrors, 400: objectiveImportProblem, 409: problemSchema, 413: problemSchema, 415: problemSchema },
    },
    handler: async (req, reply) => {
      const report = await importObjectiveValues(app, req, req.params.id, uploadedSheet(req), req.query);
      return refuseInvalidImport(reply, report) ?? report;
    },
  });

  app.get('/events/:id/objective-disputes', {
    schema: {
      operationId: 'listObjectiveDisputes',
      summary: 'Blind double entries that disagree, side by side (not for scorers)',
      tags,
      params: idParams,
      querystring: objectiveDisputesQuery,
      response: { 200: z.array(objectiveDisputeSchema), ...commonErrors },
    },
    handler: async (req) => objectiveDisputes(app, req, req.params.id, req.query),
  });

  app.post('/events/:id/objective-disputes/settle', {
    schema: {
      operationId: 'settleObjectiveDispute',
      summary: 'The chief judge settles two differing blind entries: the chosen value is stored with the note',
      tags,
      params: idParams,
      body: settleObjectiveBody,
      response: { 200: objectiveDisputeSchema, ...errors },
    },
    handler: async (req) => settleObjectiveDispute(app, req, req.params.id, req.body),
  });

  app.put('/events/:id/objective-settings', {
    schema: {
      operationId: 'setObjectiveSettings',
      summary: 'Turn double entry by scorers on or off (the chief judge, organisers, admins)',
      tags,
      params: idParams,
      body: objectiveSettingsBody,
      response: { 200: objectiveSettingsSchema, ...commonErrors },
    },
    handler: async (req) => setObjectiveSettings(app, req, req.params.id, req.body),
  });
};

export default objectiveRoutes;
