import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { commonErrors, idParams, problemSchema } from '../../contracts/common.ts';
import { CSV_CONTENT_TYPE, importProblem, importQuery, importReport, XLSX_CONTENT_TYPE } from '../../contracts/import.ts';
import { requireStaff } from '../../plugins/auth.plugin.ts';
import { importEntries } from './import.service.ts';
import { acceptSheetBodies, refuseInvalidImport, SHEET_BODY_LIMIT, uploadedSheet } from './sheet-upload.ts';

const tags = ['entries'];
const MANAGERS = ['admin', 'organiser'] as const;

/**
 * Entrant import from a spreadsheet. The file is the raw request body; the parsers are
 * registered in this plugin only (it is encapsulated), so no other route accepts these types.
 */
const importRoutes: FastifyPluginAsyncZod = async (app) => {
  acceptSheetBodies(app);

  app.post('/events/:id/entries/import', {
    bodyLimit: SHEET_BODY_LIMIT,
    // Refuse a caller before a 10 MB body is read.
    onRequest: async (req) => {
      requireStaff(req, ...MANAGERS);
    },
    schema: {
      operationId: 'importEntries',
      summary: 'Import entrants from an .xlsx or CSV file (columns 姓名, 身份证号, 手机号, 工作单位, 代表队, 职业编码, 职业名称, 技能等级)',
      description:
        'The body is the file itself (`' +
        XLSX_CONTENT_TYPE +
        '` or `text/csv`, UTF-8 with or without BOM, or GB18030). Headers are matched by name in Chinese or English; ' +
        'blank rows are skipped. Organisations are named, and looked up in the competition owner\u2019s subtree. Every row is ' +
        'checked like the bulk registration; with `dryRun=true` nothing is stored and the report says what an import would do. ' +
        'Without it, a file with any bad row stores nothing and is answered 400 with the report.',
      tags,
      params: idParams,
      querystring: importQuery,
      consumes: [XLSX_CONTENT_TYPE, CSV_CONTENT_TYPE],
      response: { 200: importReport, ...commonErrors, 400: importProblem, 409: problemSchema, 413: problemSchema, 415: problemSchema },
    },
    handler: async (req, reply) => {
      const actor = requireStaff(req, ...MANAGERS);
      const report = await importEntries(app, actor, req.params.id, uploadedSheet(req), req.query.dryRun);
      return refuseInvalidImport(reply, report) ?? report;
    },
  });
};

export default importRoutes;
