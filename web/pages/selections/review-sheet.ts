import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import '../../components/confirm-dialog.ts';
import type { ConfirmEvent } from '../../components/confirm-dialog.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { errorBanner, fieldError, staffStyles } from '../people/staff-ui.ts';
import { fieldText, scoreText, type ReviewerSheet, type SelectionReviewer } from './selection-types.ts';

type SheetStep = ReviewerSheet['steps'][number];
type SheetCandidate = SheetStep['candidates'][number];
/** What the reviewer typed, by `step|candidateId`, then by item: kept in localStorage until saved. */
type Drafts = Record<string, Record<string, string>>;

const draftKey = (step: string, candidateId: number) => `${step}|${candidateId}`;
/** A number as typed: digits with at most one decimal point (a comma counts as one). */
const parsePoints = (v: string): number | null => {
  const s = v.trim().replace(/,|，|。/g, '.');
  return /^\d+(\.\d+)?$|^\.\d+$/.test(s) ? Number(s) : null;
};

/**
 * `<sc-sel-review-sheet>` (/awards/selections/:id/review): a reviewer's own scoring sheet. Per
 * step their body scores (材料评审, 现场答辩) the candidates they score (those they stand aside
 * from are not listed; one line says how many and why), each with the sheet's items and maxima as
 * large numeric inputs and the running total. What is typed is kept in localStorage until the
 * server took it, so a reload or a dropped connection loses nothing; the server's problems show
 * under the inputs they concern. A reviewer declares a relation (回避声明) with a candidate here.
 *
 * The page reads its sheet only (GET /api/selections/:id/my-sheet: the selection's name and title,
 * the reviewer's panel, whom they stand aside from): a reviewer may work at a lower union or under
 * a co-organiser, where the selection itself is not theirs to read. The way back leads to the
 * selection's page only when the sheet says it opens for them.
 *
 * @property selectionId - the selection
 * @property accountId - the signed-in staff member (whose sheet and whose drafts)
 */
@customElement('sc-sel-review-sheet')
export class ReviewSheetPage extends LitElement {
  static override styles = [
    sharedStyles,
    staffStyles,
    css`
      :host {
        padding: 0;
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
        margin-bottom: 8px;
      }
      .head h1 {
        margin: 0;
        flex: 1 1 260px;
        min-width: 0;
      }
      .who {
        margin: 0 0 8px;
        line-height: 1.5;
      }
      .aside {
        margin: 0 0 12px;
        color: var(--sc-muted);
        line-height: 1.5;
      }
      .cand-head {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 12px;
        align-items: baseline;
        margin-bottom: 8px;
      }
      .cand-head h2 {
        margin: 0;
      }
      .cand-head .meta {
        color: var(--sc-muted);
        font-size: 14px;
        flex: 1 1 200px;
        min-width: 0;
      }
      .items {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(170px, 1fr));
        gap: 8px 16px;
      }
      .item label {
        display: block;
        font-size: 15px;
        margin-bottom: 4px;
      }
      .item label .max {
        color: var(--sc-muted);
        font-size: 14px;
        white-space: nowrap;
      }
      .item input {
        width: 100%;
        min-height: 56px;
        font-size: 24px;
        text-align: center;
        font-variant-numeric: tabular-nums;
      }
      .foot {
        display: flex;
        flex-wrap: wrap;
        gap: 8px 12px;
        align-items: center;
        margin-top: 12px;
      }
      .total {
        font-size: 20px;
        font-weight: 600;
        font-variant-numeric: tabular-nums;
      }
      .spacer {
        flex: 1 1 auto;
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  @property({ type: Number }) selectionId = 0;
  @property({ type: Number }) accountId = 0;

  @state() private sheet: ReviewerSheet | null = null;
  @state() private error: unknown = null;
  @state() private stepKey = '';
  @state() private drafts: Drafts = {};
  /** Problems by `step|candidateId`, then by item id (or `_` for the whole sheet). */
  @state() private problems: Record<string, Record<string, string>> = {};
  @state() private saving = '';
  @state() private saved = '';
  @state() private declaring: SheetCandidate | null = null;

  private get storageKey() {
    return `sc.selReview.${this.selectionId}.${this.accountId}`;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if ((changed.has('selectionId') || changed.has('accountId')) && this.selectionId && this.accountId) {
      this.drafts = this.readDrafts();
      void this.load();
    }
  }

  private readDrafts(): Drafts {
    try {
      const raw = localStorage.getItem(this.storageKey);
      return raw ? (JSON.parse(raw) as Drafts) : {};
    } catch {
      return {};
    }
  }

  private writeDrafts(drafts: Drafts) {
    this.drafts = drafts;
    try {
      if (Object.keys(drafts).length) localStorage.setItem(this.storageKey, JSON.stringify(drafts));
      else localStorage.removeItem(this.storageKey);
    } catch {
      // Storage full or refused: the draft stays on the page until saved.
    }
  }

  private async load() {
    this.error = null;
    try {
      this.sheet = await api<ReviewerSheet>('GET', `/api/selections/${this.selectionId}/my-sheet`);
      if (!this.sheet.steps.some((s) => s.key === this.stepKey)) this.stepKey = this.sheet.steps[0]?.key ?? '';
    } catch (err) {
      this.error = err;
    }
  }

  /** The value shown in an input: the draft when there is one, else the saved points. */
  private shown(step: string, c: SheetCandidate, itemId: string): string {
    const d = this.drafts[draftKey(step, c.candidateId)];
    if (d && itemId in d) return d[itemId]!;
    const p = c.points[itemId];
    return p === undefined ? '' : String(p);
  }

  private isDirty(step: string, c: SheetCandidate): boolean {
    const d = this.drafts[draftKey(step, c.candidateId)];
    if (!d) return false;
    return Object.entries(d).some(([item, v]) => (c.points[item] === undefined ? v.trim() !== '' : parsePoints(v) !== c.points[item]));
  }

  private type(step: string, c: SheetCandidate, itemId: string, value: string) {
    const key = draftKey(step, c.candidateId);
    this.writeDrafts({ ...this.drafts, [key]: { ...this.drafts[key], [itemId]: value } });
    if (this.problems[key]?.[itemId] || this.problems[key]?._) {
      const rest = { ...this.problems[key] };
      delete rest[itemId];
      delete rest._;
      this.problems = { ...this.problems, [key]: rest };
    }
    if (this.saved === key) this.saved = '';
  }

  private async save(step: SheetStep, c: SheetCandidate) {
    const key = draftKey(step.key, c.candidateId);
    const local: Record<string, string> = {};
    const items: { itemId: string; points: number }[] = [];
    for (const item of step.items) {
      const v = this.shown(step.key, c, item.id);
      if (!v.trim()) continue;
      const points = parsePoints(v);
      if (points === null) local[item.id] = t('sel.rv.notNumber');
      else items.push({ itemId: item.id, points });
    }
    if (!items.length && !Object.keys(local).length) local._ = t('sel.rv.nothing');
    this.problems = { ...this.problems, [key]: local };
    if (Object.keys(local).length) return;
    this.saving = key;
    this.saved = '';
    try {
      this.sheet = await api<ReviewerSheet>('PUT', `/api/selections/${this.selectionId}/my-scores`, { candidateId: c.candidateId, step: step.key, items });
      const rest = { ...this.drafts };
      delete rest[key];
      this.writeDrafts(rest);
      this.saved = key;
    } catch (err) {
      this.problems = { ...this.problems, [key]: this.problemsOf(err, step, items) };
    } finally {
      this.saving = '';
    }
  }

  /** The server's problems by item: its codes by field (`params`) translated, else its message. */
  private problemsOf(err: unknown, step: SheetStep, sent: { itemId: string }[]): Record<string, string> {
    const out: Record<string, string> = {};
    if (!(err instanceof ApiError)) {
      out._ = err instanceof Error ? err.message : String(err);
      return out;
    }
    const codes = err.params as Record<string, string | number>;
    for (const e of err.fieldErrors) {
      const m = /^body\.items\.(\d+)\.(points|itemId)$/.exec(e.field);
      const itemId = m ? sent[Number(m[1])]?.itemId : undefined;
      const item = step.items.find((i) => i.id === itemId);
      const code = String(codes[e.field] ?? '').split(',')[0] ?? '';
      if (item) out[item.id] = code === 'out_of_range' ? t('sel.rv.err.out_of_range', { max: item.max }) : (fieldText(e.message) ?? '');
      else out._ = this.wording(code || err.code, e.message);
    }
    if (!Object.keys(out).length) out._ = this.wording(err.code, err.message);
    return out;
  }

  private wording(code: string, message: string): string {
    for (const key of [`sel.rv.err.${code}`, `ui.err.${code}`]) {
      const text = t(key);
      if (text !== key) return text;
    }
    return fieldText(message) ?? message;
  }

  private async declare(c: SheetCandidate) {
    this.declaring = null;
    const key = draftKey(this.stepKey, c.candidateId);
    try {
      const reviewerId = this.sheet!.reviewer.id;
      // The list replaces the reviewer's earlier one: the relations already declared stay.
      const before = this.sheet!.reviewer.relations;
      await api<SelectionReviewer>('PUT', `/api/selection-reviewers/${reviewerId}/relations`, { candidateIds: [...new Set([...before, c.candidateId])] });
      const rest = { ...this.drafts };
      for (const k of Object.keys(rest)) if (k.endsWith(`|${c.candidateId}`)) delete rest[k];
      this.writeDrafts(rest);
      await this.load();
    } catch (err) {
      this.problems = { ...this.problems, [key]: { _: this.wording(err instanceof ApiError ? err.code : '', err instanceof Error ? err.message : String(err)) } };
    }
  }

  private asideLine() {
    const me = this.sheet?.reviewer;
    if (!me || !me.standsAsideFrom.length) return nothing;
    const count = (reason: string) => me.standsAsideFrom.filter((a) => a.reasons.includes(reason as 'same_employer')).length;
    const why = [
      count('same_employer') ? t('sel.rv.aside.same_employer', { n: count('same_employer') }) : '',
      count('declared_relation') ? t('sel.rv.aside.declared_relation', { n: count('declared_relation') }) : '',
    ].filter(Boolean);
    return html`<p class="aside" data-testid="aside">${t('sel.rv.aside', { n: me.standsAsideFrom.length, why: why.join(t('sel.sep')) })}</p>`;
  }

  private renderCandidate(step: SheetStep, c: SheetCandidate, frozen: boolean) {
    const key = draftKey(step.key, c.candidateId);
    const problems = this.problems[key] ?? {};
    const max = step.items.reduce((n, i) => n + i.max, 0);
    const values = step.items.map((i) => parsePoints(this.shown(step.key, c, i.id)));
    const total = values.reduce<number>((n, v) => n + (v ?? 0), 0);
    const filled = values.filter((v) => v !== null).length;
    const dirty = this.isDirty(step.key, c);
    const state = dirty ? 'dirty' : c.complete ? 'complete' : filled ? 'part' : 'empty';
    return html`<section class="card" data-testid="sheet-candidate" data-candidate=${c.candidateId} data-state=${state}>
      <div class="cand-head">
        <h2>${c.personName}</h2>
        <span class="meta">${[c.employerName, c.occupationName, c.position].filter(Boolean).join(' · ')}</span>
        <span class="badge ${state === 'complete' ? 'ok' : state === 'dirty' ? 'warn' : ''}" data-testid="sheet-state">${t(`sel.rv.state.${state}`)}</span>
      </div>
      <div class="items">
        ${step.items.map((item) => {
          const id = `pt-${step.key}-${c.candidateId}-${item.id}`;
          const err = problems[item.id];
          return html`<div class="item">
            <label for=${id}>${item.name} <span class="max">${t('sel.rv.max', { max: item.max })}</span></label>
            <input
              id=${id}
              type="text"
              inputmode="decimal"
              autocomplete="off"
              .value=${this.shown(step.key, c, item.id)}
              ?disabled=${frozen}
              aria-invalid=${err ? 'true' : 'false'}
              aria-describedby=${err ? `err-${id}` : nothing}
              data-testid="points"
              data-item=${item.id}
              @input=${(e: InputEvent) => this.type(step.key, c, item.id, (e.target as HTMLInputElement).value)}
            />
            ${fieldError(err, `err-${id}`)}
          </div>`;
        })}
      </div>
      ${problems._ ? html`<div class="banner error-banner" role="alert" data-testid="sheet-error">${problems._}</div>` : nothing}
      <div class="foot">
        <span class="total" data-testid="total">${t('sel.rv.total', { total: scoreText(total), max: scoreText(max) })}</span>
        <span class="muted">${t('sel.rv.filled', { n: filled, of: step.items.length })}</span>
        ${this.saved === key ? html`<span class="badge ok" role="status" data-testid="saved">${t('sel.rv.saved')}</span>` : nothing}
        <span class="spacer"></span>
        ${frozen
          ? nothing
          : html`<button type="button" data-testid="declare" @click=${() => (this.declaring = c)}>${t('sel.rv.declare')}</button>
              <button type="button" class="primary" ?disabled=${this.saving === key} data-testid="save-sheet" @click=${() => this.save(step, c)}>
                ${this.saving === key ? t('sel.rv.saving') : t('sel.rv.save')}
              </button>`}
      </div>
    </section>`;
  }

  override render() {
    const sheet = this.sheet;
    // Back to the selection where its page opens for the reviewer; else home (a reviewer from a lower union).
    const back =
      sheet && !sheet.selection.canOpen
        ? html`<a class="btn" href="/" data-testid="sheet-back">${t('sel.rv.home')}</a>`
        : html`<a class="btn" href="/awards/selections/${this.selectionId}" data-testid="sheet-back">${t('sel.rv.back')}</a>`;
    if (!sheet) return html`<h1>${t('sel.rv.title')}</h1>${errorBanner(this.error)}${this.error ? back : html`<p class="muted">${t('app.loading')}</p>`}`;
    const step = sheet.steps.find((s) => s.key === this.stepKey) ?? sheet.steps[0];
    const frozen = sheet.reviewClosed || sheet.status !== 'reviewing';
    return html`
      <div class="head">
        <h1 data-testid="sheet-title">${t('sel.rv.title')}<span class="muted">：${sheet.selection.name}</span></h1>
        ${back}
      </div>
      <p class="who">
        <span data-testid="sheet-about">${t('sel.rv.about', { org: sheet.selection.orgName, title: sheet.selection.titleName })}</span><br />
        <span data-testid="sheet-who">${t('sel.rv.who', { name: sheet.reviewer.name, body: sheet.reviewer.bodyName })}</span>
      </p>
      ${errorBanner(this.error)}
      ${sheet.reviewClosed
        ? html`<div class="banner warn-banner" role="status" data-testid="sheet-closed">${t('sel.rv.closed')}</div>`
        : sheet.status !== 'reviewing'
          ? html`<div class="banner warn-banner" role="status" data-testid="sheet-not-started">${t(sheet.status === 'draft' || sheet.status === 'nominating' ? 'sel.rv.notStarted' : 'sel.rv.closed')}</div>`
          : nothing}
      ${this.asideLine()}
      ${sheet.steps.length > 1
        ? html`<div class="tabs" role="tablist">
            ${sheet.steps.map(
              (s) =>
                html`<button role="tab" aria-selected=${s.key === step?.key ? 'true' : 'false'} data-testid="step-tab" data-step=${s.key} @click=${() => (this.stepKey = s.key)}>
                  ${s.name} <span class="muted">${t('sel.rv.stepDone', { n: s.candidates.filter((c) => c.complete).length, of: s.candidates.length })}</span>
                </button>`,
            )}
          </div>`
        : nothing}
      ${!step
        ? html`<p class="card empty">${t('sel.rv.noSteps')}</p>`
        : html`${sheet.steps.length === 1 ? html`<h2>${step.name}</h2>` : nothing}
            ${step.candidates.length === 0
              ? html`<p class="card empty" data-testid="sheet-empty">${t('sel.rv.noCandidates')}</p>`
              : html`<div class="stack">${step.candidates.map((c) => this.renderCandidate(step, c, frozen))}</div>`}`}
      ${this.declaring
        ? html`<sc-confirm
            open
            heading=${t('sel.rv.declare.heading', { name: this.declaring.personName })}
            message=${t('sel.rv.declare.msg')}
            confirmLabel=${t('sel.rv.declare')}
            data-testid="declare-confirm"
            @sc-confirm=${(e: ConfirmEvent) => (e.confirmed ? void this.declare(this.declaring!) : (this.declaring = null))}
          ></sc-confirm>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-sel-review-sheet': ReviewSheetPage;
  }
}
