import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors } from '../../contracts/common.ts';
import { subsidyListQuery, subsidyListSchema, subsidyQuery, subsidyRatesSchema, subsidyRatesView } from '../../contracts/subsidies.ts';
import { chinaDate } from '../../domain/working-days.ts';
import { requireStaff } from '../../plugins/auth.plugin.ts';
import { CERTIFICATE_KEEPERS } from './certificates.service.ts';
import { exportSubsidies, getSubsidyRates, listSubsidies, setSubsidyRates } from './subsidies.service.ts';

const tags = ['training subsidies'];

/** Training subsidies on certification: the HR bureau's rates per level, the year's list and its .xlsx. */
const subsidiesRoutes: FastifyPluginAsyncZod = async (app) => {
  /** The year asked for, else this year in Beijing by the server's clock (a tablet's own clock may be wrong). */
  const yearOf = (q: { year?: number }) => q.year ?? Number(chinaDate(app.clock.now()).slice(0, 4));

  app.get('/certificates/subsidy-rates', {
    schema: {
      operationId: 'getSubsidyRates',
      summary: 'The training-subsidy rates per skill level in force for your organisation (its own or inherited)',
      tags,
      response: { 200: subsidyRatesView, ...commonErrors },
    },
    handler: async (req) => getSubsidyRates(app.db, requireStaff(req)),
  });

  app.put('/certificates/subsidy-rates', {
    schema: {
      operationId: 'setSubsidyRates',
      summary: "Set your organisation's training-subsidy rates per skill level (HR officers and administrators)",
      description: 'Yuan per issued certificate by level, e.g. Feixi: 四级/中级工 1,500, 三级/高级工 2,000; levels not listed get nothing. Audited.',
      tags,
      body: subsidyRatesSchema,
      response: { 200: subsidyRatesView, ...commonErrors },
    },
    handler: async (req) => setSubsidyRates(app.db, requireStaff(req, ...CERTIFICATE_KEEPERS), req.body),
  });

  app.get('/certificates/subsidies', {
    schema: {
      operationId: 'listSubsidies',
      summary: "The year's training-subsidy list: certificates issued that year with the amount due each, and totals",
      description: 'Each certificate is priced at the rates in force for the organisation keeping it. ID numbers are masked unless HR officer or administrator.',
      tags,
      querystring: subsidyListQuery,
      response: { 200: subsidyListSchema, ...commonErrors },
    },
    handler: async (req) => listSubsidies(app.db, requireStaff(req), { ...req.query, year: yearOf(req.query) }),
  });

  app.get('/certificates/subsidies/export', {
    schema: {
      operationId: 'exportSubsidies',
      summary: "The year's training-subsidy list as .xlsx (list with a total row, and a summary per level)",
      description: 'ID numbers are complete only for HR officers and administrators. Every export is audited.',
      tags,
      querystring: subsidyQuery,
      response: { 200: z.any().describe('the .xlsx file'), ...commonErrors },
    },
    handler: async (req, reply) => {
      const year = yearOf(req.query);
      const file = await exportSubsidies(app.db, requireStaff(req), { ...req.query, year });
      const name = `培训补贴_${year}.xlsx`;
      return reply
        .header('content-disposition', `attachment; filename="training-subsidies-${year}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`)
        .header('x-row-count', String(file.rows))
        .header('x-id-numbers', file.fullIds ? 'full' : 'masked')
        .header('cache-control', 'no-store')
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .send(file.buffer);
    },
  });
};

export default subsidiesRoutes;
