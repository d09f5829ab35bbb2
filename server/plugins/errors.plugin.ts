import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Problem } from '../contracts/common.ts';
import { AppError } from '../errors.ts';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  421: 'Misdirected Request',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function problem(status: number, code: string, detail: string, extra: Partial<Problem> = {}): Problem {
  return { type: `https://errors.skills.example/${code}`, title: TITLES[status] ?? 'Error', status, code, detail, ...extra };
}

/** One error handler: problem+json everywhere, validation errors name each field, 5xx hide details. */
export default fp(
  async (app) => {
    app.setErrorHandler((err, req, reply) => {
      let body: Problem;
      if (hasZodFastifySchemaValidationErrors(err)) {
        const errors = err.validation.map((v) => {
          const path = (v.instancePath || '').split('/').filter(Boolean).join('.');
          const field = [err.validationContext, path].filter(Boolean).join('.');
          return { field, message: v.message ?? 'invalid' };
        });
        const summary = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
        body = problem(400, 'validation_failed', summary, { errors });
      } else if (err instanceof AppError && err.status === 401 && req.sessionEndedIdle) {
        // Said apart from "sign in first" so the page can tell the user why they are signed out.
        body = problem(401, 'session_idle', 'Your session ended after a period without use; sign in again');
      } else if (err instanceof AppError) {
        body = problem(err.status, err.code, err.message, { ...(err.fieldErrors && { errors: err.fieldErrors }), ...(err.params && { params: err.params }) });
        const retryAfter = err.params?.retryAfterSeconds;
        if ((err.status === 429 || err.status === 503) && typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
      } else if (typeof (err as { statusCode?: number }).statusCode === 'number' && (err as { statusCode: number }).statusCode < 500) {
        const e = err as { statusCode: number; code?: string; message: string };
        const code = e.statusCode === 429 ? 'rate_limited' : (e.code ?? 'bad_request').toLowerCase().replace(/^fst_err_/, '');
        body = problem(e.statusCode, code, e.message);
      } else {
        req.log.error({ err }, 'unhandled error');
        body = problem(500, 'internal_error', 'Something went wrong on our side; it has been logged.');
      }
      reply.status(body.status).type('application/problem+json').send(body);
    });

    app.setNotFoundHandler((req, reply) => {
      reply
        .status(404)
        .type('application/problem+json')
        .send(problem(404, 'route_not_found', `No route ${req.method} ${req.url}`));
    });
  },
  { name: 'errors' },
);
