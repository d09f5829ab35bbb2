import { desc, eq, inArray } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { corrections, marks, rounds } from '../../../db/schema.ts';
import { commonErrors, decimalId, idParams, problemSchema } from '../../contracts/common.ts';
import {
  chiefCorrectionBody,
  correctionSchema,
  decideCorrectionBody,
  judgeEntrySchema,
  incompleteEntrySchema,
  judgeEventQuery,
  judgePanelSchema,
  listMarksQuery,
  markSchema,
  releaseBody,
  releaseResultSchema,
  requestCorrectionBody,
  submitMarksBody,
  submitMarksResponse,
} from '../../contracts/marks.ts';
import { advanceResultSchema } from '../../contracts/ranking.ts';
import { requireJudge } from '../../plugins/auth.plugin.ts';
import { authorizeEvent } from '../event-access.ts';
import { chiefCorrectMark, decideCorrection, presentCorrection, requestCorrection } from './corrections.service.ts';
import { judgeEntries, judgePanel, listMarks, markHistory, viewedEvent } from './judge-views.service.ts';
import { advanceRound, incompleteEntries, releaseResults, setRoundStatus } from './marking-control.service.ts';
import { presentMark, submitMarks } from './marks.service.ts';

const errors = { ...commonErrors, 409: problemSchema };
const roundSchema = z.object({ id: z.int(), eventId: z.int(), seq: z.int(), name: z.string(), status: z.enum(['open', 'closed']) });
const READERS = {
  staff: ['admin' as const, 'organiser' as const, 'hr_officer' as const, 'viewer' as const],
  judge: ['chief' as const, 'supervisor' as const],
};

const marksRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/marks', {
    schema: {
      operationId: 'submitMarks',
      summary: 'Submit one or many marks (a judge’s sheet); retries with the same idempotency keys store nothing twice',
      tags: ['marks'],
      body: submitMarksBody,
      response: { 200: submitMarksResponse, ...errors },
    },
    handler: async (req) => ({ results: await submitMarks(app, requireJudge(req), req.body.marks) }),
  });

  app.get('/judge/panel', {
    schema: {
      operationId: 'getJudgePanel',
      summary: 'The signed-in judge’s event: scheme, rounds, the parts they mark, the numbers they stand aside from, and every panel they sit on',
      tags: ['judging'],
      querystring: judgeEventQuery,
      response: { 200: judgePanelSchema, ...commonErrors, 409: problemSchema },
    },
    handler: async (req) => judgePanel(app, requireJudge(req), req.query.eventId),
  });

  app.get('/judge/entries', {
    schema: {
      operationId: 'listJudgeEntries',
      summary: 'Contestants by drawn number with this judge’s marking state (names only after release)',
      tags: ['judging'],
      querystring: judgeEventQuery.extend({
        roundId: decimalId.optional(),
        partId: z.string().min(1).max(40).optional().describe('Count only this part’s criteria'),
      }),
      response: { 200: z.array(judgeEntrySchema), ...commonErrors, 409: problemSchema },
    },
    handler: async (req) => judgeEntries(app, requireJudge(req), req.query),
  });

  app.get('/judge/marks', {
    schema: {
      operationId: 'listOwnMarks',
      summary: 'The signed-in judge’s own marks (current versions)',
      tags: ['judging'],
      querystring: listMarksQuery.omit({ judgeId: true }).extend(judgeEventQuery.shape),
      response: { 200: z.array(markSchema), ...commonErrors, 409: problemSchema },
    },
    handler: async (req) => {
      const judge = requireJudge(req);
      const { eventId, ...filter } = req.query;
      return listMarks(app, viewedEvent(judge, eventId).eventId, { ...filter, judgeId: judge.judgeId });
    },
  });

  app.get('/events/:id/marks', {
    schema: {
      operationId: 'listEventMarks',
      summary: 'Marks of an event (chief judge, supervisor, or staff in scope)',
      tags: ['marks'],
      params: idParams,
      querystring: listMarksQuery,
      response: { 200: z.array(markSchema), ...commonErrors },
    },
    handler: async (req) => {
      authorizeEvent(app, req, req.params.id, READERS);
      return listMarks(app, req.params.id, req.query);
    },
  });

  app.get('/marks/:id/history', {
    schema: {
      operationId: 'getMarkHistory',
      summary: 'Every version of a mark, oldest first',
      tags: ['marks'],
      params: idParams,
      response: { 200: z.object({ eventId: z.int(), judgeId: z.int(), versions: z.array(markSchema) }), ...commonErrors },
    },
    handler: async (req) => {
      const history = markHistory(app, req.params.id);
      const a = req.actor;
      // A judge may read the history of their own marks; others need the reader roles.
      if (!(a?.kind === 'judge' && a.judgeId === history.judgeId)) authorizeEvent(app, req, history.eventId, READERS);
      return history;
    },
  });

  app.post('/marks/:id/correct', {
    schema: {
      operationId: 'chiefCorrectMark',
      summary: 'The chief judge corrects a mark directly (stored as a new version with the reason)',
      tags: ['corrections'],
      params: idParams,
      body: chiefCorrectionBody,
      response: { 200: markSchema, ...errors },
    },
    handler: async (req) => {
      const chief = requireJudge(req, 'chief');
      const row = chiefCorrectMark(app, chief, req.params.id, req.body);
      return presentMark(row);
    },
  });

  app.post('/corrections', {
    schema: {
      operationId: 'requestCorrection',
      summary: 'A judge asks the chief judge to correct one of their marks',
      tags: ['corrections'],
      body: requestCorrectionBody,
      response: { 201: correctionSchema, ...errors },
    },
    handler: async (req, reply) => reply.status(201).send(requestCorrection(app, requireJudge(req, 'judge', 'chief'), req.body)),
  });

  app.get('/events/:id/corrections', {
    schema: {
      operationId: 'listCorrections',
      summary: 'Correction requests of an event, newest first',
      tags: ['corrections'],
      params: idParams,
      querystring: z.object({ status: z.enum(['pending', 'approved', 'rejected']).optional() }),
      response: { 200: z.array(correctionSchema), ...commonErrors },
    },
    handler: async (req) => {
      authorizeEvent(app, req, req.params.id, READERS);
      const roundIds = app.db.select({ id: rounds.id }).from(rounds).where(eq(rounds.eventId, req.params.id)).all().map((r) => r.id);
      if (roundIds.length === 0) return [];
      const rows = app.db
        .select({ c: corrections })
        .from(corrections)
        .innerJoin(marks, eq(marks.id, corrections.markId))
        .where(inArray(marks.roundId, roundIds))
        .orderBy(desc(corrections.id))
        .all()
        .map((r) => r.c)
        .filter((c) => !req.query.status || c.status === req.query.status);
      return rows.map((c) => presentCorrection(app, c));
    },
  });

  app.post('/corrections/:id/decision', {
    schema: {
      operationId: 'decideCorrection',
      summary: 'The chief judge approves or rejects a correction request',
      tags: ['corrections'],
      params: idParams,
      body: decideCorrectionBody,
      response: { 200: correctionSchema, ...errors },
    },
    handler: async (req) => decideCorrection(app, requireJudge(req, 'chief'), req.params.id, req.body),
  });

  for (const [action, status] of [
    ['close', 'closed'],
    ['reopen', 'open'],
  ] as const) {
    app.post(`/rounds/:id/${action}`, {
      schema: {
        operationId: action === 'close' ? 'closeMarking' : 'reopenMarking',
        summary: action === 'close' ? 'Close marking for a round (lock)' : 'Reopen marking for a round (before release)',
        tags: ['marking control'],
        params: idParams,
        response: { 200: roundSchema, ...errors },
      },
      handler: async (req) => {
        const r = setRoundStatus(app, req, req.params.id, status);
        return { id: r.id, eventId: r.eventId, seq: r.seq, name: r.name, status: r.status };
      },
    });
  }

  app.post('/events/:id/release', {
    schema: {
      operationId: 'releaseResults',
      summary: 'Release an event’s results: names appear, marks become read-only',
      description:
        'Refused (409 entries_incomplete, one error per entry) while an entry lacks marks its panels expect, unless the chief judge gives a reason for each such entry; the reasons are shown with the entries on the published results.',
      tags: ['marking control'],
      params: idParams,
      body: releaseBody,
      response: { 200: releaseResultSchema, ...errors },
    },
    handler: async (req) => releaseResults(app, req, req.params.id, req.body ?? undefined),
  });

  app.get('/events/:id/incomplete', {
    schema: {
      operationId: 'listIncompleteEntries',
      summary: 'Entries still short of the marks their panels expect (暂定), in any round: each needs marks or a reason before release',
      tags: ['marking control'],
      params: idParams,
      response: { 200: z.array(incompleteEntrySchema), ...commonErrors },
    },
    handler: async (req) => {
      const { event } = authorizeEvent(app, req, req.params.id, { staff: ['admin', 'organiser', 'hr_officer', 'viewer'], judge: ['chief', 'supervisor'] });
      const names = new Map((event.scheme as { parts: { id: string; name: string }[] }).parts.map((p) => [p.id, p.name]));
      return incompleteEntries(app, req.params.id).map((e) => ({
        number: e.number,
        missing: e.missing.map((m) => ({ ...m, partName: names.get(m.partId) ?? m.partId })),
      }));
    },
  });

  app.post('/rounds/:id/advance', {
    schema: {
      operationId: 'advanceRound',
      summary: 'Enter the qualifiers of a closed round into the next round by its advancement rule',
      tags: ['marking control'],
      params: idParams,
      response: { 200: advanceResultSchema, ...errors },
    },
    handler: async (req) => advanceRound(app, req, req.params.id),
  });
};

export default marksRoutes;
