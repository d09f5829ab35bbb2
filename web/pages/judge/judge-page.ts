import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { JudgePanel, MarkOut } from '../../../server/contracts/marks.ts';
import type { Scheme } from '../../../server/contracts/scheme.ts';
import { ApiError, NetworkError, api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { takeCodeFromAddress } from '../../app/sign-in-code.ts';
import { OfflineSessionEvent, SessionChangedEvent, type Session } from '../../app/session.ts';
import '../../i18n/judge.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { borderBox } from './judge-styles.ts';
import { OpenContestantEvent, tileState, type JudgeEntry, type LocalState } from './contestant-list.ts';
import './contestant-list.ts';
import { draftKey, draftStore, listDrafts, openJudgeDb, readCache, sheetKey, writeCache, type DraftStore, type JudgeDb, type QueuedSheet } from './judge-store.ts';
import { SheetSubmitEvent } from './marking-sheet.ts';
import './marking-sheet.ts';
import { keepPageForOffline } from './offline-cache.ts';
import { addSignedOutListener, addSignOutGuard } from '../../app/sign-out.ts';
import { Outbox, OutboxChangeEvent, SheetRefusedEvent, SheetSentEvent, type OutboxStatus, type SendSheet } from './outbox.ts';
import { CorrectionRequestedEvent } from './own-marks.ts';
import './own-marks.ts';

type JudgeSession = Extract<Session, { kind: 'judge' }>;

/** GET /api/judge/panel */
export type Panel = JudgePanel;

/** Which panel the tablet shows: an event, and one part of it or (null) every part the judge marks there. */
type Focus = { eventId: number; partId: string | null };

const FOCUS_KEY = 'sc.judge.focus';
/**
 * How often an open sheet asks for the contestant list again while online: the chief judge may
 * declare an element void meanwhile, and the sheet then strikes it through without leaving it.
 */
const SHEET_REFRESH_MS = 15_000;

/**
 * The scheme as this judge marks it in the current round: only the parts (and, for per-criterion
 * panels, the criteria) they are seated on, and only the focused part when one is chosen.
 */
export function markScheme(panel: Panel, partId: string | null): Pick<Scheme, 'parts'> {
  const parts = panel.scheme.parts.flatMap((part) => {
    if (partId && part.id !== partId) return [];
    const seats = panel.seats.filter((x) => x.partId === part.id);
    if (seats.length === 0) return [];
    if (seats.some((x) => x.criterionId == null)) return [part];
    return [{ ...part, criteria: part.criteria.filter((c) => seats.some((x) => x.criterionId === c.id)) }];
  });
  return { parts };
}

type View = { kind: 'list' } | { kind: 'sheet'; number: number } | { kind: 'marks'; number: number };
type Phase = 'starting' | 'signing-in' | 'sign-in' | 'loading' | 'ready' | 'failed';

const DEVICE_KEY = 'sc.judge.device';

/** A stable id for this tablet, recorded with each mark (the audit trail shows which device sent it). */
function deviceId(): string {
  try {
    let id = localStorage.getItem(DEVICE_KEY);
    if (!id) {
      id = 'tablet-' + Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, '0')).join('');
      localStorage.setItem(DEVICE_KEY, id);
    }
    return id;
  } catch {
    return 'tablet';
  }
}

/**
 * `sc-judge-page` (/judge): the judge's tablet. Signs in with the code from the chief judge
 * (`/judge#code=…`, then the code leaves the URL), lists the contestants by drawn number, opens a
 * marking sheet per contestant, queues submitted sheets in an IndexedDB outbox that drains when
 * the network allows, and shows the judge's stored marks with correction requests.
 *
 * Keeps working with no network once opened: the panel, the list and stored marks are cached,
 * drafts and the outbox live in IndexedDB. The view is in the URL (`?n=12`, `&view=marks`), so
 * a reload returns to the same sheet and the tablet's back gesture returns to the list.
 */
@customElement('sc-judge-page')
export class JudgePage extends LitElement {
  static override styles = [
    sharedStyles,
    borderBox,
    css`
      :host {
        display: flex;
        flex-direction: column;
        height: calc(100dvh - var(--judge-top, 57px));
        min-height: 360px;
        overflow: hidden;
      }
      .jbar {
        display: flex;
        align-items: center;
        gap: 10px;
        padding: 4px 16px;
        min-height: 52px;
        background: #1c2430;
        color: #fff;
        flex-wrap: wrap;
      }
      .ev {
        flex: 1;
        min-width: 0;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .ev b {
        font-size: 18px;
      }
      .ev span {
        color: #c3cbd6;
        font-size: 14px;
        margin-left: 8px;
      }
      .net {
        font-size: 15px;
        white-space: nowrap;
        padding: 4px 10px;
        border-radius: 999px;
        background: #25603a;
      }
      .offline-ready {
        font-size: 13px;
        white-space: nowrap;
        color: #c3cbd6;
      }
      .net.offline {
        background: var(--sc-danger);
      }
      .net.unstable {
        background: var(--sc-warn);
      }
      .queue {
        min-height: 40px;
        font-size: 15px;
        font-weight: 600;
        background: #ffb020;
        border-color: #ffb020;
        color: #1c2430;
        white-space: nowrap;
      }
      .queue.auth {
        background: #fff;
        border-color: #fff;
        color: var(--sc-danger);
      }
      .main {
        flex: 1;
        min-height: 0;
        overflow-y: auto;
        position: relative;
      }
      .main.fill {
        overflow: hidden;
      }
      .notice {
        margin: 12px 16px 0;
        padding: 10px 14px;
        border-radius: 10px;
        background: #fff4e5;
        color: var(--sc-warn);
        border: 1px solid #f7d4a8;
        font-size: 16px;
      }
      .notice.recusal {
        background: #fff8ef;
        color: #8a5a1c;
        border-color: #e0a35c;
        font-weight: 600;
      }
      .panels {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px 12px;
        margin: 12px 16px 0;
        font-size: 17px;
      }
      .panels .switch {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
      }
      .panels .switch button {
        min-height: 44px;
        font-size: 16px;
        border-radius: 999px;
        padding: 0 16px;
      }
      .panels .switch button[aria-pressed='true'] {
        background: var(--sc-fg);
        border-color: var(--sc-fg);
        color: #fff;
      }
      .notice.danger {
        background: #fdecea;
        color: var(--sc-danger);
        border-color: #f5c2bd;
      }
      .signin {
        max-width: 520px;
        margin: 48px auto;
        padding: 24px;
      }
      .signin h2 {
        margin: 0 0 8px;
        font-size: 24px;
      }
      .signin .reason {
        font-size: 17px;
        min-height: 1.4em;
      }
      .signin form {
        display: flex;
        gap: 10px;
        flex-wrap: wrap;
      }
      .signin input {
        flex: 1;
        min-width: 0;
        min-height: 64px;
        font-size: 30px;
        letter-spacing: 0.2em;
        text-transform: uppercase;
        font-family: ui-monospace, monospace;
      }
      .signin button {
        min-height: 64px;
        font-size: 20px;
        padding: 0 28px;
      }
      .center {
        padding: 48px 16px;
        text-align: center;
        font-size: 18px;
      }
      /* At the top, over the app title: the bottom of the screen is the keypad's. */
      .toast {
        position: fixed;
        left: 50%;
        top: 8px;
        transform: translateX(-50%);
        max-width: min(92vw, 640px);
        padding: 12px 20px;
        border-radius: 12px;
        background: #1c2430;
        color: #fff;
        font-size: 17px;
        box-shadow: 0 6px 24px rgb(0 0 0 / 25%);
        z-index: 10;
        pointer-events: none;
      }
      .toast.bad {
        background: var(--sc-danger);
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  /** Set by the shell's router. */
  @property() path = '/judge';

  @state() private phase: Phase = 'starting';
  private removeSignOutGuard?: () => void;
  private removeSignedOutListener?: () => void;
  @state() private signInReason = '';
  @state() private signInCode = '';
  @state() private failure = '';
  @state() private session: JudgeSession | null = null;
  @state() private panel: Panel | null = null;
  @state() private entries: JudgeEntry[] = [];
  @state() private local = new Map<number, LocalState>();
  @state() private view: View = { kind: 'list' };
  @state() private outboxStatus: OutboxStatus = { pending: 0, sending: false, problem: null, nextRetryAt: null };
  @state() private browserOnline = navigator.onLine;
  /** The page and its assets are in the service worker's cache: a reload without network works. */
  @state() private offlineReady = false;
  /** A read failed for want of network (data shown from the tablet's cache). */
  @state() private stale = false;
  @state() private othersWaiting = 0;
  @state() private locked: Record<string, number> = {};
  @state() private queued: QueuedSheet | null = null;
  @state() private marks: MarkOut[] = [];
  /** The judge's own values for other contestants (see ownValuesBesides). */
  @state() private ownValues: Record<string, number[]> = {};
  @state() private pendingCorrections = new Set<number>();
  @state() private sheetEpoch = 0;
  @state() private toast: { text: string; bad: boolean } | null = null;
  @state() private panelFocus: Focus | null = null;

  private db: JudgeDb | null = null;
  private drafts: DraftStore | null = null;
  private outbox: Outbox | null = null;
  /** The judge whose queue `outbox` sends (a shared tablet may hold other judges' sheets too). */
  private outboxJudge = 0;
  private toastTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private sheetRefresh: ReturnType<typeof setInterval> | undefined;
  /** Whether the current sheet/marks view was pushed on top of the list in this page's history. */
  private pushed = false;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this.onPopState);
    window.addEventListener('online', this.onNetChange);
    window.addEventListener('offline', this.onNetChange);
    window.addEventListener('resize', this.measureTop);
    // Signing out with sheets still waiting: the shell's confirmation says how many, and that they stay on the tablet.
    this.removeSignOutGuard = addSignOutGuard(() => {
      const n = this.outboxStatus.pending;
      return n > 0 ? t(n === 1 ? 'judge.signOut.pendingOne' : 'judge.signOut.pending', { count: n }) : null;
    });
    this.removeSignedOutListener = addSignedOutListener(() => this.signedOut());
    this.sheetRefresh = setInterval(() => {
      if (this.phase === 'ready' && this.view.kind === 'sheet' && navigator.onLine) void this.reloadEntries();
    }, SHEET_REFRESH_MS);
    void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('popstate', this.onPopState);
    window.removeEventListener('online', this.onNetChange);
    window.removeEventListener('offline', this.onNetChange);
    window.removeEventListener('resize', this.measureTop);
    this.removeSignOutGuard?.();
    this.removeSignedOutListener?.();
    this.outbox?.stop();
    clearTimeout(this.toastTimer);
    clearTimeout(this.refreshTimer);
    clearInterval(this.sheetRefresh);
  }

  override firstUpdated(): void {
    this.measureTop();
  }

  /** The page fills the screen below the shell's bar, so the keypad sits at the bottom edge. */
  private measureTop = () => {
    const top = this.getBoundingClientRect().top + window.scrollY;
    this.style.setProperty('--judge-top', `${Math.max(0, Math.round(top))}px`);
  };

  private onNetChange = () => {
    this.browserOnline = navigator.onLine;
    if (navigator.onLine && this.phase === 'ready') void this.reloadEntries();
  };

  private onPopState = () => {
    if (this.phase === 'ready') void this.showFromUrl(false);
  };

  // ---- sign-in ------------------------------------------------------------------------------

  private async start(): Promise<void> {
    try {
      this.db = await openJudgeDb();
      this.drafts = draftStore(this.db);
    } catch (err) {
      this.phase = 'failed';
      this.failure = t('judge.storageUnavailable', { message: err instanceof Error ? err.message : String(err) });
      return;
    }
    const code = takeCodeFromAddress();
    if (code) {
      await this.signIn(code);
      return;
    }
    await this.resume();
  }

  private async resume(): Promise<void> {
    this.phase = 'loading';
    try {
      // /auth/session answers null for a visitor (no 401 in the console); no network still throws.
      const me = (await api<{ session: Session }>('GET', '/api/auth/session')).session;
      if (me?.kind === 'judge') return this.enter(me);
      this.askForCode(me ? t('judge.signIn.staff') : t('judge.signIn.prompt'));
    } catch (err) {
      if (err instanceof NetworkError) {
        // No network: carry on as the judge who last signed in on this tablet; the outbox sends
        // under that session once the network is back (or asks for the code if it expired).
        const cached = this.db ? await readCache<JudgeSession>(this.db, 'session') : undefined;
        if (cached) {
          this.stale = true;
          this.dispatchEvent(new OfflineSessionEvent(cached));
          return this.enter(cached);
        }
        this.askForCode(t('judge.signIn.offline'));
      } else this.askForCode(t('judge.signIn.prompt'));
    }
  }

  /**
   * After the shell signed the judge out (online or not): stop sending, forget the judge kept for
   * offline use and ask for a code. Queued sheets stay in the outbox for the next sign-in.
   */
  private async signedOut(): Promise<void> {
    this.outbox?.stop();
    this.outbox = null;
    this.outboxJudge = 0;
    this.session = null;
    this.panel = null;
    this.view = { kind: 'list' };
    if (this.db) await writeCache(this.db, 'session', null);
    this.askForCode(t('judge.signIn.prompt'));
  }

  private askForCode(reason: string, code = ''): void {
    this.phase = 'sign-in';
    this.signInReason = reason;
    this.signInCode = code;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('input[name="code"]')?.focus());
  }

  private async signIn(raw: string): Promise<void> {
    const code = raw.trim().toUpperCase();
    if (!/^[A-Z0-9]{8}$/.test(code)) return this.askForCode(t('judge.signIn.format'), code);
    this.phase = 'signing-in';
    try {
      const me = await api<Session>('POST', '/api/auth/judge-login', { code });
      this.dispatchEvent(new SessionChangedEvent());
      if (me?.kind === 'judge') await this.enter(me);
    } catch (err) {
      if (err instanceof NetworkError) this.askForCode(t('judge.signIn.offline'), code);
      else if (err instanceof ApiError && err.status === 429)
        this.askForCode(t('judge.signIn.tooMany', { seconds: err.params.retryAfterSeconds ?? 60 }), code);
      else if (err instanceof ApiError && err.status === 400) this.askForCode(t('judge.signIn.format'), code);
      else this.askForCode(t('judge.signIn.invalid'), code);
    }
  }

  private onSignInSubmit(e: SubmitEvent): void {
    e.preventDefault();
    const code = new FormData(e.target as HTMLFormElement).get('code');
    void this.signIn(String(code ?? ''));
  }

  private async enter(session: JudgeSession): Promise<void> {
    // A session cached offline by an older version of the page knows one event and no list.
    const legacy = session as JudgeSession & { events?: JudgeSession['events'] };
    const me: JudgeSession = legacy.events
      ? session
      : { ...session, events: session.eventId != null && session.role ? [{ eventId: session.eventId, eventName: '', role: session.role }] : [] };
    const marking = me.events.filter((e) => e.role === 'judge');
    if (marking.length === 0) {
      if (me.events.length === 0) {
        this.phase = 'failed';
        this.failure = t('judge.noEvent');
        return;
      }
      // Chief judges, supervisors and scorers have their own pages; the home page sends every code here.
      const watches = me.events.some((e) => e.role === 'chief' || e.role === 'supervisor');
      history.replaceState(null, '', watches ? '/chief' : '/scorer');
      window.dispatchEvent(new PopStateEvent('popstate'));
      return;
    }
    const db = this.db!;
    this.session = me;
    this.phase = 'loading';
    this.panelFocus = this.savedFocus(me) ?? { eventId: marking[0]!.eventId, partId: null };
    await writeCache(db, 'session', me);
    // A new sign-in (another judge on a shared tablet, or after an expired session) restarts sending.
    if (!this.outbox || this.outboxJudge !== me.judgeId) this.startOutbox(me.judgeId);
    else void this.outbox.retryNow();
    await this.loadPanel();
  }

  private startOutbox(judgeId: number): void {
    this.outbox?.stop();
    const send: SendSheet = async (sheet) => {
      const res = await api<{ results: { idempotencyKey: string; outcome: 'stored' | 'duplicate' }[] }>(
        'POST',
        '/api/marks',
        { marks: sheet.marks },
        { timeoutMs: 20_000 },
      );
      const answered = new Set(res.results.map((r) => r.idempotencyKey));
      // Anything short of an answer for every key is not a delivery: keep the sheet and retry.
      if (!sheet.marks.every((m) => answered.has(m.idempotencyKey))) throw new Error('incomplete answer from the server');
      this.stale = false;
    };
    const outbox = new Outbox(this.db!, { judgeId, send });
    outbox.addEventListener(OutboxChangeEvent.type, (e) => {
      this.outboxStatus = (e as OutboxChangeEvent).status;
    });
    outbox.addEventListener(SheetSentEvent.type, (e) => {
      const sheet = (e as SheetSentEvent).sheet;
      this.showToast(t('judge.toast.sent', { number: sheet.number }));
      this.countDelivered(sheet);
      this.scheduleRefresh();
    });
    outbox.addEventListener(SheetRefusedEvent.type, (e) => {
      const { sheet } = e as SheetRefusedEvent;
      this.showToast(t('judge.toast.refused', { number: sheet.number }), true);
      void this.refreshLocal();
      if (this.view.kind === 'sheet' && this.view.number === sheet.number) void this.openSheet(sheet.number, false);
    });
    this.outbox = outbox;
    this.outboxJudge = judgeId;
    outbox.start();
  }

  // ---- data ---------------------------------------------------------------------------------

  /** GET with the tablet's cache behind it: fresh data is cached, and a failed network falls back to it. */
  private async fetchCached<T>(path: string, cacheKey: string): Promise<T | undefined> {
    try {
      const data = await api<T>('GET', path);
      await writeCache(this.db!, cacheKey, data);
      this.stale = false;
      return data;
    } catch (err) {
      if (err instanceof NetworkError) {
        this.stale = true;
        return readCache<T>(this.db!, cacheKey);
      }
      if (err instanceof ApiError && err.status === 401) {
        this.askForCode(t('judge.signIn.expired'));
        return undefined;
      }
      throw err;
    }
  }

  /** The panel this judge last looked at on this tablet, if they still sit on it. */
  private savedFocus(me: JudgeSession): Focus | null {
    try {
      const saved = JSON.parse(localStorage.getItem(`${FOCUS_KEY}.${me.judgeId}`) ?? 'null') as Focus | null;
      return saved && me.events.some((e) => e.eventId === saved.eventId && e.role === 'judge') ? saved : null;
    } catch {
      return null;
    }
  }

  /** Switches to another panel (another event, or one part of this one): back to the list. */
  private async switchFocus(focus: Focus): Promise<void> {
    const eventChanged = focus.eventId !== this.panelFocus?.eventId;
    this.panelFocus = focus;
    try {
      localStorage.setItem(`${FOCUS_KEY}.${this.session!.judgeId}`, JSON.stringify(focus));
    } catch {
      // Private mode: the choice lasts for this visit.
    }
    history.replaceState(null, '', '/judge');
    this.view = { kind: 'list' };
    if (eventChanged) await this.loadPanel();
    else {
      this.entries = [];
      await this.reloadEntries();
    }
  }

  private async loadPanel(): Promise<void> {
    const judgeId = this.session!.judgeId;
    const eventId = this.panelFocus!.eventId;
    try {
      const panel = await this.fetchCached<Panel>(`/api/judge/panel?eventId=${eventId}`, `panel:${judgeId}:${eventId}`);
      if (this.phase === 'sign-in') return;
      if (!panel) {
        this.phase = 'failed';
        this.failure = t('judge.needNetworkFirst');
        return;
      }
      this.panel = panel;
      await this.reloadEntries();
      this.phase = 'ready';
      keepPageForOffline()
        .then((ready) => (this.offlineReady = ready))
        .catch(() => undefined);
      await this.showFromUrl(false);
    } catch (err) {
      this.phase = 'failed';
      this.failure = t('app.error', { message: err instanceof Error ? err.message : String(err) });
    }
  }

  private get roundId(): number {
    return this.panel?.currentRoundId ?? 0;
  }

  private get eventId(): number {
    return this.panel?.event.id ?? this.panelFocus?.eventId ?? 0;
  }

  /** The focused part, if the judge still marks it in this round (else every part they mark). */
  private get partId(): string | null {
    const p = this.panelFocus?.partId ?? null;
    return p && this.panel?.seats.some((x) => x.partId === p) ? p : null;
  }

  private async reloadEntries(): Promise<void> {
    if (!this.panel || !this.session) return;
    const part = this.partId;
    const list = await this.fetchCached<JudgeEntry[]>(
      `/api/judge/entries?eventId=${this.eventId}&roundId=${this.roundId}${part ? `&partId=${encodeURIComponent(part)}` : ''}`,
      `entries:${this.session.judgeId}:${this.roundId}:${part ?? ''}`,
    );
    if (list) this.entries = list;
    await this.refreshLocal();
  }

  /**
   * Counts a delivered sheet's marks on its contestant at once: the tile goes from 待发送 straight
   * to 已提交, never back to 未评 while the list is being fetched again.
   */
  private countDelivered(sheet: { roundId: number; number: number; marks: unknown[] }): void {
    if (sheet.roundId !== this.roundId) return;
    this.entries = this.entries.map((e) => {
      if (e.number !== sheet.number) return e;
      const marked = Math.min(e.criteria, e.marked + sheet.marks.length);
      return { ...e, marked, state: marked >= e.criteria ? 'submitted' : 'partial' };
    });
  }

  /** Refreshes the list soon (several sheets sent in a row cause one request), and a sheet on screen that was waiting. */
  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(async () => {
      await this.reloadEntries();
      if (this.view.kind === 'sheet' && this.queued && !this.local.get(this.view.number)?.queued) await this.showFromUrl(this.pushed);
    }, 300);
    void this.refreshLocal();
  }

  /** What this tablet knows per contestant: drafts, refusals, queued sheets. */
  private async refreshLocal(): Promise<void> {
    if (!this.db || !this.session || !this.outbox) return;
    const [drafts, queued, total] = await Promise.all([listDrafts(this.db, this.session.judgeId), this.outbox.pending(), this.db.count('outbox')]);
    const local = new Map<number, LocalState>();
    const at = (n: number) => local.get(n) ?? (local.set(n, { queued: false, draft: false, refused: false }), local.get(n)!);
    for (const d of drafts) {
      if (d.roundId !== this.roundId) continue;
      if (Object.values(d.values).some((v) => v !== '')) at(d.number).draft = true;
      if (d.refusal) at(d.number).refused = true;
    }
    for (const q of queued) if (q.roundId === this.roundId) at(q.number).queued = true;
    this.local = local;
    this.othersWaiting = total - queued.length;
  }

  // ---- views --------------------------------------------------------------------------------

  /** Shows what the URL says (`?n=12`, `&view=marks`). */
  private async showFromUrl(pushed: boolean): Promise<void> {
    const params = new URLSearchParams(location.search);
    const n = Number(params.get('n'));
    if (!n) {
      this.view = { kind: 'list' };
      this.pushed = false;
      void this.reloadEntries();
      return;
    }
    this.pushed = pushed;
    if (params.get('view') === 'marks') await this.openMarks(n);
    else await this.openSheet(n, true);
  }

  private go(search: string): void {
    history.pushState(null, '', `/judge${search}`);
    void this.showFromUrl(true);
  }

  private backToList(): void {
    if (this.pushed) history.back();
    else {
      history.replaceState(null, '', '/judge');
      void this.showFromUrl(false);
    }
  }

  private onOpenContestant(number: number): void {
    const entry = this.entries.find((e) => e.number === number);
    if (!entry) return;
    const s = tileState(entry, this.local.get(number));
    this.go(s === 'submitted' || s === 'correction_pending' ? `?n=${number}&view=marks` : `?n=${number}`);
  }

  private async openSheet(number: number, chooseView: boolean): Promise<void> {
    const entry = this.entries.find((e) => e.number === number);
    const s = entry ? tileState(entry, this.local.get(number)) : 'not_started';
    if (chooseView && (s === 'submitted' || s === 'correction_pending')) return this.openMarks(number);
    const queued = (await this.outbox!.pending()).filter((q) => q.number === number && q.roundId === this.roundId);
    let locked: Record<string, number> = {};
    if (entry && entry.marked > 0) {
      const marks = await this.fetchCached<MarkOut[]>(
        `/api/judge/marks?eventId=${this.eventId}&number=${number}&roundId=${this.roundId}`,
        `marks:${this.session!.judgeId}:${this.roundId}:${number}`,
      );
      locked = Object.fromEntries((marks ?? []).map((m) => [sheetKey(m.partId, m.criterionId), m.value]));
    }
    this.locked = locked;
    this.queued = queued[queued.length - 1] ?? null;
    this.ownValues = await this.ownValuesBesides(number);
    this.sheetEpoch++;
    this.view = { kind: 'sheet', number };
  }

  /** This judge's current marks in the round for every other contestant, by criterion (the sheet's soft check). */
  private async ownValuesBesides(number: number): Promise<Record<string, number[]>> {
    const marks = await this.fetchCached<MarkOut[]>(
      `/api/judge/marks?eventId=${this.eventId}&roundId=${this.roundId}`,
      `marks:${this.session!.judgeId}:${this.roundId}:all`,
    );
    const out: Record<string, number[]> = {};
    for (const m of marks ?? []) if (m.number !== number) (out[sheetKey(m.partId, m.criterionId)] ??= []).push(m.value);
    return out;
  }

  private async openMarks(number: number): Promise<void> {
    const marks = await this.fetchCached<MarkOut[]>(
      `/api/judge/marks?eventId=${this.eventId}&number=${number}&roundId=${this.roundId}`,
      `marks:${this.session!.judgeId}:${this.roundId}:${number}`,
    );
    this.marks = marks ?? [];
    this.view = { kind: 'marks', number };
  }

  private async onSheetSubmit(e: SheetSubmitEvent): Promise<void> {
    const s = this.session!;
    const device = deviceId();
    try {
      const eventId = this.eventId;
      await this.outbox!.enqueue({
        judgeId: s.judgeId,
        eventId,
        roundId: e.roundId,
        number: e.number,
        draftKey: draftKey(s.judgeId, e.roundId, e.number),
        marks: e.marks.map((m) => ({ ...m, eventId, roundId: e.roundId, number: e.number, device, signedOffAt: e.signedOffAt })),
      });
    } catch (err) {
      // Not in the outbox: stay on the sheet (the draft still holds every value).
      this.showToast(t('judge.toast.notQueued', { message: err instanceof Error ? err.message : String(err) }), true);
      return;
    }
    this.showToast(navigator.onLine ? t('judge.toast.queuedOnline', { number: e.number }) : t('judge.toast.queuedOffline', { number: e.number }));
    await this.refreshLocal();
    this.backToList();
  }

  private onCorrectionRequested(e: CorrectionRequestedEvent): void {
    this.pendingCorrections = new Set(this.pendingCorrections).add(e.markId);
    this.showToast(t('judge.toast.correction'));
    void this.reloadEntries();
  }

  private showToast(text: string, bad = false): void {
    this.toast = { text, bad };
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => (this.toast = null), 4000);
  }

  // ---- rendering ----------------------------------------------------------------------------

  private netState(): 'online' | 'offline' | 'unstable' {
    if (!this.browserOnline) return 'offline';
    if (this.outboxStatus.problem === 'network' || this.outboxStatus.problem === 'server' || this.stale) return 'unstable';
    return 'online';
  }

  private renderBar() {
    const p = this.panel;
    const round = p?.rounds.find((r) => r.id === p.currentRoundId);
    const net = this.netState();
    const st = this.outboxStatus;
    return html`<div class="jbar">
      <div class="ev">
        ${p ? html`<b>${p.event.name}</b><span>${round?.name ?? ''} · ${this.session?.name ?? ''}</span>` : html`<b>${t('judge.title')}</b>`}
      </div>
      ${this.offlineReady
        ? html`<span class="offline-ready" data-testid="offline-ready" title=${t('judge.offlineReady.hint')}>✓ ${t('judge.offlineReady')}</span>`
        : nothing}
      <span class="net ${net}" data-testid="net-status" role="status">● ${t(`judge.net.${net}`)}</span>
      ${st.pending > 0 || st.problem === 'auth'
        ? html`<button
            type="button"
            class="queue ${st.problem === 'auth' ? 'auth' : ''}"
            data-testid="queue-indicator"
            title=${t('judge.queue.retry')}
            @click=${() => (st.problem === 'auth' ? this.askForCode(t('judge.signIn.expired')) : void this.outbox?.retryNow())}
          >
            ⇡ ${t(st.pending === 1 ? 'judge.queue.waitingOne' : 'judge.queue.waiting', { count: st.pending })}${st.sending ? ` · ${t('judge.queue.sending')}` : ''}
          </button>`
        : nothing}
    </div>`;
  }

  /** "您评：飞行操控" and, for a judge on several panels, the panels to switch between. */
  private renderPanels() {
    const p = this.panel;
    if (!p) return nothing;
    const options: { focus: Focus; label: string }[] = [];
    const several = p.events.filter((e) => e.role === 'judge' && e.parts.length > 0);
    for (const e of several) {
      const prefix = several.length > 1 ? `${e.eventName} · ` : '';
      if (e.parts.length > 1) options.push({ focus: { eventId: e.eventId, partId: null }, label: `${prefix}${t('judge.allParts')}` });
      for (const part of e.parts) options.push({ focus: { eventId: e.eventId, partId: part.partId }, label: `${prefix}${part.name}` });
    }
    const mine = markScheme(p, null).parts.map((x) => x.name);
    const current = (o: Focus) => o.eventId === this.eventId && o.partId === this.partId;
    return html`<div class="panels" data-testid="panels">
      <span class="you-mark" data-testid="you-mark">${t('judge.youMark')}：<b>${mine.length ? mine.join('、') : '—'}</b></span>
      ${options.length > 1
        ? html`<div class="switch" role="group" aria-label=${t('judge.switchPanel')} data-testid="panel-switch">
            ${options.map(
              (o) => html`<button
                type="button"
                aria-pressed=${current(o.focus) ? 'true' : 'false'}
                data-event=${o.focus.eventId}
                data-part=${o.focus.partId ?? ''}
                @click=${() => void this.switchFocus(o.focus)}
              >
                ${o.label}
              </button>`,
            )}
          </div>`
        : nothing}
    </div>`;
  }

  private renderNotices() {
    const p = this.panel;
    const round = p?.rounds.find((r) => r.id === p.currentRoundId);
    return html`${p && p.seats.length === 0 ? html`<p class="notice" data-testid="no-parts">${t('judge.noParts')}</p>` : nothing}
    ${p && p.recusedNumbers.length > 0
      ? html`<p class="notice recusal" role="note" data-testid="recusal-notice">${t('judge.recusal', { numbers: p.recusedNumbers.join('、') })}</p>`
      : nothing}
    ${p?.event.released ? html`<p class="notice">${t('judge.released')}</p>` : nothing}
    ${round && round.status === 'closed' && !p?.event.released ? html`<p class="notice">${t('judge.roundClosed')}</p>` : nothing}
    ${this.outboxStatus.problem === 'auth' ? html`<p class="notice danger" data-testid="auth-notice">${t('judge.queue.auth')}</p>` : nothing}
    ${this.othersWaiting > 0 ? html`<p class="notice">${t('judge.othersWaiting', { count: this.othersWaiting })}</p>` : nothing}`;
  }

  private renderSignIn() {
    return html`<section class="signin card" data-testid="sign-in">
      <h2>${t('judge.signIn.title')}</h2>
      <p class="reason ${this.signInReason && this.signInReason !== t('judge.signIn.prompt') ? 'error' : 'muted'}" data-testid="sign-in-reason">
        ${this.signInReason}
      </p>
      <form @submit=${this.onSignInSubmit}>
        <input
          name="code"
          maxlength="8"
          autocomplete="off"
          autocapitalize="characters"
          spellcheck="false"
          .value=${this.signInCode}
          aria-label=${t('judge.signIn.code')}
          placeholder="XXXXXXXX"
        />
        <button class="primary" type="submit">${t('judge.signIn.submit')}</button>
      </form>
    </section>`;
  }

  private renderMain() {
    const v = this.view;
    const p = this.panel!;
    if (v.kind === 'sheet') {
      return html`<sc-marking-sheet
        .epoch=${this.sheetEpoch}
        .scheme=${markScheme(p, this.partId)}
        .number=${v.number}
        .roundId=${this.roundId}
        .judgeId=${this.session!.judgeId}
        .drafts=${this.drafts}
        .locked=${this.locked}
        .queued=${this.queued}
        .ownValues=${this.ownValues}
        .voided=${this.entries.find((e) => e.number === v.number)?.voided ?? []}
        @sheet-submit=${(e: SheetSubmitEvent) => void this.onSheetSubmit(e)}
        @sheet-close=${() => this.backToList()}
        @show-stored-marks=${() => {
          history.replaceState(null, '', `/judge?n=${v.number}&view=marks`);
          void this.openMarks(v.number);
        }}
      ></sc-marking-sheet>`;
    }
    if (v.kind === 'marks') {
      const entry = this.entries.find((e) => e.number === v.number);
      return html`<sc-own-marks
        .scheme=${p.scheme}
        .number=${v.number}
        .marks=${this.marks}
        .pending=${this.pendingCorrections}
        .correctionPending=${entry?.state === 'correction_pending'}
        .offline=${this.netState() === 'offline'}
        @correction-requested=${(e: CorrectionRequestedEvent) => this.onCorrectionRequested(e)}
        @own-marks-close=${() => this.backToList()}
      ></sc-own-marks>`;
    }
    return html`${this.renderPanels()} ${this.renderNotices()}
      <sc-contestant-list
        .entries=${this.entries}
        .local=${this.local}
        @open-contestant=${(e: OpenContestantEvent) => this.onOpenContestant(e.number)}
      ></sc-contestant-list>`;
  }

  override render() {
    let body;
    switch (this.phase) {
      case 'starting':
      case 'loading':
        body = html`<p class="center muted">${t('app.loading')}</p>`;
        break;
      case 'signing-in':
        body = html`<p class="center muted">${t('judge.signIn.busy')}</p>`;
        break;
      case 'sign-in':
        body = this.renderSignIn();
        break;
      case 'failed':
        body = html`<p class="center error" role="alert">${this.failure}</p>`;
        break;
      case 'ready':
        body = this.renderMain();
        break;
    }
    return html`${this.renderBar()}
      <div class="main ${this.phase === 'ready' && this.view.kind === 'sheet' ? 'fill' : ''}">${body}</div>
      ${this.toast ? html`<div class="toast ${this.toast.bad ? 'bad' : ''}" role="status" data-testid="toast">${this.toast.text}</div>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-judge-page': JudgePage;
  }
}
