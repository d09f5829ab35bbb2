import { isIP } from 'node:net';
import type { Clock } from '../../clock.ts';
import { AppError } from '../../errors.ts';

/**
 * Sign-in throttling that counts failures, never successes.
 *
 * A venue's sixty tablets reach us from one address (the venue's Wi-Fi), so counting every
 * sign-in per address would lock the judges out at the start of a session. Only failed attempts
 * count, in three kinds of bucket:
 *
 * | bucket | what it stops | free failures | counted over |
 * | --- | --- | --- | --- |
 * | `account` (a username) | guessing one staff password from many addresses | `perAccount` | 24 h, cleared by a success; then locked `accountLockMs` flat |
 * | `code` (the first two characters of a judge code) | guessing judge codes from many addresses | 2 × `perAccount` | 24 h |
 * | `address` (one IPv4 address or IPv6 /64) | one machine spraying guesses at many accounts | `perAddress` | 1 h |
 *
 * Once a bucket holds its free failures, each further failure locks it for twice as long as the
 * one before: 1 s, 2 s, 4 s … capped at 15 minutes. A username is the exception: it is locked for
 * `accountLockMs` at once (等保's lock-out, answered 429 `account_locked`), exactly like the stored
 * lock of a real account (auth.routes.ts), so a guesser cannot tell a real name from an unknown one. A locked bucket refuses every attempt, right or
 * wrong, with 429 and Retry-After: letting a right one through would tell a guesser when they are
 * right. Successes never lock anything and clear only the account's own bucket (clearing the
 * address or code buckets would let an attacker with one valid account wipe out their record).
 *
 * Attempts still being checked count against a bucket too (`pending`), so a thousand guesses sent
 * at once cannot all slip past the check while the first password hashes are being computed.
 *
 * The state is in memory: it is one process, and a restart forgets failures (and locks) — an
 * attacker who can restart the server does not need to guess. README: "Sign-in limits" gives the
 * resulting guess rates.
 */
export type ThrottleLimits = {
  /** Failures per account before back-off (judge-code prefixes get twice as many). */
  perAccount: number;
  /** Failures per address and hour before back-off. */
  perAddress: number;
  /** How long a username stays locked once it has `perAccount` failures (default: doubling like the others). */
  accountLockMs?: number;
};

export type ThrottleKey = { kind: 'account' | 'code' | 'address'; id: string };

/** The first delay once a bucket's free failures are used up; it doubles with every further failure. */
const BASE_LOCK_MS = 1000;
/** The longest delay: a user locked out by someone else's guessing gets back in within a quarter hour. */
const MAX_LOCK_MS = 15 * 60_000;
/** Doublings until the cap (2^10 s > 15 min): failures beyond free + this are not worth remembering. */
const DOUBLINGS_TO_CAP = Math.ceil(Math.log2(MAX_LOCK_MS / BASE_LOCK_MS));
/**
 * Characters of a judge code that name its bucket: 31² = 961 buckets, so a guesser spreading guesses
 * over the code space meets a lock after about 961 × 10 failures, while a typo of one judge locks
 * out only the few codes that share the mistyped prefix.
 */
export const CODE_PREFIX_LENGTH = 2;
/** Buckets kept at most; the least recently touched unlocked ones go first. Bounds memory under a flood of names. */
const MAX_BUCKETS = 100_000;

type Bucket = { failures: number[]; lockedUntil: number; pending: number };
type Policy = { free: number; windowMs: number; clearOnSuccess: boolean; flatLockMs?: number };

/** A 429 the error handler answers with a Retry-After header. */
export class RetryLaterError extends AppError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, code, message, undefined, { retryAfterSeconds });
  }
}

/** One sign-in attempt between the check and its outcome; end it exactly once (later calls do nothing). */
export interface SignInAttempt {
  succeeded(): void;
  failed(): void;
  /** Neither right nor wrong (the check itself broke): forget it. */
  abandon(): void;
}

export class LoginThrottle {
  private readonly buckets = new Map<string, Bucket>();
  private readonly policies: Record<ThrottleKey['kind'], Policy>;

  constructor(
    private readonly clock: Clock,
    limits: ThrottleLimits,
  ) {
    this.policies = {
      account: { free: limits.perAccount, windowMs: 24 * 3600_000, clearOnSuccess: true, flatLockMs: limits.accountLockMs },
      code: { free: 2 * limits.perAccount, windowMs: 24 * 3600_000, clearOnSuccess: false },
      address: { free: limits.perAddress, windowMs: 3600_000, clearOnSuccess: false },
    };
  }

  /**
   * Starts an attempt for these buckets, or throws RetryLaterError (429) when one of them is
   * locked or already has as many attempts in flight as it has failures left.
   */
  begin(keys: ThrottleKey[]): SignInAttempt {
    const now = this.clock.now().getTime();
    let waitMs = 0;
    let accountLocked = false;
    const touched = keys.map((key) => {
      const policy = this.policies[key.kind];
      const bucket = this.bucket(key, now);
      if (bucket.lockedUntil > now) {
        waitMs = Math.max(waitMs, bucket.lockedUntil - now);
        if (policy.flatLockMs) accountLocked = true;
      } else if (bucket.pending >= Math.max(1, policy.free - bucket.failures.length)) waitMs = Math.max(waitMs, BASE_LOCK_MS);
      return { key, policy, bucket };
    });
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      if (accountLocked) throw new RetryLaterError('account_locked', `Too many wrong passwords: this account is locked for ${seconds} s`, seconds);
      throw new RetryLaterError('too_many_sign_in_failures', `Too many failed sign-ins; try again in ${seconds} s`, seconds);
    }
    for (const t of touched) t.bucket.pending++;
    this.evictIfFull(now);

    let ended = false;
    const end = (outcome: 'succeeded' | 'failed' | 'abandoned') => {
      if (ended) return;
      ended = true;
      const at = this.clock.now().getTime();
      for (const { key, policy, bucket } of touched) {
        bucket.pending = Math.max(0, bucket.pending - 1);
        if (outcome === 'failed') {
          bucket.failures.push(at);
          if (bucket.failures.length > policy.free + DOUBLINGS_TO_CAP) bucket.failures.shift();
          const over = bucket.failures.length - policy.free;
          if (over >= 0 && policy.flatLockMs) {
            bucket.lockedUntil = at + policy.flatLockMs;
            // After the lock the name gets its free tries again, as a stored account lock does.
            bucket.failures = [];
          } else if (over >= 0) bucket.lockedUntil = at + Math.min(MAX_LOCK_MS, BASE_LOCK_MS * 2 ** over);
        } else if (outcome === 'succeeded' && policy.clearOnSuccess) {
          bucket.failures = [];
          bucket.lockedUntil = 0;
        }
        this.touch(key, bucket);
      }
    };
    return { succeeded: () => end('succeeded'), failed: () => end('failed'), abandon: () => end('abandoned') };
  }

  /** Forgets a bucket's failures and lock (an administrator reset the account's password). */
  clear(key: ThrottleKey): void {
    this.buckets.delete(`${key.kind}:${key.id}`);
  }

  /** The bucket with failures older than its window dropped (created empty when new). */
  private bucket(key: ThrottleKey, now: number): Bucket {
    const name = `${key.kind}:${key.id}`;
    let bucket = this.buckets.get(name);
    if (!bucket) {
      bucket = { failures: [], lockedUntil: 0, pending: 0 };
      this.buckets.set(name, bucket);
      return bucket;
    }
    const since = now - this.policies[key.kind].windowMs;
    while (bucket.failures.length && bucket.failures[0]! <= since) bucket.failures.shift();
    return bucket;
  }

  /** Moves the bucket to the end of the map (most recently used) or drops it when it holds nothing. */
  private touch(key: ThrottleKey, bucket: Bucket): void {
    const name = `${key.kind}:${key.id}`;
    this.buckets.delete(name);
    if (bucket.failures.length || bucket.pending || bucket.lockedUntil > this.clock.now().getTime()) this.buckets.set(name, bucket);
  }

  private evictIfFull(now: number): void {
    if (this.buckets.size <= MAX_BUCKETS) return;
    for (const [name, bucket] of this.buckets) {
      if (this.buckets.size <= MAX_BUCKETS * 0.9) break;
      if (bucket.pending === 0 && bucket.lockedUntil <= now) this.buckets.delete(name);
    }
  }
}

/**
 * The address a client is counted under: IPv4 as is (IPv4-mapped IPv6 unwrapped), IPv6 by its
 * /64 network, since one subscriber usually holds a whole /64 and could otherwise take a fresh
 * address for every guess.
 */
export function addressBucket(ip: string): string {
  const plain = ip.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain);
  if (mapped) return mapped[1]!;
  if (isIP(plain) !== 6) return plain;
  const [head = '', tail] = plain.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** The bucket a judge code's failures count against: its first characters. */
export function codeBucket(code: string): string {
  return code.slice(0, CODE_PREFIX_LENGTH).toUpperCase();
}
