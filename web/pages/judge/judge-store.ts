import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/**
 * The tablet's own storage (IndexedDB): drafts of sheets being typed, the outbox of submitted
 * sheets not yet acknowledged by the server, and the last panel and contestant list, so a judge
 * can keep marking after a reload with no network.
 *
 * Writes that must survive a flat battery use `durability: 'strict'`: Chromium's default
 * ("relaxed") may report a transaction complete before it reaches the disk.
 */

/**
 * A criterion's key on a sheet: part and criterion, as marks are keyed (two parts may share a
 * criterion id). Drafts written before keys had the part hold bare criterion ids; readers accept
 * those too (see `valueOf` in the marking sheet).
 */
export const sheetKey = (partId: string, criterionId: string) => `${partId}/${criterionId}`;

/** One criterion's entry in a refused sheet, or the sheet as a whole, as the server gave it. */
export type ServerReason = { code: string; message: string };

/** Why the server sent a sheet back: per criterion where it named one, and for the whole sheet. */
export type SheetRefusal = {
  at: number;
  status: number;
  sheet: ServerReason[];
  criteria: Record<string, ServerReason>;
};

/** What a judge has typed for one contestant and not yet had stored. */
export type Draft = {
  /** `${judgeId}:${roundId}:${number}` */
  key: string;
  judgeId: number;
  roundId: number;
  number: number;
  /** Typed text per criterion, by sheetKey (kept as text so "12." survives a reload mid-typing). */
  values: Record<string, string>;
  /** The criterion the judge was on (its sheetKey). */
  current: string | null;
  updatedAt: number;
  refusal?: SheetRefusal;
};

/** One mark as it goes to POST /api/marks; the key is fixed when the sheet is queued. */
export type QueuedMark = {
  idempotencyKey: string;
  /** The event the mark is for: a judge on several events marks each with one code. */
  eventId?: number;
  roundId: number;
  number: number;
  partId: string;
  criterionId: string;
  value: number;
  device?: string;
};

/** A submitted sheet waiting in the outbox. `seq` (auto-increment) is the sending order. */
export type QueuedSheet = {
  seq?: number;
  judgeId: number;
  eventId: number;
  roundId: number;
  number: number;
  draftKey: string;
  marks: QueuedMark[];
  queuedAt: number;
  attempts: number;
  lastError: string | null;
};

export type CacheRecord = { key: string; data: unknown; savedAt: number };

export interface JudgeDbSchema extends DBSchema {
  drafts: { key: string; value: Draft; indexes: { byJudge: number } };
  outbox: { key: number; value: QueuedSheet; indexes: { byJudge: number } };
  cache: { key: string; value: CacheRecord };
}

export type JudgeDb = IDBPDatabase<JudgeDbSchema>;

export const JUDGE_DB_NAME = 'sc-judge';
export const STRICT = { durability: 'strict' } as const;

export function openJudgeDb(name = JUDGE_DB_NAME): Promise<JudgeDb> {
  return openDB<JudgeDbSchema>(name, 1, {
    upgrade(db) {
      db.createObjectStore('drafts', { keyPath: 'key' }).createIndex('byJudge', 'judgeId');
      db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true }).createIndex('byJudge', 'judgeId');
      db.createObjectStore('cache', { keyPath: 'key' });
    },
  });
}

export function draftKey(judgeId: number, roundId: number, number: number): string {
  return `${judgeId}:${roundId}:${number}`;
}

/** Drafts by key, for the marking sheet (an interface, so a test can hand it any store). */
export interface DraftStore {
  get(key: string): Promise<Draft | undefined>;
  put(draft: Draft): Promise<void>;
  delete(key: string): Promise<void>;
}

export function draftStore(db: JudgeDb): DraftStore {
  return {
    get: (key) => db.get('drafts', key),
    async put(draft) {
      const tx = db.transaction('drafts', 'readwrite', STRICT);
      await Promise.all([tx.store.put(draft), tx.done]);
    },
    async delete(key) {
      const tx = db.transaction('drafts', 'readwrite', STRICT);
      await Promise.all([tx.store.delete(key), tx.done]);
    },
  };
}

export function listDrafts(db: JudgeDb, judgeId: number): Promise<Draft[]> {
  return db.getAllFromIndex('drafts', 'byJudge', judgeId);
}

export async function readCache<T>(db: JudgeDb, key: string): Promise<T | undefined> {
  return (await db.get('cache', key))?.data as T | undefined;
}

export async function writeCache(db: JudgeDb, key: string, data: unknown): Promise<void> {
  await db.put('cache', { key, data, savedAt: Date.now() });
}

/**
 * An idempotency key: 128 random bits. `crypto.randomUUID` exists only in secure contexts, and a
 * venue server on the local network is often plain http://192.168.x.x; getRandomValues works there.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return 'jm-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
