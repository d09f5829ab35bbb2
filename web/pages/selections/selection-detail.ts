import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { api, ApiError } from '../../api/client.ts';
import { currentLang, LocaleController, t } from '../../app/i18n.ts';
import '../../components/confirm-dialog.ts';
import type { ConfirmEvent } from '../../components/confirm-dialog.ts';
import { problemText } from '../../components/error-banner.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { errorBanner, fieldError, fieldErrorsOf, formatDate, formatEnd, formatTime, staffStyles } from '../people/staff-ui.ts';
import { CandidateEditDoneEvent, SelectionChangedEvent } from './nomination-form.ts';
import './nomination-form.ts';
import './objection-form.ts';
import './reason-dialog.ts';
import type { ReasonEvent } from './reason-dialog.ts';
import './rewards-panel.ts';
import './review-panel.ts';
import './settings-editor.ts';
import type { SettingsDoneEvent } from './settings-editor.ts';
import './titles-panel.ts';
import {
  failureText,
  fieldText,
  rewardInWords,
  rulesInWords,
  SELECTION_MANAGERS,
  SELECTION_NOMINATORS,
  statusBadgeClass,
  type Candidate,
  type ImportResult,
  type NamingResult,
  type Objection,
  type Selection,
  type SelectionStatus,
} from './selection-types.ts';

type Step = { path: string; key: 'open' | 'review' | 'publicity' | 'name' | 'close' };
/** The next step from each status: the API's transition and the message keys (sel.next.*, sel.confirm.*, sel.done.*). */
const NEXT: Partial<Record<SelectionStatus, Step>> = {
  draft: { path: 'open-nominations', key: 'open' },
  nominating: { path: 'start-review', key: 'review' },
  reviewing: { path: 'start-publicity', key: 'publicity' },
  publicity: { path: 'name', key: 'name' },
  named: { path: 'close', key: 'close' },
};

type ListRow = { candidateId: number; on: boolean; score: string; award: 'title' | 'nomination_award' };
type Decision = { decision: '' | 'upheld' | 'dismissed'; note: string; error: string; saving: boolean };

/**
 * `<sc-selection-detail>`: one craftsman selection for staff. Its settings in words, the status
 * and the next step (confirmed first), the candidates with each failed rule's reason, the
 * nomination form and the import of competition recommendations while nominations are open, the
 * proposed list (order, scores) during the review, objections during publicity, and after naming
 * the named list with certificate numbers and the reward money.
 * Managers also change the settings while the selection is a draft or taking nominations
 * (`<sc-sel-settings>`), withdraw a candidate with the reason and check everyone's eligibility
 * again during nominations and the review, record an objection received by letter or phone during
 * publicity (`<sc-sel-objection-form>`), and after naming keep the titles: yearly reviews and
 * revocation (`<sc-sel-titles>`).
 *
 * @property selectionId - the selection
 * @property staffRole - the signed-in staff member's role (what they may do; the server decides)
 * @property staffOrgId - their organisation (a nominating unit they may name)
 */
@customElement('sc-selection-detail')
export class SelectionDetail extends LitElement {
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
        margin-bottom: 12px;
      }
      .head h1 {
        margin: 0;
        flex: 1 1 260px;
        min-width: 0;
      }
      .summary {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(280px, 1fr));
        gap: 4px 24px;
      }
      .summary dl {
        margin: 0;
      }
      .card-head {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
        justify-content: space-between;
        margin-bottom: 12px;
      }
      .card-head h2 {
        margin: 0;
      }
      td.act {
        width: 1%;
      }
      td.act button {
        white-space: nowrap;
      }
      .withdrawn-why {
        font-size: 14px;
        color: var(--sc-muted);
        margin-top: 4px;
        line-height: 1.5;
      }
      .summary dt {
        color: var(--sc-muted);
        font-size: 14px;
        margin-top: 8px;
      }
      .summary dd {
        margin: 2px 0 0;
        line-height: 1.5;
      }
      .summary ul {
        margin: 2px 0 0;
        padding-left: 20px;
        line-height: 1.5;
      }
      .next {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
        margin-top: 12px;
        padding-top: 12px;
        border-top: 1px solid var(--sc-line);
      }
      td.employer {
        min-width: 8em;
      }
      ul.reasons {
        margin: 0;
        padding-left: 18px;
        color: var(--sc-danger);
        font-size: 14px;
        line-height: 1.5;
      }
      .ok {
        color: var(--sc-ok);
      }
      .list-row td input[type='checkbox'] {
        width: 24px;
        height: 24px;
        min-height: 24px;
      }
      .list-row td input.score {
        width: 88px;
      }
      .list-row td .row {
        flex-wrap: nowrap;
      }
      .decide {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(0, 2fr) auto;
        gap: 8px;
        align-items: start;
      }
      .decide input {
        width: 100%;
      }
      .objection {
        border-bottom: 1px solid var(--sc-line);
        padding: 12px 0;
      }
      .objection p {
        margin: 4px 0;
        line-height: 1.5;
      }
      @media (max-width: 800px) {
        .decide {
          grid-template-columns: minmax(0, 1fr);
        }
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  @property({ type: Number }) selectionId = 0;
  @property() staffRole = '';
  @property({ type: Number }) staffOrgId = 0;
  @property({ type: Number }) staffAccountId = 0;

  @state() private sel: Selection | null = null;
  @state() private candidates: Candidate[] = [];
  @state() private objections: Objection[] = [];
  @state() private error: unknown = null;
  /** What the last step did, worded at render time (so a language switch rewords it). */
  @state() private notice: (() => { text: string; details: string[] }) | null = null;
  @state() private confirming: Step | null = null;
  @state() private acting = false;
  @state() private importing = false;
  @state() private imported: ImportResult | null = null;
  @state() private importError: unknown = null;
  @state() private list: ListRow[] | null = null;
  @state() private listErrors: Record<number, string> = {};
  @state() private listError: unknown = null;
  @state() private listSaving = false;
  @state() private decisions: Record<number, Decision> = {};
  /** The settings editor is open (draft or nominating, managers). */
  @state() private editing = false;
  /** The candidate whose withdrawal is being confirmed (with the reason). */
  @state() private withdrawing: Candidate | null = null;
  /** A candidate whose nomination form is being completed or corrected (nominations open). */
  @state() private editingForm: Candidate | null = null;
  @state() private withdrawBusy = false;
  @state() private withdrawError = '';
  @state() private rechecking = false;
  @state() private recheckError: unknown = null;
  /** What the last action on the candidates did, worded at render time. */
  @state() private candidatesNotice: (() => string) | null = null;
  /** Counts revocations: the reward panel is read afresh after one (a revoked title is no longer paid). */
  @state() private titlesRevision = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener(SelectionChangedEvent.type, () => {
      // A step taken below (e.g. the review closed) answers an earlier refusal.
      this.error = null;
      void this.load();
    });
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('selectionId') && this.selectionId) void this.load();
  }

  /** Runs it: a manager of the union running the selection (the server decides too). */
  private get manage() {
    return SELECTION_MANAGERS.includes(this.staffRole) && this.sel?.yourPart === 'running_union';
  }

  /** Reads it in full (the running union or a co-organiser); a nominating unit below sees its own nominations only. */
  private get readsAll() {
    return this.sel !== null && this.sel.yourPart !== 'nominating_unit';
  }

  private async load() {
    try {
      const id = this.selectionId;
      const [sel, candidates] = await Promise.all([api<Selection>('GET', `/api/selections/${id}`), api<Candidate[]>('GET', `/api/selections/${id}/candidates`)]);
      this.sel = sel;
      this.candidates = candidates;
      this.objections = ['publicity', 'named', 'closed'].includes(sel.status) && sel.yourPart !== 'nominating_unit' ? await api<Objection[]>('GET', `/api/selections/${id}/objections`) : [];
      if (sel.status === 'reviewing' && !this.list) this.list = this.initialList(candidates);
      if (sel.status !== 'reviewing') this.list = null;
      if (sel.status !== 'draft' && sel.status !== 'nominating') this.editing = false;
    } catch (err) {
      this.error = err;
    }
  }

  /** The proposed list as the editor starts: those already proposed in rank order, then the other eligible ones. */
  private initialList(candidates: Candidate[]): ListRow[] {
    const open = candidates.filter((c) => c.status === 'nominated' || c.status === 'proposed' || c.status === 'not_selected');
    const proposed = open.filter((c) => c.status === 'proposed').sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
    const rest = open.filter((c) => c.status !== 'proposed');
    return [...proposed, ...rest].map((c) => ({
      candidateId: c.id,
      on: c.status === 'proposed',
      score: c.reviewScore === null ? '' : String(c.reviewScore),
      award: c.proposedAward ?? 'title',
    }));
  }

  private async act(step: Step) {
    this.confirming = null;
    this.acting = true;
    this.error = null;
    this.notice = null;
    try {
      let notice: () => { text: string; details: string[] };
      if (step.key === 'name') {
        const result = await api<NamingResult>('POST', `/api/selections/${this.selectionId}/name`);
        notice = () => ({
          text: t('sel.done.name', { named: result.named.length, awards: result.nominationAwards.length }),
          details: result.refused.map((r) => t('sel.done.refused', { name: r.personName, reason: failureText(r, currentLang()) })),
        });
      } else {
        const sel = await api<Selection>('POST', `/api/selections/${this.selectionId}/${step.path}`);
        notice = () => ({ text: t(`sel.done.${step.key}`, { end: formatEnd(sel.publicityEndsAt) }), details: [] });
      }
      // The page shows the new state before it says the step is done, so the two never disagree.
      await this.load();
      this.notice = notice;
    } catch (err) {
      this.error = err;
    } finally {
      this.acting = false;
    }
  }

  private async importRecommendations() {
    this.importing = true;
    this.importError = null;
    this.imported = null;
    try {
      this.imported = await api<ImportResult>('POST', `/api/selections/${this.selectionId}/import-recommendations`, undefined, { timeoutMs: 120_000 });
      await this.load();
    } catch (err) {
      this.importError = err;
    } finally {
      this.importing = false;
    }
  }

  private moveRow(i: number, by: -1 | 1) {
    const list = [...(this.list ?? [])];
    const j = i + by;
    if (j < 0 || j >= list.length) return;
    [list[i], list[j]] = [list[j]!, list[i]!];
    this.list = list;
  }

  private patchRow(i: number, patch: Partial<ListRow>) {
    const list = [...(this.list ?? [])];
    list[i] = { ...list[i]!, ...patch };
    this.list = list;
    const id = list[i]!.candidateId;
    if (this.listErrors[id]) this.listErrors = { ...this.listErrors, [id]: '' };
  }

  private async saveList() {
    this.listError = null;
    this.notice = null;
    const on = (this.list ?? []).filter((r) => r.on);
    const errors: Record<number, string> = {};
    for (const r of on) if (r.score.trim() && !(Number(r.score) >= 0 && Number(r.score) <= 1000)) errors[r.candidateId] = t('sel.list.badScore');
    this.listErrors = errors;
    if (Object.keys(errors).length) return;
    if (!on.length) {
      this.listError = new ApiError(400, 'local', t('sel.list.noneChosen'));
      return;
    }
    this.listSaving = true;
    try {
      const items = on.map((r) => ({ candidateId: r.candidateId, reviewScore: r.score.trim() ? Number(r.score) : null, award: r.award }));
      this.candidates = await api<Candidate[]>('PUT', `/api/selections/${this.selectionId}/proposed-list`, { items });
      this.sel = await api<Selection>('GET', `/api/selections/${this.selectionId}`);
      this.notice = () => ({ text: t('sel.list.saved'), details: [] });
    } catch (err) {
      // The list as arranged stays; the rows the server named are marked.
      const named = fieldErrorsOf(err);
      const rowErrors: Record<number, string> = {};
      for (const [field, message] of Object.entries(named)) {
        const m = /^items\.(\d+)\./.exec(field);
        const row = m ? on[Number(m[1])] : undefined;
        if (row) rowErrors[row.candidateId] = fieldText(message) ?? '';
      }
      this.listErrors = rowErrors;
      this.listError = err;
    } finally {
      this.listSaving = false;
    }
  }

  private decision(id: number): Decision {
    return this.decisions[id] ?? { decision: '', note: '', error: '', saving: false };
  }

  private setDecision(id: number, patch: Partial<Decision>) {
    this.decisions = { ...this.decisions, [id]: { ...this.decision(id), ...patch } };
  }

  private async decide(o: Objection) {
    const d = this.decision(o.id);
    if (!d.decision) return this.setDecision(o.id, { error: t('sel.obj.chooseDecision') });
    if (d.note.trim().length < 2) return this.setDecision(o.id, { error: t('sel.obj.noteRequired') });
    this.setDecision(o.id, { saving: true, error: '' });
    try {
      await api<Objection>('POST', `/api/selection-objections/${o.id}/decision`, { decision: d.decision, note: d.note.trim() });
      const rest = { ...this.decisions };
      delete rest[o.id];
      this.decisions = rest;
      await this.load();
      this.notice = () => ({ text: t('sel.obj.decided'), details: [] });
    } catch (err) {
      this.setDecision(o.id, { saving: false, error: fieldText(fieldErrorsOf(err).note) ?? '' });
      if (!this.decision(o.id).error) this.error = err;
    }
  }

  private settingsDone(e: SettingsDoneEvent) {
    this.editing = false;
    if (e.saved) {
      this.error = null;
      this.notice = () => ({ text: t('sel.set.saved'), details: [] });
    }
  }

  private async startEditing(c: Candidate) {
    this.candidatesNotice = null;
    this.editingForm = c;
    await this.updateComplete;
    this.renderRoot.querySelector('#edit-form')?.scrollIntoView({ block: 'start' });
  }

  private editDone = (e: Event) => {
    const saved = (e as CandidateEditDoneEvent).candidate;
    const name = this.editingForm?.personName ?? '';
    this.editingForm = null;
    if (saved) this.candidatesNotice = () => t(saved.eligibility.eligible ? 'sel.edit.done.ok' : 'sel.edit.done.ineligible', { name });
  };

  private async withdraw(e: ReasonEvent) {
    const c = this.withdrawing;
    if (!c) return;
    if (e.reason === null) {
      this.withdrawing = null;
      return;
    }
    this.withdrawBusy = true;
    this.withdrawError = '';
    try {
      await api<Candidate>('POST', `/api/selection-candidates/${c.id}/withdraw`, { reason: e.reason });
      this.withdrawing = null;
      this.recheckError = null;
      await this.load();
      this.candidatesNotice = () => t('sel.wd.done', { name: c.personName });
      this.syncList();
    } catch (err) {
      // The dialog stays open with the reason as typed; the refusal is shown in it.
      const reason = fieldErrorsOf(err).reason;
      this.withdrawError = reason ? (fieldText(reason) ?? '') : problemText(err);
      if (err instanceof ApiError && err.status === 409) void this.load();
    } finally {
      this.withdrawBusy = false;
    }
  }

  /**
   * The proposed list being arranged follows the candidates: one withdrawn or found ineligible
   * leaves it, one found eligible again joins it at the end; the order and scores typed stay.
   */
  private syncList() {
    if (!this.list) return;
    const open = this.initialList(this.candidates);
    const ids = new Set(open.map((r) => r.candidateId));
    const kept = this.list.filter((r) => ids.has(r.candidateId));
    const have = new Set(kept.map((r) => r.candidateId));
    this.list = [...kept, ...open.filter((r) => !have.has(r.candidateId))];
  }

  private async recheck() {
    this.rechecking = true;
    this.recheckError = null;
    this.candidatesNotice = null;
    try {
      const checked = await api<Candidate[]>('POST', `/api/selections/${this.selectionId}/check-eligibility`);
      const bad = checked.filter((c) => c.status === 'ineligible').length;
      await this.load();
      this.candidatesNotice = () => t('sel.recheck.done', { n: checked.length, ok: checked.length - bad, bad });
      this.syncList();
    } catch (err) {
      this.recheckError = err;
    } finally {
      this.rechecking = false;
    }
  }

  // ---- Rendering ----

  private renderSummary(s: Selection) {
    const tt = [
      t('sel.tt.nominations', { open: s.nominationsOpen, close: s.nominationsClose }),
      s.reviewBy ? t('sel.tt.reviewBy', { date: s.reviewBy }) : '',
      s.publicityStartsAt ? t('sel.tt.publicity', { start: formatTime(s.publicityStartsAt), end: formatEnd(s.publicityEndsAt) }) : t('sel.tt.publicityDays', { n: s.publicityWorkingDays }),
      s.namingDate ? t('sel.tt.naming', { date: s.namingDate }) : '',
      s.namedAt ? t('sel.tt.namedAt', { date: formatDate(s.namedAt) }) : '',
    ].filter(Boolean);
    const editable = this.manage && (s.status === 'draft' || s.status === 'nominating');
    return html`<section class="card" data-testid="settings">
      <div class="card-head">
        <h2>${t('sel.settings')}</h2>
        ${editable && !this.editing
          ? html`<button type="button" data-testid="settings-edit" @click=${() => ((this.editing = true), (this.notice = null))}>${t('sel.set.edit')}</button>`
          : nothing}
      </div>
      ${editable && this.editing
        ? html`<sc-sel-settings .selection=${s} @sc-settings-done=${this.settingsDone}></sc-sel-settings>`
        : html`<div class="summary">
        <dl>
          <dt>${t('sel.col.title')}</dt>
          <dd data-testid="title-name">${s.titleName}</dd>
          <dt>${t('sel.organiser')}</dt>
          <dd>${s.orgName}${s.coOrganisers.length ? html`<span class="muted"> · ${t('sel.coOrganisers')}: ${s.coOrganisers.map((o) => o.name).join('、')}</span>` : nothing}</dd>
          <dt>${t('sel.quota')}</dt>
          <dd>${s.quota === null ? t('sel.quota.none') : t('sel.quota.n', { n: s.quota })}</dd>
          <dt>${t('sel.reward')}</dt>
          <dd>${rewardInWords(s.reward, s.nominationAwardYuan)}${s.titleTermYears ? `${t('sel.sep')}${t('sel.termYears', { n: s.titleTermYears })}` : ''}</dd>
        </dl>
        <dl>
          <dt>${t('sel.rules')}</dt>
          <dd>
            <ul data-testid="rules">
              ${rulesInWords(s.eligibilityRules).map((r) => html`<li>${r}</li>`)}
            </ul>
          </dd>
          <dt>${t('sel.timetable')}</dt>
          <dd>${tt.map((x) => html`<div>${x}</div>`)}</dd>
        </dl>
      </div>`}
      ${this.editing ? nothing : this.renderNext(s)}
    </section>`;
  }

  private renderNext(s: Selection) {
    const step = NEXT[s.status];
    const publicLink = ['publicity', 'named', 'closed'].includes(s.status);
    if (!(step && this.manage) && !publicLink) return nothing;
    // Naming waits for the end of the publicity period (the server refuses it earlier too).
    const waiting = s.status === 'publicity' && !!s.publicityEndsAt && Date.now() < Date.parse(s.publicityEndsAt);
    // A reviewed selection's list comes from closing its review (in the review section below).
    const reviewOpen = s.status === 'reviewing' && !!s.reviewSetup && !s.reviewClosedAt;
    return html`<div class="next">
      ${waiting ? html`<span class="hint" data-testid="naming-waits">${t('sel.next.nameWaits', { end: formatEnd(s.publicityEndsAt) })}</span>` : nothing}
      ${reviewOpen && this.manage ? html`<span class="hint" data-testid="review-first">${t('sel.next.reviewFirst')}</span>` : nothing}
      <span class="spacer"></span>
      ${publicLink ? html`<a class="btn" href="/selections/${s.id}/public" data-testid="public-link">${t('sel.publicLink')}</a>` : nothing}
      ${step && this.manage
        ? html`<button class="primary" ?disabled=${this.acting || waiting || reviewOpen} data-testid="next-step" @click=${() => (this.confirming = step)}>${t(`sel.next.${step.key}`)}</button>`
        : nothing}
    </div>`;
  }

  private eligibilityCell(c: Candidate) {
    if (c.eligibility.eligible) return html`<span class="ok">✓ ${t('sel.c.eligible')}</span>`;
    const lang = currentLang();
    return html`<ul class="reasons" data-testid="reasons">
      ${c.eligibility.failures.map((f) => html`<li>${failureText(f, lang)}</li>`)}
    </ul>`;
  }

  private renderCandidates(s: Selection) {
    const named = s.status === 'named' || s.status === 'closed';
    // Managers withdraw candidates and check the rules again while nominations are open or under review.
    const act = this.manage && (s.status === 'nominating' || s.status === 'reviewing');
    // Whoever nominates completes a form while nominations are open (a unit only its own people: the list shows no others).
    const edit = s.status === 'nominating' && SELECTION_NOMINATORS.includes(this.staffRole);
    const notice = this.candidatesNotice?.();
    return html`<section class="card" data-testid="candidates-section">
      <div class="card-head">
        <h2>${t('sel.candidates')}</h2>
        ${act && this.candidates.length
          ? html`<button type="button" ?disabled=${this.rechecking} aria-busy=${this.rechecking ? 'true' : 'false'} data-testid="recheck" @click=${this.recheck}>
              ${this.rechecking ? t('sel.recheck.busy') : t('sel.recheck')}
            </button>`
          : nothing}
      </div>
      ${act && this.candidates.length ? html`<p class="hint" style="margin-top:0">${t('sel.recheck.hint')}</p>` : nothing} ${errorBanner(this.recheckError)}
      ${notice ? html`<div class="banner ok-banner" role="status" data-testid="candidates-notice">${notice}</div>` : nothing}
      ${this.candidates.length === 0
        ? html`<p class="empty">${t('sel.candidates.empty')}</p>`
        : html`<div class="table-wrap">
            <table data-testid="candidates">
              <thead>
                <tr>
                  <th class="num">${t('sel.c.rank')}</th>
                  <th>${t('sel.c.name')}</th>
                  <th>${t('sel.c.employer')}</th>
                  <th class="hide-narrow">${t('sel.c.source')}</th>
                  <th>${t('sel.c.eligibility')}</th>
                  <th>${t('sel.c.status')}</th>
                  <th class="num">${t('sel.c.score')}</th>
                  ${named ? html`<th>${t('sel.c.certificate')}</th>` : nothing}
                  ${act || edit ? html`<th><span class="sr-only">${t('sel.wd.actions')}</span></th>` : nothing}
                </tr>
              </thead>
              <tbody>
                ${this.candidates.map(
                  (c) => html`<tr data-testid="candidate" data-status=${c.status}>
                    <td class="num">${c.rank ?? ''}</td>
                    <td class="nowrap">${c.personName}</td>
                    <td class="employer">${c.employerName ?? '—'}</td>
                    <td class="hide-narrow">
                      <span class="nowrap">${t(`sel.source.${c.source}`)}</span>
                      ${c.nominatingOrgName ? html`<div class="muted small" data-testid="nominated-by">${c.nominatingOrgName}</div>` : nothing}
                    </td>
                    <td>${this.eligibilityCell(c)}</td>
                    <td>
                      <span class="badge ${c.status === 'ineligible' ? 'bad' : c.status === 'named' || c.status === 'proposed' ? 'ok' : ''}">${t(`sel.cstatus.${c.status}`)}</span>
                      ${c.status === 'withdrawn' && c.withdrawReason ? html`<div class="withdrawn-why" data-testid="withdraw-reason">${c.withdrawReason}</div>` : nothing}
                    </td>
                    <td class="num">${c.reviewScore ?? ''}</td>
                    ${named ? html`<td class="mono nowrap" data-testid="certificate">${c.certificateNumber ?? ''}</td>` : nothing}
                    ${act || edit
                      ? html`<td class="act">
                          ${edit && (c.status === 'nominated' || c.status === 'ineligible')
                            ? html`<button
                                type="button"
                                class=${c.status === 'ineligible' ? 'primary' : ''}
                                data-testid="complete-form"
                                aria-label=${t('sel.edit.label', { name: c.personName })}
                                @click=${() => this.startEditing(c)}
                              >
                                ${t('sel.edit.button')}
                              </button>`
                            : nothing}
                          ${!act || c.status === 'withdrawn' || c.status === 'ineligible'
                            ? nothing
                            : html`<button
                                type="button"
                                data-testid="withdraw"
                                aria-label=${t('sel.wd.label', { name: c.personName })}
                                @click=${() => {
                                  this.withdrawError = '';
                                  this.candidatesNotice = null;
                                  this.withdrawing = c;
                                }}
                              >
                                ${t('sel.wd.button')}
                              </button>`}
                        </td>`
                      : nothing}
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`}
    </section>`;
  }

  private renderImport(s: Selection) {
    const r = this.imported;
    return html`<section class="card" data-testid="import">
      <div class="row">
        <button ?disabled=${this.importing} aria-busy=${this.importing ? 'true' : 'false'} data-testid="import-recommendations" @click=${this.importRecommendations}>
          ${this.importing ? t('sel.import.busy') : t('sel.import')}
        </button>
      </div>
      <p class="hint">${t('sel.import.hint', { title: s.titleName })}</p>
      ${errorBanner(this.importError)}
      ${r
        ? html`<div class="banner ${r.added.length ? 'ok-banner' : 'warn-banner'}" role="status" data-testid="import-outcome">
            <strong>${r.added.length ? t('sel.import.added', { n: r.added.length }) : t('sel.import.none')}</strong>
            ${r.skipped.length
              ? html`<div class="detail">
                  ${t('sel.import.skipped', { n: r.skipped.length })}
                  ${r.skipped.map((x) => `${this.candidates.find((c) => c.personId === x.personId)?.personName ?? x.personId}（${x.reason}）`).join(t('sel.sep'))}
                </div>`
              : nothing}
          </div>`
        : nothing}
    </section>`;
  }

  private renderListEditor(s: Selection) {
    const list = this.list ?? [];
    const byId = new Map(this.candidates.map((c) => [c.id, c]));
    const titles = list.filter((r) => r.on && r.award === 'title').length;
    const hasNominationAward = s.nominationAwardYuan !== null;
    // A selection reviewed on the shared review engine gets its list from the ranking, not by hand.
    if (s.reviewSetup)
      return html`<section class="card" data-testid="proposed-list">
        <h2>${t('sel.list.heading')}</h2>
        <p class="hint">${t('sel.list.fromReview')}</p>
      </section>`;
    return html`<section class="card" data-testid="proposed-list">
      <h2>${t('sel.list.heading')}</h2>
      <p class="hint">${t('sel.list.hint')}</p>
      ${errorBanner(this.listError)}
      ${list.length === 0
        ? html`<p class="empty">${t('sel.list.noEligible')}</p>`
        : html`<p class="muted">${t('sel.list.count', { titles, quota: s.quota === null ? '' : t('sel.list.quota', { n: s.quota }) })}</p>
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>${t('sel.list.on')}</th>
                    <th>${t('sel.c.name')}</th>
                    <th>${t('sel.c.score')}</th>
                    ${hasNominationAward ? html`<th>${t('sel.list.award')}</th>` : nothing}
                    <th></th>
                  </tr>
                </thead>
                <tbody>
                  ${list.map((r, i) => {
                    const c = byId.get(r.candidateId);
                    const err = this.listErrors[r.candidateId];
                    return html`<tr class="list-row" data-testid="list-row">
                      <td><input type="checkbox" .checked=${r.on} aria-label=${t('sel.list.on')} @change=${(e: Event) => this.patchRow(i, { on: (e.target as HTMLInputElement).checked })} /></td>
                      <td>${c?.personName ?? r.candidateId}<div class="muted" style="font-size:14px">${c?.employerName ?? ''}</div>${fieldError(err, `err-row-${r.candidateId}`)}</td>
                      <td>
                        <input
                          class="score"
                          inputmode="decimal"
                          .value=${r.score}
                          aria-label=${t('sel.c.score')}
                          aria-invalid=${err ? 'true' : 'false'}
                          @input=${(e: InputEvent) => this.patchRow(i, { score: (e.target as HTMLInputElement).value })}
                        />
                      </td>
                      ${hasNominationAward
                        ? html`<td>
                            <select aria-label=${t('sel.list.award')} @change=${(e: Event) => this.patchRow(i, { award: (e.target as HTMLSelectElement).value as ListRow['award'] })}>
                              <option value="title" ?selected=${r.award === 'title'}>${t('sel.list.award.title')}</option>
                              <option value="nomination_award" ?selected=${r.award === 'nomination_award'}>${t('sel.list.award.nomination_award')}</option>
                            </select>
                          </td>`
                        : nothing}
                      <td>
                        <div class="row">
                          <button type="button" ?disabled=${i === 0} aria-label=${t('sel.list.up')} title=${t('sel.list.up')} @click=${() => this.moveRow(i, -1)}>↑</button>
                          <button type="button" ?disabled=${i === list.length - 1} aria-label=${t('sel.list.down')} title=${t('sel.list.down')} @click=${() => this.moveRow(i, 1)}>↓</button>
                        </div>
                      </td>
                    </tr>`;
                  })}
                </tbody>
              </table>
            </div>
            <div class="row" style="margin-top:12px">
              <button class="primary" ?disabled=${this.listSaving} data-testid="save-list" @click=${this.saveList}>${t('sel.list.save')}</button>
            </div>`}
    </section>`;
  }

  private renderObjections(s: Selection) {
    const canDecide = this.manage && s.status === 'publicity';
    return html`<section class="card" data-testid="objections">
      <h2>${t('sel.obj.heading')}</h2>
      ${this.objections.length === 0
        ? html`<p class="empty">${t('sel.obj.empty')}</p>`
        : this.objections.map((o) => {
            const d = this.decision(o.id);
            return html`<div class="objection" data-testid="objection">
              <p><strong>${t('sel.obj.against')}：${o.personName}</strong> <span class="muted">${t('sel.obj.lodgedBy')}：${o.lodgedBy}${o.contact ? `（${o.contact}）` : ''} · ${formatTime(o.lodgedAt)}</span></p>
              <p>${o.reason}</p>
              ${o.decision
                ? html`<p>
                    <span class="badge ${o.decision === 'upheld' ? 'bad' : 'ok'}">${t(`sel.obj.${o.decision}`)}</span>
                    ${o.note ?? ''} <span class="muted">${formatTime(o.decidedAt)}</span>
                  </p>`
                : canDecide
                  ? html`<div class="decide">
                        <select aria-label=${t('sel.obj.decision')} data-testid="objection-decision" @change=${(e: Event) => this.setDecision(o.id, { decision: (e.target as HTMLSelectElement).value as Decision['decision'], error: '' })}>
                          <option value="" ?selected=${!d.decision}>${t('sel.obj.decision')}</option>
                          <option value="dismissed" ?selected=${d.decision === 'dismissed'}>${t('sel.obj.dismissed')}</option>
                          <option value="upheld" ?selected=${d.decision === 'upheld'}>${t('sel.obj.upheld')}</option>
                        </select>
                        <input
                          .value=${d.note}
                          placeholder=${t('sel.obj.note')}
                          aria-label=${t('sel.obj.note')}
                          aria-invalid=${d.error ? 'true' : 'false'}
                          data-testid="objection-note"
                          @input=${(e: InputEvent) => this.setDecision(o.id, { note: (e.target as HTMLInputElement).value, error: '' })}
                        />
                        <button class="primary" ?disabled=${d.saving} data-testid="objection-decide" @click=${() => this.decide(o)}>${t('sel.obj.decide')}</button>
                      </div>
                      ${fieldError(d.error, `err-obj-${o.id}`)}`
                  : html`<p><span class="badge warn">${t('sel.obj.pending')}</span></p>`}
            </div>`;
          })}
      ${canDecide ? html`<sc-sel-objection-form .selectionId=${s.id} .candidates=${this.candidates}></sc-sel-objection-form>` : nothing}
    </section>`;
  }

  override render() {
    const s = this.sel;
    if (!s) return html`${errorBanner(this.error)}${this.error ? html`<a class="btn" href="/awards/selections">${t('sel.backToList')}</a>` : html`<p class="muted">${t('app.loading')}</p>`}`;
    const step = this.confirming;
    const notice = this.notice?.();
    return html`
      <div class="head">
        <h1 data-testid="selection-name">${s.name}</h1>
        <span class="badge ${statusBadgeClass(s.status)}" data-testid="status">${t(`sel.status.${s.status}`)}</span>
        <a class="btn" href="/awards/selections">${t('sel.backToList')}</a>
      </div>
      ${errorBanner(this.error)}
      ${notice
        ? html`<div class="banner ok-banner" role="status" data-testid="notice">
            <strong>${notice.text}</strong>${notice.details.map((d) => html`<div class="detail">${d}</div>`)}
          </div>`
        : nothing}
      <div class="stack">
        ${this.renderSummary(s)} ${s.status === 'nominating' && this.manage ? this.renderImport(s) : nothing}
        ${!this.readsAll ? html`<p class="hint" data-testid="nominating-unit">${t('sel.part.nominatingUnit', { org: s.orgName })}</p>` : nothing}
        ${s.reviewSetup && s.status !== 'closed' && this.readsAll
          ? html`<sc-sel-review .selection=${s} .candidates=${this.candidates} ?manage=${this.manage} .accountId=${this.staffAccountId}></sc-sel-review>`
          : nothing}
        ${s.status === 'reviewing' && this.manage && !s.reviewSetup ? this.renderListEditor(s) : nothing} ${this.renderCandidates(s)}
        ${s.status === 'nominating' && SELECTION_NOMINATORS.includes(this.staffRole)
          ? this.editingForm
            ? html`<sc-sel-nominate
                id="edit-form"
                .selection=${s}
                .staffOrgId=${this.staffOrgId}
                .candidate=${this.editingForm}
                @sc-candidate-edit-done=${this.editDone}
              ></sc-sel-nominate>`
            : html`<sc-sel-nominate .selection=${s} .staffOrgId=${this.staffOrgId}></sc-sel-nominate>`
          : nothing}
        ${['publicity', 'named', 'closed'].includes(s.status) && this.readsAll ? this.renderObjections(s) : nothing}
        ${(s.status === 'named' || s.status === 'closed') && this.readsAll
          ? html`<sc-sel-titles .selectionId=${s.id} ?manage=${this.manage} @sc-titles-changed=${() => this.titlesRevision++}></sc-sel-titles>
              ${keyed(this.titlesRevision, html`<sc-sel-rewards .selectionId=${s.id} ?manage=${this.manage}></sc-sel-rewards>`)}`
          : nothing}
      </div>
      <sc-sel-reason
        ?open=${this.withdrawing !== null}
        heading=${this.withdrawing ? t('sel.wd.heading', { name: this.withdrawing.personName }) : ''}
        message=${t('sel.wd.msg')}
        label=${t('sel.wd.reason')}
        confirmLabel=${t('sel.wd.button')}
        ?busy=${this.withdrawBusy}
        .error=${this.withdrawError}
        data-testid="withdraw-dialog"
        @sc-reason=${this.withdraw}
      ></sc-sel-reason>
      ${step
        ? html`<sc-confirm
            open
            heading=${t(`sel.confirm.${step.key}`)}
            message=${t(`sel.confirm.${step.key}.msg`, { n: s.publicityWorkingDays })}
            confirmLabel=${t(`sel.next.${step.key}`)}
            data-testid="next-confirm"
            @sc-confirm=${(e: ConfirmEvent) => (e.confirmed ? void this.act(step) : (this.confirming = null))}
          ></sc-confirm>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-selection-detail': SelectionDetail;
  }
}
