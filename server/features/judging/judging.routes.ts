import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, idParams, problemSchema } from '../../contracts/common.ts';
import { XLSX_CONTENT_TYPE } from '../../contracts/import.ts';
import { eventJudgeParams, eventJudgeSchema } from '../../contracts/judges.ts';
import {
  competitionStandardisedSchema,
  eventQualityQuery,
  judgeQualityReportSchema,
  roundQuery,
  setTraineeBody,
  standardisationSettingSchema,
  traineeReportSchema,
} from '../../contracts/judging.ts';
import { sendTemplate } from '../import/templates.ts';
import { judgeQualityWorkbook } from './quality-workbook.ts';
import { competitionJudgeQuality, eventJudgeQuality } from './quality.service.ts';
import { competitionStandardised, setStandardisation, staffCompetitionStandardised } from './standardisation.service.ts';
import { setTrainee, traineeReport } from './trainees.service.ts';

const xlsxFile = z.any().describe('the .xlsx file');
const errors = { ...commonErrors, 409: problemSchema };
/** A file name without the characters Windows and macOS refuse. */
const fileSafe = (text: string) => text.replace(/[/\\:*?"<>|\r\n]+/g, '_').trim();

/**
 * Judging beyond the scores (issue 13): trainee judges and their report, judge quality with the
 * home-group check (JSON and .xlsx), standardised scores. Definitions: server/domain/judging/.
 */
const judgingRoutes: FastifyPluginAsyncZod = async (app) => {
  app.put('/events/:id/judges/:judgeId/trainee', {
    schema: {
      operationId: 'setJudgeTrainee',
      summary: 'Make a judge of the event a trainee (见习裁判: marks, never counts) or an ordinary judge again',
      description:
        'Organisers and administrators, or the event’s chief judge. Only a judge in the role judge, only before they have marked in the event (409 marks_exist), not after release. ' +
        'The event’s ranking follows at once: a trainee’s seat is left out of every panel’s size.',
      tags: ['judges'],
      params: eventJudgeParams,
      body: setTraineeBody,
      response: { 200: eventJudgeSchema, ...errors },
    },
    handler: async (req) => setTrainee(app, req, req.params.id, req.params.judgeId, req.body.trainee),
  });

  app.get('/events/:id/trainee-report', {
    schema: {
      operationId: 'getTraineeReport',
      summary: 'How far each trainee judge was from the counting panel in a round: mean absolute difference per part and criterion, rank correlation',
      description: 'The event’s chief judge or supervisors, organisers and administrators. Drawn numbers only.',
      tags: ['marking control'],
      params: idParams,
      querystring: roundQuery,
      response: { 200: traineeReportSchema, ...commonErrors },
    },
    handler: async (req) => traineeReport(app, req, req.params.id, req.query.roundId),
  });

  app.get('/events/:id/judge-quality', {
    schema: {
      operationId: 'getEventJudgeQuality',
      summary: 'Judge quality for an event (a round, a part): deviation from the panel median, marks dropped, consistency, home-group check with a permutation test',
      description: 'The event’s chief judge or supervisors, organisers and administrators; never judges or the public.',
      tags: ['marking control'],
      params: idParams,
      querystring: eventQualityQuery,
      response: { 200: judgeQualityReportSchema, ...commonErrors },
    },
    handler: async (req) => eventJudgeQuality(app, req, req.params.id, req.query),
  });

  app.get('/events/:id/judge-quality.xlsx', {
    schema: {
      operationId: 'exportEventJudgeQuality',
      summary: 'Judge quality for an event as .xlsx, with a sheet defining every column',
      description: 'As GET /api/events/:id/judge-quality.',
      tags: ['marking control'],
      params: idParams,
      querystring: eventQualityQuery,
      produces: [XLSX_CONTENT_TYPE],
      response: { 200: xlsxFile, ...commonErrors },
    },
    handler: async (req, reply) => {
      const report = eventJudgeQuality(app, req, req.params.id, req.query);
      const body = await judgeQualityWorkbook(report, app.clock.now());
      return sendTemplate(reply, `judge-quality-event-${req.params.id}.xlsx`, `${fileSafe(`${report.competitionName}-${report.eventName ?? ''}`)}-裁判评分质量.xlsx`, body);
    },
  });

  app.get('/competitions/:id/judge-quality', {
    schema: {
      operationId: 'getCompetitionJudgeQuality',
      summary: 'Judge quality over a whole competition, each judge over every event they marked',
      description: 'Organisers and administrators: every event. A chief judge or supervisor: the events where they hold that role.',
      tags: ['marking control'],
      params: idParams,
      response: { 200: judgeQualityReportSchema, ...commonErrors },
    },
    handler: async (req) => competitionJudgeQuality(app, req, req.params.id),
  });

  app.get('/competitions/:id/judge-quality.xlsx', {
    schema: {
      operationId: 'exportCompetitionJudgeQuality',
      summary: 'Judge quality over a whole competition as .xlsx',
      description: 'As GET /api/competitions/:id/judge-quality.',
      tags: ['marking control'],
      params: idParams,
      produces: [XLSX_CONTENT_TYPE],
      response: { 200: xlsxFile, ...commonErrors },
    },
    handler: async (req, reply) => {
      const report = competitionJudgeQuality(app, req, req.params.id);
      const body = await judgeQualityWorkbook(report, app.clock.now());
      return sendTemplate(reply, `judge-quality-competition-${req.params.id}.xlsx`, `${fileSafe(report.competitionName)}-裁判评分质量.xlsx`, body);
    },
  });

  app.put('/competitions/:id/standardisation', {
    schema: {
      operationId: 'setStandardisation',
      summary: 'Standardised scores for the competition (mean 500, SD 100 per event): on or off, on the venue screen, best of the competition',
      description: 'Organisers and administrators in scope. Cannot be switched on or off once an event’s results are released (409 results_released).',
      tags: ['rankings'],
      params: idParams,
      body: standardisationSettingSchema,
      response: { 200: standardisationSettingSchema, ...errors },
    },
    handler: async (req) => setStandardisation(app, req, req.params.id, req.body),
  });

  app.get('/competitions/:id/standardised', {
    schema: {
      operationId: 'getCompetitionStandardised',
      summary: 'Every event’s standardised scores and the ranking across events (best of the competition)',
      description: 'Staff in scope; names before release only for those who hold the number ↔ person mapping.',
      tags: ['rankings'],
      params: idParams,
      response: { 200: competitionStandardisedSchema, ...commonErrors },
    },
    handler: async (req) => staffCompetitionStandardised(app, req, req.params.id),
  });

  app.get('/public/competitions/:id/standardised', {
    schema: {
      operationId: 'getPublicStandardised',
      summary: 'Standardised scores of the released events and the best of the competition; no sign-in',
      description: 'Released events only; empty lists while the competition has the option off.',
      tags: ['public results'],
      security: [],
      params: idParams,
      response: { 200: competitionStandardisedSchema, 404: problemSchema },
    },
    handler: async (req) => competitionStandardised(app, req.params.id, { releasedOnly: true, identities: true }),
  });
};

export default judgingRoutes;
