import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import '../../components/confirm-dialog.ts';
import type { ConfirmEvent } from '../../components/confirm-dialog.ts';
import '../../components/search-select.ts';
import type { PickEvent, SearchOption } from '../../components/search-select.ts';
import '../../i18n/admin.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { errorBanner, fieldError, fieldErrorsOf, formatTime, staffStyles } from '../people/staff-ui.ts';
import { SelectionChangedEvent } from './nomination-form.ts';
import { bodyName, fieldText, scoreText, type Candidate, type Committee, type EligibleAccount, type ReviewRanking, type Selection, type SelectionReviewer } from './selection-types.ts';

type Choice = 'for' | 'against' | 'abstain';
type Ask = { heading: string; message: string; label: string; run: () => Promise<void> };
type AddForm = { kind: 'account' | 'expert'; accountId: number | null; expertName: string; body: string; employerName: string };
/** A committee member being set: an account chosen from those in reach, or a name (votes on paper). */
type MemberRow = { kind: 'account'; accountId: number | null } | { kind: 'name'; name: string };
type Tally = NonNullable<Committee['tally']>;

/** While the panel may change (the server says the same). */
const PANEL_OPEN = ['draft', 'nominating', 'reviewing'];

/**
 * `<sc-sel-review>`: the review of a selection with a review setup, on the selection's page. The
 * panel (reviewers by body, whom each stands aside from, sheets complete; seated and removed by
 * the running union), the live ranking (step and body scores, final, shared ranks, pass, selected,
 * tied at the quota line), closing the review, the committee's choice among the tied, and the
 * committee with its vote (a member votes for themselves; the organiser records paper ballots)
 * and the count under the rule. Every step the server refuses says why.
 *
 * Reviewers and committee members are picked from the accounts in reach of the selection (the
 * running union's subtree and each co-organiser's), searched by name or organisation, never typed
 * as account numbers; a committee member may also be a name, voting on paper. A list the committee
 * voted down goes back to the panel (退回重评) with the reason; the committee's section shows the
 * round being voted and every earlier round with its count and why it went back.
 *
 * @property selection - the selection (with reviewSetup)
 * @property candidates - its candidates (names for recusals)
 * @property manage - the signed-in staff member runs it (organiser or admin of the union)
 * @property accountId - the signed-in staff member (their own ballot and sheet)
 */
@customElement('sc-sel-review')
export class ReviewPanel extends LitElement {
  static override styles = [
    sharedStyles,
    staffStyles,
    css`
      :host {
        padding: 0;
        max-width: none;
      }
      .summary {
        line-height: 1.6;
        margin: 0 0 8px;
      }
      .bodies {
        font-size: 13px;
        color: var(--sc-muted);
        line-height: 1.4;
        white-space: nowrap;
      }
      td.who {
        min-width: 7em;
      }
      td.final {
        font-weight: 600;
        font-size: 17px;
      }
      .badges {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
      }
      tr.line td {
        background: #fff8ec;
      }
      .add {
        display: flex;
        flex-wrap: wrap;
        gap: 0 12px;
        align-items: flex-end;
        margin-top: 12px;
      }
      .add > .field {
        flex: 1 1 180px;
        min-width: 0;
      }
      .add > .field:last-child,
      .add > .field.kind {
        flex: 0 1 auto;
      }
      .add .field input,
      .add .field select {
        width: 100%;
      }
      .tie label.pick {
        display: flex;
        align-items: center;
        gap: 10px;
        min-height: 44px;
      }
      .tie input[type='checkbox'] {
        width: 24px;
        height: 24px;
        min-height: 24px;
      }
      .vote {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
      }
      .tally {
        font-size: 17px;
        line-height: 1.6;
        margin: 12px 0 0;
      }
      textarea {
        width: 100%;
        min-height: 96px;
        padding: 8px 12px;
      }
      .add > .field.full {
        flex: 3 1 360px;
      }
      .member-rows {
        display: flex;
        flex-direction: column;
        gap: 4px;
        margin: 8px 0 0;
      }
      .member-row {
        display: flex;
        gap: 8px;
        align-items: flex-start;
      }
      .member-row > .grow {
        flex: 1 1 auto;
        min-width: 0;
      }
      .member-row .field {
        margin: 0;
      }
      .member-row .field input {
        width: 100%;
      }
      .member-row .field-error {
        min-height: 0;
      }
      .member-row > .remove {
        flex: 0 0 auto;
      }
      h2 .badge {
        font-size: 14px;
        vertical-align: middle;
        margin-left: 6px;
      }
      .earlier {
        margin-top: 16px;
        border-top: 1px solid var(--sc-line);
        padding-top: 8px;
      }
      .earlier h3 {
        margin: 8px 0;
        font-size: 16px;
      }
      .earlier ol {
        margin: 0;
        padding: 0;
        list-style: none;
        display: flex;
        flex-direction: column;
        gap: 8px;
      }
      .earlier li {
        line-height: 1.6;
        overflow-wrap: anywhere;
      }
      .reopen {
        margin-top: 16px;
        padding: 12px 16px;
        border-radius: 8px;
        background: #fff8ec;
        border: 1px solid #f5c98b;
      }
      .reopen .hint {
        margin: 0 0 8px;
        line-height: 1.5;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
        margin-top: 12px;
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  @property({ attribute: false }) selection: Selection | null = null;
  @property({ attribute: false }) candidates: Candidate[] = [];
  @property({ type: Boolean }) manage = false;
  @property({ type: Number }) accountId = 0;

  @state() private reviewers: SelectionReviewer[] = [];
  @state() private ranking: ReviewRanking | null = null;
  @state() private committee: Committee | null = null;
  @state() private error: unknown = null;
  @state() private ask: Ask | null = null;
  @state() private busy = false;
  @state() private add: AddForm = { kind: 'account', accountId: null, expertName: '', body: '', employerName: '' };
  /** The accounts in reach, for the pickers (managers only); null until read. */
  @state() private accounts: EligibleAccount[] | null = null;
  @state() private accountsError: unknown = null;
  @state() private addErrors: Record<string, string> = {};
  @state() private addError: unknown = null;
  @state() private panelError: unknown = null;
  @state() private tiePick: number[] = [];
  @state() private tieReason = '';
  @state() private tieErrors: Record<string, string> = {};
  @state() private tieError: unknown = null;
  @state() private memberRows: MemberRow[] = [];
  @state() private membersError: unknown = null;
  /** Problems by row, and `-1` for the list as a whole. */
  @state() private membersErrors: Record<number, string> = {};
  @state() private editingMembers = false;
  @state() private voteError: unknown = null;
  @state() private reopening = false;
  @state() private reopenReason = '';
  @state() private reopenErrors: Record<string, string> = {};
  @state() private reopenError: unknown = null;
  /** The round the committee votes in next, after the list went back (a notice until the next load). */
  @state() private reopenedRound: number | null = null;
  private loadedFor = '';

  override willUpdate(changed: Map<string, unknown>): void {
    const s = this.selection;
    // Read again whenever the selection changed (status, review closed).
    const stamp = s ? `${s.id}|${s.status}|${s.reviewClosedAt}` : '';
    if (changed.has('selection') && s && stamp !== this.loadedFor) {
      this.loadedFor = stamp;
      void this.load();
    }
  }

  private get selId() {
    return this.selection!.id;
  }

  private async load() {
    const id = this.selId;
    // The pickers' accounts: only the running union's managers seat anyone, only while the panel may change.
    if (this.manage && PANEL_OPEN.includes(this.selection!.status) && this.accountsFor !== id) void this.loadAccounts(id);
    try {
      const [reviewers, ranking, committee] = await Promise.all([
        api<SelectionReviewer[]>('GET', `/api/selections/${id}/reviewers`),
        api<ReviewRanking>('GET', `/api/selections/${id}/review`),
        api<Committee>('GET', `/api/selections/${id}/committee`),
      ]);
      this.reviewers = reviewers;
      this.ranking = ranking;
      this.committee = committee;
      if (!this.add.body) this.add = { ...this.add, body: this.bodyKeys()[0] ?? '' };
      this.error = null;
    } catch (err) {
      this.error = err;
    }
  }

  private accountsFor = 0;

  private async loadAccounts(id: number) {
    this.accountsFor = id;
    try {
      this.accounts = await api<EligibleAccount[]>('GET', `/api/selections/${id}/eligible-accounts`);
      this.accountsError = null;
    } catch (err) {
      this.accountsFor = 0;
      this.accountsError = err;
    }
  }

  /** The accounts as picker options: name, then organisation and role; `taken` ones shown but not choosable, with why. */
  private accountOptions(taken: Map<number, string>): SearchOption[] {
    return (this.accounts ?? []).map((a) => ({
      value: a.id,
      label: a.displayName,
      detail: `${a.orgName} · ${t(`admin.role.${a.role}`)}`,
      ...(taken.has(a.id) ? { disabled: true, note: taken.get(a.id)! } : {}),
    }));
  }

  private bodyKeys(): string[] {
    const keys: string[] = [];
    for (const step of this.selection?.reviewSetup?.steps ?? []) for (const b of step.bodies) if (!keys.includes(b.key)) keys.push(b.key);
    return keys;
  }

  private name(candidateId: number): string {
    return this.candidates.find((c) => c.id === candidateId)?.personName ?? this.ranking?.rows.find((r) => r.candidateId === candidateId)?.personName ?? String(candidateId);
  }

  private changed() {
    this.dispatchEvent(new SelectionChangedEvent());
  }

  /** Runs a step the user confirmed; its refusal goes to `onError`. */
  private async run(fn: () => Promise<void>, onError: (err: unknown) => void) {
    this.busy = true;
    try {
      await fn();
    } catch (err) {
      onError(err);
    } finally {
      this.busy = false;
    }
  }

  // ---- Panel ----

  private setAdd(patch: Partial<AddForm>) {
    this.add = { ...this.add, ...patch };
    this.addErrors = {};
  }

  private async addReviewer(e: Event) {
    e.preventDefault();
    this.addError = null;
    const f = this.add;
    const errors: Record<string, string> = {};
    if (f.kind === 'account' && f.accountId === null) errors.accountId = t('sel.rvp.pickAccount');
    if (f.kind === 'expert' && !f.expertName.trim()) errors.expertName = t('sel.new.required');
    if (!f.body) errors.body = t('sel.new.required');
    this.addErrors = errors;
    if (Object.keys(errors).length) return;
    await this.run(
      async () => {
        await api<SelectionReviewer>('POST', `/api/selections/${this.selId}/reviewers`, {
          ...(f.kind === 'account' ? { accountId: f.accountId } : { expertName: f.expertName.trim() }),
          body: f.body,
          ...(f.employerName.trim() ? { employerName: f.employerName.trim() } : {}),
        });
        this.add = { ...f, accountId: null, expertName: '', employerName: '' };
        await this.load();
      },
      (err) => {
        const named = fieldErrorsOf(err);
        const mapped: Record<string, string> = {};
        for (const k of ['accountId', 'expertName', 'body', 'employerName']) if (named[k]) mapped[k] = k === 'accountId' && !/[\u4e00-\u9fff]/.test(named[k]!) ? t('sel.rvp.noAccount') : (fieldText(named[k]) ?? '');
        if (err instanceof ApiError && err.code === 'reviewer_exists') mapped.accountId = t('sel.rv.err.reviewer_exists');
        this.addErrors = mapped;
        this.addError = Object.keys(mapped).length ? null : err;
      },
    );
  }

  private removeReviewer(r: SelectionReviewer) {
    this.ask = {
      heading: t('sel.rvp.remove.heading', { name: r.name }),
      message: t('sel.rvp.remove.msg'),
      label: t('sel.rvp.remove'),
      run: () =>
        this.run(
          async () => {
            this.reviewers = await api<SelectionReviewer[]>('DELETE', `/api/selection-reviewers/${r.id}`);
            this.panelError = null;
            await this.load();
          },
          (err) => (this.panelError = err),
        ),
    };
  }

  private renderPanel(s: Selection) {
    const open = PANEL_OPEN.includes(s.status) && !s.reviewClosedAt;
    const mine = this.reviewers.find((r) => r.accountId === this.accountId);
    const f = this.add;
    return html`<section class="card" data-testid="review-panel">
      <h2>${t('sel.rvp.panel')}</h2>
      ${mine && s.status !== 'draft'
        ? html`<div class="actions" style="margin:0 0 12px">
            <a class="btn primary" href="/awards/selections/${s.id}/review" data-testid="my-sheet-link">${t('sel.rvp.mySheet')}</a>
          </div>`
        : nothing}
      ${errorBanner(this.panelError)}
      ${this.reviewers.length === 0
        ? html`<p class="empty">${t('sel.rvp.noReviewers')}</p>`
        : html`<div class="table-wrap">
            <table data-testid="reviewers">
              <thead>
                <tr>
                  <th>${t('sel.rvp.reviewer')}</th>
                  <th>${t('sel.rvp.body')}</th>
                  <th>${t('sel.rvp.standsAside')}</th>
                  <th class="num">${t('sel.rvp.sheets')}</th>
                  ${this.manage && open ? html`<th></th>` : nothing}
                </tr>
              </thead>
              <tbody>
                ${this.reviewers.map(
                  (r) => html`<tr data-testid="reviewer">
                    <td>
                      ${r.name} ${r.outsideExpert ? html`<span class="badge">${t('sel.rvp.outside')}</span>` : nothing}
                      ${r.employerName ? html`<div class="muted" style="font-size:13px">${r.employerName}</div>` : nothing}
                    </td>
                    <td class="nowrap">${bodyName(s.reviewSetup, r.body)}</td>
                    <td>
                      ${r.standsAsideFrom.length
                        ? r.standsAsideFrom.map((a) => html`<div>${this.name(a.candidateId)}<span class="muted">（${a.reasons.map((x) => t(`sel.rvp.reason.${x}`)).join('、')}）</span></div>`)
                        : html`<span class="muted">—</span>`}
                    </td>
                    <td class="num">${r.completeSheets}</td>
                    ${this.manage && open
                      ? html`<td><button type="button" ?disabled=${this.busy} data-testid="remove-reviewer" @click=${() => this.removeReviewer(r)}>${t('sel.rvp.remove')}</button></td>`
                      : nothing}
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`}
      ${this.manage && open
        ? html`<form class="add" @submit=${this.addReviewer} novalidate data-testid="add-reviewer">
              <div class="field kind">
                <label for="rv-kind">${t('sel.rvp.kind')}</label>
                <select id="rv-kind" data-testid="rv-kind" @change=${(e: Event) => this.setAdd({ kind: (e.target as HTMLSelectElement).value as AddForm['kind'] })}>
                  <option value="account" ?selected=${f.kind === 'account'}>${t('sel.rvp.kind.account')}</option>
                  <option value="expert" ?selected=${f.kind === 'expert'}>${t('sel.rvp.kind.expert')}</option>
                </select>
              </div>
              ${f.kind === 'account'
                ? html`<div class="field full">
                    <sc-search-select
                      .options=${this.accountOptions(new Map(this.reviewers.flatMap((r) => (r.accountId === null ? [] : [[r.accountId, t('sel.rvp.pick.onPanel')] as const]))))}
                      .value=${f.accountId}
                      label=${t('sel.rvp.account')}
                      error=${this.addErrors.accountId ?? ''}
                      ?disabled=${!this.accounts}
                      data-testid="rv-account"
                      @sc-pick=${(e: PickEvent) => this.setAdd({ accountId: e.value as number | null })}
                    ></sc-search-select>
                    ${errorBanner(this.accountsError)}
                  </div>`
                : html`<div class="field">
                    <label for="rv-expertName">${t('sel.rvp.expertName')}</label>
                    <input id="rv-expertName" .value=${f.expertName} aria-invalid=${this.addErrors.expertName ? 'true' : 'false'} data-testid="rv-expertName" @input=${(e: InputEvent) => this.setAdd({ expertName: (e.target as HTMLInputElement).value })} />
                    ${fieldError(this.addErrors.expertName, 'err-rv-expertName')}
                  </div>`}
              <div class="field">
                <label for="rv-body">${t('sel.rvp.body')}</label>
                <select id="rv-body" data-testid="rv-body" @change=${(e: Event) => this.setAdd({ body: (e.target as HTMLSelectElement).value })}>
                  ${this.bodyKeys().map((k) => html`<option value=${k} ?selected=${k === f.body}>${bodyName(s.reviewSetup, k)}</option>`)}
                </select>
                ${fieldError(this.addErrors.body, 'err-rv-body')}
              </div>
              <div class="field">
                <label for="rv-employer">${t('sel.rvp.employer')}</label>
                <input id="rv-employer" .value=${f.employerName} placeholder=${t('sel.rvp.employerHint')} data-testid="rv-employer" @input=${(e: InputEvent) => this.setAdd({ employerName: (e.target as HTMLInputElement).value })} />
                ${fieldError(this.addErrors.employerName, 'err-rv-employer')}
              </div>
              <div class="field">
                <button type="submit" class="primary" ?disabled=${this.busy} data-testid="add-reviewer-submit">${t('sel.rvp.add')}</button>
              </div>
            </form>
            ${errorBanner(this.addError)}`
        : nothing}
    </section>`;
  }

  // ---- Ranking, closing, the tie ----

  private closeReview() {
    this.ask = {
      heading: t('sel.rvp.close.heading'),
      message: t('sel.rvp.close.msg'),
      label: t('sel.rvp.close'),
      run: () =>
        this.run(
          async () => {
            this.ranking = await api<ReviewRanking>('POST', `/api/selections/${this.selId}/close-review`);
            this.error = null;
            this.changed();
          },
          (err) => (this.error = err),
        ),
    };
  }

  private async decideTie(e: Event) {
    e.preventDefault();
    this.tieError = null;
    const places = this.ranking?.summary.placesToDecide ?? 0;
    const errors: Record<string, string> = {};
    if (this.tiePick.length > places) errors.candidateIds = t('sel.rvp.tie.tooMany', { n: places });
    if (this.tieReason.trim().length < 2) errors.reason = t('sel.rvp.tie.reasonRequired');
    this.tieErrors = errors;
    if (Object.keys(errors).length) return;
    await this.run(
      async () => {
        this.ranking = await api<ReviewRanking>('POST', `/api/selections/${this.selId}/tie-decision`, { candidateIds: this.tiePick, reason: this.tieReason.trim() });
        this.tiePick = [];
        this.tieReason = '';
        this.changed();
      },
      (err) => {
        const named = fieldErrorsOf(err);
        this.tieErrors = named.reason ? { reason: fieldText(named.reason) ?? '' } : {};
        this.tieError = err;
      },
    );
  }

  private rowBadges(r: ReviewRanking['rows'][number], closed: boolean) {
    const out = [];
    out.push(r.final === null ? html`<span class="badge">${t('sel.rvp.unscored')}</span>` : r.passes ? html`<span class="badge ok">${t('sel.rvp.passes')}</span>` : html`<span class="badge bad">${t('sel.rvp.fails')}</span>`);
    if (r.selected) out.push(html`<span class="badge ok" data-testid="selected">${t(closed ? 'sel.rvp.selected' : 'sel.rvp.selecting')}</span>`);
    if (r.tiedAtLine) out.push(html`<span class="badge warn" data-testid="tied">${t('sel.rvp.tied')}</span>`);
    if (r.chosenByCommittee) out.push(html`<span class="badge ok" data-testid="chosen">${t('sel.rvp.chosen')}</span>`);
    return html`<div class="badges">${out}</div>`;
  }

  private renderRanking(s: Selection) {
    const rk = this.ranking;
    if (!rk) return nothing;
    const steps = rk.setup.steps;
    const sum = rk.summary;
    const canClose = this.manage && s.status === 'reviewing' && !rk.closed;
    const deciding = this.manage && rk.closed && sum.placesToDecide > 0 && !rk.tieDecision && s.status === 'reviewing';
    return html`<section class="card" data-testid="ranking">
      <h2>${t('sel.rvp.ranking')}</h2>
      <p class="summary" data-testid="ranking-summary">
        ${t('sel.rvp.setup', {
          steps: steps.map((st) => `${st.name} ${st.weight}%`).join(t('sel.sep')),
          threshold: rk.setup.threshold,
          rule: t(`sel.rvp.rule.${rk.setup.voteRule}`),
        })}<br />
        ${t('sel.rvp.summary', { quota: sum.quota === null ? t('sel.quota.none') : t('sel.quota.n', { n: sum.quota }), passed: sum.passed, selected: sum.selected })}
        ${sum.tiedAtLine ? html`<strong>${t('sel.rvp.summaryTie', { tied: sum.tiedAtLine, places: sum.placesToDecide })}</strong>` : nothing}
        ${sum.placesUnfilled ? t('sel.rvp.unfilled', { n: sum.placesUnfilled }) : ''}
        ${rk.closed ? html`<br /><span class="badge" data-testid="review-closed">${t('sel.rvp.closedAt', { at: formatTime(rk.closedAt) })}</span>` : nothing}
      </p>
      ${errorBanner(this.error)}
      ${rk.rows.length === 0
        ? html`<p class="empty">${t('sel.rvp.noRows')}</p>`
        : html`<div class="table-wrap">
            <table data-testid="ranking-table">
              <thead>
                <tr>
                  <th class="num">${t('sel.rvp.rank')}</th>
                  <th>${t('sel.c.name')}</th>
                  ${steps.map((st) => html`<th class="num">${st.name}</th>`)}
                  <th class="num">${t('sel.rvp.final')}</th>
                  <th>${t('sel.rvp.outcome')}</th>
                </tr>
              </thead>
              <tbody>
                ${rk.rows.map(
                  (r) => html`<tr class=${r.tiedAtLine ? 'line' : ''} data-testid="rank-row" data-candidate=${r.candidateId}>
                    <td class="num" data-testid="rank">${r.rank === null ? '—' : r.sharedRank ? t('sel.rvp.sharedRank', { n: r.rank }) : r.rank}</td>
                    <td class="who">${r.personName}${r.employerName ? html`<div class="muted" style="font-size:13px">${r.employerName}</div>` : nothing}</td>
                    ${steps.map((st) => {
                      const cell = r.steps[st.key];
                      return html`<td class="num">
                        ${scoreText(cell?.score)}
                        ${Object.entries(cell?.bodies ?? {}).map(
                          ([key, b]) => html`<div class="bodies">${bodyName(rk.setup, key)} ${scoreText(b.score)}（${t('sel.rvp.sheetsOf', { n: b.sheets, of: b.expectedSheets })}）</div>`,
                        )}
                      </td>`;
                    })}
                    <td class="num final" data-testid="final">${scoreText(r.final)}</td>
                    <td>${this.rowBadges(r, rk.closed)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`}
      ${rk.tieDecision
        ? html`<p class="summary" style="margin-top:12px" data-testid="tie-decided">
            ${t('sel.rvp.tie.decided', { names: rk.tieDecision.candidateIds.map((id) => this.name(id)).join('、') || t('sel.rvp.tie.nobody'), reason: rk.tieDecision.reason })}
          </p>`
        : nothing}
      ${canClose
        ? html`<div class="actions">
            <span class="hint">${t('sel.rvp.close.hint')}</span>
            <button class="primary" ?disabled=${this.busy} data-testid="close-review" @click=${() => this.closeReview()}>${t('sel.rvp.close')}</button>
          </div>`
        : nothing}
      ${deciding ? this.renderTie(rk) : nothing}
    </section>`;
  }

  private renderTie(rk: ReviewRanking) {
    const tied = rk.rows.filter((r) => r.tiedAtLine);
    return html`<form class="tie" @submit=${this.decideTie} novalidate data-testid="tie-form">
      <h3>${t('sel.rvp.tie.heading')}</h3>
      <p class="hint">${t('sel.rvp.tie.hint', { n: rk.summary.placesToDecide, tied: tied.length })}</p>
      ${errorBanner(this.tieError)}
      ${tied.map(
        (r) => html`<label class="pick">
          <input
            type="checkbox"
            .checked=${this.tiePick.includes(r.candidateId)}
            data-testid="tie-pick"
            data-candidate=${r.candidateId}
            @change=${(e: Event) => {
              const on = (e.target as HTMLInputElement).checked;
              this.tiePick = on ? [...this.tiePick, r.candidateId] : this.tiePick.filter((x) => x !== r.candidateId);
              this.tieErrors = {};
            }}
          />
          ${r.personName} <span class="muted">${scoreText(r.final)}</span>
        </label>`,
      )}
      ${fieldError(this.tieErrors.candidateIds, 'err-tie-candidates')}
      <div class="field">
        <label for="tie-reason">${t('sel.rvp.tie.reason')}</label>
        <input id="tie-reason" .value=${this.tieReason} aria-invalid=${this.tieErrors.reason ? 'true' : 'false'} data-testid="tie-reason" @input=${(e: InputEvent) => ((this.tieReason = (e.target as HTMLInputElement).value), (this.tieErrors = {}))} />
        ${fieldError(this.tieErrors.reason, 'err-tie-reason')}
      </div>
      <div class="actions">
        <button type="submit" class="primary" ?disabled=${this.busy} data-testid="tie-submit">${t('sel.rvp.tie.submit')}</button>
      </div>
    </form>`;
  }

  // ---- The committee and its vote ----

  private startEditMembers() {
    const c = this.committee;
    const rows: MemberRow[] = (c?.members ?? []).map((m) => (m.accountId === null ? { kind: 'name', name: m.name } : { kind: 'account', accountId: m.accountId }));
    this.memberRows = rows.length ? rows : [{ kind: 'account', accountId: null }];
    this.membersErrors = {};
    this.membersError = null;
    this.editingMembers = true;
  }

  private setRow(i: number, row: MemberRow) {
    this.memberRows = this.memberRows.map((r, j) => (j === i ? row : r));
    const rest = { ...this.membersErrors };
    delete rest[i];
    delete rest[-1];
    this.membersErrors = rest;
  }

  private addRow(kind: MemberRow['kind']) {
    this.memberRows = [...this.memberRows, kind === 'account' ? { kind, accountId: null } : { kind, name: '' }];
    const rest = { ...this.membersErrors };
    delete rest[-1];
    this.membersErrors = rest;
  }

  private removeRow(i: number) {
    this.memberRows = this.memberRows.filter((_, j) => j !== i);
    // Problems follow their rows.
    const moved: Record<number, string> = {};
    for (const [k, v] of Object.entries(this.membersErrors)) {
      const n = Number(k);
      if (n >= 0 && n !== i) moved[n > i ? n - 1 : n] = v;
    }
    this.membersErrors = moved;
  }

  private async saveMembers(e: Event) {
    e.preventDefault();
    this.membersError = null;
    const rows = this.memberRows;
    const errors: Record<number, string> = {};
    rows.forEach((r, i) => {
      if (r.kind === 'account' && r.accountId === null) errors[i] = t('sel.rvp.pickAccount');
      if (r.kind === 'name' && !r.name.trim()) errors[i] = t('sel.rvp.members.nameRequired');
    });
    if (!rows.length) errors[-1] = t('sel.rvp.members.none');
    this.membersErrors = errors;
    if (Object.keys(errors).length) return;
    const members = rows.map((r) => (r.kind === 'account' ? { accountId: r.accountId! } : { name: r.name.trim() }));
    await this.run(
      async () => {
        this.committee = await api<Committee>('PUT', `/api/selections/${this.selId}/committee`, { members });
        this.editingMembers = false;
        this.membersErrors = {};
      },
      (err) => {
        // Each refused member named in their own row; the rows stay as typed.
        const byRow: Record<number, string> = {};
        if (err instanceof ApiError)
          for (const fe of err.fieldErrors) {
            const m = /^body\.members\.(\d+)\.(accountId|name)$/.exec(fe.field);
            if (!m) continue;
            byRow[Number(m[1])] ??= m[2] === 'accountId' ? t('sel.rvp.members.badAccount') : (fieldText(fe.message) ?? '');
          }
        this.membersErrors = byRow;
        this.membersError = Object.keys(byRow).length ? null : err;
      },
    );
  }

  private renderMembersForm() {
    const rows = this.memberRows;
    const chosen = (except: number) =>
      new Map(rows.flatMap((r, j) => (j !== except && r.kind === 'account' && r.accountId !== null ? [[r.accountId, t('sel.rvp.pick.chosen')] as const] : [])));
    return html`<form @submit=${this.saveMembers} novalidate data-testid="members-form">
      <div class="member-rows">
        ${rows.map((r, i) => {
          const err = this.membersErrors[i];
          return html`<div class="member-row" data-testid="member-row" data-kind=${r.kind}>
            ${r.kind === 'account'
              ? html`<sc-search-select
                  class="grow"
                  .options=${this.accountOptions(chosen(i))}
                  .value=${r.accountId}
                  label=${t('sel.rvp.members.accountN', { n: i + 1 })}
                  error=${err ?? ''}
                  ?disabled=${!this.accounts}
                  data-testid="member-account"
                  @sc-pick=${(e: PickEvent) => this.setRow(i, { kind: 'account', accountId: e.value as number | null })}
                ></sc-search-select>`
              : html`<div class="field grow">
                  <label for="member-name-${i}">${t('sel.rvp.members.nameN', { n: i + 1 })}</label>
                  <input
                    id="member-name-${i}"
                    maxlength="40"
                    .value=${r.name}
                    aria-invalid=${err ? 'true' : 'false'}
                    aria-describedby=${err ? `err-member-${i}` : nothing}
                    data-testid="member-name"
                    @input=${(e: InputEvent) => this.setRow(i, { kind: 'name', name: (e.target as HTMLInputElement).value })}
                  />
                  ${fieldError(err, `err-member-${i}`)}
                </div>`}
            <div class="field remove">
              <label aria-hidden="true">&nbsp;</label>
              <button type="button" aria-label=${t('sel.rvp.members.removeN', { n: i + 1 })} data-testid="member-remove" @click=${() => this.removeRow(i)}>${t('sel.rvp.remove')}</button>
            </div>
          </div>`;
        })}
      </div>
      ${fieldError(this.membersErrors[-1], 'err-members')} ${errorBanner(this.accountsError)}
      <div class="actions">
        <button type="button" data-testid="member-add-account" @click=${() => this.addRow('account')}>＋ ${t('sel.rvp.members.addAccount')}</button>
        <button type="button" data-testid="member-add-name" @click=${() => this.addRow('name')}>＋ ${t('sel.rvp.members.addName')}</button>
      </div>
      <p class="hint">${t('sel.rvp.members.hint')}</p>
      ${errorBanner(this.membersError)}
      <div class="actions">
        <button type="submit" class="primary" ?disabled=${this.busy} data-testid="members-save">${t('sel.rvp.members.save')}</button>
        <button type="button" @click=${() => (this.editingMembers = false)}>${t('app.cancel')}</button>
      </div>
    </form>`;
  }

  private vote(member: Committee['members'][number], choice: Choice, onPaper: boolean) {
    this.ask = {
      heading: onPaper ? t('sel.rvp.vote.paperHeading', { name: member.name, choice: t(`sel.rvp.choice.${choice}`) }) : t('sel.rvp.vote.ownHeading', { choice: t(`sel.rvp.choice.${choice}`) }),
      message: t('sel.rvp.vote.msg'),
      label: t(`sel.rvp.choice.${choice}`),
      run: () =>
        this.run(
          async () => {
            this.committee = await api<Committee>('POST', `/api/selections/${this.selId}/votes`, onPaper ? { choice, memberId: member.id } : { choice });
            this.voteError = null;
          },
          (err) => (this.voteError = err),
        ),
    };
  }

  private renderCommittee(s: Selection) {
    const c = this.committee;
    if (!c) return nothing;
    const cast = c.members.some((m) => m.choice !== null);
    // Any ballot in any round keeps the committee: the same members vote again after 退回重评.
    const canEdit = this.manage && PANEL_OPEN.includes(s.status) && !cast && c.earlierRounds.length === 0;
    const voting = s.status === 'reviewing' && !!s.reviewClosedAt;
    const tally = c.tally;
    const failed = !!tally && this.failed(tally);
    const canReopen = this.manage && voting && failed;
    return html`<section class="card" data-testid="committee">
      <h2>
        ${t('sel.rvp.committee')}${c.round > 1 || c.earlierRounds.length ? html`<span class="badge accent" data-testid="vote-round">${t('sel.rvp.round', { n: c.round })}</span>` : nothing}
      </h2>
      ${this.reopenedRound === c.round && !s.reviewClosedAt
        ? html`<div class="banner ok-banner" role="status" data-testid="reopened">${t('sel.rvp.reopen.done', { n: c.round })}</div>`
        : nothing}
      <p class="hint">${c.voteRule ? t(`sel.rvp.ruleText.${c.voteRule}`) : ''}${voting ? '' : t('sel.rvp.vote.afterClose')}</p>
      ${errorBanner(this.voteError)}
      ${c.members.length === 0
        ? html`<p class="empty">${t('sel.rvp.members.empty')}</p>`
        : html`<div class="table-wrap">
            <table data-testid="members">
              <thead>
                <tr>
                  <th>${t('sel.rvp.member')}</th>
                  <th>${t('sel.rvp.ballot')}</th>
                </tr>
              </thead>
              <tbody>
                ${c.members.map((m) => {
                  const own = m.accountId !== null && m.accountId === this.accountId;
                  const paper = m.choice !== null && (m.accountId === null || m.recordedBy !== m.accountId);
                  const choices = (['for', 'against', 'abstain'] as const).map(
                    (ch) => html`<button type="button" class=${own && ch === 'for' ? 'primary' : ''} ?disabled=${this.busy} data-testid="vote-${ch}" @click=${() => this.vote(m, ch, !own)}>
                      ${t(`sel.rvp.choice.${ch}`)}
                    </button>`,
                  );
                  return html`<tr data-testid="member" data-member=${m.id}>
                    <td>${m.name}${own ? html` <span class="badge accent">${t('sel.rvp.you')}</span>` : nothing}${m.accountId === null ? html` <span class="badge">${t('sel.rvp.onPaper')}</span>` : nothing}</td>
                    <td>
                      ${m.choice !== null
                        ? html`<span class="badge ${m.choice === 'for' ? 'ok' : m.choice === 'against' ? 'bad' : ''}" data-testid="ballot">${t(`sel.rvp.choice.${m.choice}`)}</span>
                            <span class="muted" style="font-size:13px">${formatTime(m.at)}${paper ? ` · ${t('sel.rvp.paperBallot')}` : ''}</span>`
                        : voting && (own || this.manage)
                          ? html`<div class="vote">${own ? nothing : html`<span class="hint" style="align-self:center">${t('sel.rvp.recordPaper')}</span>`}${choices}</div>`
                          : html`<span class="muted" data-testid="ballot">${t('sel.rvp.notVoted')}</span>`}
                    </td>
                  </tr>`;
                })}
              </tbody>
            </table>
          </div>`}
      ${tally
        ? html`<p class="tally" data-testid="tally">
            ${t('sel.rvp.tally', { for: tally.for, against: tally.against, abstain: tally.abstain, absent: tally.absent, needed: tally.forNeeded, rule: t(`sel.rvp.rule.${tally.rule}`) })}
            ${this.resultBadge(tally, 'tally-result')}
          </p>`
        : nothing}
      ${canReopen ? this.renderReopen(c) : nothing} ${this.renderEarlier(c)}
      ${canEdit && !this.editingMembers
        ? html`<div class="actions"><button type="button" data-testid="edit-members" @click=${() => this.startEditMembers()}>${t(c.members.length ? 'sel.rvp.members.edit' : 'sel.rvp.members.set')}</button></div>`
        : nothing}
      ${canEdit && this.editingMembers ? this.renderMembersForm() : nothing}
    </section>`;
  }

  /** A count that cannot pass any more: lost, or everyone voted and it did not pass. */
  private failed(tally: Tally): boolean {
    return !tally.passed && tally.cast > 0 && (tally.lost || tally.cast === tally.members);
  }

  private resultBadge(tally: Tally, testId: string) {
    const [cls, key] = tally.passed ? ['ok', 'sel.rvp.passed'] : this.failed(tally) ? ['bad', 'sel.rvp.failed'] : [tally.cast === 0 ? '' : 'warn', 'sel.rvp.notPassed'];
    return html`<span class="badge ${cls}" data-testid=${testId}>${t(key)}</span>`;
  }

  /** Rounds voted down, oldest first: the count and why the list went back. */
  private renderEarlier(c: Committee) {
    if (!c.earlierRounds.length) return nothing;
    return html`<div class="earlier" data-testid="earlier-rounds">
      <h3>${t('sel.rvp.earlier')}</h3>
      <ol>
        ${c.earlierRounds.map(
          (r) => html`<li data-testid="earlier-round" data-round=${r.round}>
            <strong>${t('sel.rvp.earlier.round', { n: r.round })}</strong>
            ${t('sel.rvp.tally', { for: r.tally.for, against: r.tally.against, abstain: r.tally.abstain, absent: r.tally.absent, needed: r.tally.forNeeded, rule: t(`sel.rvp.rule.${r.tally.rule}`) })}
            ${this.resultBadge(r.tally, 'earlier-result')}
            <div data-testid="earlier-reason">${t('sel.rvp.earlier.reason', { reason: r.reason })}</div>
            <div class="muted" style="font-size:13px">${t('sel.rvp.earlier.at', { at: formatTime(r.reopenedAt) })}</div>
          </li>`,
        )}
      </ol>
    </div>`;
  }

  // ---- A list voted down goes back to the panel (退回重评) ----

  private submitReopen(e: Event) {
    e.preventDefault();
    this.reopenError = null;
    const reason = this.reopenReason.trim();
    if (reason.length < 2) {
      this.reopenErrors = { reason: t('sel.rvp.reopen.reasonRequired') };
      return;
    }
    this.reopenErrors = {};
    this.ask = {
      heading: t('sel.rvp.reopen.heading'),
      message: t('sel.rvp.reopen.msg'),
      label: t('sel.rvp.reopen'),
      run: () =>
        this.run(
          async () => {
            this.committee = await api<Committee>('POST', `/api/selections/${this.selId}/reopen-review`, { reason });
            this.reopenedRound = this.committee.round;
            this.reopening = false;
            this.reopenReason = '';
            this.changed();
          },
          (err) => {
            // The reason stays as typed; a refusal says why in this step's words.
            const named = fieldErrorsOf(err);
            this.reopenErrors = named.reason ? { reason: fieldText(named.reason) ?? '' } : {};
            this.reopenError = named.reason ? null : err;
          },
        ),
    };
  }

  private reopenBanner() {
    const err = this.reopenError;
    if (err instanceof ApiError) {
      const key = `sel.rvp.reopen.err.${err.code}`;
      const text = t(key);
      if (text !== key) return html`<div class="banner error-banner" role="alert" data-testid="error-banner"><strong>${text}</strong></div>`;
    }
    return errorBanner(err);
  }

  private renderReopen(c: Committee) {
    return html`<div class="reopen" data-testid="reopen">
      <p class="hint">${t('sel.rvp.reopen.hint', { n: c.round + 1 })}</p>
      ${this.reopenBanner()}
      ${this.reopening
        ? html`<form @submit=${this.submitReopen} novalidate data-testid="reopen-form">
            <div class="field">
              <label for="reopen-reason">${t('sel.rvp.reopen.reason')}</label>
              <textarea
                id="reopen-reason"
                maxlength="500"
                .value=${this.reopenReason}
                aria-invalid=${this.reopenErrors.reason ? 'true' : 'false'}
                aria-describedby=${this.reopenErrors.reason ? 'err-reopen-reason' : nothing}
                data-testid="reopen-reason"
                @input=${(e: InputEvent) => ((this.reopenReason = (e.target as HTMLTextAreaElement).value), (this.reopenErrors = {}))}
              ></textarea>
              ${fieldError(this.reopenErrors.reason, 'err-reopen-reason')}
            </div>
            <div class="actions">
              <button type="submit" class="primary" ?disabled=${this.busy} data-testid="reopen-submit">${t('sel.rvp.reopen')}</button>
              <button type="button" @click=${() => ((this.reopening = false), (this.reopenErrors = {}), (this.reopenError = null))}>${t('app.cancel')}</button>
            </div>
          </form>`
        : html`<div class="actions" style="margin-top:0">
            <button type="button" class="primary" data-testid="reopen-open" @click=${() => (this.reopening = true)}>${t('sel.rvp.reopen')}</button>
          </div>`}
    </div>`;
  }

  override render() {
    const s = this.selection;
    if (!s?.reviewSetup) return nothing;
    if (!this.ranking && !this.committee) return html`${errorBanner(this.error)}${this.error ? nothing : html`<p class="muted">${t('app.loading')}</p>`}`;
    const ask = this.ask;
    return html`<div class="stack">
        ${this.renderPanel(s)} ${s.status === 'draft' || s.status === 'nominating' ? nothing : this.renderRanking(s)} ${this.renderCommittee(s)}
      </div>
      ${ask
        ? html`<sc-confirm
            open
            heading=${ask.heading}
            message=${ask.message}
            confirmLabel=${ask.label}
            data-testid="review-confirm"
            @sc-confirm=${(e: ConfirmEvent) => {
              this.ask = null;
              if (e.confirmed) void ask.run();
            }}
          ></sc-confirm>`
        : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-sel-review': ReviewPanel;
  }
}
