import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';
import type { Entry, EntryStatus } from '../../../server/contracts/entries.ts';
import { entryStatusLabel, errorBanner, fetchAll, OrgDataChangedEvent, orgStyles, type ScEvent } from './org-shared.ts';

type Filter = 'all' | 'waiting' | 'checked_in' | 'absent';

/** Whether an entry matches what was typed: its drawn number exactly, or part of its name. */
export function matchesSearch(e: Pick<Entry, 'name' | 'drawnNumber' | 'delegationName'>, q: string): boolean {
  const s = q.trim();
  if (!s) return true;
  if (/^\d+$/.test(s)) return e.drawnNumber === Number(s);
  return e.name.includes(s) || (e.delegationName ?? '').includes(s);
}

/**
 * Check-in on the day (检录): the whole list at once, found by name or drawn number, with big
 * 检录 / 缺考 buttons. Enter in the search box checks in the one entrant it matches.
 */
@customElement('sc-org-checkin')
export class OrgCheckin extends LitElement {
  static override styles = [
    sharedStyles,
    orgStyles,
    css`
      .top {
        position: sticky;
        top: 0;
        z-index: 1;
        background: var(--sc-bg);
        padding-bottom: 8px;
      }
      .count {
        font-size: 18px;
        font-weight: 600;
        font-variant-numeric: tabular-nums;
      }
      .count .bar {
        height: 8px;
        background: #e4e8ee;
        border-radius: 4px;
        overflow: hidden;
        margin-top: 4px;
      }
      .count .fill {
        height: 100%;
        background: var(--sc-ok);
      }
      input.search {
        width: 100%;
        font-size: 20px;
        min-height: 52px;
      }
      .filters {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        margin-top: 8px;
      }
      .filters button[aria-pressed='true'] {
        background: var(--sc-fg);
        border-color: var(--sc-fg);
        color: #fff;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        display: grid;
        grid-template-columns: 3.2em minmax(0, 1fr) auto;
        gap: 12px;
        align-items: center;
        padding: 10px 12px;
        background: var(--sc-card);
        border: 1px solid var(--sc-line);
        border-radius: 10px;
        margin-bottom: 8px;
      }
      li.checked_in {
        border-color: #a8dcb8;
        background: #f3fbf5;
      }
      li.absent {
        background: #fdf3f2;
      }
      .no {
        font-size: 26px;
        font-weight: 700;
        text-align: center;
        font-variant-numeric: tabular-nums;
      }
      .who {
        min-width: 0;
      }
      .who .name {
        font-size: 19px;
        font-weight: 600;
      }
      .who .sub {
        font-size: 14px;
        color: var(--sc-muted);
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .btns {
        display: flex;
        gap: 8px;
        align-items: center;
        flex-wrap: wrap;
        justify-content: flex-end;
      }
      .btns button {
        min-height: 52px;
        min-width: 88px;
        font-size: 18px;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @property({ attribute: false }) event!: ScEvent;
  @state() private entries: Entry[] | null = null;
  @state() private q = '';
  @state() private filter: Filter = 'all';
  @state() private error: unknown = null;
  @state() private pending = new Set<number>();
  @state() private last = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      const list = await fetchAll<Entry>(`/api/events/${this.event.id}/entries`);
      // By drawn number (the order of the day); undrawn ones after, by name.
      this.entries = list.sort((a, b) => (a.drawnNumber ?? 1e9) - (b.drawnNumber ?? 1e9) || a.name.localeCompare(b.name, 'zh-CN'));
    } catch (err) {
      this.error = err;
    }
  }

  private async setStatus(entry: Entry, status: EntryStatus) {
    this.pending = new Set(this.pending).add(entry.id);
    this.error = null;
    try {
      const updated = await api<Entry>('POST', `/api/entries/${entry.id}/status`, { status });
      this.entries = (this.entries ?? []).map((e) => (e.id === updated.id ? updated : e));
      this.last = t(`org.checkin.did.${status}`, { name: updated.name });
      this.dispatchEvent(new OrgDataChangedEvent());
    } catch (err) {
      this.error = err;
    } finally {
      const next = new Set(this.pending);
      next.delete(entry.id);
      this.pending = next;
    }
  }

  private visible(): Entry[] {
    return (this.entries ?? []).filter((e) => {
      if (!matchesSearch(e, this.q)) return false;
      if (this.filter === 'waiting') return e.status === 'registered';
      if (this.filter === 'checked_in' || this.filter === 'absent') return e.status === this.filter;
      return true;
    });
  }

  private onKey(e: KeyboardEvent) {
    if (e.key !== 'Enter') return;
    const list = this.visible();
    if (list.length === 1 && list[0]!.status === 'registered') {
      void this.setStatus(list[0]!, 'checked_in');
      (e.target as HTMLInputElement).select();
    }
  }

  override render() {
    const all = this.entries;
    if (!all) return this.error ? errorBanner(this.error) : html`<sc-loading></sc-loading>`;
    const active = all.filter((e) => e.status !== 'disqualified');
    const checked = all.filter((e) => e.status === 'checked_in').length;
    const absent = all.filter((e) => e.status === 'absent').length;
    const list = this.visible();
    const filters: Filter[] = ['all', 'waiting', 'checked_in', 'absent'];
    return html`
      <div class="top">
        <div class="row" style="align-items:flex-end;margin-bottom:8px">
          <div class="count" style="flex:1 1 240px" data-testid="checkin-count" role="status">
            ${t('org.checkin.count', { n: checked, total: active.length })}
            <span class="muted" style="font-size:15px;font-weight:400">${t('org.checkin.absentN', { n: absent })}</span>
            <div class="bar" aria-hidden="true"><div class="fill" style="width:${active.length ? (checked / active.length) * 100 : 0}%"></div></div>
          </div>
        </div>
        <label for="search" class="sr-only">${t('org.checkin.search')}</label>
        <input
          id="search"
          class="search"
          type="search"
          autocomplete="off"
          placeholder=${t('org.checkin.search')}
          .value=${this.q}
          @input=${(e: Event) => (this.q = (e.target as HTMLInputElement).value)}
          @keydown=${this.onKey}
        />
        <div class="filters" role="group" aria-label=${t('org.checkin.filter')}>
          ${filters.map(
            (f) => html`<button type="button" aria-pressed=${this.filter === f ? 'true' : 'false'} @click=${() => (this.filter = f)}>${t(`org.checkin.filter.${f}`)}</button>`,
          )}
        </div>
        ${this.last ? html`<p class="muted" role="status" style="margin:8px 0 0">${this.last}</p>` : nothing}
      </div>
      ${errorBanner(this.error)}
      ${list.length === 0
        ? html`<p class="empty card">${all.length ? t('org.checkin.noMatch') : t('org.entrants.none')}</p>`
        : html`<ul data-testid="checkin-list">
            ${repeat(
              list,
              (e) => e.id,
              (e) => {
                const busy = this.pending.has(e.id);
                return html`<li class=${e.status} data-entry=${e.id}>
                  <span class="no" aria-label=${t('org.entrants.number')}>${e.drawnNumber ?? '—'}</span>
                  <div class="who">
                    <div class="name">${e.name}</div>
                    <div class="sub">${e.delegationName ?? e.employerName ?? ''} · <span class="chip st-${e.status}">${entryStatusLabel(e.status)}</span></div>
                  </div>
                  <div class="btns">
                    ${e.status === 'disqualified' || e.status === 'withdrawn' || e.status === 'reserve'
                      ? html`<span class="muted">${e.disqualifiedReason ?? ''}</span>`
                      : e.status === 'registered'
                        ? html`<button class="ok" ?disabled=${busy} @click=${() => this.setStatus(e, 'checked_in')} aria-label=${t('org.checkin.checkInName', { name: e.name })}>
                              ${t('org.checkin.checkIn')}
                            </button>
                            <button class="danger" ?disabled=${busy} @click=${() => this.setStatus(e, 'absent')} aria-label=${t('org.checkin.absentName', { name: e.name })}>
                              ${t('org.checkin.absent')}
                            </button>`
                        : html`<button ?disabled=${busy} @click=${() => this.setStatus(e, 'registered')} aria-label=${t('org.checkin.undoName', { name: e.name })}>
                            ${t('org.checkin.undo')}
                          </button>`}
                  </div>
                </li>`;
              },
            )}
          </ul>`}
    `;
  }
}
