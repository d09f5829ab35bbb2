import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import '../../i18n/print.ts';
import { customElement, property, state } from 'lit/decorators.js';
import type { z } from 'zod';
import type { IncompleteEntry } from '../../../server/contracts/marks.ts';
import type { recheckListSchema } from '../../../server/contracts/publication.ts';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { chiefStyles, ChiefChangedEvent, errorText, fmt, when, type MarkingProgress } from './chief-shared.ts';

type Rechecks = z.infer<typeof recheckListSchema>;
/** The engine's independent recomputation of the event (POST /api/events/:id/verify; server/domain/package/verify.ts). */
type Verification = { ok: boolean; entries: number; marks: number; prizes: number | null; problems: { round: number | null; number: number | null; what: string; published: unknown; recomputed: unknown }[] };

/**
 * Locking and releasing: close (or reopen) marking per round, the results check (every top-10
 * result and a drawn sample confirmed by the chief judge), then the release itself, after an
 * explicit confirmation: names appear and marks become read-only. An entry still short of the
 * marks its panels expect (暂定) needs a reason from the chief judge, shown with it on the
 * published results; without one per such entry the release is refused.
 *
 * @event sc-chief-changed - a round was closed or reopened, the check drawn or confirmed, or results released
 */
@customElement('sc-chief-release')
export class ChiefRelease extends LitElement {
  static override styles = [
    sharedStyles,
    chiefStyles,
    css`
      .step {
        display: grid;
        grid-template-columns: 36px minmax(0, 1fr);
        gap: 12px;
      }
      .step + .step {
        margin-top: 12px;
      }
      .step .n {
        width: 36px;
        height: 36px;
        border-radius: 50%;
        background: #eef1f5;
        display: grid;
        place-items: center;
        font-weight: 700;
      }
      .step.done .n {
        background: var(--sc-ok);
        color: #fff;
      }
      .step h3 {
        margin: 4px 0 8px;
      }
      .round {
        display: flex;
        flex-wrap: wrap;
        gap: 8px 12px;
        align-items: center;
        padding: 8px 0;
        border-bottom: 1px solid var(--sc-line);
      }
      .round:last-child {
        border-bottom: 0;
      }
      .warn-box {
        border: 1px solid #f5c28b;
        background: #fff8ef;
        border-radius: 10px;
        padding: 10px 12px;
        margin: 8px 0;
      }
      .reason-row {
        display: grid;
        gap: 4px;
        margin-top: 8px;
      }
      .reason-row input {
        width: 100%;
        min-height: 44px;
      }
      .danger-box {
        border: 2px solid var(--sc-danger);
        background: #fff5f4;
        border-radius: 10px;
        padding: 12px;
        margin-top: 8px;
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  @property({ type: Number }) eventId = 0;
  @property({ attribute: false }) progress: MarkingProgress | null = null;
  @property({ type: Number }) revision = 0;
  @state() private rechecks: Rechecks | null = null;
  @state() private confirmClose: number | null = null;
  @state() private confirmRelease = false;
  @state() private busy = false;
  @state() private error = '';
  @state() private releasedAt: string | null = null;
  @state() private verification: Verification | null = null;
  @state() private verifying = false;
  @state() private incomplete: IncompleteEntry[] = [];
  /** The chief judge's reason per incomplete entry, by drawn number. */
  @state() private reasons: Record<number, string> = {};

  override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('eventId') || changed.has('revision')) && this.eventId) void this.loadRechecks();
  }

  private async loadRechecks() {
    try {
      [this.rechecks, this.incomplete] = await Promise.all([
        api<Rechecks>('GET', `/api/events/${this.eventId}/rechecks`),
        api<IncompleteEntry[]>('GET', `/api/events/${this.eventId}/incomplete`),
      ]);
    } catch (err) {
      this.error = errorText(err);
    }
  }

  /** Every incomplete entry has a reason (two characters at least, as the server asks). */
  private reasonsComplete(): boolean {
    return this.incomplete.every((e) => e.number != null && (this.reasons[e.number] ?? '').trim().length >= 2);
  }

  private renderIncomplete() {
    if (this.incomplete.length === 0) return nothing;
    return html`<div class="warn-box" data-testid="incomplete">
      <p style="margin:0 0 8px"><b>${t('chief.release.incompleteTitle', { n: this.incomplete.length })}</b></p>
      <p class="muted" style="margin:0 0 8px">${t('chief.release.incompleteHint')}</p>
      ${this.incomplete.map(
        (e) => html`<div class="reason-row">
          <label for="reason-${e.number}"
            ><b>${t('chief.release.numberN', { n: e.number ?? '—' })}</b>
            <span class="muted">${e.missing.map((m) => t('chief.release.missingPart', { part: m.partName, marksIn: m.marksIn, expected: m.expected })).join('；')}</span></label
          >
          <input
            id="reason-${e.number}"
            data-testid="reason-${e.number}"
            maxlength="500"
            placeholder=${t('chief.release.reasonPlaceholder')}
            .value=${this.reasons[e.number ?? 0] ?? ''}
            @input=${(ev: Event) => (this.reasons = { ...this.reasons, [e.number ?? 0]: (ev.target as HTMLInputElement).value })}
          />
        </div>`,
      )}
    </div>`;
  }

  private async run(fn: () => Promise<unknown>) {
    this.busy = true;
    this.error = '';
    try {
      await fn();
      await this.loadRechecks();
      this.dispatchEvent(new ChiefChangedEvent());
    } catch (err) {
      this.error = errorText(err);
    } finally {
      this.busy = false;
    }
  }

  private setRound(roundId: number, action: 'close' | 'reopen') {
    this.confirmClose = null;
    return this.run(() => api('POST', `/api/rounds/${roundId}/${action}`));
  }

  private release() {
    this.confirmRelease = false;
    return this.run(async () => {
      const incompleteReasons = this.incomplete.filter((e) => e.number != null).map((e) => ({ number: e.number!, reason: (this.reasons[e.number!] ?? '').trim() }));
      const res = await api<{ releasedAt: string }>('POST', `/api/events/${this.eventId}/release`, { incompleteReasons });
      this.releasedAt = res.releasedAt;
    });
  }

  private renderRounds(p: MarkingProgress) {
    return p.rounds.map((r) => {
      const current = r.id === p.roundId;
      const warnings = current
        ? [
            ...(p.totals.missing > 0 ? [t('chief.release.warnMissing', { n: p.totals.missing })] : []),
            ...(p.pendingCorrections > 0 ? [t('chief.release.warnCorrections', { n: p.pendingCorrections })] : []),
            ...(p.openPaperDisputes > 0 ? [t('chief.release.warnDisputes', { n: p.openPaperDisputes })] : []),
          ]
        : [];
      return html`<div class="round" data-testid="round-${r.id}">
          <b>${r.name}</b>
          <span class="pill ${r.status === 'open' ? 'warn' : 'ok'}">${r.status === 'open' ? t('chief.open') : t('chief.closed')}</span>
          <span class="grow" style="flex:1"></span>
          ${p.released
            ? nothing
            : r.status === 'open'
              ? html`<button class="primary" ?disabled=${this.busy} data-testid="close-${r.id}" @click=${() => (this.confirmClose = r.id)}>${t('chief.release.close')}</button>`
              : html`<button ?disabled=${this.busy} data-testid="reopen-${r.id}" @click=${() => this.setRound(r.id, 'reopen')}>${t('chief.release.reopen')}</button>`}
        </div>
        ${this.confirmClose === r.id
          ? html`<div class="warn-box">
              ${warnings.length ? html`<ul style="margin:0 0 8px;padding-left:20px">${warnings.map((w) => html`<li>${w}</li>`)}</ul>` : nothing}
              <p style="margin:0 0 8px">${t('chief.release.confirmClose', { round: r.name })}</p>
              <div class="row-actions">
                <button class="primary" data-testid="confirm-close" @click=${() => this.setRound(r.id, 'close')}>${t('chief.confirm')}</button>
                <button @click=${() => (this.confirmClose = null)}>${t('chief.cancel')}</button>
              </div>
            </div>`
          : nothing}`;
    });
  }

  /** Recomputes every total, rank, advancement and prize from the marks alone, as anyone can from the public package. */
  private async verify() {
    this.verifying = true;
    this.error = '';
    try {
      this.verification = await api<Verification>('POST', `/api/events/${this.eventId}/verify`, undefined, { timeoutMs: 120_000 });
    } catch (err) {
      this.error = errorText(err);
    } finally {
      this.verifying = false;
    }
  }

  private renderVerification() {
    const v = this.verification;
    return html`<div class="row" style="margin-top:12px">
        <button ?disabled=${this.verifying} aria-busy=${this.verifying ? 'true' : 'false'} data-testid="verify-results" @click=${this.verify}>
          ${this.verifying ? t('chief.verify.busy') : t('chief.verify.button')}
        </button>
        <span class="muted">${t('chief.verify.hint')}</span>
      </div>
      ${v
        ? v.ok
          ? html`<p class="pill ok" data-testid="verify-outcome">${t('chief.verify.ok', { entries: v.entries, marks: v.marks })}</p>
              <p class="muted" data-testid="verify-not-recheck">${t('chief.verify.notRecheck')}</p>`
          : html`<div class="warn-box" role="alert" data-testid="verify-outcome">
              <b>${t('chief.verify.differences', { n: v.problems.length })}</b>
              <ul>
                ${v.problems.slice(0, 20).map(
                  (p) => html`<li>
                    ${p.round !== null ? t('chief.verify.round', { n: p.round }) : ''}${p.number !== null ? t('chief.number') + ' ' + p.number + ' · ' : ''}${p.what}：${JSON.stringify(p.published)} → ${JSON.stringify(p.recomputed)}
                  </li>`,
                )}
              </ul>
            </div>`
        : nothing}`;
  }

  private renderRechecks(allClosed: boolean, released: boolean) {
    const r = this.rechecks;
    if (released) return html`<p class="muted">${t('chief.release.checkDoneReleased')}</p>`;
    if (!allClosed) return html`<p class="muted">${t('chief.release.checkAfterClose')}</p>`;
    if (!r?.drawn)
      return html`<p class="muted">${t('chief.release.checkHint')}</p>
        <button class="primary" ?disabled=${this.busy} data-testid="draw-rechecks" @click=${() => this.run(() => api('POST', `/api/events/${this.eventId}/rechecks/draw`))}>
          ${t('chief.release.draw')}
        </button>`;
    const done = r.items.filter((i) => i.checkedAt).length;
    return html`<p>${t('chief.release.checkProgress', { done, total: r.items.length })}</p>
      <div class="scroll-x">
        <table>
          <thead>
            <tr>
              <th>${t('chief.number')}</th>
              <th class="num">${t('chief.release.rank')}</th>
              <th class="num">${t('chief.release.total')}</th>
              <th>${t('chief.release.selection')}</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            ${r.items.map(
              (i) => html`<tr>
                <td>${i.number}</td>
                <td class="num">${i.rank ?? '—'}</td>
                <td class="num">${fmt(i.total)}</td>
                <td>${i.selection === 'top10' ? t('chief.release.top10') : t('chief.release.sample')}</td>
                <td style="text-align:right">
                  ${i.checkedAt
                    ? html`<span class="pill ok">${t('chief.release.checked')}</span>`
                    : html`<button ?disabled=${this.busy} data-testid="check-${i.id}" @click=${() => this.run(() => api('POST', `/api/rechecks/${i.id}/check`, {}))}>
                        ${t('chief.release.confirmCheck')}
                      </button>`}
                </td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
  }

  override render() {
    const p = this.progress;
    if (!p) return html`<p class="empty">${t('app.loading')}</p>`;
    const allClosed = p.rounds.every((r) => r.status === 'closed');
    const checked = !!this.rechecks?.complete;
    const released = p.released || this.releasedAt != null;
    return html`
      <div class="row">
        <h2 style="flex:1">${t('chief.release.title')}</h2>
        <a class="btn" href="/print/event/${this.eventId}" target="_blank" data-testid="print-results"
          >${t('print.links.results')}</a
        >
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="card stack">
        <div class="step ${allClosed ? 'done' : ''}">
          <span class="n">1</span>
          <div>
            <h3>${t('chief.release.step1')}</h3>
            <p class="muted" style="margin-top:0">${t('chief.release.step1Hint')}</p>
            ${this.renderRounds(p)}
          </div>
        </div>
        <div class="step ${checked || released ? 'done' : ''}">
          <span class="n">2</span>
          <div>
            <h3>${t('chief.release.step2')}</h3>
            ${this.renderRechecks(allClosed, released)} ${this.renderVerification()}
          </div>
        </div>
        <div class="step ${released ? 'done' : ''}">
          <span class="n">3</span>
          <div>
            <h3>${t('chief.release.step3')}</h3>
            ${released
              ? html`<p data-testid="released">${t('chief.release.released', { time: when(this.releasedAt) })}</p>
                  <a class="btn" href="/screen/event/${p.eventId}" target="_blank">${t('chief.release.screen')}</a>`
              : this.confirmRelease
                ? html`<div class="danger-box">
                    <p style="margin-top:0"><b>${t('chief.release.confirmTitle')}</b></p>
                    <p>${t('chief.release.confirmText')}</p>
                    <div class="row-actions">
                      <button class="primary" data-testid="confirm-release" ?disabled=${this.busy} @click=${this.release}>${t('chief.release.confirmRelease')}</button>
                      <button @click=${() => (this.confirmRelease = false)}>${t('chief.cancel')}</button>
                    </div>
                  </div>`
                : html`<p class="muted" style="margin-top:0">${allClosed && checked ? t('chief.release.ready') : t('chief.release.notReady')}</p>
                    ${this.renderIncomplete()}
                    <button
                      class="primary"
                      data-testid="release"
                      ?disabled=${!allClosed || !checked || this.busy || !this.reasonsComplete()}
                      @click=${() => (this.confirmRelease = true)}
                    >
                      ${t('chief.release.release')}
                    </button>`}
          </div>
        </div>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-chief-release': ChiefRelease;
  }
}
