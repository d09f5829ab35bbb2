import { css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { currentLang, t } from '../../app/i18n.ts';
import '../../i18n/release-rules.ts';
import { sharedStyles } from '../../styles/shared.ts';
import type { CalendarDay } from '../../../server/contracts/calendar.ts';
import { errorBanner, fieldErrorsOf, formatTime, StaffPage, staffStyles } from '../people/staff-ui.ts';
import { beijingYear } from '../../app/beijing-time.ts';

type Year = { year: number; status: 'official' | 'provisional' | 'edited'; source: string; updatedAt: string | null; holidays: number; workdays: number };
type YearDetail = Year & { days: CalendarDay[] };

const WEEKDAYS_ZH = '日一二三四五六';
const WEEKDAYS_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The weekday of a `yyyy-mm-dd` date, in the current language. */
function weekdayOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return currentLang() === 'en' ? WEEKDAYS_EN[d]! : `周${WEEKDAYS_ZH[d]}`;
}

/**
 * /calendar: the working-day calendar publicity periods are counted on — each year's public
 * holidays (放假) and make-up working days (调休上班). Staff read it; administrators enter a
 * year's State Council notice (or correct it) and save the year as a whole.
 */
@customElement('sc-calendar-page')
export class CalendarPage extends StaffPage {
  static override styles = [
    sharedStyles,
    staffStyles,
    css`
      .years {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        margin-bottom: 12px;
      }
      .years button[aria-pressed='true'] {
        background: var(--sc-focus);
        border-color: var(--sc-focus);
        color: #fff;
      }
      tr.workday td:first-child {
        border-left: 4px solid var(--sc-warn);
      }
      tr.holiday td:first-child {
        border-left: 4px solid var(--sc-ok);
      }
      td input,
      td select {
        width: 100%;
        min-width: 8em;
      }
      .add {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(160px, 1fr));
        gap: 8px 12px;
        align-items: end;
        margin-top: 12px;
      }
    `,
  ];

  @property() path = '/calendar';
  @state() private years: Year[] = [];
  @state() private year = beijingYear();
  @state() private detail: YearDetail | null = null;
  @state() private draft: CalendarDay[] = [];
  @state() private source = '';
  @state() private errors: Record<string, string> = {};
  @state() private error: unknown = null;
  @state() private saved = false;
  @state() private busy = false;

  protected override whenSignedIn(): void {
    void this.loadYears();
  }

  private async loadYears() {
    try {
      this.years = await api<Year[]>('GET', '/api/calendar');
      await this.choose(this.year);
    } catch (err) {
      this.error = err;
    }
  }

  private async choose(year: number) {
    this.year = year;
    this.saved = false;
    this.errors = {};
    try {
      this.detail = await api<YearDetail>('GET', `/api/calendar/${year}`);
      this.draft = this.detail.days.map((d) => ({ ...d }));
      this.source = this.detail.source;
    } catch (err) {
      this.error = err;
    }
  }

  private patch(i: number, patch: Partial<CalendarDay>) {
    this.draft = this.draft.map((d, j) => (j === i ? { ...d, ...patch } : d));
    this.saved = false;
  }

  private add(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    const date = String(f.get('date') ?? '');
    if (!date) return;
    const day: CalendarDay = { date, kind: f.get('kind') === 'workday' ? 'workday' : 'holiday', name: String(f.get('name') ?? '').trim() };
    this.draft = [...this.draft.filter((d) => d.date !== date), day].sort((a, b) => a.date.localeCompare(b.date));
    this.saved = false;
    form.reset();
  }

  private async save() {
    this.busy = true;
    this.error = null;
    this.errors = {};
    try {
      this.detail = await api<YearDetail>('PUT', `/api/calendar/${this.year}`, { source: this.source.trim(), days: this.draft });
      this.draft = this.detail.days.map((d) => ({ ...d }));
      this.saved = true;
      this.years = await api<Year[]>('GET', '/api/calendar');
    } catch (err) {
      this.error = err;
      this.errors = fieldErrorsOf(err);
    } finally {
      this.busy = false;
    }
  }

  private yearChoices(): number[] {
    const now = beijingYear();
    return [...new Set([...this.years.map((y) => y.year), now, now + 1])].sort((a, b) => a - b);
  }

  private renderDays(edit: boolean) {
    const days = edit ? this.draft : (this.detail?.days ?? []);
    if (days.length === 0) return html`<p class="empty">—</p>`;
    return html`<div class="table-wrap">
      <table data-testid="calendar-days">
        <thead>
          <tr>
            <th>${t('cal.date')}</th>
            <th>${t('cal.kind')}</th>
            <th>${t('cal.name')}</th>
            ${edit ? html`<th></th>` : nothing}
          </tr>
        </thead>
        <tbody>
          ${days.map((d, i) => {
            const err = this.errors[`days.${i}.date`] ?? this.errors[`days.${i}.kind`];
            return html`<tr class=${d.kind} data-date=${d.date}>
              <td class="nowrap">${d.date} ${weekdayOf(d.date)}${err ? html`<div class="field-error" role="alert">${err}</div>` : nothing}</td>
              <td>
                ${edit
                  ? html`<select aria-label=${`${t('cal.kind')} ${d.date}`} aria-invalid=${err ? 'true' : 'false'} @change=${(e: Event) => this.patch(i, { kind: (e.target as HTMLSelectElement).value as CalendarDay['kind'] })}>
                      <option value="holiday" ?selected=${d.kind === 'holiday'}>${t('cal.kind.holiday')}</option>
                      <option value="workday" ?selected=${d.kind === 'workday'}>${t('cal.kind.workday')}</option>
                    </select>`
                  : t(`cal.kind.${d.kind}`)}
              </td>
              <td>${edit ? html`<input aria-label=${`${t('cal.name')} ${d.date}`} .value=${d.name} @input=${(e: Event) => this.patch(i, { name: (e.target as HTMLInputElement).value })} />` : d.name}</td>
              ${edit
                ? html`<td><button class="small" @click=${() => ((this.draft = this.draft.filter((_, j) => j !== i)), (this.saved = false))}>${t('cal.remove')}</button></td>`
                : nothing}
            </tr>`;
          })}
        </tbody>
      </table>
    </div>`;
  }

  override render() {
    if (!this.staff) return this.signInPrompt();
    const edit = this.can(['admin']);
    const y = this.detail;
    return html`
      <h1>${t('cal.title')}</h1>
      <p class="muted">${t('cal.intro')}</p>
      ${errorBanner(this.error)} ${this.saved ? html`<div class="banner ok-banner" role="status">${t('cal.saved')}</div>` : nothing}
      <div class="years" role="group" aria-label=${t('cal.year')}>
        ${this.yearChoices().map(
          (year) => html`<button aria-pressed=${year === this.year ? 'true' : 'false'} data-testid="year-${year}" @click=${() => this.choose(year)}>${year}</button>`,
        )}
      </div>
      ${y
        ? html`<section class="card" data-testid="calendar-year">
            <div class="row">
              <h2 style="margin:0">${y.year}</h2>
              <span class="badge ${y.status === 'provisional' ? 'warn' : 'ok'}" data-testid="year-status">${t(`cal.status.${y.status}`)}</span>
              <span class="muted">${t('cal.counts', { holidays: y.holidays, workdays: y.workdays })}</span>
            </div>
            ${y.status === 'provisional' ? html`<p class="banner warn-banner">${t('cal.provisionalNote')}</p>` : nothing}
            <p>
              <strong>${t('cal.source')}：</strong>${edit
                ? html`<input aria-label=${t('cal.source')} style="width:100%" .value=${this.source} @input=${(e: Event) => ((this.source = (e.target as HTMLInputElement).value), (this.saved = false))} />`
                : y.source || '—'}
              ${y.updatedAt ? html`<span class="muted">（${formatTime(y.updatedAt)}）</span>` : nothing}
            </p>
            ${this.renderDays(edit)}
            ${edit
              ? html`<form class="add" @submit=${this.add} data-testid="calendar-add">
                    <div class="field">
                      <label for="cal-date">${t('cal.date')}</label>
                      <input id="cal-date" name="date" type="date" min=${`${this.year}-01-01`} max=${`${this.year}-12-31`} required />
                    </div>
                    <div class="field">
                      <label for="cal-kind">${t('cal.kind')}</label>
                      <select id="cal-kind" name="kind">
                        <option value="holiday">${t('cal.kind.holiday')}</option>
                        <option value="workday">${t('cal.kind.workday')}</option>
                      </select>
                    </div>
                    <div class="field">
                      <label for="cal-name">${t('cal.name')}</label>
                      <input id="cal-name" name="name" />
                    </div>
                    <button type="submit">${t('cal.add')}</button>
                  </form>
                  <div class="row" style="margin-top:16px;justify-content:flex-end">
                    <button class="primary" ?disabled=${this.busy} @click=${this.save} data-testid="calendar-save">${t('cal.save')}</button>
                  </div>`
              : html`<p class="muted">${t('cal.readOnly')}</p>`}
          </section>`
        : html`<p class="muted">${t('app.loading')}</p>`}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-calendar-page': CalendarPage;
  }
}
