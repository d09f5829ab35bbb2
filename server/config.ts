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
    /** Live updates through Redis Streams (redis://host:port/db); unset or empty: in this process, nothing else to run. */
    LIVE_URL: z
      .string()
      .trim()
      .optional()
      .refine((v) => !v || /^rediss?:\/\/[^\s]+$/.test(v), 'a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379/0'),
    /** primary: the one server with the database (every write); relay: serves the public live rankings from Redis, no database. */
    APP_ROLE: z.enum(['primary', 'relay']).default('primary'),
    /**
     * The address the public reaches the app at (https://skills.example.gov.cn): what printed QR codes
     * and links point at (certificates, judges' code slips, paper marking sheets). Absent: the address
     * of the page that prints, which is right only when the public uses that same address.
     */
    PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }).optional(),
    /** Where writes and staff pages go, named in a relay's refusals (https://skills.example.gov.cn). */
    PRIMARY_URL: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }).optional(),
    /** Messages kept per live channel in Redis (approximately): how far back a reconnecting client resumes. */
    LIVE_STREAM_MAXLEN: z.coerce.number().int().min(100).max(1_000_000).default(1000),
    /** … and for how long at most. */
    LIVE_STREAM_MAX_AGE_MINUTES: z.coerce.number().int().min(1).max(10_080).default(60),
    /** Prefix of this deployment's Redis keys (several deployments may share one database). */
    LIVE_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]{1,64}$/, 'letters, digits, colon, underscore and hyphen').default('skills:live:'),
    /** Live streams one server holds open at once; the next gets 503 live_capacity. */
    LIVE_MAX_CLIENTS: z.coerce.number().int().min(1).max(100_000).default(2000),
  })
  .superRefine((env, ctx) => {
    // A relay has no database, sessions or sign-ins: no secret to hash them with.
    if (!env.DEMO && !env.SESSION_SECRET && env.APP_ROLE === 'primary')
      ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'SESSION_SECRET is required when DEMO=false' });
    if (env.APP_ROLE === 'relay' && !env.LIVE_URL)
      ctx.addIssue({ code: 'custom', path: ['LIVE_URL'], message: 'LIVE_URL is required when APP_ROLE=relay (a relay serves live updates from Redis)' });
    if (env.APP_ROLE === 'relay' && !env.PRIMARY_URL)
      ctx.addIssue({ code: 'custom', path: ['PRIMARY_URL'], message: 'PRIMARY_URL is required when APP_ROLE=relay (refusals name where to go instead)' });
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
  /** primary (the database, every write) or relay (public live rankings from Redis only). */
  role: 'primary' | 'relay';
  /** Redis for live updates; null: in this process. */
  liveUrl: string | null;
  /** Named in a relay's refusals; null on a primary without it. */
  primaryUrl: string | null;
  /** What printed QR codes and links point at, without a trailing slash; null: the printing page's own address. */
  publicUrl: string | null;
  liveStreamMaxLen: number;
  liveStreamMaxAgeMs: number;
  liveKeyPrefix: string;
  liveMaxClients: number;
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
    role: e.APP_ROLE,
    liveUrl: e.LIVE_URL || null,
    primaryUrl: e.PRIMARY_URL ?? null,
    publicUrl: e.PUBLIC_URL ? e.PUBLIC_URL.replace(/\/+$/, '') : null,
    liveStreamMaxLen: e.LIVE_STREAM_MAXLEN,
    liveStreamMaxAgeMs: e.LIVE_STREAM_MAX_AGE_MINUTES * 60_000,
    liveKeyPrefix: e.LIVE_KEY_PREFIX,
    liveMaxClients: e.LIVE_MAX_CLIENTS,
  };
}
