import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import '../../i18n/awards.ts';
import '../../i18n/release-rules.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { errorBanner, fieldError, fieldErrorsOf, formatEnd, formatTime, query, staffStyles } from '../people/staff-ui.ts';
import { AwardsChangedEvent, type Appeal, type MarkOut, type Publication, type RecheckList, type ScEvent } from './awards-types.ts';

type Decision = { decision: 'upheld' | 'dismissed'; note: string; values: Record<number, string>; marks: MarkOut[] | null; errors: Record<string, string>; error: unknown };

/**
 * The publicity period of an event's results: where it stands (stage, publicity end, appeal
 * window by the competition's rule), whether prizes and titles may be awarded yet (after the
 * publicity period with no appeal waiting, or by an organiser's recorded override), the chief
 * judge's results check (read-only), appeals (record one, rule on it with the marks an upheld
 * appeal corrects) and making the results final.
 */
@customElement('sc-aw-publication')
export class PublicationPanel extends LitElement {
  static override styles = [
    sharedStyles,
    staffStyles,
    css`
      :host {
        padding: 0;
        max-width: none;
        margin: 0;
      }
      .grid {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 16px;
      }
      @media (min-width: 1000px) {
        .grid {
          grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
          align-items: start;
        }
      }
      dl.facts {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(160px, 1fr));
        gap: 8px 16px;
        margin: 0 0 12px;
      }
      dt {
        color: var(--sc-muted);
        font-size: 13px;
      }
      dd {
        margin: 2px 0 0;
        font-variant-numeric: tabular-nums;
      }
      .appeal {
        border-top: 1px solid var(--sc-line);
        padding: 12px 0;
      }
      .appeal:first-of-type {
        border-top: none;
      }
      .appeal .head {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
      }
      .appeal p {
        margin: 6px 0;
        overflow-wrap: anywhere;
      }
      .decide {
        background: #f7f8fa;
        border-radius: 8px;
        padding: 12px;
        margin-top: 8px;
      }
      .choices {
        display: flex;
        gap: 8px;
        flex-wrap: wrap;
      }
      .choices label {
        display: inline-flex;
        align-items: center;
        gap: 8px;
        min-height: 44px;
        padding: 0 14px;
        margin: 0;
        border: 1px solid var(--sc-line);
        border-radius: 8px;
        background: #fff;
        color: var(--sc-fg);
      }
      .choices input {
        min-height: 0;
        width: 18px;
        height: 18px;
      }
      textarea {
        width: 100%;
        min-height: 72px;
        padding: 8px 12px;
      }
      td input {
        width: 7em;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);

  @property({ attribute: false }) event: ScEvent | null = null;
  @property({ attribute: false }) publication: Publication | null = null;
  @property({ type: Boolean }) manage = false;
  @property({ type: Number }) revision = 0;

  @state() private rechecks: RecheckList | null = null;
  @state() private appeals: Appeal[] | null = null;
  @state() private lodging = false;
  @state() private lodgeErrors: Record<string, string> = {};
  @state() private deciding = new Map<number, Decision>();
  @state() private error: unknown = null;
  @state() private notice = '';
  @state() private overriding = false;
  @state() private overrideError = '';

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('event') || changed.has('revision')) && this.event) void this.load();
  }

  private async load() {
    const id = this.event!.id;
    try {
      const [rechecks, appeals] = await Promise.all([api<RecheckList>('GET', `/api/events/${id}/rechecks`), api<Appeal[]>('GET', `/api/events/${id}/appeals`)]);
      this.rechecks = rechecks;
      this.appeals = appeals;
    } catch (err) {
      this.error = err;
    }
  }

  private changed(notice: string) {
    this.notice = notice;
    this.dispatchEvent(new AwardsChangedEvent());
  }

  private async lodge(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const d = new FormData(form);
    const v = (k: string) => String(d.get(k) ?? '').trim();
    const errors: Record<string, string> = {};
    if (v('number') && !/^[1-9]\d*$/.test(v('number'))) errors.number = t('aw.ap.numberFormat');
    if (!v('lodgedBy')) errors.lodgedBy = t('aw.ap.required');
    if (v('reason').length < 5) errors.reason = t('aw.ap.reasonShort');
    this.lodgeErrors = errors;
    if (Object.keys(errors).length) return;
    this.error = null;
    try {
      await api('POST', `/api/events/${this.event!.id}/appeals`, {
        ...(v('number') ? { number: Number(v('number')) } : {}),
        lodgedBy: v('lodgedBy'),
        ...(v('contact') ? { contact: v('contact') } : {}),
        reason: v('reason'),
      });
      form.reset();
      this.lodging = false;
      this.changed(t('aw.ap.lodged'));
    } catch (err) {
      this.error = err;
      this.lodgeErrors = fieldErrorsOf(err);
    }
  }

  private startDecision(a: Appeal) {
    const next = new Map(this.deciding);
    next.set(a.id, { decision: 'dismissed', note: '', values: {}, marks: null, errors: {}, error: null });
    this.deciding = next;
  }

  private patchDecision(id: number, patch: Partial<Decision>) {
    const d = this.deciding.get(id);
    if (!d) return;
    const next = new Map(this.deciding);
    next.set(id, { ...d, ...patch });
    this.deciding = next;
    if (patch.decision === 'upheld' && d.marks === null) void this.loadMarks(id);
  }

  /** The marks an upheld appeal may correct: those of the contestant it concerns (all of them for the whole event). */
  private async loadMarks(appealId: number) {
    const appeal = this.appeals?.find((a) => a.id === appealId);
    if (!appeal) return;
    try {
      const marks = await api<MarkOut[]>('GET', `/api/events/${this.event!.id}/marks${query({ number: appeal.number })}`);
      this.patchDecision(appealId, { marks });
    } catch (err) {
      this.patchDecision(appealId, { error: err, marks: [] });
    }
  }

  private criterionName(partId: string, criterionId: string): string {
    const part = this.event?.scheme.parts.find((p) => p.id === partId);
    if (!part) return criterionId;
    const criterion = part.criteria.find((c) => c.id === criterionId);
    return criterion && criterion.id !== part.id ? `${part.name} · ${criterion.name}` : part.name;
  }

  private async decide(a: Appeal) {
    const d = this.deciding.get(a.id);
    if (!d) return;
    if (d.note.trim().length < 2) return this.patchDecision(a.id, { errors: { note: t('aw.ap.noteRequired') } });
    const corrections =
      d.decision === 'upheld'
        ? Object.entries(d.values)
            .filter(([, v]) => v.trim() !== '')
            .map(([markId, v]) => ({ markId: Number(markId), value: Number(v) }))
        : [];
    try {
      await api('POST', `/api/appeals/${a.id}/decision`, { decision: d.decision, note: d.note.trim(), corrections });
      const next = new Map(this.deciding);
      next.delete(a.id);
      this.deciding = next;
      this.changed(t(`aw.ap.status.${d.decision}`));
    } catch (err) {
      const raw = fieldErrorsOf(err);
      // corrections.0.value → the mark's own field
      const errors: Record<string, string> = {};
      for (const [k, m] of Object.entries(raw)) {
        const i = /^corrections\.(\d+)\./.exec(k);
        errors[i ? `mark.${corrections[Number(i[1])]?.markId}` : k] = m;
      }
      this.patchDecision(a.id, { error: err, errors });
    }
  }

  private async overrideGate(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const reason = String(new FormData(form).get('reason') ?? '').trim();
    if (reason.length < 5) {
      this.overrideError = t('aw.gate.overrideTooShort');
      return;
    }
    this.overrideError = '';
    this.error = null;
    try {
      await api('POST', `/api/events/${this.event!.id}/awards-override`, { reason });
      this.overriding = false;
      this.changed(t('aw.gate.allowed'));
    } catch (err) {
      this.error = err;
      this.overrideError = fieldErrorsOf(err).reason ?? '';
    }
  }

  /** Whether prizes and titles may be awarded yet, and the organiser's way to allow them early with a reason. */
  private renderGate(p: Publication) {
    if (p.stage === 'marking' || p.stage === 'awaiting_release') return nothing;
    const o = p.awardsOverride;
    return html`<div data-testid="awards-gate">
      ${o
        ? html`<p class="banner warn-banner">${t('aw.gate.override', { reason: o.reason, by: o.by, at: formatTime(o.at) })}</p>`
        : html`<p class="banner ${p.awardsAllowed ? 'ok-banner' : 'warn-banner'}">${p.awardsAllowed ? t('aw.gate.allowed') : t(`aw.gate.${p.awardsBlockedBy}`)}</p>`}
      ${this.manage && !p.awardsAllowed && p.stage === 'publicity'
        ? this.overriding
          ? html`<form class="decide" @submit=${this.overrideGate} novalidate data-testid="override-form">
              <div class="field">
                <label for="ov-reason">${t('aw.gate.overrideReason')}</label>
                <textarea id="ov-reason" name="reason" aria-invalid=${this.overrideError ? 'true' : 'false'}></textarea>
                ${fieldError(this.overrideError, 'err-ov-reason')}
              </div>
              <div class="row" style="justify-content:flex-end;margin-top:8px">
                <button type="button" @click=${() => (this.overriding = false)}>${t('ui.cancel')}</button>
                <button class="primary" type="submit">${t('aw.gate.overrideSubmit')}</button>
              </div>
            </form>`
          : html`<button @click=${() => (this.overriding = true)} data-testid="override-open">${t('aw.gate.overrideTitle')}</button>`
        : nothing}
    </div>`;
  }

  private async finalise() {
    this.error = null;
    try {
      await api('POST', `/api/events/${this.event!.id}/finalise`);
      this.changed(t('aw.finalised'));
    } catch (err) {
      this.error = err;
    }
  }

  /** The server refuses before the period ends or while an appeal waits; say so before the click. */
  private canFinalise(p: Publication): boolean {
    return p.openAppeals === 0 && !!p.publicityEndsAt && Date.now() >= new Date(p.publicityEndsAt).getTime();
  }

  private renderStatus(p: Publication) {
    return html`<section class="card" data-testid="publication">
      <h2>${t('aw.tab.publication')}</h2>
      <dl class="facts">
        <div><dt>${t('aw.stage')}</dt><dd><span class="badge ${p.stage === 'final' ? 'ok' : p.stage === 'publicity' ? 'warn' : ''}">${t(`aw.stage.${p.stage}`)}</span></dd></div>
        <div><dt>${t('aw.releasedAt')}</dt><dd>${formatTime(p.releasedAt)}</dd></div>
        <div><dt>${t('aw.publicityEnds')}</dt><dd data-testid="publicity-ends">${formatEnd(p.publicityEndsAt)}</dd></div>
        <div><dt>${t('aw.appealRule')}</dt><dd>${t(`org.comp.appealRule.${p.appealRule}`)}</dd></div>
        <div><dt>${t('aw.appealsOpenAt')}</dt><dd data-testid="appeals-open-at">${p.appealsOpenAt ? formatTime(p.appealsOpenAt) : t('aw.appealsNotYet')}</dd></div>
        <div><dt>${t('aw.appealsClose')}</dt><dd data-testid="appeals-close-at">${formatTime(p.appealsCloseAt)}</dd></div>
        <div><dt>${t('aw.openAppeals')}</dt><dd>${p.openAppeals}</dd></div>
        ${p.finalAt ? html`<div><dt>${t('aw.finalAt')}</dt><dd>${formatTime(p.finalAt)}</dd></div>` : nothing}
      </dl>
      ${this.renderGate(p)}
      <p class="muted">${t('aw.finaliseHint')}</p>
      ${this.manage && p.stage === 'publicity'
        ? html`<div class="row">
            <button class="primary" ?disabled=${!this.canFinalise(p)} @click=${this.finalise} data-testid="finalise">${t('aw.finalise')}</button>
            ${this.canFinalise(p) ? nothing : html`<span class="muted">${p.openAppeals > 0 ? t('ui.err.appeals_open') : t('aw.pr.finaliseWait')}</span>`}
          </div>`
        : nothing}
    </section>`;
  }

  private renderRechecks() {
    const r = this.rechecks;
    return html`<section class="card" data-testid="rechecks">
      <div class="row">
        <h2 style="margin:0">${t('aw.rechecks')}</h2>
        ${r?.drawn ? html`<span class="badge ${r.complete ? 'ok' : 'warn'}">${r.complete ? t('aw.rechecksDone') : t('aw.rechecksOpen')}</span>` : nothing}
      </div>
      <p class="muted">${t('aw.rechecksHint')}</p>
      ${!r
        ? html`<p class="muted">${t('app.loading')}</p>`
        : !r.drawn || r.items.length === 0
          ? html`<p class="empty">${t('aw.rechecksNone')}</p>`
          : html`<div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>${t('aw.col.number')}</th>
                    <th>${t('aw.col.rank')}</th>
                    <th class="num">${t('aw.col.total')}</th>
                    <th>${t('aw.col.selection')}</th>
                    <th>${t('aw.col.checked')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${r.items.map(
                    (x) => html`<tr>
                      <td>${x.number ?? '—'}</td>
                      <td>${x.rank ?? '—'}</td>
                      <td class="num">${x.total.toFixed(2)}</td>
                      <td>${t(`aw.sel.${x.selection}`)}</td>
                      <td>${x.checkedAt ? html`<span class="badge ok">✓ ${formatTime(x.checkedAt)}</span>` : html`<span class="badge">${t('aw.notChecked')}</span>`}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`}
    </section>`;
  }

  private renderDecision(a: Appeal, d: Decision) {
    return html`<div class="decide" data-testid="decide-${a.id}">
      ${errorBanner(d.error)}
      <div class="choices" role="radiogroup" aria-label=${t('aw.ap.decide')}>
        ${(['dismissed', 'upheld'] as const).map(
          (x) => html`<label>
            <input type="radio" name="decision-${a.id}" value=${x} .checked=${d.decision === x} @change=${() => this.patchDecision(a.id, { decision: x })} />
            ${t(`aw.ap.${x}`)}
          </label>`,
        )}
      </div>
      <div class="field">
        <label for="note-${a.id}">${t('aw.ap.note')}</label>
        <textarea
          id="note-${a.id}"
          .value=${d.note}
          aria-invalid=${d.errors.note ? 'true' : 'false'}
          @input=${(e: InputEvent) => this.patchDecision(a.id, { note: (e.target as HTMLTextAreaElement).value })}
        ></textarea>
        ${fieldError(d.errors.note, `err-note-${a.id}`)}
      </div>
      ${d.decision === 'upheld'
        ? html`<h3>${t('aw.ap.marks')}</h3>
            ${d.marks === null
              ? html`<p class="muted">${t('app.loading')}</p>`
              : d.marks.length === 0
                ? html`<p class="empty">${t('aw.ap.marksNone')}</p>`
                : html`<div class="table-wrap">
                    <table>
                      <thead>
                        <tr>
                          ${a.number ? nothing : html`<th>${t('aw.col.number')}</th>`}
                          <th>${t('aw.ap.judge')}</th>
                          <th>${t('aw.ap.criterion')}</th>
                          <th class="num">${t('aw.ap.value')}</th>
                          <th>${t('aw.ap.newValue')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        ${d.marks.map(
                          (m) => html`<tr>
                            ${a.number ? nothing : html`<td>${m.number ?? '—'}</td>`}
                            <td class="nowrap">#${m.judgeId}</td>
                            <td>${this.criterionName(m.partId, m.criterionId)}</td>
                            <td class="num old">${m.value}</td>
                            <td>
                              <input
                                inputmode="decimal"
                                aria-label=${`${t('aw.ap.newValue')} ${this.criterionName(m.partId, m.criterionId)} #${m.judgeId}`}
                                .value=${d.values[m.id] ?? ''}
                                aria-invalid=${d.errors[`mark.${m.id}`] ? 'true' : 'false'}
                                @input=${(e: InputEvent) => this.patchDecision(a.id, { values: { ...d.values, [m.id]: (e.target as HTMLInputElement).value } })}
                              />
                              ${fieldError(d.errors[`mark.${m.id}`], `err-mark-${m.id}`)}
                            </td>
                          </tr>`,
                        )}
                      </tbody>
                    </table>
                  </div>`}`
        : nothing}
      <div class="row" style="margin-top:12px;justify-content:flex-end">
        <button
          @click=${() => {
            const next = new Map(this.deciding);
            next.delete(a.id);
            this.deciding = next;
          }}
        >
          ${t('ui.cancel')}
        </button>
        <button class="primary" @click=${() => this.decide(a)}>${t('aw.ap.submitDecision')}</button>
      </div>
    </div>`;
  }

  private renderAppeals() {
    const list = this.appeals;
    const open = this.publication?.stage !== 'final';
    return html`<section class="card" data-testid="appeals">
      <div class="row">
        <h2 style="margin:0">${t('aw.appeals')}</h2>
        <span class="spacer"></span>
        ${this.manage && open && !this.lodging ? html`<button @click=${() => (this.lodging = true)} data-testid="lodge-open">${t('aw.lodge')}</button>` : nothing}
      </div>
      <p class="muted">${t('aw.lodgeHint')}</p>
      ${this.lodging
        ? html`<form class="decide" @submit=${this.lodge} novalidate data-testid="lodge-form">
            <div class="grid2">
              <div class="field">
                <label for="ap-number">${t('aw.ap.number')}</label>
                <input id="ap-number" name="number" inputmode="numeric" aria-invalid=${this.lodgeErrors.number ? 'true' : 'false'} />
                ${fieldError(this.lodgeErrors.number, 'err-ap-number')}
              </div>
              <div class="field">
                <label for="ap-by">${t('aw.ap.lodgedBy')}</label>
                <input id="ap-by" name="lodgedBy" aria-invalid=${this.lodgeErrors.lodgedBy ? 'true' : 'false'} />
                ${fieldError(this.lodgeErrors.lodgedBy, 'err-ap-by')}
              </div>
              <div class="field">
                <label for="ap-contact">${t('aw.ap.contact')}</label>
                <input id="ap-contact" name="contact" />
              </div>
            </div>
            <div class="field">
              <label for="ap-reason">${t('aw.ap.reason')}</label>
              <textarea id="ap-reason" name="reason" aria-invalid=${this.lodgeErrors.reason ? 'true' : 'false'}></textarea>
              ${fieldError(this.lodgeErrors.reason, 'err-ap-reason')}
            </div>
            <div class="row" style="justify-content:flex-end;margin-top:8px">
              <button type="button" @click=${() => (this.lodging = false)}>${t('ui.cancel')}</button>
              <button class="primary" type="submit">${t('aw.ap.submit')}</button>
            </div>
          </form>`
        : nothing}
      ${!list
        ? html`<p class="muted">${t('app.loading')}</p>`
        : list.length === 0
          ? html`<p class="empty">${t('aw.appealsNone')}</p>`
          : list.map((a) => {
              const d = this.deciding.get(a.id);
              const cls = a.status === 'upheld' ? 'ok' : a.status === 'dismissed' ? 'bad' : 'warn';
              return html`<div class="appeal" data-testid="appeal">
                <div class="head">
                  <strong>#${a.id}</strong>
                  <span>${a.number ? `${t('aw.col.number')} ${a.number}` : t('aw.ap.whole')}</span>
                  <span class="badge ${cls}">${t(`aw.ap.status.${a.status}`)}</span>
                  <span class="spacer"></span>
                  ${this.manage && a.status === 'lodged' && open && !d ? html`<button @click=${() => this.startDecision(a)}>${t('aw.ap.decide')}</button>` : nothing}
                </div>
                <p>${a.reason}</p>
                <div class="muted">${t('aw.ap.by', { who: a.lodgedBy, time: formatTime(a.lodgedAt) })}</div>
                ${a.decidedAt ? html`<div>${t('aw.ap.decided', { who: a.decidedBy ?? '', time: formatTime(a.decidedAt), note: a.decisionNote ?? '' })}</div>` : nothing}
                ${d ? this.renderDecision(a, d) : nothing}
              </div>`;
            })}
    </section>`;
  }

  override render() {
    const p = this.publication;
    return html`
      ${this.notice ? html`<div class="banner ok-banner" role="status">${this.notice}</div>` : nothing} ${errorBanner(this.error)}
      <div class="grid">
        <div class="stack">${p ? this.renderStatus(p) : html`<p class="muted">${t('app.loading')}</p>`} ${this.renderRechecks()}</div>
        ${this.renderAppeals()}
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-aw-publication': PublicationPanel;
  }
}
