import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { commonErrors, idParams, problemSchema } from '../../contracts/common.ts';
import { CSV_CONTENT_TYPE, importProblem, importQuery, importReport, XLSX_CONTENT_TYPE } from '../../contracts/import.ts';
import { AppError } from '../../errors.ts';
import { requireStaff } from '../../plugins/auth.plugin.ts';
import { importEntries } from './import.service.ts';
import { baseContentType } from './sheet-reader.ts';

const tags = ['entries'];
const MANAGERS = ['admin', 'organiser'] as const;
/** A registration sheet of 2,000 rows is well under 1 MB; 10 MB leaves room for formatting. */
const BODY_LIMIT = 10 * 1024 * 1024;

/**
 * Entrant import from a spreadsheet. The file is the raw request body; the parsers are
 * registered in this plugin only (it is encapsulated), so no other route accepts these types.
 */
const importRoutes: FastifyPluginAsyncZod = async (app) => {
  for (const type of [XLSX_CONTENT_TYPE, CSV_CONTENT_TYPE]) {
    if (app.hasContentTypeParser(type)) app.removeContentTypeParser(type);
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));
  }

  app.post('/events/:id/entries/import', {
    bodyLimit: BODY_LIMIT,
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
      const contentType = baseContentType(req.headers['content-type']);
      if (!Buffer.isBuffer(req.body) || (contentType !== XLSX_CONTENT_TYPE && contentType !== CSV_CONTENT_TYPE))
        throw new AppError(415, 'unsupported_media_type', `Send the file as ${XLSX_CONTENT_TYPE} (.xlsx) or text/csv`);
      const report = await importEntries(app, actor, req.params.id, { contentType, body: req.body }, req.query.dryRun);
      if (!report.dryRun && !report.stored) {
        const bad = new Set(report.errors.map((e) => e.row)).size;
        return reply
          .status(400)
          .type('application/problem+json')
          .send({
            type: 'https://errors.skills.example/import_invalid',
            title: 'Bad Request',
            status: 400,
            code: 'import_invalid',
            detail: `${bad} of ${report.total} rows are invalid; nothing was imported`,
            errors: report.errors.map((e) => ({ field: `rows.${e.row}.${e.field}`, message: e.message })),
            report,
          });
      }
      return report;
    },
  });
};

export default importRoutes;
