import { fetchSession } from '../../app/session.ts';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { z } from 'zod';
import type { paperEntryResponse, paperPanelSchema, PaperSheet } from '../../../server/contracts/paper.ts';
import type { OpenedPaperSheet } from '../../../server/contracts/marking-sheets.ts';
import { problemText } from '../../components/error-banner.ts';
import '../../i18n/marking-sheets.ts';
import { api, ApiError, NetworkError } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { onStep } from '../../../server/domain/decimal.ts';
import { takeCodeFromAddress } from '../../app/sign-in-code.ts';
import { SessionChangedEvent, type Session } from '../../app/session.ts';
import '../../components/objective-grid.ts';
import '../../i18n/scorer.ts';
import { sharedStyles } from '../../styles/shared.ts';

type Panel = z.infer<typeof paperPanelSchema>;
type EntryResponse = z.infer<typeof paperEntryResponse>;
type Field = { partId: string; partName: string; criterionId: string; name: string; max: number; step: number; min?: number | undefined; marking?: 'rubric' | 'deduction' };
/** A sheet named in the address, as a printed sheet's QR code gives it: `/scorer?event=&round=&judge=&number=&part=`. */
type Requested = { event?: number; round?: number; judge?: number; number?: number; part?: string; bad: boolean };

/** The sheet named in the address, if any; `bad` when a parameter is there but not a valid value. */
function requestedSheet(): Requested | null {
  const q = new URLSearchParams(location.search);
  if (!['event', 'round', 'judge', 'number', 'part'].some((k) => q.has(k))) return null;
  let bad = false;
  const id = (name: string) => {
    const v = q.get(name);
    if (v == null) return undefined;
    if (!/^[1-9]\d{0,14}$/.test(v)) {
      bad = true;
      return undefined;
    }
    return Number(v);
  };
  const part = q.get('part') ?? undefined;
  if (part != null && !/^[a-z0-9_-]{1,40}$/.test(part)) bad = true;
  const r: Requested = { event: id('event'), round: id('round'), judge: id('judge'), number: id('number'), part, bad };
  if (r.judge == null || r.number == null) r.bad = true;
  return r;
}

/** A sheet's state from its criteria, as the server words it (waiting, disputed, matched). */
function stateOf(criteria: PaperSheet['criteria']): PaperSheet['state'] {
  const entered = criteria.filter((c) => c.state !== 'not_entered');
  if (entered.length === 0) return 'not_entered';
  if (entered.some((c) => c.state === 'disputed')) return 'disputed';
  if (entered.some((c) => c.state === 'waiting')) return 'waiting';
  return 'matched';
}

/** 128 random bits: `crypto.randomUUID` exists only in secure contexts, and a venue server is often plain http on the LAN. */
function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `paper-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}


/**
 * The scorer's page (记分员): types in a judge's signed paper sheet, one contestant at a time.
 * A second scorer enters the same sheet without seeing this entry; the page shows whether the
 * sheet waits for that second entry, matched (the marks count) or is in dispute (the chief judge
 * settles it) — never the other scorer's values.
 */
@customElement('sc-scorer-page')
export class ScorerPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      *,
      *::before,
      *::after {
        box-sizing: border-box;
      }
      :host {
        max-width: 960px;
        margin: 0 auto;
        padding: 12px 16px 40px;
      }
      h1 {
        font-size: 20px;
        margin: 0 0 4px;
      }
      h2 {
        font-size: 18px;
        margin: 0 0 8px;
      }
      .judges {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(150px, 1fr));
        gap: 8px;
      }
      .judges button {
        min-height: 64px;
        font-size: 18px;
      }
      .judges .role {
        display: block;
        font-size: 13px;
        color: var(--sc-muted);
      }
      .judges button[aria-pressed='true'] {
        border: 3px solid var(--sc-accent);
        color: var(--sc-accent);
        font-weight: 600;
      }
      .number-row {
        display: flex;
        flex-wrap: wrap;
        gap: 12px;
        align-items: end;
        margin-top: 12px;
      }
      .number-row input {
        width: 160px;
        font-size: 32px;
        min-height: 64px;
        text-align: center;
      }
      .number-row button {
        min-height: 64px;
        font-size: 18px;
      }
      .fields {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(260px, 1fr));
        gap: 12px;
      }
      .field label {
        color: var(--sc-fg);
        font-size: 16px;
      }
      .field small {
        color: var(--sc-muted);
      }
      .field input {
        width: 100%;
        font-size: 32px;
        min-height: 64px;
        text-align: center;
        font-variant-numeric: tabular-nums;
      }
      .field input[aria-invalid='true'] {
        border: 2px solid var(--sc-danger);
      }
      .field-error {
        color: var(--sc-danger);
        font-size: 14px;
        margin-top: 4px;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 12px;
        margin-top: 16px;
      }
      .actions button {
        min-height: 56px;
        font-size: 18px;
      }
      .banner {
        border-radius: 12px;
        padding: 16px;
        font-size: 20px;
        font-weight: 600;
        margin-bottom: 12px;
      }
      .banner.waiting {
        background: #eef4ff;
        color: #1d4ed8;
      }
      .banner.matched {
        background: #e6f4ea;
        color: var(--sc-ok);
      }
      .banner.disputed {
        background: #fdecea;
        color: var(--sc-danger);
      }
      .banner p {
        font-size: 15px;
        font-weight: 400;
        margin: 6px 0 0;
      }
      .pill {
        display: inline-block;
        padding: 2px 10px;
        border-radius: 999px;
        font-size: 14px;
        background: #eef1f5;
        white-space: nowrap;
      }
      .pill.matched,
      .pill.settled {
        background: #e6f4ea;
        color: var(--sc-ok);
      }
      .pill.disputed {
        background: #fdecea;
        color: var(--sc-danger);
      }
      .pill.waiting {
        background: #eef4ff;
        color: #1d4ed8;
      }
      section + section {
        margin-top: 16px;
      }
      .signin {
        max-width: 440px;
        margin: 32px auto;
      }
      .signin form {
        display: flex;
        gap: 8px;
      }
      .signin input {
        flex: 1;
        min-width: 0;
        font-size: 22px;
        letter-spacing: 0.15em;
        text-transform: uppercase;
      }
      .scroll-x {
        overflow-x: auto;
      }
      .parts button {
        min-height: 56px;
        font-size: 16px;
      }
      .opened {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 12px;
        align-items: baseline;
        padding: 10px 12px;
        margin: -4px 0 12px;
        border-radius: 10px;
        background: #eef4ff;
        font-size: 17px;
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  @property() path = location.pathname;
  @state() private objectiveOpen = false;
  @state() private session: Session | undefined;
  @state() private signInError = '';
  @state() private panel: Panel | null = null;
  @state() private roundId: number | null = null;
  @state() private judgeId: number | null = null;
  @state() private number = '';
  /** The sheet being typed in (null: choosing), or the answer for it. */
  @state() private editing = false;
  @state() private values: Record<string, string> = {};
  @state() private errors: Record<string, string> = {};
  @state() private result: PaperSheet | null = null;
  @state() private mine: PaperSheet[] = [];
  @state() private busy = false;
  @state() private error = '';
  /** The sheet open for entry (its criteria and this scorer's own entry), from the QR code or the chooser. */
  @state() private opened: OpenedPaperSheet | null = null;
  /** The task chosen in the chooser (null: every task the judge marks). */
  @state() private partId: string | null = null;
  /** Why the sheet named in the address (or chosen) could not be opened. */
  @state() private refusal = '';
  /** The sheet named in the address (a printed sheet's QR code), until it is opened or refused. */
  private requested: Requested | null = requestedSheet();
  private key = newKey();

  override connectedCallback(): void {
    super.connectedCallback();
    void this.start();
  }

  private async start() {
    const code = takeCodeFromAddress();
    if (code) {
      await this.signIn(code);
      return;
    }
    await this.loadSession();
  }

  private async signIn(code: string) {
    this.signInError = '';
    try {
      await api('POST', '/api/auth/judge-login', { code: code.trim().toUpperCase() });
      this.dispatchEvent(new SessionChangedEvent());
    } catch (err) {
      this.signInError = err instanceof ApiError && err.status === 401
          ? t('scorer.signIn.bad')
          : err instanceof ApiError && err.code === 'too_many_sign_in_failures'
            ? t('login.tooMany', { seconds: err.params.retryAfterSeconds ?? 60 })
            : this.errorText(err);
    }
    await this.loadSession();
  }

  private async loadSession() {
    this.session = await fetchSession();
    const eventId = this.scorerEventId();
    if (eventId != null) {
      try {
        this.panel = await api<Panel>('GET', `/api/paper/panel?eventId=${eventId}`);
        this.roundId = this.panel.currentRoundId;
        await this.loadMine();
      } catch (err) {
        this.error = this.errorText(err);
      }
      await this.openRequested();
    }
  }

  /** The event this person enters sheets for: the one the address names when they score it, else their first. */
  private scorerEventId(): number | null {
    const s = this.session;
    if (s?.kind !== 'judge') return null;
    const mine = s.events.filter((e) => e.role === 'scorer');
    const named = this.requested?.event;
    return (named != null ? mine.find((e) => e.eventId === named)?.eventId : undefined) ?? mine[0]?.eventId ?? null;
  }

  /**
   * Opens the sheet the address names (a printed sheet's QR code): every parameter goes to the
   * server, which checks it against the event, round, panel and numbers. A wrong or foreign one
   * is said in words and nothing is preselected: never some other sheet in its place.
   */
  private async openRequested() {
    const r = this.requested;
    if (!r || !this.panel) return;
    this.requested = null;
    if (r.bad) {
      this.refusal = t('scorer.badLink');
      return;
    }
    await this.openSheet({ eventId: r.event ?? this.panel.event.id, roundId: r.round, judgeId: r.judge!, number: r.number!, partId: r.part });
  }

  /** Asks the server for one sheet and shows it: the form for what this scorer has not entered yet, else where the entry stands. */
  private async openSheet(q: { eventId: number; roundId?: number; judgeId: number; number: number; partId?: string }) {
    const query = new URLSearchParams({ eventId: String(q.eventId), judgeId: String(q.judgeId), number: String(q.number) });
    if (q.roundId != null) query.set('roundId', String(q.roundId));
    if (q.partId) query.set('partId', q.partId);
    this.error = '';
    this.refusal = '';
    try {
      const opened = await api<OpenedPaperSheet>('GET', `/api/paper/sheet?${query}`);
      if (this.roundId !== opened.round.id) {
        this.roundId = opened.round.id;
        void this.loadMine().catch(() => undefined);
      }
      this.opened = opened;
      this.judgeId = opened.judge.id;
      this.number = String(opened.number);
      this.partId = opened.part?.id ?? null;
      this.values = {};
      this.errors = {};
      this.key = newKey();
      const open = opened.sheet.criteria.some((c) => c.state === 'not_entered');
      this.editing = open;
      this.result = open ? null : opened.sheet;
    } catch (err) {
      this.opened = null;
      this.result = null;
      this.editing = false;
      if (err instanceof ApiError) {
        const key = `scorer.err.${err.code}`;
        const reason = t(key, { number: q.number });
        this.refusal = t('scorer.refused', { reason: reason === key ? problemText(err) : reason });
      } else this.error = this.errorText(err);
    }
  }

  private errorText(err: unknown): string {
    if (err instanceof ApiError) return err.message;
    if (err instanceof NetworkError) return t('scorer.offline');
    return t('app.error', { message: err instanceof Error ? err.message : String(err) });
  }

  private async loadMine() {
    this.mine = await api<PaperSheet[]>('GET', `/api/paper/sheets?eventId=${this.panel!.event.id}${this.roundId ? `&roundId=${this.roundId}` : ''}`);
  }

  /**
   * Criteria to type in from the open sheet: what the server says the judge marks on it (the
   * round's panels, the chosen task) and this scorer has not entered yet.
   */
  private fields(): Field[] {
    const o = this.opened;
    if (!o) return [];
    const mine = new Map(o.sheet.criteria.map((c) => [`${c.partId}:${c.criterionId}`, c.state]));
    return o.criteria
      .filter((c) => (mine.get(`${c.partId}:${c.criterionId}`) ?? 'not_entered') === 'not_entered')
      .map((c) => ({ partId: c.partId, partName: c.partName, criterionId: c.criterionId, name: c.name, max: c.max, step: c.step, min: c.min, marking: c.marking }));
  }

  private judgeName(id: number | null): string {
    return this.panel?.judges.find((j) => j.id === id)?.name ?? '';
  }

  /** Opens the sheet: its state when this scorer already entered it, else an empty form. */
  private async open(e?: Event) {
    e?.preventDefault();
    const n = Number(this.number);
    if (!this.judgeId || !Number.isInteger(n) || n <= 0) {
      this.error = t('scorer.pickFirst');
      return;
    }
    await this.openSheet({ eventId: this.panel!.event.id, roundId: this.roundId ?? undefined, judgeId: this.judgeId, number: n, partId: this.partId ?? undefined });
  }

  private async submit(e: Event) {
    e.preventDefault();
    const fields = this.fields();
    const errors: Record<string, string> = {};
    for (const f of fields) {
      const raw = (this.values[f.criterionId] ?? '').trim();
      const v = Number(raw);
      if (raw === '' || !Number.isFinite(v)) errors[f.criterionId] = t('scorer.required');
      else if (v < (f.min ?? 0) || v > f.max) errors[f.criterionId] = f.min ? t('scorer.rangeFrom', { min: f.min, max: f.max }) : t('scorer.range', { max: f.max });
      else if (!onStep(v, f.step)) errors[f.criterionId] = t('scorer.step', { step: f.step });
    }
    this.errors = errors;
    if (Object.keys(errors).length) return;
    this.busy = true;
    this.error = '';
    const marks = fields.map((f) => ({ partId: f.partId, criterionId: f.criterionId, value: Number(this.values[f.criterionId]) }));
    try {
      const res = await api<EntryResponse>('POST', '/api/paper-entries', {
        idempotencyKey: this.key,
        eventId: this.panel!.event.id,
        ...(this.opened ? { roundId: this.opened.round.id } : this.roundId ? { roundId: this.roundId } : {}),
        judgeId: this.opened?.judge.id ?? this.judgeId,
        number: this.opened?.number ?? Number(this.number),
        marks,
      });
      // Only the criteria of the open sheet (one task's sheet when it names one), with their state.
      const listed = new Set(this.opened?.criteria.map((c) => `${c.partId}:${c.criterionId}`) ?? []);
      const criteria = res.sheet.criteria.filter((c) => listed.size === 0 || listed.has(`${c.partId}:${c.criterionId}`));
      this.result = { ...res.sheet, criteria, state: stateOf(criteria) };
      if (this.opened) this.opened = { ...this.opened, sheet: this.result };
      this.editing = false;
      this.key = newKey();
      await this.loadMine();
    } catch (err) {
      // A network failure keeps the key: the retry returns the first answer if the entry did arrive.
      if (err instanceof ApiError) {
        const byField: Record<string, string> = {};
        marks.forEach((m, i) => {
          const msg = err.fieldMessage(`body.marks.${i}.value`) ?? err.fieldMessage(`body.marks.${i}.criterionId`);
          if (msg) byField[m.criterionId] = msg;
        });
        this.errors = byField;
        this.error = err.fieldMessage('body.number') ?? err.fieldMessage('body.judgeId') ?? err.message;
        if (err.code !== 'idempotency_key_reused') this.key = newKey();
      } else this.error = this.errorText(err);
    } finally {
      this.busy = false;
    }
  }

  private next() {
    this.result = null;
    this.editing = false;
    this.opened = null;
    this.refusal = '';
    this.number = '';
    this.values = {};
    this.errors = {};
    // The sheet named in the address is done with: a reload shows the chooser, not that sheet again.
    if (location.search) history.replaceState(history.state, '', location.pathname);
  }

  private renderSignIn() {
    const s = this.session;
    const wrongRole = s?.kind === 'judge' && this.scorerEventId() == null;
    const scanned = this.requested?.number;
    return html`<div class="signin card">
      <h2>${t('scorer.signIn.title')}</h2>
      ${scanned != null ? html`<p data-testid="scan-sign-in">${t('scorer.scanSignIn', { number: scanned })}</p>` : nothing}
      ${wrongRole
        ? html`<p class="error">${t('scorer.signIn.notScorer', { name: s.name })}</p>
            <p><a href=${s.events.some((e) => e.role === 'chief' || e.role === 'supervisor') ? '/chief' : '/judge'}>${t('scorer.signIn.yourPage')}</a></p>`
        : html`<p class="muted">${t('scorer.signIn.hint')}</p>`}
      <form
        @submit=${(e: SubmitEvent) => {
          e.preventDefault();
          void this.signIn(String(new FormData(e.target as HTMLFormElement).get('code') ?? ''));
        }}
      >
        <input name="code" maxlength="8" autocomplete="off" autocapitalize="characters" aria-label=${t('scorer.signIn.code')} />
        <button class="primary" type="submit">${t('app.signIn')}</button>
      </form>
      ${this.signInError ? html`<p class="error" role="alert">${this.signInError}</p>` : nothing}
    </div>`;
  }

  private renderChooser(panel: Panel) {
    return html`<section class="card">
      <h2>${t('scorer.whose')}</h2>
      <div class="judges" role="group" aria-label=${t('scorer.whose')}>
        ${panel.judges.map(
          (j) => html`<button type="button" aria-pressed=${this.judgeId === j.id} data-testid="judge-${j.id}" @click=${() => (this.judgeId = j.id)}>
            ${j.name}${j.role === 'chief' ? html`<small class="role">${t('scorer.chief')}</small>` : nothing}
          </button>`,
        )}
      </div>
      ${this.renderParts(panel)}
      <form class="number-row" @submit=${this.open}>
        <div>
          <label for="number">${t('scorer.number')}</label>
          <input id="number" inputmode="numeric" autocomplete="off" .value=${this.number} @input=${(e: InputEvent) => (this.number = (e.target as HTMLInputElement).value.trim())} data-testid="number" />
        </div>
        <button class="primary" type="submit" data-testid="open-sheet">${t('scorer.open')}</button>
      </form>
    </section>`;
  }

  /** The tasks of the chosen round's scheme, when there are several: a printed sheet is for one task. */
  private renderParts(panel: Panel) {
    const scheme = panel.rounds.find((r) => r.id === this.roundId)?.scheme ?? panel.scheme;
    const parts = scheme.parts.filter((p) => p.marking !== 'objective');
    if (parts.length < 2) return nothing;
    const choice = (id: string | null, label: string) =>
      html`<button type="button" aria-pressed=${this.partId === id} data-testid="part-${id ?? 'all'}" @click=${() => (this.partId = id)}>${label}</button>`;
    return html`<h3 style="margin:12px 0 6px">${t('scorer.part')}</h3>
      <div class="judges parts" role="group" aria-label=${t('scorer.part')}>
        ${choice(null, t('scorer.allParts'))} ${parts.map((p) => choice(p.id, p.name))}
      </div>`;
  }

  /** Which sheet is open: round, task, judge and number, as printed on the paper in hand. */
  private renderOpened() {
    const o = this.opened;
    if (!o) return nothing;
    return html`<div
      class="opened"
      data-testid="opened-sheet"
      data-round=${o.round.id}
      data-judge=${o.judge.id}
      data-number=${o.number}
      data-part=${o.part?.id ?? ''}
    >
      <span class="muted">${t('scorer.opened')}</span>
      <strong>${t('scorer.openedLine', { round: o.round.name, part: o.part?.name ?? t('scorer.allParts'), judge: o.judge.name, number: o.number })}</strong>
    </div>`;
  }

  private renderForm() {
    const fields = this.fields();
    const parts = [...new Set(fields.map((f) => f.partId))];
    const closed = this.opened != null && (this.opened.round.status === 'closed' || this.opened.event.released);
    return html`<form class="card" @submit=${this.submit} novalidate>
      ${this.renderOpened()}
      <h2>${t('scorer.sheetOf', { judge: this.opened?.judge.name ?? this.judgeName(this.judgeId), number: this.number })}</h2>
      <p class="muted">${t('scorer.blindHint')}</p>
      ${closed ? html`<p class="error" data-testid="sheet-closed">${t('scorer.roundClosed')}</p>` : nothing}
      ${parts.map(
        (partId) => html`<h3 style="margin:12px 0 4px">${fields.find((f) => f.partId === partId)!.partName}</h3>
          <div class="fields">
            ${fields
              .filter((f) => f.partId === partId)
              .map(
                (f) => html`<div class="field">
                  <label for="f-${f.criterionId}"
                    >${f.name}${f.marking === 'deduction' ? `（${t('scorer.deductionHint')}）` : ''} <small>${t('scorer.maxStep', { max: f.max, step: f.step })}</small></label
                  >
                  <input
                    id="f-${f.criterionId}"
                    inputmode="decimal"
                    autocomplete="off"
                    data-testid="value-${f.criterionId}"
                    aria-invalid=${this.errors[f.criterionId] ? 'true' : 'false'}
                    .value=${this.values[f.criterionId] ?? ''}
                    @input=${(e: InputEvent) => (this.values = { ...this.values, [f.criterionId]: (e.target as HTMLInputElement).value })}
                  />
                  ${this.errors[f.criterionId] ? html`<div class="field-error">${this.errors[f.criterionId]}</div>` : nothing}
                </div>`,
              )}
          </div>`,
      )}
      <div class="actions">
        <button class="primary" type="submit" ?disabled=${this.busy || closed} data-testid="submit-sheet">${t('scorer.submit')}</button>
        <button type="button" @click=${this.next}>${t('scorer.back')}</button>
      </div>
    </form>`;
  }

  private renderResult(sheet: PaperSheet) {
    const criteria = this.opened?.criteria ?? [];
    const nameOf = (partId: string, id: string) => criteria.find((f) => f.partId === partId && f.criterionId === id)?.name ?? id;
    return html`<section class="card" data-testid="sheet-result">
      ${this.renderOpened()}
      <h2>${t('scorer.sheetOf', { judge: sheet.judgeName, number: sheet.number })}</h2>
      <div class="banner ${sheet.state}" data-testid="sheet-state" data-state=${sheet.state}>
        ${t(`scorer.state.${sheet.state}`)}
        <p>${t(`scorer.stateHint.${sheet.state}`)}</p>
      </div>
      <div class="scroll-x">
        <table>
          <thead>
            <tr>
              <th>${t('scorer.criterion')}</th>
              <th class="num">${t('scorer.myValue')}</th>
              <th>${t('scorer.status')}</th>
            </tr>
          </thead>
          <tbody>
            ${sheet.criteria
              .filter((c) => c.state !== 'not_entered')
              .map(
                (c) => html`<tr>
                  <td>${nameOf(c.partId, c.criterionId)}</td>
                  <td class="num">${c.myValue ?? '—'}</td>
                  <td><span class="pill ${c.state}">${t(`scorer.cstate.${c.state}`)}</span></td>
                </tr>`,
              )}
          </tbody>
        </table>
      </div>
      <div class="actions">
        <button class="primary" @click=${this.next} data-testid="next-sheet">${t('scorer.next')}</button>
      </div>
    </section>`;
  }

  private renderMine() {
    if (this.mine.length === 0) return nothing;
    return html`<section class="card">
      <div style="display:flex;align-items:center;gap:8px">
        <h2 style="flex:1;margin:0">${t('scorer.mine')}</h2>
        <button @click=${() => this.loadMine()}>${t('scorer.refresh')}</button>
      </div>
      <div class="scroll-x">
        <table>
          <thead>
            <tr>
              <th>${t('scorer.number')}</th>
              <th>${t('scorer.judge')}</th>
              <th>${t('scorer.status')}</th>
            </tr>
          </thead>
          <tbody>
            ${this.mine.map(
              (s) => html`<tr>
                <td>${s.number}</td>
                <td>${s.judgeName}</td>
                <td><span class="pill ${s.state}">${t(`scorer.state.${s.state}`)}</span></td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>`;
  }

  override render() {
    if (this.session === undefined) return html`<p class="muted" style="text-align:center">${t('app.loading')}</p>`;
    if (this.scorerEventId() == null) return this.renderSignIn();
    const panel = this.panel;
    if (!panel) return html`<p class="muted">${this.error || t('app.loading')}</p>`;
    return html`
      <h1>${t('scorer.title')} · ${panel.event.name}</h1>
      <p class="muted" style="margin-top:0">
        ${panel.event.competitionName}
        ${panel.rounds.length > 1
          ? html` ·
              <select
                aria-label=${t('scorer.round')}
                @change=${(e: Event) => {
                  this.roundId = Number((e.target as HTMLSelectElement).value);
                  void this.loadMine();
                }}
              >
                ${panel.rounds.map((r) => html`<option value=${r.id} ?selected=${r.id === this.roundId}>${r.name}</option>`)}
              </select>`
          : nothing}
      </p>
      ${panel.event.released ? html`<p class="error">${t('scorer.released')}</p>` : nothing}
      ${this.error ? html`<p class="error" role="alert" data-testid="scorer-error">${this.error}</p>` : nothing}
      ${this.refusal ? html`<p class="banner disputed" role="alert" data-testid="sheet-refused">${this.refusal}</p>` : nothing}
      ${this.result ? this.renderResult(this.result) : this.editing ? this.renderForm() : this.renderChooser(panel)}
      ${this.renderMine()} ${this.renderObjective(panel)}
    `;
  }

  /** Theory scores and times (objective values) are typed in per number too, in the shared grid. */
  private renderObjective(panel: Panel) {
    const has = panel.scheme.parts.some((p) => p.marking === 'objective') || panel.scheme.tieBreaks.includes('completion_time');
    if (!has) return nothing;
    return html`<section style="margin-top:24px">
      <button data-testid="objective-open" aria-expanded=${this.objectiveOpen} @click=${() => (this.objectiveOpen = !this.objectiveOpen)}>
        ${t('scorer.objective')}
      </button>
      ${this.objectiveOpen ? html`<div style="margin-top:12px"><sc-objective-grid .eventId=${panel.event.id}></sc-objective-grid></div>` : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-scorer-page': ScorerPage;
  }
}
