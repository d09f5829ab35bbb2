import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Where a state-changing request comes from, as the browser tells it: `Sec-Fetch-Site` when sent
 * (every current browser), else the `Origin` compared with the host asked for. Requests without
 * either (curl, the tests, server-to-server) are not a browser's cross-site request.
 */
function crossSite(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none';
  const origin = req.headers.origin;
  if (typeof origin !== 'string' || origin === '') return false;
  try {
    // Both through URL, so a default port written out (http://host:80) compares equal.
    return new URL(origin).host !== new URL(`${req.protocol}://${req.host}`).host;
  } catch {
    return true;
  }
}

/**
 * The web app's defences in the browser:
 * - a state-changing API request from another site is refused (403 `cross_site_request`), so a
 *   page elsewhere cannot close a round or release results with a signed-in chief's cookie (the
 *   session cookie is also SameSite=Lax);
 * - only JSON bodies reach the API (and the spreadsheet types on the import routes, which register
 *   their own parsers): Fastify's built-in text/plain parser, which a cross-site form can send
 *   without a preflight, is removed, so such a body is 415;
 * - security headers through @fastify/helmet: a Content-Security-Policy that fits the Lit app
 *   (scripts only from this origin; inline styles, which lit's `style=` bindings need;
 *   `frame-ancestors 'none'`), `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin`.
 *   Swagger UI at /docs sets its own policy for its pages (`staticCSP`).
 */
export default fp(
  async (app: FastifyInstance) => {
    app.removeContentTypeParser('text/plain');
    app.addHook('onRequest', async (req) => {
      if (SAFE_METHODS.has(req.method) || !req.url.startsWith('/api/')) return;
      if (crossSite(req)) throw new AppError(403, 'cross_site_request', 'Changes are accepted only from this application’s own pages');
    });
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          workerSrc: ["'self'"],
          manifestSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      referrerPolicy: { policy: 'same-origin' },
      // The app opens its own downloads and prints in new tabs; nothing here is embedded cross-origin.
      crossOriginEmbedderPolicy: false,
      // HSTS belongs to the TLS proxy in front (see the sample deployment), not to plain-HTTP installs.
      strictTransportSecurity: false,
    });
  },
  { name: 'web-security' },
);
