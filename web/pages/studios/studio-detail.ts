import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';
import './studio-records.ts';
import {
  errorBanner,
  fieldError,
  fieldErrorsOf,
  revealAlert,
  formValues,
  honourLabel,
  kindLabel,
  LEVELS,
  levelBadge,
  levelLabel,
  skillLabel,
  statusBadge,
  statusLabel,
  StudioChangedEvent,
  studioStyles,
  todayIso,
  type StudioDetail,
} from './studios-shared.ts';

/** Decisions that need a level, a term or a ban length. */
const NEEDS_LEVEL = new Set(['recognise', 'reconfirm']);

/**
 * One studio: its particulars, the leader against the kind's rule, the recorded life cycle
 * (申报 → 评估 → 认定 → 年度考核 → 复核 / 警告 / 摘牌) with the form for the next decision, and
 * its members, funding and yearly achievements.
 */
@customElement('sc-studio-detail')
export class StudioDetailView extends LitElement {
  static override styles = [
    sharedStyles,
    studioStyles,
    css`
      .head {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
      }
      .layout {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
        gap: 16px;
        align-items: start;
      }
      @media (max-width: 900px) {
        .layout {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      dl {
        display: grid;
        grid-template-columns: max-content minmax(0, 1fr);
        gap: 6px 16px;
        margin: 0;
      }
      dt {
        color: var(--sc-muted);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      ol.timeline {
        list-style: none;
        margin: 0;
        padding: 0 0 0 18px;
        border-left: 3px solid var(--sc-line);
      }
      ol.timeline li {
        position: relative;
        padding: 0 0 14px 10px;
      }
      ol.timeline li::before {
        content: '';
        position: absolute;
        left: -27px;
        top: 4px;
        width: 14px;
        height: 14px;
        border-radius: 50%;
        background: var(--sc-card);
        border: 3px solid var(--sc-muted);
      }
      ol.timeline li.recognise::before,
      ol.timeline li.reconfirm::before,
      ol.timeline li.renew::before {
        border-color: var(--sc-ok);
      }
      ol.timeline li.warn::before,
      ol.timeline li.expire::before {
        border-color: var(--sc-warn);
      }
      ol.timeline li.delist::before,
      ol.timeline li.reject::before {
        border-color: var(--sc-danger);
        background: var(--sc-danger);
      }
      .when {
        font-variant-numeric: tabular-nums;
        color: var(--sc-muted);
        font-size: 14px;
      }
      .decision {
        font-weight: 600;
      }
      .ban {
        color: var(--sc-danger);
        font-weight: 600;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);

  @property({ type: Number }) studioId = 0;
  @state() private studio: StudioDetail | null = null;
  @state() private error: unknown = null;
  @state() private action = '';
  @state() private stepError: unknown = null;
  @state() private stepErrors: Record<string, string> = {};
  @state() private busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    // Fired by the records below after a change (the detail itself never fires it).
    this.addEventListener(StudioChangedEvent.type, () => void this.load());
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('studioId')) void this.load();
  }

  private async load() {
    try {
      this.studio = await api<StudioDetail>('GET', `/api/studios/${this.studioId}`);
      if (!this.studio.possibleActions.includes(this.action as never)) this.action = this.studio.possibleActions[0] ?? '';
      this.error = null;
    } catch (err) {
      this.error = err;
    }
  }

  private async decide(e: SubmitEvent) {
    e.preventDefault();
    const v = formValues(e.target as HTMLFormElement);
    const body: Record<string, unknown> = { action: v.action, date: v.date, note: v.note ?? '', joint: v.joint === 'on' };
    if (v.level) body.level = v.level;
    if (v.termYears) body.termYears = Number(v.termYears);
    if (v.banYears) body.banYears = Number(v.banYears);
    if (v.decidedByName) body.decidedByName = v.decidedByName;
    this.busy = true;
    this.stepError = null;
    this.stepErrors = {};
    try {
      this.studio = await api<StudioDetail>('POST', `/api/studios/${this.studioId}/steps`, body);
      this.action = this.studio.possibleActions[0] ?? '';
      (e.target as HTMLFormElement).reset();
    } catch (err) {
      this.stepError = err;
      this.stepErrors = fieldErrorsOf(err);
      void revealAlert(this);
    } finally {
      this.busy = false;
    }
  }

  private renderDecisionForm(s: StudioDetail) {
    if (!s.canManage || s.possibleActions.length === 0) return nothing;
    const a = this.action;
    return html`<form class="card" @submit=${this.decide} data-testid="decision-form" style="margin-top:16px" novalidate>
      <h3 style="margin-top:0">${t('st.step.record')}</h3>
      ${errorBanner(this.stepError)}
      <div class="grid2">
        <div class="field">
          <label for="action">${t('st.step.action')}</label>
          <select id="action" name="action" @change=${(e: Event) => (this.action = (e.target as HTMLSelectElement).value)}>
            ${s.possibleActions.map((x) => html`<option value=${x} ?selected=${x === a}>${t(`st.action.${x}`)}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="date">${t('st.step.date')}</label>
          <input id="date" name="date" type="date" .value=${todayIso()} aria-invalid=${this.stepErrors.date ? 'true' : 'false'} />
          ${fieldError(this.stepErrors, 'date')}
        </div>
        ${NEEDS_LEVEL.has(a)
          ? html`<div class="field">
                <label for="level">${t('st.field.level')}</label>
                <select id="level" name="level" aria-invalid=${this.stepErrors.level ? 'true' : 'false'}>
                  ${a === 'reconfirm' ? html`<option value="">${t('st.step.keepLevel', { level: levelLabel(s.level) })}</option>` : nothing}
                  ${LEVELS.map((l) => html`<option value=${l} ?selected=${a === 'recognise' && l === 'county'}>${levelLabel(l)}</option>`)}
                </select>
                ${fieldError(this.stepErrors, 'level')}
              </div>
              <div class="field">
                <label for="term">${t('st.step.termYears')}</label>
                <input id="term" name="termYears" type="number" min="1" max="10" placeholder=${String(s.rule.termYears)} />
                ${fieldError(this.stepErrors, 'termYears')}
              </div>`
          : nothing}
        ${a === 'delist'
          ? html`<div class="field">
              <label for="ban">${t('st.step.banYears')}</label>
              <input id="ban" name="banYears" type="number" min="0" max="20" placeholder=${String(s.rule.reapplyBanYears)} />
              ${fieldError(this.stepErrors, 'banYears')}
            </div>`
          : nothing}
        ${a !== 'withdraw'
          ? html`<div class="field">
              <label for="by">${t('st.step.decidedByName')}</label>
              <input id="by" name="decidedByName" maxlength="200" placeholder=${t('st.step.decidedByHint')} />
            </div>`
          : nothing}
      </div>
      <div class="field">
        <label for="note">${t('st.step.note')}</label>
        <textarea id="note" name="note" maxlength="2000"></textarea>
      </div>
      ${a !== 'withdraw' ? html`<div class="checks"><label><input type="checkbox" name="joint" />${t('st.step.joint')}</label></div>` : nothing}
      <div class="actions"><button class="primary" type="submit" ?disabled=${this.busy}>${t('st.step.submit')}</button></div>
    </form>`;
  }

  override render() {
    if (this.error) return html`${errorBanner(this.error)}<p><a href="/studios">← ${t('st.nav.registry')}</a></p>`;
    const s = this.studio;
    if (!s) return html`<p class="empty">${t('app.loading')}</p>`;
    return html`
      <p style="margin:0 0 4px"><a href="/studios">← ${t('st.nav.registry')}</a></p>
      <div class="head">
        <h1 style="margin:0" data-testid="studio-name">${s.name}</h1>
        ${levelBadge(s.level)} ${statusBadge(s.status)}
        <span class="badge">${kindLabel(s.kind)}</span>
      </div>
      <p class="muted" style="margin:4px 0 16px">${s.host.name}${s.area ? ` · ${s.area.name}` : ''} · ${t(`st.line.${s.line}`)}</p>
      ${s.status === 'delisted' && s.bannedUntil
        ? html`<div class="banner error-banner" data-testid="ban-banner">${t('st.banNotice', { date: s.bannedUntil, body: t(`st.body.${s.line}`) })}</div>`
        : nothing}
      <div class="layout">
        <section class="card">
          <h2>${t('st.detail.info')}</h2>
          <dl>
            <dt>${t('st.field.leader')}</dt>
            <dd>
              <strong>${s.leader.name}</strong> · ${skillLabel(s.leaderSkillLevel)}
              ${s.leaderHonours.length ? html`<div class="chips" style="margin-top:4px">${s.leaderHonours.map((h) => html`<span class="badge">${honourLabel(h)}</span>`)}</div>` : nothing}
              <div class="small ${s.leaderEligibility.ok ? 'muted' : 'error'}">
                ${s.leaderEligibility.ok ? t('st.detail.leaderOk', { rule: s.leaderEligibility.satisfiedBy ?? '' }) : s.leaderEligibility.reasons.join('；')}
              </div>
            </dd>
            <dt>${t('st.field.field')}</dt>
            <dd>${s.field || '—'}</dd>
            <dt>${t('st.field.siteArea')}</dt>
            <dd>${s.siteAreaM2 ? `${s.siteAreaM2} ㎡` : '—'}</dd>
            <dt>${t('st.field.foundedOn')}</dt>
            <dd>${s.foundedOn ?? '—'}</dd>
            <dt>${t('st.field.functions')}</dt>
            <dd><div class="chips">${s.functions.map((f) => html`<span class="badge info">${t(`st.function.${f}`)}</span>`)}</div></dd>
            <dt>${t('st.field.recognisedOn')}</dt>
            <dd>${s.recognisedOn ?? '—'}</dd>
            <dt>${t('st.field.term')}</dt>
            <dd>
              ${s.termStartsOn && s.termEndsOn && !['delisted', 'rejected', 'withdrawn'].includes(s.status) ? `${s.termStartsOn} ~ ${s.termEndsOn}` : '—'}
              ${s.termStatus !== 'not_recognised' ? html`<span class="badge ${s.termStatus === 'in_term' ? 'ok' : 'warn'}">${t(`st.term.${s.termStatus}`)}</span>` : nothing}
            </dd>
          </dl>
          ${s.description ? html`<p>${s.description}</p>` : nothing}
        </section>
        <section class="card" data-testid="steps">
          <h2>${t('st.detail.steps')}</h2>
          <ol class="timeline">
            ${[...s.steps].reverse().map(
              (step) => html`<li class=${step.action}>
                <div class="when">${step.date} · ${step.decidedBy.name || t(`st.body.${step.decidedBy.body}`)}${step.decidedBy.body === 'joint' && !step.decidedBy.name.includes('、') ? `（${t('st.body.joint')}）` : ''}</div>
                <div class="decision">${step.decision}</div>
                <div class="small muted">
                  ${step.from ? `${statusLabel(step.from)} → ` : ''}${statusLabel(step.to)}${step.termEndsOn && (step.action === 'recognise' || step.action === 'reconfirm') ? ` · ${t('st.validUntil', { date: step.termEndsOn })}` : ''}
                </div>
                ${step.bannedUntil && step.action === 'delist' ? html`<div class="ban small">${t('st.bannedUntil', { date: step.bannedUntil })}</div>` : nothing}
                ${step.note ? html`<div class="small">${step.note}</div>` : nothing}
              </li>`,
            )}
          </ol>
          ${this.renderDecisionForm(s)}
        </section>
      </div>
      <sc-studio-records .studio=${s} style="margin-top:16px"></sc-studio-records>
    `;
  }
}
