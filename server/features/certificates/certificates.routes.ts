import { and, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { orgSettings } from '../../../db/schema.ts';
import {
  certificateSchema,
  createCertificateBody,
  exportLayoutSchema,
  exportQuery,
  listCertificatesQuery,
  PROVINCIAL_LAYOUT,
  updateCertificateBody,
  type ExportLayout,
} from '../../contracts/certificates.ts';
import { commonErrors, idParams, pageOf, problemSchema } from '../../contracts/common.ts';
import { requireStaff, type StaffActor } from '../../plugins/auth.plugin.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { getOrganisationInScope } from '../organisations/organisations.service.ts';
import { CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE } from '../../contracts/import.ts';
import { acceptSheetBodies, refuseInvalidImport, SHEET_BODY_LIMIT, uploadedSheet } from '../import/sheet-upload.ts';
import { certificateImportProblem, certificateImportQuery, certificateImportReport } from './certificates-import.contract.ts';
import { CERTIFICATE_KEEPERS, createCertificate, getCertificate, listCertificates, updateCertificate } from './certificates.service.ts';
import { certificateRows, countCertificates, exportCsv, exportXlsx } from './export.service.ts';
import { importCertificates } from './import.service.ts';
import subsidiesRoutes from './subsidies.routes.ts';

const tags = ['certified skill levels'];
const LAYOUT_KEY = 'hr_export_layout';

/** Roles that may export full resident ID numbers; everyone else gets masked files. */
const FULL_ID_ROLES = new Set(['admin', 'hr_officer']);

/** The export layout in force for an organisation: its own, else its nearest ancestor's, else the provincial one. */
export function layoutFor(app: { db: import('../../../db/client.ts').Db }, orgPath: string): ExportLayout {
  const ids = orgPath.split('/').filter(Boolean).map(Number).reverse();
  for (const orgId of ids) {
    const row = app.db
      .select({ value: orgSettings.value })
      .from(orgSettings)
      .where(and(eq(orgSettings.orgId, orgId), eq(orgSettings.key, LAYOUT_KEY)))
      .get();
    if (row) return exportLayoutSchema.parse(row.value);
  }
  return PROVINCIAL_LAYOUT;
}

const certificatesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/certificates', {
    schema: {
      operationId: 'listCertificates',
      summary: 'Certified skill levels in your subtree (filters: person, dates, occupation, level, status)',
      tags,
      querystring: listCertificatesQuery,
      response: { 200: pageOf(certificateSchema), ...commonErrors },
    },
    handler: async (req) => listCertificates(app.db, requireStaff(req), req.query),
  });

  app.post('/certificates', {
    schema: {
      operationId: 'createCertificate',
      summary: 'Record a certified level (issued, or pending for completion) — HR officers and administrators',
      tags,
      body: createCertificateBody,
      response: { 201: certificateSchema, ...commonErrors, 409: problemSchema },
    },
    handler: async (req, reply) => reply.status(201).send(createCertificate(app.db, requireStaff(req, ...CERTIFICATE_KEEPERS), req.body)),
  });

  app.get('/certificates/:id', {
    schema: {
      operationId: 'getCertificate',
      summary: 'One certified-level record',
      tags,
      params: idParams,
      response: { 200: certificateSchema, ...commonErrors },
    },
    handler: async (req) => getCertificate(app.db, requireStaff(req), req.params.id),
  });

  app.patch('/certificates/:id', {
    schema: {
      operationId: 'updateCertificate',
      summary: 'Complete, issue or correct a certified-level record — HR officers and administrators',
      tags,
      params: idParams,
      body: updateCertificateBody,
      response: { 200: certificateSchema, ...commonErrors, 409: problemSchema },
    },
    handler: async (req) => updateCertificate(app.db, requireStaff(req, ...CERTIFICATE_KEEPERS), req.params.id, req.body),
  });

  app.get('/certificates/export', {
    schema: {
      operationId: 'exportCertifiedLevels',
      summary: 'Export certified skill levels as .xlsx or .csv (UTF-8 with BOM) in the HR upload layout; streamed',
      description: 'ID numbers are complete only for HR officers and administrators; everyone else gets them masked. Every export is audited.',
      tags,
      querystring: exportQuery,
      response: { 200: z.any().describe('the file'), ...commonErrors },
    },
    handler: async (req, reply) => {
      const actor = requireStaff(req);
      const q = req.query;
      const scope = q.orgId ? getOrganisationInScope(app.db, actor, q.orgId) : { id: actor.orgId, path: actor.orgPath };
      const filter = { scopePath: scope.path, from: q.from, to: q.to, occupationCode: q.occupationCode, level: q.level, status: q.status };
      const fullIds = FULL_ID_ROLES.has(actor.role);
      const rows = countCertificates(app.db, filter);
      recordAudit(app.db, actor, {
        action: 'certificates.export',
        entityType: 'organisation',
        entityId: scope.id,
        orgId: scope.id,
        after: { format: q.format, filter: { ...filter, scopePath: undefined }, rows, idNumbers: fullIds ? 'full' : 'masked' },
      });
      const layout = layoutFor(app, scope.path);
      const chunks = certificateRows(app.db, filter);
      const stamp = app.clock.now().toISOString().slice(0, 10);
      const filename = `职业技能等级_${stamp}.${q.format}`;
      reply
        .header('content-disposition', `attachment; filename="skill-levels-${stamp}.${q.format}"; filename*=UTF-8''${encodeURIComponent(filename)}`)
        .header('x-row-count', String(rows))
        .header('x-id-numbers', fullIds ? 'full' : 'masked')
        .header('cache-control', 'no-store');
      if (q.format === 'csv') return reply.type('text/csv; charset=utf-8').send(exportCsv(chunks, layout, fullIds));
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(exportXlsx(chunks, layout, fullIds));
    },
  });

  app.get('/certificates/export-layout', {
    schema: {
      operationId: 'getExportLayout',
      summary: 'The column layout of the HR export for your organisation',
      tags,
      response: { 200: exportLayoutSchema, ...commonErrors },
    },
    handler: async (req) => layoutFor(app, requireStaff(req).orgPath),
  });

  app.put('/certificates/export-layout', {
    schema: {
      operationId: 'setExportLayout',
      summary: 'Set the column layout of the HR export (HR officers and administrators)',
      tags,
      body: exportLayoutSchema,
      response: { 200: exportLayoutSchema, ...commonErrors, 409: problemSchema },
    },
    handler: async (req) => {
      const actor: StaffActor = requireStaff(req, 'admin', 'hr_officer');
      const before = layoutFor(app, actor.orgPath);
      app.db.transaction((tx) => {
        tx.insert(orgSettings)
          .values({ orgId: actor.orgId, key: LAYOUT_KEY, value: req.body })
          .onConflictDoUpdate({ target: [orgSettings.orgId, orgSettings.key], set: { value: req.body } })
          .run();
        recordAudit(tx, actor, { action: 'certificates.layout', entityType: 'organisation', entityId: actor.orgId, orgId: actor.orgId, before, after: req.body });
      });
      return req.body;
    },
  });

  await app.register(subsidiesRoutes);

  // The import reads the raw file. Its parsers live in this child plugin only (encapsulated), so
  // no other route, not even the JSON ones above, accepts spreadsheet bodies.
  await app.register(async (child) => {
    acceptSheetBodies(child);
    child.withTypeProvider<ZodTypeProvider>().post('/certificates/import', {
      bodyLimit: SHEET_BODY_LIMIT,
      // Refuse a caller before a 10 MB body is read.
      onRequest: async (req) => {
        requireStaff(req, ...CERTIFICATE_KEEPERS);
      },
      schema: {
        operationId: 'importCertifiedLevels',
        summary: 'Import certified levels from an .xlsx or CSV file in the provincial layout — HR officers and administrators',
        description:
          'The body is the file itself (`' +
          XLSX_CONTENT_TYPE +
          '` or `text/csv`, UTF-8 with or without BOM, or GB18030), with the headers of the provincial upload ' +
          '(姓名, 证件号码, 职业编码, 职业名称, 工种/职业方向, 职业技能等级, 理论知识成绩, 操作技能成绩, 证书编号, 发证日期, 评价机构, 认定方式) ' +
          'or of your own export layout; 序号, 性别 and 证件类型 are ignored. Levels may be written 三级/高级工, 高级工, 三级 or 3. ' +
          'Rows are matched to people by ID number within your organisation; an unknown ID number is a row error (register the person first). ' +
          'Every row is checked like POST /certificates (certificate number against level and year, not already recorded). ' +
          'With `dryRun=true` nothing is stored and the report says what an import would do; otherwise a file with any bad row stores nothing ' +
          'and is answered 400 with the report. Rows are numbered as in the sheet. A stored import is audited.',
        tags,
        querystring: certificateImportQuery,
        consumes: [XLSX_CONTENT_TYPE, CSV_CONTENT_TYPE],
        response: { 200: certificateImportReport, ...commonErrors, 400: certificateImportProblem, 413: problemSchema, 415: problemSchema },
      },
      handler: async (req, reply) => {
        const actor = requireStaff(req, ...CERTIFICATE_KEEPERS);
        const report = await importCertificates(app.db, actor, uploadedSheet(req), { dryRun: req.query.dryRun, exportLayout: layoutFor(app, actor.orgPath) });
        return refuseInvalidImport(reply, report) ?? report;
      },
    });
  });
};

export default certificatesRoutes;
