import swagger, { type SwaggerTransform } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { accessEntry, callersOf, isPanelRole, ruleOf, type AccessEntry } from '../access-policy.ts';

/** The line each operation's description ends with: who may call it (server/access-policy.ts). */
export function callersLine(entry: AccessEntry): string {
  if (entry === 'public') return 'Callers: anyone, without signing in.';
  const { callers, note } = ruleOf(entry);
  const staff = callers.filter((c) => !isPanelRole(c));
  const panel = callers.filter(isPanelRole);
  const who = [...(staff.length ? [`staff ${staff.join(', ')} (in their scope)`] : []), ...(panel.length ? [`judges as ${panel.join(', ')} (on their events)`] : [])];
  return `Callers: ${who.join('; ')}.${note ? ` Limit: ${note}.` : ''}`;
}

/**
 * The zod transform, plus who may call the operation: an `x-callers` extension (`"public"` or the
 * roles) and a line at the end of the description.
 */
const transform: SwaggerTransform = (input) => {
  const out = jsonSchemaTransform(input as Parameters<typeof jsonSchemaTransform>[0]);
  const schema = out.schema as { operationId?: string; description?: string; hide?: boolean } | undefined;
  const entry = schema?.operationId && !schema.hide ? accessEntry(schema.operationId) : undefined;
  if (!entry) return out;
  const line = callersLine(entry);
  return {
    ...out,
    schema: { ...schema, 'x-callers': callersOf(entry), description: schema!.description ? `${schema!.description}\n\n${line}` : line },
  };
};

/** OpenAPI 3 generated from the zod route schemas, served at /docs/json with Swagger UI at /docs. */
export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: '职工技能竞赛与创新工作室管理系统 API',
          description: 'Skills competitions, live scoring and rankings for trade unions and HR bureaus.',
          version: '0.1.0',
        },
        components: {
          securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'sid' } },
        },
        security: [{ session: [] }],
      },
      transform,
      transformObject: jsonSchemaTransformObject,
    });
    // staticCSP: Swagger UI's pages carry their own policy (its inline bootstrap script is hashed).
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  },
  { name: 'swagger' },
);
