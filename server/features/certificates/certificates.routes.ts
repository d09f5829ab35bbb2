import { and, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
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
import { CERTIFICATE_KEEPERS, createCertificate, getCertificate, listCertificates, updateCertificate } from './certificates.service.ts';
import { certificateRows, countCertificates, exportCsv, exportXlsx } from './export.service.ts';

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
      const stamp = new Date().toISOString().slice(0, 10);
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
};

export default certificatesRoutes;
