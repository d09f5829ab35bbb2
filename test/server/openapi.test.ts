import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(() => app.close());

type Operation = {
  operationId?: string;
  summary?: string;
  tags?: string[];
  responses?: Record<string, unknown>;
  security?: unknown[];
  parameters?: unknown[];
  requestBody?: unknown;
};

describe('OpenAPI document', () => {
  it('is served at /docs/json and Swagger UI at /docs', async () => {
    const json = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(json.statusCode).toBe(200);
    expect(json.json().openapi).toMatch(/^3\./);
    const ui = await app.inject({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(ui.statusCode);
  });

  it('gives every operation an operationId, a summary, tags and its error responses', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, Operation>> };
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
    expect(ops.length).toBeGreaterThan(50);
    const ids = new Set<string>();
    for (const { path, method, op } of ops) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(op.operationId, where).toBeTruthy();
      expect(ids.has(op.operationId!), `${where} duplicates ${op.operationId}`).toBe(false);
      ids.add(op.operationId!);
      expect(op.summary, where).toBeTruthy();
      expect(op.tags?.length, where).toBeGreaterThan(0);
      const codes = Object.keys(op.responses ?? {});
      expect(codes.some((c) => c.startsWith('2')), `${where} has a success response`).toBe(true);
      // An operation that takes input lists how input is refused; one that needs a session lists 401.
      if (op.parameters?.length || op.requestBody) expect(codes.some((c) => c.startsWith('4')), `${where} lists its errors`).toBe(true);
      const needsSession = !(Array.isArray(op.security) && op.security.length === 0);
      if (needsSession) expect(codes, `${where} lists 401`).toContain('401');
    }
  });

  it('answers unknown routes with problem+json', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('route_not_found');
  });
});
