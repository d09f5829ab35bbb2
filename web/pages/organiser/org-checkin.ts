import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';
import type { CheckInBatchResult, Entry, EntryStatus } from '../../../server/contracts/entries.ts';
import { entryStatusLabel, errorBanner, errorMessage, fetchAll, OrgDataChangedEvent, orgStyles, type ScEvent } from './org-shared.ts';

type Filter = 'all' | 'waiting' | 'checked_in' | 'absent';
type ScanResult = CheckInBatchResult['results'][number];
/** One typed or scanned item on its way: sent and answered, waiting, or not sent (network). */
type FeedItem = { key: number; input: string; state: 'pending' | 'done' | 'error'; result?: ScanResult; error?: string };

/** Earlier feed lines kept on screen below the latest one: the desk looks at the last few. */
const EARLIER_SHOWN = 5;
/** Items per request: the server's batch limit. */
const BATCH_MAX = 500;

/** Whether typed text is something to check in at once: a drawn number or an 18-character ID number. */
export function isScannable(text: string): boolean {
  const s = text.normalize('NFKC').replace(/\s/g, '');
  return /^\d{1,6}$/.test(s) || /^\d{17}[\dXx]$/.test(s);
}

/** Several numbers pasted at once (one per line, or separated by spaces or commas), or null. */
export function scannableList(text: string): string[] | null {
  const items = text.split(/[\s,，;；、]+/).filter(Boolean);
  return items.length > 1 && items.every(isScannable) ? items : null;
}

/** Whether an entry matches what was typed: its drawn number exactly, or part of its name. */
export function matchesSearch(e: Pick<Entry, 'name' | 'drawnNumber' | 'delegationName'>, q: string): boolean {
  const s = q.trim();
  if (!s) return true;
  if (/^\d+$/.test(s)) return e.drawnNumber === Number(s);
  return e.name.includes(s) || (e.delegationName ?? '').includes(s);
}

/**
 * Check-in on the day (检录). The box at the top takes drawn numbers and ID numbers typed or
 * scanned in a row (a scanner or card reader types and presses Enter): each one is checked in at
 * once (POST /events/:id/check-in) and the desk sees the number, name and outcome in the feed
 * below it, unknown and repeated ones included; several numbers pasted at once go as one batch.
 * Items typed while a request is on its way are queued and sent together. Names typed in the same
 * box filter the list, where big 检录 / 缺考 buttons work one entrant at a time (Enter checks in
 * the one entrant a name matches).
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
      ol.feed {
        list-style: none;
        margin: 8px 0 0;
        padding: 0;
        display: grid;
        gap: 6px;
      }
      ol.feed li {
        margin: 0;
        padding: 6px 12px;
        min-height: 44px;
        border-left-width: 6px;
      }
      ol.feed.earlier {
        margin: 0 0 12px;
        gap: 2px;
      }
      ol.feed li.earlier {
        min-height: 0;
        padding: 2px 12px;
        grid-template-columns: 3.2em minmax(0, 1fr) auto;
        font-size: 15px;
      }
      ol.feed li.earlier .no {
        font-size: 17px;
      }
      ol.feed li.earlier .name {
        font-size: 15px;
        display: inline;
      }
      ol.feed li.earlier .sub {
        display: inline;
        margin-left: 8px;
      }
      ol.feed li.ok {
        border-color: #a8dcb8;
        border-left-color: var(--sc-ok);
        background: #f3fbf5;
      }
      ol.feed li.same {
        border-left-color: var(--sc-muted);
      }
      ol.feed li.bad {
        border-color: #f0c2bd;
        border-left-color: var(--sc-danger);
        background: #fdf3f2;
      }
      ol.feed .no {
        font-size: 24px;
      }
      ol.feed .outcome {
        font-weight: 600;
        text-align: right;
      }
      ol.feed li.ok .outcome {
        color: var(--sc-ok);
      }
      ol.feed li.bad .outcome {
        color: var(--sc-danger);
      }
      .retry {
        display: flex;
        gap: 8px;
        align-items: center;
        flex-wrap: wrap;
        margin-top: 8px;
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
  @state() private feed: FeedItem[] = [];
  /** Items typed or scanned and not yet sent. */
  private queue: FeedItem[] = [];
  private sending = false;
  private nextKey = 1;

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
    const input = e.target as HTMLInputElement;
    const text = input.value.trim();
    if (isScannable(text)) {
      e.preventDefault();
      // Cleared at once, so the next scan starts in an empty box.
      input.value = '';
      this.q = '';
      this.enqueue([text]);
      return;
    }
    const list = this.visible();
    if (list.length === 1 && list[0]!.status === 'registered') {
      void this.setStatus(list[0]!, 'checked_in');
      input.select();
    }
  }

  private onPaste(e: ClipboardEvent) {
    const items = scannableList(e.clipboardData?.getData('text') ?? '');
    if (!items) return;
    e.preventDefault();
    this.enqueue(items);
  }

  private enqueue(inputs: string[]) {
    const items: FeedItem[] = inputs.map((input) => ({ key: this.nextKey++, input, state: 'pending' }));
    this.queue.push(...items);
    this.feed = [...items.reverse(), ...this.feed];
    void this.flush();
  }

  /** Sends what is queued, in order, one request at a time (what arrives meanwhile goes in the next one). */
  private async flush() {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, BATCH_MAX);
        const update = (key: number, patch: Partial<FeedItem>) => (this.feed = this.feed.map((f) => (f.key === key ? { ...f, ...patch } : f)));
        try {
          const res = await api<CheckInBatchResult>('POST', `/api/events/${this.event.id}/check-in`, { items: batch.map((b) => b.input) });
          batch.forEach((b, i) => update(b.key, { state: 'done', result: res.results[i] }));
          const statusOf = new Map(res.results.filter((r) => r.entryId !== null && r.status).map((r) => [r.entryId!, r.status as EntryStatus]));
          this.entries = (this.entries ?? []).map((e) => (statusOf.has(e.id) ? { ...e, status: statusOf.get(e.id)! } : e));
          if (res.checkedIn > 0) this.dispatchEvent(new OrgDataChangedEvent());
        } catch (err) {
          for (const b of batch) update(b.key, { state: 'error', error: errorMessage(err) });
        }
      }
    } finally {
      this.sending = false;
    }
  }

  private retryFailed() {
    const failed = this.feed.filter((f) => f.state === 'error');
    this.feed = this.feed.filter((f) => f.state !== 'error');
    this.enqueue(failed.reverse().map((f) => f.input));
  }

  /** The feed line's tone and words for one item. */
  private describe(f: FeedItem): { tone: 'ok' | 'same' | 'bad' | ''; text: string } {
    if (f.state === 'pending') return { tone: '', text: t('org.checkin.scan.pending') };
    if (f.state === 'error') return { tone: 'bad', text: t('org.checkin.scan.error', { message: f.error ?? '' }) };
    const r = f.result!;
    switch (r.outcome) {
      case 'checked_in':
        return { tone: 'ok', text: t('org.checkin.scan.checked_in') };
      case 'already_checked_in':
        return { tone: 'same', text: t('org.checkin.scan.already_checked_in') };
      case 'duplicate':
        return { tone: 'same', text: t('org.checkin.scan.duplicate') };
      case 'unknown':
        return { tone: 'bad', text: t(r.matchedBy === 'id_number' ? 'org.checkin.scan.unknownId' : 'org.checkin.scan.unknownNumber') };
      case 'invalid':
        return { tone: 'bad', text: t('org.checkin.scan.invalid') };
      case 'not_checkable':
        return { tone: 'bad', text: t('org.checkin.scan.not_checkable', { status: entryStatusLabel(r.status ?? '') }) };
    }
  }

  private feedLine(f: FeedItem, latest: boolean) {
    const d = this.describe(f);
    const r = f.result;
    return html`<li class="${d.tone} ${latest ? 'latest' : 'earlier'}" data-outcome=${r?.outcome ?? f.state}>
      <span class="no">${r?.drawnNumber ?? '—'}</span>
      <div class="who">
        <div class="name">${r?.name ?? f.input}</div>
        <div class="sub">${r?.name ? (r.idNumber ?? '') : t('org.checkin.scan.typed', { input: f.input })}</div>
      </div>
      <span class="outcome">${d.text}</span>
    </li>`;
  }

  /** The latest result, big, under the scan box (it stays in view with it). */
  private renderLatest() {
    const latest = this.feed[0];
    if (!latest) return nothing;
    const failed = this.feed.filter((f) => f.state === 'error').length;
    return html`
      <ol class="feed" data-testid="scan-latest" aria-live="polite" aria-label=${t('org.checkin.scan.feed')}>
        ${repeat([latest], (f) => f.key, (f) => this.feedLine(f, true))}
      </ol>
      ${failed
        ? html`<div class="retry" role="alert">
            <span class="error">${t('org.checkin.scan.failedN', { n: failed })}</span>
            <button class="primary" @click=${this.retryFailed}>${t('org.checkin.scan.retry')}</button>
          </div>`
        : nothing}
    `;
  }

  /** The few before it, one compact line each. */
  private renderEarlier() {
    const earlier = this.feed.slice(1, 1 + EARLIER_SHOWN);
    if (!earlier.length) return nothing;
    return html`<ol class="feed earlier" data-testid="scan-earlier" aria-label=${t('org.checkin.scan.earlier')}>
      ${repeat(earlier, (f) => f.key, (f) => this.feedLine(f, false))}
    </ol>`;
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
          enterkeyhint="done"
          .value=${this.q}
          @input=${(e: Event) => (this.q = (e.target as HTMLInputElement).value)}
          @keydown=${this.onKey}
          @paste=${this.onPaste}
        />
        ${this.renderLatest()}
        <div class="filters" role="group" aria-label=${t('org.checkin.filter')}>
          ${filters.map(
            (f) => html`<button type="button" aria-pressed=${this.filter === f ? 'true' : 'false'} @click=${() => (this.filter = f)}>${t(`org.checkin.filter.${f}`)}</button>`,
          )}
        </div>
        ${this.last ? html`<p class="muted" role="status" style="margin:8px 0 0">${this.last}</p>` : nothing}
      </div>
      ${this.renderEarlier()} ${errorBanner(this.error)}
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
