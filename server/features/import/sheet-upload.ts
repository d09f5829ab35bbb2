import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE } from '../../contracts/import.ts';
import { AppError } from '../../errors.ts';
import { baseContentType } from './sheet-reader.ts';

/** A sheet of a few thousand rows is well under 1 MB; 10 MB leaves room for formatting. */
export const SHEET_BODY_LIMIT = 10 * 1024 * 1024;

/**
 * Lets the plugin's routes take a raw .xlsx or CSV body. Register it in an encapsulated plugin,
 * so no other route accepts spreadsheet bodies.
 */
export function acceptSheetBodies(app: FastifyInstance, bodyLimit = SHEET_BODY_LIMIT): void {
  for (const type of [XLSX_CONTENT_TYPE, CSV_CONTENT_TYPE]) {
    if (app.hasContentTypeParser(type)) app.removeContentTypeParser(type);
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));
  }
}

/** The uploaded file and its type, or 415 when the body is not an .xlsx or CSV file. */
export function uploadedSheet(req: FastifyRequest): { contentType: string; body: Buffer } {
  const contentType = baseContentType(req.headers['content-type']);
  if (!Buffer.isBuffer(req.body) || (contentType !== XLSX_CONTENT_TYPE && contentType !== CSV_CONTENT_TYPE))
    throw new AppError(415, 'unsupported_media_type', `Send the file as ${XLSX_CONTENT_TYPE} (.xlsx) or text/csv`);
  return { contentType, body: req.body };
}

type ImportReport = { dryRun: boolean; stored: boolean; total: number; errors: { row: number; field: string; message: string }[] };

/**
 * Answers an import that stored nothing because rows were bad: 400 problem+json naming each
 * row's field, with the whole report attached. Returns null when the import went through.
 */
export function refuseInvalidImport(reply: FastifyReply, report: ImportReport): FastifyReply | null {
  if (report.dryRun || report.stored) return null;
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
