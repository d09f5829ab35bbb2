import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { EventJudge } from '../../../server/contracts/judges.ts';
import type { JudgeQualityReport, TraineeReport } from '../../../server/contracts/judging.ts';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { errorBanner } from '../../components/error-banner.ts';
import '../../i18n/judging.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { chiefStyles, ChiefChangedEvent } from './chief-shared.ts';

/** A p-value below this is flagged for a closer look (the conventional 5 % level; a flag, not a verdict). */
const FLAG_P = 0.05;

const num = (v: number | null | undefined, digits = 2) => (v == null ? '—' : v.toFixed(digits));
const signed = (v: number | null | undefined) => (v == null ? '—' : `${v > 0 ? '+' : ''}${v.toFixed(2)}`);

/**
 * The chief's section on trainee judges (见习裁判) and judge quality (裁判评分质量): who is a
 * trainee (the chief sets it before the judge marks), how far each trainee was from the counting
 * panel per part and criterion, and each counting judge's deviation from the panel median, marks
 * dropped, consistency and home-unit check, with .xlsx exports. Supervisors read it; only the
 * chief judge changes who is a trainee.
 *
 * @event sc-chief-changed - a trainee was set or unset (ChiefChangedEvent): the page reloads its grid
 */
@customElement('sc-chief-quality')
export class ChiefQuality extends LitElement {
  static override styles = [
    sharedStyles,
    chiefStyles,
    css`
      section + section {
        margin-top: 16px;
      }
      .judges {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
      }
      .judge-toggle {
        display: inline-flex;
        align-items: center;
        gap: 8px;
        border: 1px solid var(--sc-line);
        border-radius: 10px;
        padding: 4px 4px 4px 12px;
        background: var(--sc-card);
      }
      .judge-toggle.on {
        border-color: var(--sc-warn);
        background: #fff8ee;
      }
      td.sub {
        padding-left: 28px;
        color: var(--sc-muted);
        font-size: 14px;
      }
      th {
        font-size: 14px;
        vertical-align: bottom;
      }
      td.name {
        white-space: nowrap;
      }
      .filters {
        display: flex;
        flex-wrap: wrap;
        gap: 12px;
        align-items: end;
        margin-bottom: 12px;
      }
      .filters label {
        margin: 0 0 4px;
      }
      .note {
        font-size: 13px;
        color: var(--sc-muted);
      }
      tr.flag td {
        background: #fff8ee;
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  @property({ type: Number }) eventId = 0;
  @property({ type: Boolean }) chief = false;
  /** The event's panel (the chief loads it; a supervisor has none and cannot change trainees). */
  @property({ attribute: false }) judges: EventJudge[] = [];
  @property({ type: Number }) revision = 0;
  @state() private report: TraineeReport | null = null;
  @state() private quality: JudgeQualityReport | null = null;
  @state() private roundId = '';
  @state() private partId = '';
  @state() private busy = false;
  @state() private error: unknown = null;

  override willUpdate(changed: PropertyValues<this>): void {
    // Revision moves with every ranking change: the report follows the marks as they arrive.
    if ((changed.has('eventId') || changed.has('revision')) && this.eventId) void this.load();
  }

  private async load() {
    if (!this.eventId) return;
    try {
      const q = new URLSearchParams();
      if (this.roundId) q.set('roundId', this.roundId);
      if (this.partId) q.set('partId', this.partId);
      const [report, quality] = await Promise.all([
        api<TraineeReport>('GET', `/api/events/${this.eventId}/trainee-report`),
        api<JudgeQualityReport>('GET', `/api/events/${this.eventId}/judge-quality${q.size ? `?${q}` : ''}`),
      ]);
      this.report = report;
      this.quality = quality;
      this.error = null;
    } catch (err) {
      this.error = err;
    }
  }

  private async setTrainee(judge: EventJudge, trainee: boolean) {
    this.busy = true;
    this.error = null;
    try {
      await api('PUT', `/api/events/${this.eventId}/judges/${judge.id}/trainee`, { trainee });
      this.dispatchEvent(new ChiefChangedEvent());
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  private renderSetup() {
    if (!this.chief) return nothing;
    const judges = this.judges.filter((j) => j.role === 'judge');
    const marked = new Map((this.report?.trainees ?? []).map((tr) => [tr.judgeId, tr.marks]));
    return html`<h3>${t('jq.trainees.setup')}</h3>
      <p class="note">${t('jq.trainees.setupHint')}</p>
      <div class="judges" data-testid="trainee-setup">
        ${judges.map(
          (j) => html`<span class="judge-toggle ${j.trainee ? 'on' : ''}">
            ${j.name}${j.trainee ? html` <span class="pill warn">${t('jq.trainees.is')}</span>` : nothing}
            <button
              data-testid="trainee-${j.id}"
              aria-pressed=${j.trainee ? 'true' : 'false'}
              ?disabled=${this.busy || (j.trainee && (marked.get(j.id) ?? 0) > 0)}
              @click=${() => void this.setTrainee(j, !j.trainee)}
            >
              ${j.trainee ? t('jq.trainees.unmake') : t('jq.trainees.make')}
            </button>
          </span>`,
        )}
      </div>`;
  }

  private renderTrainees() {
    const r = this.report;
    return html`<section class="card" data-testid="trainee-report">
      <h2>${t('jq.trainees.title')}</h2>
      <p class="note">${t('jq.trainees.hint')}</p>
      ${this.renderSetup()}
      ${!r
        ? nothing
        : r.trainees.length === 0
          ? html`<p class="empty">${t('jq.trainees.none')}</p>`
          : r.trainees.map(
              (tr) => html`<h3>${tr.name} <span class="pill warn">${t('jq.trainee')}</span> <span class="pill">${t('jq.trainees.marks', { n: tr.marks })}</span></h3>
                ${tr.marks === 0
                  ? html`<p class="muted">${t('jq.trainees.noMarks')}</p>`
                  : html`<div class="scroll-x">
                      <table data-testid="trainee-${tr.judgeId}-table">
                        <thead>
                          <tr>
                            <th>${t('jq.trainees.part')}</th>
                            <th class="num">${t('jq.trainees.entries')}</th>
                            <th class="num">${t('jq.trainees.mad')}</th>
                            <th class="num">${t('jq.trainees.md')}</th>
                            <th class="num">${t('jq.trainees.rho')}</th>
                          </tr>
                        </thead>
                        <tbody>
                          ${tr.parts.map(
                            (p) => html`<tr>
                                <td><b>${p.partName}</b> <span class="muted">/ ${p.max}</span></td>
                                <td class="num">${p.entries}</td>
                                <td class="num" data-testid="mad-${p.partId}">${num(p.meanAbsDiff)}</td>
                                <td class="num">${signed(p.meanDiff)}</td>
                                <td class="num">${num(p.spearman, 3)}</td>
                              </tr>
                              ${p.criteria.length > 1
                                ? p.criteria.map(
                                    (c) => html`<tr>
                                      <td class="sub">${c.criterionName} <span>/ ${c.max}</span></td>
                                      <td class="num sub">${c.entries}</td>
                                      <td class="num sub">${num(c.meanAbsDiff)}</td>
                                      <td class="sub"></td>
                                      <td class="sub"></td>
                                    </tr>`,
                                  )
                                : nothing}`,
                          )}
                        </tbody>
                      </table>
                    </div>`}`,
            )}
    </section>`;
  }

  private renderQuality() {
    const q = this.quality;
    const query = new URLSearchParams();
    if (this.roundId) query.set('roundId', this.roundId);
    if (this.partId) query.set('partId', this.partId);
    return html`<section class="card" data-testid="judge-quality">
      <h2>${t('jq.quality.title')}</h2>
      <p class="note">${t('jq.quality.hint')}</p>
      <div class="filters">
        ${q && q.rounds.length > 1
          ? html`<div>
              <label for="jq-round">${t('jq.quality.round')}</label>
              <select
                id="jq-round"
                @change=${(e: Event) => {
                  this.roundId = (e.target as HTMLSelectElement).value;
                  void this.load();
                }}
              >
                <option value="">${t('jq.quality.all')}</option>
                ${q.rounds.map((r) => html`<option value=${r.id} ?selected=${String(r.id) === this.roundId}>${r.name}</option>`)}
              </select>
            </div>`
          : nothing}
        ${q && q.parts.length > 1
          ? html`<div>
              <label for="jq-part">${t('jq.quality.part')}</label>
              <select
                id="jq-part"
                data-testid="jq-part"
                @change=${(e: Event) => {
                  this.partId = (e.target as HTMLSelectElement).value;
                  void this.load();
                }}
              >
                <option value="">${t('jq.quality.all')}</option>
                ${q.parts.map((p) => html`<option value=${p.id} ?selected=${p.id === this.partId}>${p.name}</option>`)}
              </select>
            </div>`
          : nothing}
        <span class="grow"></span>
        <a class="btn" download data-testid="jq-xlsx-event" href=${`/api/events/${this.eventId}/judge-quality.xlsx${query.size ? `?${query}` : ''}`}>${t('jq.quality.xlsxEvent')}</a>
        ${q ? html`<a class="btn" download data-testid="jq-xlsx-competition" href=${`/api/competitions/${q.competitionId}/judge-quality.xlsx`}>${t('jq.quality.xlsxCompetition')}</a>` : nothing}
      </div>
      ${!q
        ? nothing
        : q.judges.every((j) => j.marks === 0)
          ? html`<p class="empty">${t('jq.quality.none')}</p>`
          : html`<div class="scroll-x">
              <table data-testid="quality-table">
                <thead>
                  <tr>
                    <th>${t('jq.quality.judge')}</th>
                    <th class="num">${t('jq.quality.marks')}</th>
                    <th class="num">${t('jq.quality.dev')}</th>
                    <th class="num">${t('jq.quality.absDev')}</th>
                    <th>${t('jq.quality.dropped')}</th>
                    <th class="num">${t('jq.quality.rho')}</th>
                    <th>${t('jq.quality.home')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${q.judges.map((j) => {
                    const test = j.home.test;
                    const flagged = test != null && test.pValue < FLAG_P;
                    return html`<tr class=${flagged ? 'flag' : ''} data-testid="quality-${j.judgeId}">
                      <td class="name">${j.name}</td>
                      <td class="num">${j.marks}</td>
                      <td class="num">${signed(j.meanDeviation)}</td>
                      <td class="num">${num(j.meanAbsDeviation)}</td>
                      <td>
                        ${j.dropped.eligible === 0
                          ? '—'
                          : t('jq.quality.droppedOf', {
                              count: j.dropped.count,
                              eligible: j.dropped.eligible,
                              share: `${Math.round((j.dropped.share ?? 0) * 100)}%`,
                              expected: `${Math.round((j.dropped.expectedShare ?? 0) * 100)}%`,
                            })}
                      </td>
                      <td class="num">${num(j.consistency.rho, 3)}</td>
                      <td>
                        ${test
                          ? html`${t('jq.quality.homeOf', { group: j.home.groupName ?? '', own: test.ownCount, diff: signed(test.difference), p: test.pValue.toFixed(3) })}
                            ${flagged ? html`<span class="pill warn">${t('jq.quality.flag')}</span>` : nothing}`
                          : html`<span class="muted">${j.home.reason ? t(`jq.quality.reason.${j.home.reason}`) : ''}</span>`}
                      </td>
                    </tr>`;
                  })}
                </tbody>
              </table>
            </div>
            <p class="note">${t('jq.quality.method', { limit: q.method.exactLimit, n: q.method.monteCarloPermutations })}</p>`}
    </section>`;
  }

  override render() {
    return html`${errorBanner(this.error)}${this.renderTrainees()}${this.renderQuality()}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-chief-quality': ChiefQuality;
  }
}
