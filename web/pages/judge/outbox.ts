import { ApiError, NetworkError } from '../../api/client.ts';
import { STRICT, newIdempotencyKey, sheetKey, type Draft, type JudgeDb, type QueuedMark, type QueuedSheet, type ServerReason, type SheetRefusal } from './judge-store.ts';

/**
 * The judge's outbox: submitted sheets wait here, in IndexedDB, until the server has stored them.
 *
 * Guarantees, and how:
 * - Nothing submitted is lost: `enqueue` commits the sheet (strict durability) before anything
 *   is sent, and a sheet leaves the outbox only in the transaction that records the server's
 *   answer.
 * - Each mark is stored exactly once: every mark gets its idempotency key when the sheet is
 *   queued, and the key never changes. Retrying a sheet the server already stored (the answer was
 *   lost on the way back) is answered `duplicate`, which counts as sent.
 * - Order: one sheet at a time, oldest first (`seq`, auto-increment). A sheet that cannot be sent
 *   now stops the queue, so later sheets never overtake it; only a refusal (4xx) removes it.
 * - One sender: a flush in progress is joined, not doubled, and across tabs a Web Lock (where the
 *   browser has one) serialises the flushes of one judge's queue.
 *
 * It knows nothing of the page: it takes the database and a `send` function, so it can be tested
 * with a send function that fails on purpose.
 */

/** Sends one sheet; resolves when the server has stored (or already had) every mark in it. */
export type SendSheet = (sheet: QueuedSheet) => Promise<void>;

/** What to do after a failed send: try again later, give the sheet back, or wait for a new sign-in. */
export type FailureKind = 'retry' | 'refuse' | 'auth';

export type OutboxOptions = {
  judgeId: number;
  send: SendSheet;
  /** First retry delay; doubles per failed attempt up to `maxDelayMs` (with ±25 % jitter). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  classify?: (error: unknown) => FailureKind;
};

export type OutboxStatus = {
  /** Sheets of this judge waiting to be sent. */
  pending: number;
  sending: boolean;
  /** Why the last attempt failed, until one succeeds. */
  problem: 'network' | 'server' | 'auth' | null;
  /** When the next automatic attempt is due (ms since epoch), if one is scheduled. */
  nextRetryAt: number | null;
};

/** Fired after every change of `status`. */
export class OutboxChangeEvent extends Event {
  static readonly type = 'outbox-change';
  constructor(readonly status: OutboxStatus) {
    super(OutboxChangeEvent.type);
  }
}

/** Fired when the server has stored a sheet (its draft has been cleared). */
export class SheetSentEvent extends Event {
  static readonly type = 'sheet-sent';
  constructor(readonly sheet: QueuedSheet) {
    super(SheetSentEvent.type);
  }
}

/** Fired when the server refused a sheet: it left the outbox and went back to its draft with the reasons. */
export class SheetRefusedEvent extends Event {
  static readonly type = 'sheet-refused';
  constructor(
    readonly sheet: QueuedSheet,
    readonly refusal: SheetRefusal,
  ) {
    super(SheetRefusedEvent.type);
  }
}

/**
 * Network failures, timeouts, answers that are not the API's (a captive portal's page) and
 * server errors are retried; 401 waits for the judge to sign in again; any other 4xx is the
 * server refusing the sheet itself, which no retry would change.
 */
export function classifyFailure(error: unknown): FailureKind {
  if (error instanceof NetworkError) return 'retry';
  if (error instanceof ApiError) {
    if (error.status === 401) return 'auth';
    if (error.status === 408 || error.status === 425 || error.status === 429 || error.status >= 500) return 'retry';
    if (error.status >= 400) return 'refuse';
  }
  return 'retry';
}

/** Field errors of the API (`body.marks.3.value` with "code: message") mapped back onto the sheet's criteria. */
export function refusalOf(sheet: QueuedSheet, error: unknown): SheetRefusal {
  const refusal: SheetRefusal = { at: Date.now(), status: error instanceof ApiError ? error.status : 0, sheet: [], criteria: {} };
  const fieldErrors = error instanceof ApiError ? error.fieldErrors : [];
  for (const fe of fieldErrors) {
    const m = /^body\.marks\.(\d+)\.(\w+)$/.exec(fe.field);
    const split = /^([a-z_]+): (.*)$/s.exec(fe.message);
    const reason: ServerReason = split ? { code: split[1]!, message: split[2]! } : { code: error instanceof ApiError ? error.code : 'error', message: fe.message };
    const mark = m ? sheet.marks[Number(m[1])] : undefined;
    // Value, criterion and panel problems belong to a criterion; number, round and key problems to the sheet.
    if (mark && (m![2] === 'value' || m![2] === 'criterionId' || m![2] === 'partId')) refusal.criteria[sheetKey(mark.partId, mark.criterionId)] = reason;
    else if (!refusal.sheet.some((r) => r.code === reason.code)) refusal.sheet.push(reason);
  }
  if (fieldErrors.length === 0) {
    refusal.sheet.push({
      code: error instanceof ApiError ? error.code : 'error',
      message: error instanceof Error ? error.message : String(error),
    });
  }
  return refusal;
}

export type NewSheet = Omit<QueuedSheet, 'seq' | 'marks' | 'queuedAt' | 'attempts' | 'lastError'> & {
  marks: Omit<QueuedMark, 'idempotencyKey'>[];
};

export class Outbox extends EventTarget {
  private readonly judgeId: number;
  private readonly send: SendSheet;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly classify: (error: unknown) => FailureKind;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private started = false;
  private state: OutboxStatus = { pending: 0, sending: false, problem: null, nextRetryAt: null };

  constructor(
    private readonly db: JudgeDb,
    opts: OutboxOptions,
  ) {
    super();
    this.judgeId = opts.judgeId;
    this.send = opts.send;
    this.baseDelayMs = opts.baseDelayMs ?? 2_000;
    this.maxDelayMs = opts.maxDelayMs ?? 60_000;
    this.classify = opts.classify ?? classifyFailure;
  }

  get status(): OutboxStatus {
    return this.state;
  }

  /**
   * Starts sending: now, whenever the browser comes back online or the tablet wakes up (timers
   * sleep with the screen), and on the retry timer.
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    window.addEventListener('online', this.onOnline);
    document.addEventListener('visibilitychange', this.onVisible);
    void this.flush();
  }

  stop(): void {
    this.started = false;
    window.removeEventListener('online', this.onOnline);
    document.removeEventListener('visibilitychange', this.onVisible);
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private onOnline = () => {
    this.failures = 0;
    void this.flush();
  };

  private onVisible = () => {
    if (document.visibilityState === 'visible' && this.state.pending > 0 && this.state.problem !== 'auth') void this.flush();
  };

  /** This judge's waiting sheets, oldest first. */
  async pending(): Promise<QueuedSheet[]> {
    return this.db.getAllFromIndex('outbox', 'byJudge', this.judgeId);
  }

  /**
   * Queues a sheet: each mark gets its idempotency key here, once, and the sheet is committed to
   * IndexedDB before this resolves. Sending starts afterwards (when started); its outcome is
   * reported by events, never by this promise.
   */
  async enqueue(input: NewSheet): Promise<QueuedSheet> {
    const sheet: QueuedSheet = {
      ...input,
      marks: input.marks.map((m) => ({ ...m, idempotencyKey: newIdempotencyKey() })),
      queuedAt: Date.now(),
      attempts: 0,
      lastError: null,
    };
    const tx = this.db.transaction('outbox', 'readwrite', STRICT);
    const seq = await tx.store.add(sheet);
    await tx.done;
    sheet.seq = seq;
    await this.refreshCount();
    // A new sheet is a good moment to try again (the backoff keeps growing if it fails);
    // after a 401 only a new sign-in helps.
    if (this.started && this.state.problem !== 'auth') void this.flush();
    return sheet;
  }

  /** Tries now (a button, or after a new sign-in), whatever the backoff said. */
  retryNow(): Promise<void> {
    this.failures = 0;
    return this.flush();
  }

  /**
   * Sends waiting sheets one at a time, oldest first, until the queue is empty or a send fails.
   * Concurrent calls join the running flush (which then looks once more).
   */
  flush(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.withLock(() => this.sendAll());
        } while (this.again && this.state.problem === null);
      } catch (error) {
        // IndexedDB itself failed (quota, a closed database): the sheets stay where they were; try later.
        console.error('outbox: sending stopped', error);
        this.failures++;
        this.scheduleRetry('server');
      } finally {
        this.running = null;
        this.update({ sending: false });
      }
    })();
    return this.running;
  }

  private async withLock(fn: () => Promise<void>): Promise<void> {
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    if (!locks) return fn();
    await locks.request(`sc-judge-outbox-${this.judgeId}`, fn);
  }

  private async sendAll(): Promise<void> {
    // Another tab, or the last session, may have changed the queue since this one last looked.
    await this.refreshCount();
    for (;;) {
      const head = await this.head();
      if (!head) {
        this.update({ pending: 0, problem: null, nextRetryAt: null });
        return;
      }
      this.update({ sending: true, nextRetryAt: null });
      try {
        await this.send(head);
      } catch (error) {
        const kind = this.classify(error);
        if (kind === 'refuse') {
          const refusal = refusalOf(head, error);
          await this.giveBack(head, refusal);
          this.dispatchEvent(new SheetRefusedEvent(head, refusal));
          await this.refreshCount();
          continue;
        }
        await this.noteAttempt(head, error);
        if (kind === 'auth') {
          // No timer: sending waits for the judge to sign in again (retryNow).
          this.update({ sending: false, problem: 'auth', nextRetryAt: null });
          return;
        }
        this.failures++;
        this.scheduleRetry(error instanceof NetworkError ? 'network' : 'server');
        return;
      }
      this.failures = 0;
      await this.markSent(head);
      this.update({ problem: null });
      this.dispatchEvent(new SheetSentEvent(head));
      await this.refreshCount();
    }
  }

  private async head(): Promise<QueuedSheet | undefined> {
    const cursor = await this.db.transaction('outbox').store.index('byJudge').openCursor(IDBKeyRange.only(this.judgeId));
    return cursor?.value;
  }

  private scheduleRetry(problem: 'network' | 'server'): void {
    const exp = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(20, this.failures - 1));
    const delay = Math.round(exp * (0.75 + Math.random() * 0.5));
    this.update({ sending: false, problem, nextRetryAt: Date.now() + delay });
    if (!this.started) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), delay);
  }

  /** The server has the sheet: it leaves the outbox and its values leave the draft, in one transaction. */
  private async markSent(sheet: QueuedSheet): Promise<void> {
    const tx = this.db.transaction(['outbox', 'drafts'], 'readwrite', STRICT);
    const drafts = tx.objectStore('drafts');
    await tx.objectStore('outbox').delete(sheet.seq!);
    const draft = await drafts.get(sheet.draftKey);
    if (draft) {
      const values = { ...draft.values };
      for (const m of sheet.marks) {
        delete values[sheetKey(m.partId, m.criterionId)];
        delete values[m.criterionId]; // a draft from before keys had the part
      }
      const rest = Object.values(values).some((v) => v !== '');
      if (rest) await drafts.put({ ...draft, values, refusal: undefined, updatedAt: Date.now() });
      else await drafts.delete(sheet.draftKey);
    }
    await tx.done;
  }

  /** A refused sheet goes back to its draft (recreated from the sheet if it is gone), with the reasons. */
  private async giveBack(sheet: QueuedSheet, refusal: SheetRefusal): Promise<void> {
    const tx = this.db.transaction(['outbox', 'drafts'], 'readwrite', STRICT);
    const drafts = tx.objectStore('drafts');
    await tx.objectStore('outbox').delete(sheet.seq!);
    const existing = await drafts.get(sheet.draftKey);
    const values: Record<string, string> = { ...existing?.values };
    for (const m of sheet.marks) {
      // A draft from before keys had the part holds the bare criterion id: move it under the key.
      values[sheetKey(m.partId, m.criterionId)] ??= values[m.criterionId] ?? String(m.value);
      delete values[m.criterionId];
    }
    const refused = sheet.marks.find((m) => refusal.criteria[sheetKey(m.partId, m.criterionId)]);
    const firstRefused = refused ? sheetKey(refused.partId, refused.criterionId) : undefined;
    const first = sheet.marks[0];
    const draft: Draft = {
      key: sheet.draftKey,
      judgeId: sheet.judgeId,
      roundId: sheet.roundId,
      number: sheet.number,
      values,
      current: firstRefused ?? existing?.current ?? (first ? sheetKey(first.partId, first.criterionId) : null),
      updatedAt: Date.now(),
      refusal,
    };
    await drafts.put(draft);
    await tx.done;
  }

  private async noteAttempt(sheet: QueuedSheet, error: unknown): Promise<void> {
    const tx = this.db.transaction('outbox', 'readwrite');
    const row = await tx.store.get(sheet.seq!);
    if (row) await tx.store.put({ ...row, attempts: row.attempts + 1, lastError: error instanceof Error ? error.message : String(error) });
    await tx.done;
  }

  private async refreshCount(): Promise<void> {
    this.update({ pending: await this.db.countFromIndex('outbox', 'byJudge', this.judgeId) });
  }

  private update(patch: Partial<OutboxStatus>): void {
    const next = { ...this.state, ...patch };
    if (
      next.pending === this.state.pending &&
      next.sending === this.state.sending &&
      next.problem === this.state.problem &&
      next.nextRetryAt === this.state.nextRetryAt
    )
      return;
    this.state = next;
    this.dispatchEvent(new OutboxChangeEvent(next));
  }
}
