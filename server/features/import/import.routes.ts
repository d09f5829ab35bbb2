import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CERTIFICATE_IMPORT_COLUMNS } from '../certificates/certificates-import.contract.ts';
import { commonErrors, idParams, problemSchema } from '../../contracts/common.ts';
import { CSV_CONTENT_TYPE, IMPORT_COLUMNS, importProblem, importQuery, importReport, XLSX_CONTENT_TYPE } from '../../contracts/import.ts';
import { requireStaff } from '../../plugins/auth.plugin.ts';
import { importEntries } from './import.service.ts';
import { EXAMPLE_MARK, sendTemplate, templateXlsx, type TemplateColumn } from './templates.ts';
import { acceptSheetBodies, refuseInvalidImport, SHEET_BODY_LIMIT, uploadedSheet } from './sheet-upload.ts';

const tags = ['entries'];

/** Widths and text columns of the entrant template, by field. */
const ENTRANT_LAYOUT: Record<string, Omit<TemplateColumn, 'header' | 'required'>> = {
  name: { width: 14 },
  idNumber: { width: 22, text: true },
  phone: { width: 15, text: true },
  employer: { width: 30 },
  delegation: { width: 24 },
  occupationCode: { width: 13, text: true },
  occupationName: { width: 14 },
  skillLevel: { width: 12 },
};

/**
 * The example row of the entrant template: the ID number is the national standard's own example
 * (GB 11643, valid check digit), never a real person's.
 */
const ENTRANT_EXAMPLE: Record<string, string> = {
  name: `${EXAMPLE_MARK}张三`,
  idNumber: '11010519491231002X',
  phone: '13800000000',
  employer: '安徽华川精密制造有限公司',
  delegation: '桃花工业园代表队',
  occupationCode: '6-18-02-04',
  occupationName: '焊工',
  skillLevel: '中级工',
};

const CERTIFICATE_WIDTHS: Record<string, number> = { idNumber: 22, certificateNumber: 26, evaluationBody: 28, occupationName: 14, trade: 16 };
const CERTIFICATE_TEXT = new Set(['idNumber', 'occupationCode', 'certificateNumber', 'issueDate']);
const CERTIFICATE_EXAMPLE: Record<string, string> = {
  name: `${EXAMPLE_MARK}张三`,
  idNumber: '11010519491231002X',
  occupationCode: '6-18-02-04',
  occupationName: '焊工',
  trade: '',
  level: '中级工',
  theoryScore: '76',
  practicalScore: '81',
  certificateNumber: 'Y000034000045254000001',
  issueDate: '2025-06-28',
  evaluationBody: '肥西县职业技术学校',
  basis: '考核评价',
};
const MANAGERS = ['admin', 'organiser'] as const;

/**
 * Entrant import from a spreadsheet. The file is the raw request body; the parsers are
 * registered in this plugin only (it is encapsulated), so no other route accepts these types.
 */
const importRoutes: FastifyPluginAsyncZod = async (app) => {
  acceptSheetBodies(app);

  app.get('/import-templates/entrants', {
    schema: {
      operationId: 'entrantImportTemplate',
      summary: 'The entrant import template (.xlsx): the header row and an example row the import skips',
      tags,
      response: { 200: z.any().describe('the .xlsx file'), ...commonErrors },
    },
    handler: async (req, reply) => {
      requireStaff(req);
      const columns = IMPORT_COLUMNS.map((c) => ({ header: c.zh, required: c.required, ...ENTRANT_LAYOUT[c.field]! }));
      const body = await templateXlsx('参赛选手', columns, [IMPORT_COLUMNS.map((c) => ENTRANT_EXAMPLE[c.field] ?? '')]);
      return sendTemplate(reply, 'entrants-template.xlsx', '参赛选手导入模板.xlsx', body);
    },
  });

  app.get('/import-templates/certificates', {
    schema: {
      operationId: 'certificateImportTemplate',
      summary: 'The certified skill level import template (.xlsx, the provincial headers): header row and an example row the import skips',
      tags: ['certificates'],
      response: { 200: z.any().describe('the .xlsx file'), ...commonErrors },
    },
    handler: async (req, reply) => {
      requireStaff(req);
      const columns = CERTIFICATE_IMPORT_COLUMNS.map((c) => ({ header: c.zh, required: c.required, width: CERTIFICATE_WIDTHS[c.field] ?? 14, text: CERTIFICATE_TEXT.has(c.field) }));
      const body = await templateXlsx('职业技能等级', columns, [CERTIFICATE_IMPORT_COLUMNS.map((c) => CERTIFICATE_EXAMPLE[c.field] ?? '')]);
      return sendTemplate(reply, 'skill-levels-template.xlsx', '职业技能等级导入模板.xlsx', body);
    },
  });

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
