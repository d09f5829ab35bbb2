import { css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError } from '../../api/client.ts';
import { beijingToday } from '../../app/beijing-time.ts';
import { t } from '../../app/i18n.ts';
import { navigate } from '../../app/navigation.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { errorBanner, fieldError, fieldErrorsOf, StaffPage, staffStyles } from '../people/staff-ui.ts';
import './review-sheet.ts';
import './selection-detail.ts';
import { fieldText, SELECTION_MANAGERS, statusBadgeClass, type MyTasks, type Selection, type SelectionPreset } from './selection-types.ts';

type NewForm = { presetKey: string; name: string; year: string; quota: string; nominationsOpen: string; nominationsClose: string; publicityWorkingDays: string };

/** A date `days` after a `YYYY-MM-DD` date. */
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * /awards/selections — craftsman selections (工匠评选) in the staff member's scope, a year at a
 * time (the newest first) with that year's report to download (.xlsx), and a new one
 * from a preset (合肥工匠, 安徽工匠, 鄂尔多斯工匠); /awards/selections/:id — one selection
 * (<sc-selection-detail>).
 */
@customElement('sc-selections-page')
export class SelectionsPage extends StaffPage {
  static override styles = [
    sharedStyles,
    staffStyles,
    css`
      ul.tasks {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      ul.tasks li {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 12px;
        align-items: center;
        min-height: 48px;
        border-bottom: 1px solid var(--sc-line);
      }
      ul.tasks li:last-child {
        border-bottom: 0;
      }
      .top {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
        margin-bottom: 12px;
      }
      .top h1 {
        margin: 0;
        flex: 1 1 auto;
      }
      .new .grid2 {
        grid-template-columns: repeat(auto-fit, minmax(200px, 1fr));
      }
      .new .actions {
        margin-top: 16px;
      }
      .preset-note {
        font-size: 14px;
        color: var(--sc-muted);
        margin-top: 6px;
        line-height: 1.5;
      }
      td a {
        display: inline-flex;
        align-items: center;
        min-height: 44px;
      }
      .years {
        display: flex;
        flex-wrap: wrap;
        gap: 8px 12px;
        align-items: center;
        margin-bottom: 12px;
      }
      .years label {
        margin: 0;
      }
      .years select {
        min-width: 120px;
      }
      .years .hint {
        margin: 0;
      }
    `,
  ];

  @property() path = '/awards/selections';
  @state() private selections: Selection[] | null = null;
  /** The signed-in member's own review sheets and committee votes, wherever the selection is run. */
  @state() private tasks: MyTasks | null = null;
  @state() private presets: SelectionPreset[] = [];
  @state() private error: unknown = null;
  @state() private creating = false;
  @state() private form: NewForm = this.blankForm();
  @state() private errors: Record<string, string> = {};
  @state() private createError: unknown = null;
  @state() private saving = false;
  /** The year shown (its selections, and its report to download); null: the newest year with a selection. */
  @state() private year: number | null = null;
  private loadedFor = '';

  private get selectionId(): number | null {
    const m = /^\/awards\/selections\/(\d+)(\/review)?$/.exec(this.path);
    return m ? Number(m[1]) : null;
  }

  /** /awards/selections/:id/review: the signed-in reviewer's own sheet. */
  private get reviewSheet(): boolean {
    return /^\/awards\/selections\/\d+\/review$/.test(this.path);
  }

  private blankForm(): NewForm {
    const today = beijingToday();
    return { presetKey: '', name: '', year: today.slice(0, 4), quota: '', nominationsOpen: today, nominationsClose: addDays(today, 30), publicityWorkingDays: '5' };
  }

  override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    // The same element serves the list and a selection: back on the list, it is read afresh (once someone is signed in).
    if (changed.has('path') && this.selectionId !== null) this.loadedFor = '';
    if (this.staff && this.selectionId === null && this.loadedFor !== this.path) {
      this.loadedFor = this.path;
      void this.load();
    }
  }

  private async load() {
    this.error = null;
    try {
      const [selections, presets, tasks] = await Promise.all([
        api<Selection[]>('GET', '/api/selections'),
        api<SelectionPreset[]>('GET', '/api/selections/presets'),
        api<MyTasks>('GET', '/api/selections/my-tasks'),
      ]);
      this.tasks = tasks;
      this.selections = [...selections].sort((a, b) => b.year - a.year || b.id - a.id);
      this.presets = presets;
      if (!this.form.presetKey && presets[0]) this.choosePreset(presets[0].key);
    } catch (err) {
      this.error = err;
    }
  }

  private choosePreset(key: string) {
    const preset = this.presets.find((p) => p.key === key);
    if (!preset) return;
    const year = this.form.year || beijingToday().slice(0, 4);
    this.form = { ...this.form, presetKey: key, name: t('sel.new.nameDefault', { year, title: preset.title.name }), quota: preset.quota === null ? '' : String(preset.quota) };
  }

  private set(key: keyof NewForm, value: string) {
    this.form = { ...this.form, [key]: value };
    if (this.errors[key]) this.errors = { ...this.errors, [key]: '' };
  }

  /** What the page can tell before asking the server. */
  private check(): Record<string, string> {
    const f = this.form;
    const e: Record<string, string> = {};
    if (!f.name.trim()) e.name = t('sel.new.required');
    const year = Number(f.year);
    if (!Number.isInteger(year) || year < 2000 || year > 2100) e.year = t('sel.new.badYear');
    if (f.quota.trim() && !(Number.isInteger(Number(f.quota)) && Number(f.quota) >= 1)) e.quota = t('sel.new.badQuota');
    if (!f.nominationsOpen) e.nominationsOpen = t('sel.new.required');
    if (!f.nominationsClose) e.nominationsClose = t('sel.new.required');
    else if (f.nominationsOpen && f.nominationsClose < f.nominationsOpen) e.nominationsClose = t('sel.new.closeBeforeOpen');
    const days = Number(f.publicityWorkingDays);
    if (!Number.isInteger(days) || days < 1 || days > 30) e.publicityWorkingDays = t('sel.field.invalid');
    return e;
  }

  private async create(e: Event) {
    e.preventDefault();
    this.createError = null;
    const errors = this.check();
    this.errors = errors;
    if (Object.keys(errors).length) return;
    const f = this.form;
    this.saving = true;
    try {
      const created = await api<Selection>('POST', '/api/selections', {
        presetKey: f.presetKey || undefined,
        name: f.name.trim(),
        year: Number(f.year),
        quota: f.quota.trim() ? Number(f.quota) : null,
        nominationsOpen: f.nominationsOpen,
        nominationsClose: f.nominationsClose,
        publicityWorkingDays: Number(f.publicityWorkingDays),
      });
      this.creating = false;
      this.form = this.blankForm();
      navigate(`/awards/selections/${created.id}`);
    } catch (err) {
      // What was typed stays; the fields the server named are marked under them.
      const named = fieldErrorsOf(err);
      const known = Object.keys(named).filter((k) => k in f);
      this.errors = Object.fromEntries(known.map((k) => [k, fieldText(named[k]) ?? '']));
      this.createError = known.length && err instanceof ApiError && err.code === 'validation_failed' ? null : err;
    } finally {
      this.saving = false;
    }
  }

  private input(key: keyof NewForm, label: string, opts: { type?: string; inputmode?: string; hint?: string } = {}) {
    const err = this.errors[key];
    return html`<div class="field">
      <label for="new-${key}">${label}</label>
      <input
        id="new-${key}"
        name=${key}
        type=${opts.type ?? 'text'}
        inputmode=${opts.inputmode ?? nothing}
        .value=${this.form[key]}
        aria-invalid=${err ? 'true' : 'false'}
        aria-describedby=${err ? `err-${key}` : nothing}
        data-testid="new-${key}"
        @input=${(e: InputEvent) => this.set(key, (e.target as HTMLInputElement).value)}
      />
      ${opts.hint && !err ? html`<div class="hint">${opts.hint}</div>` : nothing} ${fieldError(err, `err-${key}`)}
    </div>`;
  }

  private renderNew() {
    const preset = this.presets.find((p) => p.key === this.form.presetKey);
    return html`<form class="card new stack" @submit=${this.create} novalidate data-testid="new-selection">
      <h2>${t('sel.new')}</h2>
      ${errorBanner(this.createError)}
      <div class="field">
        <label for="new-preset">${t('sel.new.preset')}</label>
        <select id="new-preset" data-testid="new-preset" @change=${(e: Event) => this.choosePreset((e.target as HTMLSelectElement).value)}>
          ${this.presets.map((p) => html`<option value=${p.key} ?selected=${p.key === this.form.presetKey}>${p.name}</option>`)}
        </select>
        ${preset ? html`<div class="preset-note">${preset.note}</div>` : nothing}
      </div>
      <div class="grid2">
        ${this.input('name', t('sel.new.name'))} ${this.input('year', t('sel.new.year'), { inputmode: 'numeric' })}
        ${this.input('quota', t('sel.new.quota'), { inputmode: 'numeric', hint: t('sel.new.quotaHint') })}
        ${this.input('publicityWorkingDays', t('sel.new.publicityDays'), { inputmode: 'numeric' })}
        ${this.input('nominationsOpen', t('sel.new.open'), { type: 'date' })} ${this.input('nominationsClose', t('sel.new.close'), { type: 'date' })}
      </div>
      <div class="row actions">
        <button type="submit" class="primary" ?disabled=${this.saving} data-testid="create-selection">${t('sel.new.create')}</button>
        <button type="button" @click=${() => (this.creating = false)}>${t('app.cancel')}</button>
      </div>
    </form>`;
  }

  /** The years with a selection, newest first, and the one shown. */
  private years(all: Selection[]): { years: number[]; shown: number | null } {
    const years = [...new Set(all.map((s) => s.year))].sort((a, b) => b - a);
    return { years, shown: this.year !== null && years.includes(this.year) ? this.year : (years[0] ?? null) };
  }

  /** The year to show, and its report (GET /api/selection-report.xlsx?year=) as a download. */
  private renderYears(years: number[], shown: number) {
    return html`<div class="years" data-testid="years">
      <label for="sel-year">${t('sel.report.year')}</label>
      <select id="sel-year" data-testid="year" @change=${(e: Event) => (this.year = Number((e.target as HTMLSelectElement).value))}>
        ${years.map((y) => html`<option value=${y} ?selected=${y === shown}>${y}</option>`)}
      </select>
      <a class="btn" href="/api/selection-report.xlsx?year=${shown}" download="selections-${shown}.xlsx" title=${t('sel.report.hint')} data-testid="report-download"
        >${t('sel.report.download', { year: shown })}</a
      >
    </div>`;
  }

  private renderList() {
    const all = this.selections;
    if (!all) return this.error ? nothing : html`<p class="muted">${t('app.loading')}</p>`;
    if (all.length === 0) return html`<p class="card empty">${t('sel.list.empty')}</p>`;
    const { years, shown } = this.years(all);
    const list = all.filter((s) => s.year === shown);
    return html`${shown !== null ? this.renderYears(years, shown) : nothing}<div class="table-wrap card">
      <table data-testid="selections">
        <thead>
          <tr>
            <th>${t('sel.col.name')}</th>
            <th class="nowrap">${t('sel.col.year')}</th>
            <th class="hide-narrow">${t('sel.col.title')}</th>
            <th>${t('sel.col.status')}</th>
            <th class="num">${t('sel.col.candidates')}</th>
            <th class="num">${t('sel.col.named')}</th>
          </tr>
        </thead>
        <tbody>
          ${list.map((s) => {
            const total = Object.values(s.candidateCounts).reduce((a, b) => a + b, 0);
            return html`<tr>
              <td>
                <a href="/awards/selections/${s.id}" data-testid="selection-link">${s.name}</a>
                ${s.yourPart === 'nominating_unit' ? html`<div class="muted small" data-testid="run-by">${t('sel.part.runBy', { org: s.orgName })}</div>` : nothing}
              </td>
              <td class="nowrap">${s.year}</td>
              <td class="hide-narrow">${s.titleName}</td>
              <td><span class="badge ${statusBadgeClass(s.status)}">${t(`sel.status.${s.status}`)}</span></td>
              <td class="num">${total}</td>
              <td class="num">${s.candidateCounts.named ?? 0}</td>
            </tr>`;
          })}
        </tbody>
      </table>
    </div>`;
  }

  /** Sheets to score and lists to vote on: a reviewer or member from a lower union finds them here. */
  private renderTasks() {
    const tk = this.tasks;
    if (!tk || (tk.reviews.length === 0 && tk.votes.length === 0)) return nothing;
    return html`<section class="card" data-testid="my-tasks">
      <h2>${t('sel.tasks.heading')}</h2>
      <ul class="tasks">
        ${tk.reviews.map(
          (r) => html`<li data-testid="my-review">
            <a href="/awards/selections/${r.selectionId}/review">${t('sel.tasks.review', { name: r.name, body: r.bodyName })}</a>
            <span class="badge ${r.complete === r.total ? 'ok' : 'warn'}">${r.reviewClosed ? t('sel.tasks.closed') : t('sel.tasks.progress', { done: r.complete, total: r.total })}</span>
            <span class="muted small">${r.orgName}</span>
          </li>`,
        )}
        ${tk.votes.map(
          (v) => html`<li data-testid="my-vote">
            <a href="/awards/selections/${v.selectionId}">${t('sel.tasks.vote', { name: v.name })}</a>
            <span class="badge ${v.choice ? 'ok' : v.open ? 'warn' : ''}">
              ${v.choice ? t('sel.tasks.voted', { choice: t(`sel.rvp.choice.${v.choice}`) }) : v.open ? t('sel.tasks.voteOpen', { round: v.round }) : t('sel.tasks.voteLater')}
            </span>
          </li>`,
        )}
      </ul>
    </section>`;
  }

  override render() {
    if (!this.staff) return html`<h1>${t('sel.title')}</h1>${this.signInPrompt()}`;
    const id = this.selectionId;
    if (id !== null && this.reviewSheet) return html`<sc-sel-review-sheet .selectionId=${id} .accountId=${this.staff.accountId}></sc-sel-review-sheet>`;
    if (id !== null)
      return html`<sc-selection-detail .selectionId=${id} .staffRole=${this.staff.role} .staffOrgId=${this.staff.orgId} .staffAccountId=${this.staff.accountId}></sc-selection-detail>`;
    return html`
      <div class="top">
        <h1>${t('sel.title')}</h1>
        <a class="btn" href="/awards">${t('sel.back')}</a>
        ${this.can(SELECTION_MANAGERS) && !this.creating
          ? html`<button class="primary" data-testid="new-selection-open" @click=${() => (this.creating = true)}>${t('sel.new')}</button>`
          : nothing}
      </div>
      ${errorBanner(this.error)}
      <div class="stack">${this.renderTasks()} ${this.creating ? this.renderNew() : nothing} ${this.renderList()}</div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-selections-page': SelectionsPage;
  }
}
