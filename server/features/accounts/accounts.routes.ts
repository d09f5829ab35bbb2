import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { accountSchema, createAccountBody, listAccountsQuery, updateAccountBody } from '../../contracts/accounts.ts';
import { commonErrors, idParams, okSchema, pageOf, problemSchema } from '../../contracts/common.ts';
import { requireStaff } from '../../plugins/auth.plugin.ts';
import {
  createAccount,
  deactivateAccount,
  getAccountInScope,
  listAccounts,
  presentAccount,
  updateAccount,
} from './accounts.service.ts';

const tags = ['accounts'];

/** Staff accounts: admins only, within their organisation's subtree. */
const accountsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/accounts', {
    schema: {
      operationId: 'listAccounts',
      summary: 'List staff accounts in your subtree',
      tags,
      querystring: listAccountsQuery,
      response: { 200: pageOf(accountSchema), ...commonErrors },
    },
    handler: async (req) => listAccounts(app.db, requireStaff(req, 'admin'), req.query),
  });

  app.post('/accounts', {
    schema: {
      operationId: 'createAccount',
      summary: 'Create a staff account',
      tags,
      body: createAccountBody,
      response: { 201: accountSchema, ...commonErrors, 409: problemSchema },
    },
    handler: async (req, reply) => {
      const account = await createAccount(app.db, requireStaff(req, 'admin'), req.body);
      return reply.status(201).send(account);
    },
  });

  app.get('/accounts/:id', {
    schema: {
      operationId: 'getAccount',
      summary: 'Get one staff account',
      tags,
      params: idParams,
      response: { 200: accountSchema, ...commonErrors },
    },
    handler: async (req) => presentAccount(getAccountInScope(app.db, requireStaff(req, 'admin'), req.params.id)),
  });

  app.patch('/accounts/:id', {
    schema: {
      operationId: 'updateAccount',
      summary: 'Change a staff account (display name, role, active, password reset)',
      tags,
      params: idParams,
      body: updateAccountBody,
      response: { 200: accountSchema, ...commonErrors, 409: problemSchema },
    },
    handler: async (req) => {
      const account = await updateAccount(app.db, requireStaff(req, 'admin'), req.params.id, req.body, app.clock.now());
      // A reset ends a lock-out, the one in memory as well as the stored one.
      if (req.body.password !== undefined) app.signInThrottle.clear({ kind: 'account', id: account.username.toLowerCase() });
      return account;
    },
  });

  app.delete('/accounts/:id', {
    schema: {
      operationId: 'deactivateAccount',
      summary: 'Deactivate a staff account and end its sessions',
      tags,
      params: idParams,
      response: { 200: okSchema, ...commonErrors, 409: problemSchema },
    },
    handler: async (req) => {
      deactivateAccount(app.db, requireStaff(req, 'admin'), req.params.id);
      return { ok: true as const };
    },
  });
};

export default accountsRoutes;
