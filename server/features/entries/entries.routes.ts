import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { commonErrors, idParams, okSchema, pageOf, problemSchema } from '../../contracts/common.ts';
import {
  bulkEntriesBody,
  bulkEntriesResult,
  createEntryBody,
  drawBody,
  drawResult,
  entrySchema,
  entryStatusBody,
  listEntriesQuery,
  roundEntryParams,
  roundEntrySchema,
  updateEntryBody,
  updateRoundEntryBody,
} from '../../contracts/entries.ts';
import { requireStaff } from '../../plugins/auth.plugin.ts';
import { registerEntriesInBulk } from './bulk-registration.service.ts';
import { drawLots } from './draw.service.ts';
import {
  createEntry,
  deleteEntry,
  getEntry,
  listEntries,
  setEntryStatus,
  updateEntry,
  updateRoundEntry,
} from './entries.service.ts';

const tags = ['entries'];
/** Who registers and checks in entrants: everyone else in scope may only read. */
const MANAGERS = ['admin', 'organiser'] as const;

const entriesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/events/:id/entries', {
    schema: {
      operationId: 'listEntries',
      summary: "List an event's entries (ID numbers masked unless admin, organiser or HR officer)",
      tags,
      params: idParams,
      querystring: listEntriesQuery,
      response: { 200: pageOf(entrySchema), ...commonErrors },
    },
    handler: async (req) => listEntries(app.db, requireStaff(req), req.params.id, req.query),
  });

  app.post('/events/:id/entries', {
    schema: {
      operationId: 'createEntry',
      summary: 'Enter a person in an event (joins the first round)',
      tags,
      params: idParams,
      body: createEntryBody,
      response: { 201: entrySchema, ...commonErrors, 409: problemSchema },
    },
    handler: async (req, reply) => {
      const entry = createEntry(app, requireStaff(req, ...MANAGERS), req.params.id, req.body);
      return reply.status(201).send(entry);
    },
  });

  app.post('/events/:id/entries/bulk', {
    schema: {
      operationId: 'registerEntriesInBulk',
      summary: 'Register up to 2,000 entrants at once; all rows valid or nothing is stored',
      description:
        'People are matched by ID number and created when new. A person already entered is reported as `existing`, so a retried request creates no duplicates.',
      tags,
      params: idParams,
      body: bulkEntriesBody,
      response: { 200: bulkEntriesResult, ...commonErrors, 409: problemSchema },
    },
    handler: async (req) => registerEntriesInBulk(app, requireStaff(req, ...MANAGERS), req.params.id, req.body),
  });

  app.post('/events/:id/draw', {
    schema: {
      operationId: 'drawLots',
      summary: 'Draw lots (抽签): random numbers for every entry not absent or disqualified (organisers or the encryption officer)',
      tags,
      params: idParams,
      body: drawBody,
      response: { 200: drawResult, ...commonErrors, 409: problemSchema },
    },
    // Organisers, or the competition's encryption officer whatever their role (checked by the service).
    handler: async (req) => drawLots(app, requireStaff(req), req.params.id, req.body ?? { startAt: 1 }),
  });

  app.get('/entries/:id', {
    schema: {
      operationId: 'getEntry',
      summary: 'Get one entry',
      tags,
      params: idParams,
      response: { 200: entrySchema, ...commonErrors },
    },
    handler: async (req) => getEntry(app.db, requireStaff(req), req.params.id),
  });

  app.patch('/entries/:id', {
    schema: {
      operationId: 'updateEntry',
      summary: "Change an entry's delegation or status",
      tags,
      params: idParams,
      body: updateEntryBody,
      response: { 200: entrySchema, ...commonErrors },
    },
    handler: async (req) => updateEntry(app, requireStaff(req, ...MANAGERS), req.params.id, req.body),
  });

  app.delete('/entries/:id', {
    schema: {
      operationId: 'deleteEntry',
      summary: 'Withdraw an entry that has no marks',
      tags,
      params: idParams,
      response: { 200: okSchema, ...commonErrors, 409: problemSchema },
    },
    handler: async (req) => {
      deleteEntry(app, requireStaff(req, ...MANAGERS), req.params.id);
      return { ok: true as const };
    },
  });

  app.post('/entries/:id/status', {
    schema: {
      operationId: 'setEntryStatus',
      summary: 'Check in (检录), mark absent, disqualify (with a reason) or reset to registered',
      tags,
      params: idParams,
      body: entryStatusBody,
      response: { 200: entrySchema, ...commonErrors },
    },
    handler: async (req) => setEntryStatus(app, requireStaff(req, ...MANAGERS), req.params.id, req.body),
  });

  app.patch('/rounds/:roundId/entries/:entryId', {
    schema: {
      operationId: 'updateRoundEntry',
      summary: "Record an entry's completion time and difficulty coefficients in a round",
      tags,
      params: roundEntryParams,
      body: updateRoundEntryBody,
      response: { 200: roundEntrySchema, ...commonErrors, 409: problemSchema },
    },
    handler: async (req) =>
      updateRoundEntry(app, requireStaff(req, ...MANAGERS), req.params.roundId, req.params.entryId, req.body),
  });
};

export default entriesRoutes;
