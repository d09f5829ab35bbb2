import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { calendarYearDetailSchema, calendarYearSchema, putCalendarYearBody, yearParams } from '../../contracts/calendar.ts';
import { commonErrors } from '../../contracts/common.ts';
import { requireStaff } from '../../plugins/auth.plugin.ts';
import { getCalendarYear, listCalendarYears, putCalendarYear } from './calendar.service.ts';

const tags = ['calendar'];

/** The working-day calendar (public holidays and make-up working days): staff read, administrators keep it. */
const calendarRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/calendar', {
    schema: {
      operationId: 'listCalendarYears',
      summary: 'Years of the working-day calendar, with where their days come from',
      tags,
      response: { 200: z.array(calendarYearSchema), ...commonErrors },
    },
    handler: async (req) => {
      requireStaff(req);
      return listCalendarYears(app.db);
    },
  });

  app.get('/calendar/:year', {
    schema: {
      operationId: 'getCalendarYear',
      summary: 'A year’s public holidays (放假) and make-up working days (调休上班)',
      tags,
      params: yearParams,
      response: { 200: calendarYearDetailSchema, ...commonErrors },
    },
    handler: async (req) => {
      requireStaff(req);
      return getCalendarYear(app.db, req.params.year);
    },
  });

  app.put('/calendar/:year', {
    schema: {
      operationId: 'putCalendarYear',
      summary: 'Replace a year’s days (administrators), e.g. from the State Council’s notice; audited',
      tags,
      params: yearParams,
      body: putCalendarYearBody,
      response: { 200: calendarYearDetailSchema, ...commonErrors },
    },
    handler: async (req) => putCalendarYear(app.db, requireStaff(req, 'admin'), req.params.year, req.body, app.clock.now()),
  });
};

export default calendarRoutes;
