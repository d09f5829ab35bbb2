import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors } from '../../contracts/common.ts';
import { selectionReportQuery, selectionReportSchema } from '../../contracts/selection-report.ts';
import { requireStaff } from '../../plugins/auth.plugin.ts';
import { selectionReport, selectionReportXlsx } from './report.service.ts';

const tags = ['craftsman selection'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The year in Beijing by the app's clock (a report asked for without a year is this year's). */
const beijingYear = (now: Date) => new Date(now.getTime() + 8 * 3600_000).getUTCFullYear();

const selectionReportRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/selection-report', {
    schema: {
      operationId: 'getSelectionReport',
      summary: "The year's craftsman selections in your scope: candidates, named by level, occupation, region, employer type, gender and age band, and reward money",
      tags,
      querystring: selectionReportQuery,
      response: { 200: selectionReportSchema, ...commonErrors },
    },
    handler: async (req) => selectionReport(app, requireStaff(req), req.query.year ?? beijingYear(app.clock.now())),
  });

  app.get('/selection-report.xlsx', {
    schema: {
      operationId: 'exportSelectionReport',
      summary: 'The same report as an .xlsx (a sheet of selections with the money, a sheet of the named by each dimension)',
      tags,
      querystring: selectionReportQuery,
      produces: [XLSX],
      response: { 200: z.any().describe(XLSX), ...commonErrors },
    },
    handler: async (req, reply) => {
      const year = req.query.year ?? beijingYear(app.clock.now());
      const report = selectionReport(app, requireStaff(req), year);
      return reply
        .type(XLSX)
        .header('content-disposition', `attachment; filename="selections-${year}.xlsx"`)
        .send(await selectionReportXlsx(report));
    },
  });
};

export default selectionReportRoutes;
