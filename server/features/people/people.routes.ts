import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { commonErrors, idParams, okSchema, pageOf, problemSchema } from '../../contracts/common.ts';
import { createPersonBody, idNumberParams, listPeopleQuery, personRecordSchema, personSchema, updatePersonBody } from '../../contracts/people.ts';
import { personRecord } from './person-record.service.ts';
import { requireStaff } from '../../plugins/auth.plugin.ts';
import {
  createPerson,
  deletePerson,
  getPersonByIdNumber,
  getPersonInScope,
  listPeople,
  PEOPLE_EDITORS,
  presentPerson,
  updatePerson,
} from './people.service.ts';

const tags = ['people'];

/** Workers (职工): every staff role reads within its subtree; admins, organisers and HR officers edit. */
const peopleRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/people', {
    schema: {
      operationId: 'listPeople',
      summary: 'List people kept in your subtree',
      tags,
      querystring: listPeopleQuery,
      response: { 200: pageOf(personSchema), ...commonErrors },
    },
    handler: async (req) => listPeople(app.db, requireStaff(req), req.query),
  });

  app.post('/people', {
    schema: {
      operationId: 'createPerson',
      summary: 'Register a person (gender and birth date come from the ID number)',
      description:
        'A 409 person_exists says the ID number is registered already (one number is one person). It gives the holder’s id only when you may read them.',
      tags,
      body: createPersonBody,
      response: { 201: personSchema, ...commonErrors, 409: problemSchema },
    },
    handler: async (req, reply) => {
      const person = createPerson(app.db, requireStaff(req, ...PEOPLE_EDITORS), req.body);
      return reply.status(201).send(person);
    },
  });

  app.get('/people/by-id-number/:idNumber', {
    schema: {
      operationId: 'getPersonByIdNumber',
      summary: 'Find a person by resident ID number',
      description: 'Someone you may not read is answered 404 like a number nobody holds, so the answer never tells that a number is registered elsewhere.',
      tags,
      params: idNumberParams,
      response: { 200: personSchema, ...commonErrors },
    },
    handler: async (req) => {
      const actor = requireStaff(req);
      return presentPerson(app.db, getPersonByIdNumber(app.db, actor, req.params.idNumber), actor);
    },
  });

  app.get('/people/:id/record', {
    schema: {
      operationId: 'getPersonRecord',
      summary: 'A person’s record: competitions and results, prizes, titles, certified levels over time',
      tags,
      params: idParams,
      response: { 200: personRecordSchema, ...commonErrors },
    },
    handler: async (req) => personRecord(app, requireStaff(req), req.params.id),
  });

  app.get('/people/:id', {
    schema: {
      operationId: 'getPerson',
      summary: 'Get one person',
      tags,
      params: idParams,
      response: { 200: personSchema, ...commonErrors },
    },
    handler: async (req) => {
      const actor = requireStaff(req);
      return presentPerson(app.db, getPersonInScope(app.db, actor, req.params.id), actor);
    },
  });

  app.patch('/people/:id', {
    schema: {
      operationId: 'updatePerson',
      summary: 'Change a person',
      tags,
      params: idParams,
      body: updatePersonBody,
      response: { 200: personSchema, ...commonErrors, 409: problemSchema },
    },
    handler: async (req) => updatePerson(app.db, requireStaff(req, ...PEOPLE_EDITORS), req.params.id, req.body),
  });

  app.delete('/people/:id', {
    schema: {
      operationId: 'deletePerson',
      summary: 'Delete a person who has no entries',
      tags,
      params: idParams,
      response: { 200: okSchema, ...commonErrors, 409: problemSchema },
    },
    handler: async (req) => {
      deletePerson(app.db, requireStaff(req, ...PEOPLE_EDITORS), req.params.id);
      return { ok: true as const };
    },
  });
};

export default peopleRoutes;
