import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, decimalId, idParams, okSchema, pageOf, problemSchema } from '../../contracts/common.ts';
import {
  addRoundEntryBody,
  bulkEntriesBody,
  bulkEntriesResult,
  checkInBatchBody,
  checkInBatchResult,
  createEntryBody,
  difficultyGridSchema,
  drawBody,
  drawResult,
  entrySchema,
  entryStatusBody,
  listEntriesQuery,
  roundEntryParams,
  roundEntrySchema,
  setDifficultyBody,
  setDifficultyResult,
  setEntryMembersBody,
  updateEntryBody,
  updateRoundEntryBody,
} from '../../contracts/entries.ts';
import { requireStaff } from '../../plugins/auth.plugin.ts';
import { registerEntriesInBulk } from './bulk-registration.service.ts';
import { checkInBatch } from './check-in.service.ts';
import { getDifficultyGrid, setDifficulty } from './difficulty.service.ts';
import { drawLots } from './draw.service.ts';
import { setEntryMembers } from './team-entries.service.ts';
import {
  addEntryToRound,
  createEntry,
  deleteEntry,
  getEntry,
  listEntries,
  removeEntryFromRound,
  setEntryStatus,
  updateEntry,
  updateRoundEntry,
} from './entries.service.ts';

const tags = ['entries'];
/** Who registers and checks in entrants: everyone else in scope may only read. */
const MANAGERS = ['admin', 'organiser'] as const;

const roundParams = z.object({ roundId: decimalId });

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
      summary: 'Enter a person, or a team or pair with its members, in an event (joins the first round)',
      description:
        'An individual event takes `personId`; a team event (mode `team`) takes `members` (two to twenty: existing people by `personId` or people typed in by ID number, ' +
        'matched or created as in bulk registration; one `captain`, else the first) and an optional `teamName` (a pair without one is shown as "甲、乙"). ' +
        'The team is one entrant: one drawn number, marked, ranked and awarded as one; its name is public only after release. Nobody is in two entries of an event (409 `already_entered` names the member).',
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
      summary: "Change an entry's delegation, status, or the entrant's name, phone or employer",
      description:
        'The entrant\'s name, phone and employer (`person`) are stored on their person record, so every entry of theirs shows the change; the entry and the person are each audited.',
      tags,
      params: idParams,
      body: updateEntryBody,
      response: { 200: entrySchema, ...commonErrors, 409: problemSchema },
    },
    handler: async (req) => updateEntry(app, requireStaff(req, ...MANAGERS), req.params.id, req.body),
  });

  app.put('/entries/:id/members', {
    schema: {
      operationId: 'setEntryMembers',
      summary: 'Replace the members and name of a team or pair entry (a substitution before release), audited',
      description:
        'The entry keeps its drawn number and marks. Refused after release (409 `results_released`) and for an individual event (409 `not_a_team_event`); a member already in another entry of the event is 409 `already_entered`, naming the member.',
      tags,
      params: idParams,
      body: setEntryMembersBody,
      response: { 200: entrySchema, ...commonErrors, 409: problemSchema },
    },
    handler: async (req) => setEntryMembers(app, requireStaff(req, ...MANAGERS), req.params.id, req.body),
  });

  app.delete('/entries/:id', {
    schema: {
      operationId: 'deleteEntry',
      summary: 'Delete an entry that has no marks (a marked one is withdrawn with its status instead)',
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
      summary: 'Check in (检录), mark absent, disqualify (with a reason), withdraw (退赛), make a reserve (替补) or reset to registered',
      description:
        'A withdrawn entry keeps the parts it completed and is ranked after every other ranked entry or not ranked, by the event\'s `withdrawnRanking`. A reserve leaves every round (only while it has no marks) until put into one with `POST /rounds/{id}/entries`. `note` is staff-only.',
      tags,
      params: idParams,
      body: entryStatusBody,
      response: { 200: entrySchema, ...commonErrors, 409: problemSchema },
    },
    handler: async (req) => setEntryStatus(app, requireStaff(req, ...MANAGERS), req.params.id, req.body),
  });

  app.post('/events/:id/check-in', {
    schema: {
      operationId: 'checkInEntries',
      summary: 'Check in (检录) entrants typed or scanned in a row, by drawn number or ID number (idempotent)',
      description:
        'Each item is a drawn number or a resident ID number (full-width digits are accepted). Recognised entrants who are registered or ' +
        'marked absent are checked in at once; the answer has one result per item, in order, with the number, the name and the masked ID ' +
        'number. Items that match nobody, are malformed, repeat an entrant of the same batch or name a disqualified entrant are reported, ' +
        'not refused. Sending a batch again changes nothing.',
      tags,
      params: idParams,
      body: checkInBatchBody,
      response: { 200: checkInBatchResult, ...commonErrors },
    },
    handler: async (req) => checkInBatch(app, requireStaff(req, ...MANAGERS), req.params.id, req.body),
  });

  app.get('/rounds/:roundId/difficulty', {
    schema: {
      operationId: 'getDifficultyGrid',
      summary: "A round's difficulty coefficients (难度系数): drawn numbers × the parts that use difficulty",
      tags,
      params: roundParams,
      response: { 200: difficultyGridSchema, ...commonErrors },
    },
    handler: async (req) => getDifficultyGrid(app.db, requireStaff(req), req.params.roundId),
  });

  app.put('/rounds/:roundId/difficulty', {
    schema: {
      operationId: 'setDifficultyCoefficients',
      summary: 'Set many difficulty coefficients of a round in one request (all or nothing)',
      description:
        'Each cell is an entry of the round and a part that uses difficulty, with a coefficient from 0.5 to 10 in hundredths (null clears it). ' +
        'Bad cells are named (`body.values.<i>.…`) and nothing is saved; a changed coefficient of a part already marked for that entry is ' +
        'refused with 409 `marks_exist`. Unchanged cells are ignored, so the whole grid may be sent again. The live ranking is recomputed.',
      tags,
      params: roundParams,
      body: setDifficultyBody,
      response: { 200: setDifficultyResult, ...commonErrors, 409: problemSchema },
    },
    handler: async (req) => setDifficulty(app, requireStaff(req, ...MANAGERS), req.params.roundId, req.body),
  });

  app.post('/rounds/:id/entries', {
    schema: {
      operationId: 'addRoundEntry',
      summary: 'Put an entry into a round: a reserve (替补) for a qualifier who withdrew, or one the advancement left out',
      description:
        'A reserve becomes registered (check them in); an entry without a drawn number gets the next free one. Refused for a closed round, after release, and for an entry that is absent, disqualified or withdrawn.',
      tags,
      params: idParams,
      body: addRoundEntryBody,
      response: { 201: roundEntrySchema, ...commonErrors, 409: problemSchema },
    },
    handler: async (req, reply) => reply.status(201).send(addEntryToRound(app, requireStaff(req, ...MANAGERS), req.params.id, req.body)),
  });

  app.delete('/rounds/:roundId/entries/:entryId', {
    schema: {
      operationId: 'removeRoundEntry',
      summary: 'Take an entry out of a round it has no marks in',
      tags,
      params: roundEntryParams,
      querystring: z.object({ reason: z.string().trim().min(1).max(500).optional() }),
      response: { 200: okSchema, ...commonErrors, 409: problemSchema },
    },
    handler: async (req) => {
      removeEntryFromRound(app, requireStaff(req, ...MANAGERS), req.params.roundId, req.params.entryId, req.query.reason);
      return { ok: true as const };
    },
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
