import { isIP } from 'node:net';
import { z } from 'zod';

/** Names proxy-addr (Fastify's `trustProxy`) understands besides addresses and CIDR ranges. */
const PROXY_KEYWORDS = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An IPv4/IPv6 address, a CIDR range of one, or a proxy-addr keyword. */
export function isProxySpec(spec: string): boolean {
  if (PROXY_KEYWORDS.has(spec)) return true;
  const [addr, bits, ...rest] = spec.split('/');
  const family = isIP(addr ?? '');
  if (!family || rest.length) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    DATABASE_PATH: z.string().default('data/skills.sqlite'),
    /** Demo mode loads the demo data into an empty database and allows a built-in session secret. */
    DEMO: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
    SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
    SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
    /**
     * Proxies whose X-Forwarded-For is believed (comma-separated addresses, CIDR ranges or
     * loopback/linklocal/uniquelocal). Default none: the client's own address is used, so nobody
     * can pick the address the sign-in limits count against.
     */
    TRUSTED_PROXIES: z
      .string()
      .default('')
      .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
      .pipe(z.array(z.string().refine(isProxySpec, 'each entry is an IP address, a CIDR range or loopback/linklocal/uniquelocal'))),
    /** Failed sign-ins per account (or per judge-code prefix) before each further one is delayed. */
    LOGIN_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).max(1000).default(5),
    /** Failed sign-ins per address and hour before each further one is delayed (a venue shares one address). */
    LOGIN_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(30),
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
  /** No SESSION_SECRET was given (demo mode): sessions and codes are hashed with a secret anyone can read here. */
  usesDemoSecret: boolean;
  sessionTtlMs: number;
  /** Addresses or ranges of reverse proxies whose X-Forwarded-For is trusted; empty: none. */
  trustedProxies: string[];
  loginFailuresPerAccount: number;
  loginFailuresPerAddress: number;
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
    usesDemoSecret: !e.SESSION_SECRET,
    sessionTtlMs: e.SESSION_TTL_HOURS * 3600_000,
    trustedProxies: e.TRUSTED_PROXIES,
    loginFailuresPerAccount: e.LOGIN_FAILURES_PER_ACCOUNT,
    loginFailuresPerAddress: e.LOGIN_FAILURES_PER_ADDRESS,
    logLevel: e.LOG_LEVEL,
    webDist: e.WEB_DIST,
  };
}
