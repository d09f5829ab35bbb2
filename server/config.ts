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
    /** A staff session unused this long ends (等保 level 2 asks for an idle limit; judges' tablets are exempt). */
    SESSION_IDLE_MINUTES: z.coerce.number().positive().max(24 * 60).default(30),
    /** How long a staff account stays locked after LOGIN_FAILURES_PER_ACCOUNT wrong passwords in a row; an administrator's password reset unlocks it at once. */
    ACCOUNT_LOCK_MINUTES: z.coerce.number().positive().max(24 * 60).default(10),
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
    /** Wrong passwords in a row that lock a staff account (等保: 5); judge-code prefixes get twice as many before back-off. */
    LOGIN_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).max(1000).default(5),
    /** Failed sign-ins per address and hour before each further one is delayed (a venue shares one address). */
    LOGIN_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(30),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Serve the built web app from this folder when it exists. */
    WEB_DIST: z.string().default('dist/web'),
    /** Folder for scheduled online backups (skills-<UTC time>.sqlite); unset or empty: no scheduled backups. */
    BACKUP_DIR: z.string().trim().optional(),
    /** Minutes between scheduled backups (at most a week). */
    BACKUP_EVERY_MINUTES: z.coerce.number().int().min(1).max(10_080).default(60),
    /** Scheduled backups kept in BACKUP_DIR; older ones are deleted after each new one. */
    BACKUP_KEEP: z.coerce.number().int().min(1).max(10_000).default(24),
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
  sessionIdleMs: number;
  accountLockMs: number;
  /** Addresses or ranges of reverse proxies whose X-Forwarded-For is trusted; empty: none. */
  trustedProxies: string[];
  loginFailuresPerAccount: number;
  loginFailuresPerAddress: number;
  logLevel: string;
  webDist: string;
  /** Where scheduled backups go; null: none are taken. */
  backupDir: string | null;
  backupEveryMinutes: number;
  backupKeep: number;
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
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    accountLockMs: e.ACCOUNT_LOCK_MINUTES * 60_000,
    trustedProxies: e.TRUSTED_PROXIES,
    loginFailuresPerAccount: e.LOGIN_FAILURES_PER_ACCOUNT,
    loginFailuresPerAddress: e.LOGIN_FAILURES_PER_ADDRESS,
    logLevel: e.LOG_LEVEL,
    webDist: e.WEB_DIST,
    backupDir: e.BACKUP_DIR || null,
    backupEveryMinutes: e.BACKUP_EVERY_MINUTES,
    backupKeep: e.BACKUP_KEEP,
  };
}
