import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, idParams, problemSchema } from '../../contracts/common.ts';
import { XLSX_CONTENT_TYPE } from '../../contracts/import.ts';
import { resultsWorkbookQuery, schemeImportProblem, schemeImportQuery, schemeImportReportSchema, schemeWorkbookQuery } from '../../contracts/spreadsheets.ts';
import { requireStaff } from '../../plugins/auth.plugin.ts';
import { schemeForRound } from '../events/round-scheme.ts';
import { acceptSheetBodies, SHEET_BODY_LIMIT, uploadedSheet } from '../import/sheet-upload.ts';
import { sendTemplate } from '../import/templates.ts';
import { resultsWorkbook } from './results-workbook.ts';
import { publicCompetitionResultsSheets, publicEventResultsSheet, staffCompetitionResultsSheets, staffEventResultsSheet } from './results.service.ts';
import { importSchemeWorkbook, schemeTarget } from './scheme-import.service.ts';
import { schemeWorkbook } from './scheme-workbook.ts';

const xlsxFile = z.any().describe('the .xlsx file');
const MANAGERS = ['admin', 'organiser'] as const;

/** A file name without the characters Windows and macOS refuse. */
const fileSafe = (text: string) => text.replace(/[/\\:*?"<>|\r\n]+/g, '_').trim();

/**
 * The spreadsheets people already use (server/features/spreadsheets): results per event in the
 * published layout (public after release, staff before), and the marking scheme as a workbook,
 * exported and imported with a dry run. Encapsulated: the .xlsx body parser applies to the
 * scheme import of this plugin only.
 */
const spreadsheetsRoutes: FastifyPluginAsyncZod = async (app) => {
  acceptSheetBodies(app);

  app.get('/public/events/:id/results.xlsx', {
    schema: {
      operationId: 'downloadPublishedEventResults',
      summary: 'An event’s released results as .xlsx in the published layout (rank, drawn number, name, masked ID number, delegation, part scores, total, prize); no sign-in',
      description: '404 until the event’s results are released. The rows are those of GET /api/public/competitions/:id/results.',
      tags: ['public results'],
      security: [],
      params: idParams,
      produces: [XLSX_CONTENT_TYPE],
      response: { 200: xlsxFile, 404: problemSchema },
    },
    handler: async (req, reply) => {
      const sheet = publicEventResultsSheet(app, req.params.id);
      const body = await resultsWorkbook([sheet], app.clock.now());
      return sendTemplate(reply, `results-event-${req.params.id}.xlsx`, `${fileSafe(`${sheet.competition.name}-${sheet.eventName}`)}-成绩.xlsx`, body);
    },
  });

  app.get('/public/competitions/:id/results.xlsx', {
    schema: {
      operationId: 'downloadPublishedResults',
      summary: 'A competition’s released results as one .xlsx, a sheet per released event, in the published layout; no sign-in',
      description: '404 while no event of the competition has released results.',
      tags: ['public results'],
      security: [],
      params: idParams,
      produces: [XLSX_CONTENT_TYPE],
      response: { 200: xlsxFile, 404: problemSchema },
    },
    handler: async (req, reply) => {
      const { name, sheets } = publicCompetitionResultsSheets(app, req.params.id);
      const body = await resultsWorkbook(sheets, app.clock.now());
      return sendTemplate(reply, `results-competition-${req.params.id}.xlsx`, `${fileSafe(name)}-成绩.xlsx`, body);
    },
  });

  app.get('/events/:id/results.xlsx', {
    schema: {
      operationId: 'downloadEventResults',
      summary: 'An event’s results as .xlsx for staff, before release too (marked 未发布 · 内部核对用); any round',
      description:
        'The layout of the published file. Names and masked ID numbers before release only for those who hold the number ↔ person mapping (organisers, admins, the encryption officer); ' +
        'the others get drawn numbers and scores, as the staff ranking shows them.',
      tags: ['rankings'],
      params: idParams,
      querystring: resultsWorkbookQuery,
      produces: [XLSX_CONTENT_TYPE],
      response: { 200: xlsxFile, ...commonErrors },
    },
    handler: async (req, reply) => {
      const sheet = staffEventResultsSheet(app, req, req.params.id, req.query.roundId);
      const body = await resultsWorkbook([sheet], app.clock.now());
      return sendTemplate(reply, `results-event-${req.params.id}.xlsx`, `${fileSafe(`${sheet.competition.name}-${sheet.eventName}`)}-成绩${sheet.release ? '' : '（未发布）'}.xlsx`, body);
    },
  });

  app.get('/competitions/:id/results.xlsx', {
    schema: {
      operationId: 'downloadCompetitionResults',
      summary: 'Every event’s results of a competition as one .xlsx for staff, a sheet per event, before release too',
      description: 'Each event’s current round (the first open one, else the last). Names before release as for GET /api/events/:id/results.xlsx.',
      tags: ['rankings'],
      params: idParams,
      produces: [XLSX_CONTENT_TYPE],
      response: { 200: xlsxFile, ...commonErrors },
    },
    handler: async (req, reply) => {
      const { name, sheets } = staffCompetitionResultsSheets(app, req, req.params.id);
      const body = await resultsWorkbook(sheets, app.clock.now());
      return sendTemplate(reply, `results-competition-${req.params.id}.xlsx`, `${fileSafe(name)}-成绩.xlsx`, body);
    },
  });

  app.get('/events/:id/scheme.xlsx', {
    schema: {
      operationId: 'exportSchemeWorkbook',
      summary: 'The event’s marking scheme (评分细则) as .xlsx: sheets 部分, 评分项, 设置 and 说明; with roundId, the scheme that round is marked by',
      description: 'The same workbook imports back unchanged (POST /api/events/:id/scheme.xlsx). Staff in scope.',
      tags: ['events'],
      params: idParams,
      querystring: schemeWorkbookQuery,
      produces: [XLSX_CONTENT_TYPE],
      response: { 200: xlsxFile, ...commonErrors },
    },
    handler: async (req, reply) => {
      const target = schemeTarget(app, requireStaff(req), req.params.id, req.query.roundId);
      const scheme = schemeForRound(target.event, target.round);
      const title = [target.competition.name, target.event.name, target.round?.name].filter(Boolean).join(' · ');
      const body = await schemeWorkbook(scheme, title, app.clock.now());
      const suffix = target.round ? `-${target.round.name}` : '';
      return sendTemplate(reply, `scheme-event-${req.params.id}${target.round ? `-round-${target.round.id}` : ''}.xlsx`, `${fileSafe(`${target.event.name}${suffix}`)}-评分细则.xlsx`, body);
    },
  });

  app.post('/events/:id/scheme.xlsx', {
    bodyLimit: SHEET_BODY_LIMIT,
    // Refuse a caller before a 10 MB body is read.
    onRequest: async (req) => {
      requireStaff(req, ...MANAGERS);
    },
    schema: {
      operationId: 'importSchemeWorkbook',
      summary: 'Replace the event’s (or, with roundId, a round’s own) marking scheme from an .xlsx workbook, with a dry run',
      description:
        'The body is the workbook itself (`' +
        XLSX_CONTENT_TYPE +
        '`), laid out as GET /api/events/:id/scheme.xlsx writes it. It is checked with the scheme contract; every problem is named by its cell (`评分项!D7`). ' +
        'With `dryRun=true` nothing is stored: the report lists what would change (parts and criteria added, removed or changed) and whether the event’s rules allow it. ' +
        'Without it, a workbook with problems is answered 400 with the report, and a change the rules refuse 409 as PATCH /api/events/:id (`marks_exist` once marks were entered).',
      tags: ['events'],
      params: idParams,
      querystring: schemeImportQuery,
      consumes: [XLSX_CONTENT_TYPE],
      response: { 200: schemeImportReportSchema, ...commonErrors, 400: schemeImportProblem, 409: problemSchema, 413: problemSchema, 415: problemSchema },
    },
    handler: async (req, reply) => {
      const actor = requireStaff(req, ...MANAGERS);
      const report = await importSchemeWorkbook(app, actor, req.params.id, uploadedSheet(req), req.query);
      if (report.dryRun || report.problems.length === 0) return report;
      return reply
        .status(400)
        .type('application/problem+json')
        .send({
          type: 'https://errors.skills.example/scheme_sheet_invalid',
          title: 'Bad Request',
          status: 400,
          code: 'scheme_sheet_invalid',
          detail: `${report.problems.length} problems in the workbook; the scheme was not changed`,
          errors: report.problems.map((p) => ({ field: p.cell, message: p.message })),
          report,
        });
    },
  });
};

export default spreadsheetsRoutes;
