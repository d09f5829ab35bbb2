import { css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError } from '../../api/client.ts';
import { beijingToday } from '../../app/beijing-time.ts';
import { t } from '../../app/i18n.ts';
import { navigate } from '../../app/navigation.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { errorBanner, fieldError, fieldErrorsOf, StaffPage, staffStyles } from '../people/staff-ui.ts';
import './review-sheet.ts';
import './selection-detail.ts';
import { fieldText, SELECTION_MANAGERS, statusBadgeClass, type Selection, type SelectionPreset } from './selection-types.ts';

type NewForm = { presetKey: string; name: string; year: string; quota: string; nominationsOpen: string; nominationsClose: string; publicityWorkingDays: string };

/** A date `days` after a `YYYY-MM-DD` date. */
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * /awards/selections — craftsman selections (工匠评选) in the staff member's scope, and a new one
 * from a preset (合肥工匠, 安徽工匠, 鄂尔多斯工匠); /awards/selections/:id — one selection
 * (<sc-selection-detail>).
 */
@customElement('sc-selections-page')
export class SelectionsPage extends StaffPage {
  static override styles = [
    sharedStyles,
    staffStyles,
    css`
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
    `,
  ];

  @property() path = '/awards/selections';
  @state() private selections: Selection[] | null = null;
  @state() private presets: SelectionPreset[] = [];
  @state() private error: unknown = null;
  @state() private creating = false;
  @state() private form: NewForm = this.blankForm();
  @state() private errors: Record<string, string> = {};
  @state() private createError: unknown = null;
  @state() private saving = false;
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

  override willUpdate(changed: Map<string, unknown>): void {
    // The same element serves the list and a selection: back on the list, it is read afresh.
    if (changed.has('path') && this.selectionId !== null) this.loadedFor = '';
    if (changed.has('path') && this.selectionId === null && this.loadedFor !== this.path) {
      this.loadedFor = this.path;
      void this.load();
    }
  }

  private async load() {
    this.error = null;
    try {
      const [selections, presets] = await Promise.all([api<Selection[]>('GET', '/api/selections'), api<SelectionPreset[]>('GET', '/api/selections/presets')]);
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

  private renderList() {
    const list = this.selections;
    if (!list) return this.error ? nothing : html`<p class="muted">${t('app.loading')}</p>`;
    if (list.length === 0) return html`<p class="card empty">${t('sel.list.empty')}</p>`;
    return html`<div class="table-wrap card">
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
              <td><a href="/awards/selections/${s.id}" data-testid="selection-link">${s.name}</a></td>
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
      <div class="stack">${this.creating ? this.renderNew() : nothing} ${this.renderList()}</div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-selections-page': SelectionsPage;
  }
}
