import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';
import './studio-charts.ts';
import {
  errorBanner,
  fieldError,
  fieldErrorsOf,
  revealAlert,
  fmt,
  formValues,
  skillLabel,
  StudioChangedEvent,
  studioStyles,
  todayIso,
  yuan,
  type PersonChoice,
  type StudioAchievementRecord,
  type StudioDetail,
} from './studios-shared.ts';

const TYPES = ['innovation_result', 'patent', 'technical_breakthrough', 'five_smalls', 'economic_benefit', 'apprentices'] as const;
const FUNDING_KINDS = ['new_studio', 'reconfirmation', 'annual', 'project', 'other'] as const;

/**
 * A studio's yearly figures and the records behind them (results, patents, breakthroughs, five
 * smalls, benefit, apprentices), its members and its funding, each with a form for those who
 * manage the studio. Fires StudioChangedEvent after a change so the page reloads the studio.
 */
@customElement('sc-studio-records')
export class StudioRecords extends LitElement {
  static override styles = [
    sharedStyles,
    studioStyles,
    css`
      .layout {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
        gap: 16px;
        align-items: start;
        margin-top: 16px;
      }
      @media (max-width: 900px) {
        .layout {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      ul.records {
        list-style: none;
        padding: 0;
        margin: 0;
        max-height: 420px;
        overflow-y: auto;
      }
      ul.records li {
        display: flex;
        gap: 8px;
        align-items: center;
        border-bottom: 1px solid var(--sc-line);
        padding: 4px 0;
        min-height: 44px;
      }
      ul.records li .what {
        flex: 1;
        min-width: 0;
        overflow-wrap: anywhere;
      }
      button.small {
        min-height: 44px;
        padding: 0 10px;
        font-size: 14px;
      }
      details > summary {
        cursor: pointer;
        min-height: 44px;
        display: flex;
        align-items: center;
        color: var(--sc-focus);
      }
    `,
  ];
  private readonly locale = new LocaleController(this);

  @property({ attribute: false }) studio!: StudioDetail;
  @state() private achievements: StudioAchievementRecord[] = [];
  @state() private people: PersonChoice[] = [];
  @state() private type: (typeof TYPES)[number] = 'innovation_result';
  @state() private error: unknown = null;
  @state() private errors: Record<string, string> = {};
  @state() private section = '';

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('studio') && this.studio && (changed.get('studio') as StudioDetail | undefined)?.id !== this.studio.id) void this.load();
  }

  private async load() {
    this.achievements = await api<StudioAchievementRecord[]>('GET', `/api/studios/${this.studio.id}/achievements`).catch(() => []);
    if (this.studio.canManage) this.people = await api<PersonChoice[]>('GET', `/api/studio-lookups/people?employerId=${this.studio.host.id}`).catch(() => []);
  }

  private async send(section: string, method: string, path: string, body?: unknown, form?: HTMLFormElement) {
    if (method === 'DELETE' && !confirm(t('st.confirm.delete'))) return;
    this.section = section;
    this.error = null;
    this.errors = {};
    try {
      await api(method, path, body);
      form?.reset();
      this.type = 'innovation_result';
      await this.load();
      this.dispatchEvent(new StudioChangedEvent());
    } catch (err) {
      this.error = err;
      this.errors = fieldErrorsOf(err);
      void revealAlert(this);
    }
  }

  private addAchievement(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const v = formValues(form);
    const body: Record<string, unknown> = { type: v.type, year: Number(v.year), title: v.title ?? '', personId: v.personId ? Number(v.personId) : null, achievedOn: v.achievedOn || null };
    if (['innovation_result', 'patent', 'technical_breakthrough', 'five_smalls'].includes(v.type!)) body.count = Number(v.count || 1);
    if (v.type === 'patent') Object.assign(body, { patentKind: v.patentKind, patentNumber: v.patentNumber || null });
    if (v.type === 'economic_benefit') body.amountYuan = Number(v.amountYuan);
    if (v.type === 'apprentices') Object.assign(body, { trained: Number(v.trained), promoted: Number(v.promoted || 0) });
    void this.send('achievement', 'POST', `/api/studios/${this.studio.id}/achievements`, body, form);
  }

  private describe(a: StudioAchievementRecord): string {
    switch (a.type) {
      case 'patent':
        return `${t(`st.patent.${a.patentKind}`)}${a.count && a.count > 1 ? ` ×${a.count}` : ''}${a.title ? `：${a.title}` : ''}${a.patentNumber ? `（${a.patentNumber}）` : ''}`;
      case 'economic_benefit':
        return `${yuan(a.amountYuan ?? 0)}${a.title ? ` · ${a.title}` : ''}`;
      case 'apprentices':
        return t('st.ach.apprenticesText', { trained: a.trained ?? 0, promoted: a.promoted ?? 0 });
      default:
        return `${a.title || t(`st.ach.${a.type}`)}${a.count && a.count > 1 ? ` ×${a.count}` : ''}`;
    }
  }

  private renderFigures() {
    const years = this.studio.figuresByYear;
    if (years.length === 0) return html`<p class="empty">${t('st.ach.none')}</p>`;
    const cats = years.map((y) => String(y.year));
    return html`
      <sc-column-chart
        .label=${t('st.chart.resultsPatents')}
        .categories=${cats}
        .series=${[
          { name: t('st.fig.results'), color: '#2f6fec', values: years.map((y) => y.figures.innovationResults) },
          { name: t('st.fig.patents'), color: '#c8102e', values: years.map((y) => y.figures.patents.total) },
          { name: t('st.fig.breakthroughs'), color: '#e0a100', values: years.map((y) => y.figures.technicalBreakthroughs) },
        ]}
        height="200"
      ></sc-column-chart>
      <div class="table-wrap" style="margin-top:8px">
        <table data-testid="figures">
          <thead>
            <tr>
              <th>${t('st.fig.year')}</th>
              <th class="num">${t('st.fig.results')}</th>
              <th class="num">${t('st.fig.patents')}</th>
              <th class="num hide-narrow">${t('st.fig.breakthroughs')}</th>
              <th class="num hide-narrow">${t('st.fig.fiveSmalls')}</th>
              <th class="num">${t('st.fig.benefit')}</th>
              <th class="num">${t('st.fig.apprentices')}</th>
            </tr>
          </thead>
          <tbody>
            ${[...years, { year: t('st.fig.total'), figures: this.studio.figuresTotal }].map(
              (y) => html`<tr>
                <td>${y.year}</td>
                <td class="num">${y.figures.innovationResults}</td>
                <td class="num" title=${`${t('st.patent.invention')} ${y.figures.patents.invention} / ${t('st.patent.utility_model')} ${y.figures.patents.utilityModel} / ${t('st.patent.design')} ${y.figures.patents.design}`}>
                  ${y.figures.patents.total}
                </td>
                <td class="num hide-narrow">${y.figures.technicalBreakthroughs}</td>
                <td class="num hide-narrow">${y.figures.fiveSmalls}</td>
                <td class="num">${yuan(y.figures.economicBenefitYuan)}</td>
                <td class="num">${y.figures.apprenticesTrained}（${y.figures.apprenticesPromoted}）</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    `;
  }

  private renderAchievementForm() {
    const ty = this.type;
    const err = this.section === 'achievement' ? this.errors : {};
    return html`<details ?open=${this.section === 'achievement' && !!this.error}>
      <summary>${t('st.ach.add')}</summary>
      ${this.section === 'achievement' ? errorBanner(this.error) : nothing}
      <form @submit=${this.addAchievement} data-testid="achievement-form" novalidate>
        <div class="grid3">
          <div class="field">
            <label for="a-type">${t('st.ach.type')}</label>
            <select id="a-type" name="type" @change=${(e: Event) => (this.type = (e.target as HTMLSelectElement).value as typeof ty)}>
              ${TYPES.map((x) => html`<option value=${x} ?selected=${x === ty}>${t(`st.ach.${x}`)}</option>`)}
            </select>
          </div>
          <div class="field">
            <label for="a-year">${t('st.fig.year')}</label>
            <input id="a-year" name="year" type="number" min="1949" max="2200" .value=${todayIso().slice(0, 4)} />
            ${fieldError(err, 'year')}
          </div>
          ${ty === 'patent'
            ? html`<div class="field">
                <label for="a-kind">${t('st.ach.patentKind')}</label>
                <select id="a-kind" name="patentKind">
                  ${['invention', 'utility_model', 'design'].map((k) => html`<option value=${k}>${t(`st.patent.${k}`)}</option>`)}
                </select>
              </div>`
            : nothing}
        </div>
        ${ty === 'economic_benefit'
          ? html`<div class="field">
              <label for="a-amount">${t('st.ach.amountYuan')}</label>
              <input id="a-amount" name="amountYuan" type="number" min="0" step="0.01" inputmode="decimal" />
              ${fieldError(err, 'amountYuan')}
            </div>`
          : ty === 'apprentices'
            ? html`<div class="grid2">
                <div class="field">
                  <label for="a-trained">${t('st.ach.trained')}</label>
                  <input id="a-trained" name="trained" type="number" min="0" step="1" />
                  ${fieldError(err, 'trained')}
                </div>
                <div class="field">
                  <label for="a-promoted">${t('st.ach.promoted')}</label>
                  <input id="a-promoted" name="promoted" type="number" min="0" step="1" />
                  ${fieldError(err, 'promoted')}
                </div>
              </div>`
            : html`<div class="grid2">
                <div class="field">
                  <label for="a-title">${t('st.ach.title')}</label>
                  <input id="a-title" name="title" maxlength="200" />
                  ${fieldError(err, 'title')}
                </div>
                <div class="field">
                  <label for="a-count">${t('st.ach.count')}</label>
                  <input id="a-count" name="count" type="number" min="1" step="1" value="1" />
                </div>
                ${ty === 'patent'
                  ? html`<div class="field">
                      <label for="a-number">${t('st.ach.patentNumber')}</label>
                      <input id="a-number" name="patentNumber" maxlength="40" placeholder="ZL2025…" />
                    </div>`
                  : nothing}
                <div class="field">
                  <label for="a-person">${t('st.ach.person')}</label>
                  <select id="a-person" name="personId">
                    <option value="">${t('st.ach.wholeStudio')}</option>
                    <option value=${this.studio.leader.id}>${this.studio.leader.name}</option>
                    ${this.studio.members.map((m) => html`<option value=${m.person.id}>${m.person.name}</option>`)}
                  </select>
                  ${fieldError(err, 'personId')}
                </div>
                <div class="field">
                  <label for="a-date">${t('st.ach.date')}</label>
                  <input id="a-date" name="achievedOn" type="date" />
                  ${fieldError(err, 'achievedOn')}
                </div>
              </div>`}
        <div class="actions"><button class="primary" type="submit">${t('st.save')}</button></div>
      </form>
    </details>`;
  }

  override render() {
    const s = this.studio;
    if (!s) return nothing;
    const manage = s.canManage;
    const memberCandidates = this.people.filter((p) => p.id !== s.leader.id && !s.members.some((m) => m.person.id === p.id));
    return html`
      <section class="card">
        <h2>${t('st.detail.figures')}</h2>
        ${this.renderFigures()}
      </section>
      <div class="layout">
        <section class="card">
          <h2>${t('st.detail.achievements')}（${this.achievements.length}）</h2>
          <ul class="records" data-testid="achievements">
            ${[...this.achievements].reverse().map(
              (a) => html`<li>
                <span class="badge">${a.year}</span>
                <span class="what"><span class="muted small">${t(`st.ach.${a.type}`)}</span> ${this.describe(a)}${a.person ? html` <span class="muted small">· ${a.person.name}</span>` : nothing}</span>
                ${manage
                  ? html`<button class="small" aria-label=${t('st.delete')} @click=${() => this.send('achievement', 'DELETE', `/api/studios/${s.id}/achievements/${a.id}`)}>✕</button>`
                  : nothing}
              </li>`,
            )}
          </ul>
          ${manage ? this.renderAchievementForm() : nothing}
        </section>
        <div class="stack">
          <section class="card">
            <h2>${t('st.detail.members')}（${s.members.length + 1}）</h2>
            <ul class="records">
              <li><span class="what"><strong>${s.leader.name}</strong> <span class="muted small">· ${t('st.role.leader')} · ${skillLabel(s.leaderSkillLevel)}</span></span></li>
              ${s.members.map(
                (m) => html`<li>
                  <span class="what">${m.person.name} <span class="muted small">· ${t(`st.role.${m.role}`)} · ${skillLabel(m.skillLevel)}${m.employer && m.employer.id !== s.host.id ? ` · ${m.employer.name}` : ''}</span></span>
                  ${manage ? html`<button class="small" aria-label=${t('st.delete')} @click=${() => this.send('member', 'DELETE', `/api/studios/${s.id}/members/${m.id}`)}>✕</button>` : nothing}
                </li>`,
              )}
            </ul>
            ${manage && memberCandidates.length > 0
              ? html`<form
                  class="row"
                  style="margin-top:8px"
                  @submit=${(e: SubmitEvent) => {
                    e.preventDefault();
                    const v = formValues(e.target as HTMLFormElement);
                    void this.send('member', 'POST', `/api/studios/${s.id}/members`, { personId: Number(v.personId), role: v.role, joinedOn: todayIso() }, e.target as HTMLFormElement);
                  }}
                >
                  <select name="personId" aria-label=${t('st.detail.addMember')} style="flex:1;min-width:140px">
                    ${memberCandidates.map((p) => html`<option value=${p.id}>${p.name} · ${skillLabel(p.skillLevel)}</option>`)}
                  </select>
                  <select name="role" aria-label=${t('st.role.label')}>
                    ${['core', 'member', 'apprentice'].map((r) => html`<option value=${r}>${t(`st.role.${r}`)}</option>`)}
                  </select>
                  <button type="submit">${t('st.detail.addMember')}</button>
                </form>
                ${this.section === 'member' ? errorBanner(this.error) : nothing}`
              : nothing}
          </section>
          <section class="card" data-testid="funding">
            <h2>${t('st.detail.funding')} · ${yuan(s.fundingTotalYuan)}</h2>
            ${s.funding.length === 0
              ? html`<p class="empty">${t('st.funding.none')}</p>`
              : html`<table>
                  <tbody>
                    ${s.funding.map(
                      (f) => html`<tr>
                        <td>${f.year}</td>
                        <td>${t(`st.funding.${f.kind}`)}<div class="muted small">${f.source}${f.receivedOn ? ` · ${f.receivedOn}` : ''}</div></td>
                        <td class="num">${fmt(f.amountYuan)}</td>
                        ${manage
                          ? html`<td style="width:1%"><button class="small" aria-label=${t('st.delete')} @click=${() => this.send('funding', 'DELETE', `/api/studios/${s.id}/funding/${f.id}`)}>✕</button></td>`
                          : nothing}
                      </tr>`,
                    )}
                  </tbody>
                </table>`}
            ${manage
              ? html`<details ?open=${this.section === 'funding' && !!this.error}>
                  <summary>${t('st.funding.add')}</summary>
                  ${this.section === 'funding' ? errorBanner(this.error) : nothing}
                  <form
                    novalidate
                    @submit=${(e: SubmitEvent) => {
                      e.preventDefault();
                      const v = formValues(e.target as HTMLFormElement);
                      void this.send(
                        'funding',
                        'POST',
                        `/api/studios/${s.id}/funding`,
                        { year: Number(v.year), kind: v.kind, amountYuan: Number(v.amountYuan), source: v.source ?? '', receivedOn: v.receivedOn || null },
                        e.target as HTMLFormElement,
                      );
                    }}
                  >
                    <div class="grid2">
                      <div class="field">
                        <label for="f-year">${t('st.fig.year')}</label>
                        <input id="f-year" name="year" type="number" .value=${todayIso().slice(0, 4)} />
                      </div>
                      <div class="field">
                        <label for="f-kind">${t('st.funding.kind')}</label>
                        <select id="f-kind" name="kind">${FUNDING_KINDS.map((k) => html`<option value=${k}>${t(`st.funding.${k}`)}</option>`)}</select>
                      </div>
                      <div class="field">
                        <label for="f-amount">${t('st.funding.amount')}</label>
                        <input id="f-amount" name="amountYuan" type="number" min="0" step="0.01" inputmode="decimal" />
                        ${this.section === 'funding' ? fieldError(this.errors, 'amountYuan') : nothing}
                      </div>
                      <div class="field">
                        <label for="f-source">${t('st.funding.source')}</label>
                        <input id="f-source" name="source" maxlength="200" placeholder="合肥市总工会" />
                        ${this.section === 'funding' ? fieldError(this.errors, 'source') : nothing}
                      </div>
                      <div class="field">
                        <label for="f-date">${t('st.funding.receivedOn')}</label>
                        <input id="f-date" name="receivedOn" type="date" />
                        ${this.section === 'funding' ? fieldError(this.errors, 'receivedOn') : nothing}
                      </div>
                    </div>
                    <div class="actions"><button class="primary" type="submit">${t('st.save')}</button></div>
                  </form>
                </details>`
              : nothing}
          </section>
        </div>
      </div>
    `;
  }
}
