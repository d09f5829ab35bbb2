import { z } from 'zod';

const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    DATABASE_PATH: z.string().default('data/skills.sqlite'),
    /** Demo mode loads the demo data into an empty database and allows a built-in session secret. */
    DEMO: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
    SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
    SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
    LOGIN_RATE_LIMIT: z.coerce.number().int().positive().default(10),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Serve the built web app from this folder when it exists. */
    WEB_DIST: z.string().default('dist/web'),
  })
  .superRefine((env, ctx) => {
    if (!env.DEMO && !env.SESSION_SECRET)
      ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'SESSION_SECRET is required when DEMO=false' });
  });

export type Config = {
  port: number;
  host: string;
  databasePath: string;
  demo: boolean;
  sessionSecret: string;
  sessionTtlMs: number;
  loginRateLimit: number;
  logLevel: string;
  webDist: string;
};

const DEMO_SECRET = 'demo-only-secret-do-not-use-in-production-0000';

/** Parses the environment once; throws a readable error naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databasePath: e.DATABASE_PATH,
    demo: e.DEMO,
    sessionSecret: e.SESSION_SECRET ?? DEMO_SECRET,
    sessionTtlMs: e.SESSION_TTL_HOURS * 3600_000,
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    logLevel: e.LOG_LEVEL,
    webDist: e.WEB_DIST,
  };
}
