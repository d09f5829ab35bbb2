import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { navigate } from '../../app/navigation.ts';
import { sharedStyles } from '../../styles/shared.ts';
import {
  errorBanner,
  fieldError,
  fieldErrorsOf,
  revealAlert,
  fmt,
  formValues,
  score,
  studioStyles,
  todayIso,
  UNION_ROLES,
  yuan,
  type CampaignDetail,
  type CampaignEntry,
  type CampaignSummary,
  type PersonChoice,
  type StudioSummary,
} from './studios-shared.ts';

const CATEGORIES = ['invention', 'creation', 'innovation', 'design', 'suggestion'] as const;
const CRITERIA = ['economic', 'social', 'safety', 'management'] as const;
const tierName = (tier: number) => t(`st.fs.tier.${tier}`) || `${tier}`;

/** "Five smalls" (五小) campaigns and the form to open one (Fushun's 8 / 15 / 22 as the example). */
@customElement('sc-five-smalls-list')
export class FiveSmallsList extends LitElement {
  static override styles = [sharedStyles, studioStyles];
  private readonly locale = new LocaleController(this);
  @property() staffRole = '';
  @state() private campaigns: CampaignSummary[] = [];
  @state() private error: unknown = null;
  @state() private errors: Record<string, string> = {};

  override connectedCallback(): void {
    super.connectedCallback();
    void api<CampaignSummary[]>('GET', '/api/five-smalls-campaigns')
      .then((c) => (this.campaigns = c))
      .catch((err) => (this.error = err));
  }

  private async create(e: SubmitEvent) {
    e.preventDefault();
    const v = formValues(e.target as HTMLFormElement);
    const numbers = (s: string | undefined) => (s ?? '').split(/[\s,，/、]+/).filter(Boolean).map(Number);
    this.error = null;
    this.errors = {};
    try {
      const created = await api<CampaignDetail>('POST', '/api/five-smalls-campaigns', {
        name: v.name,
        year: Number(v.year),
        screening: { completedFrom: v.completedFrom || null, completedTo: v.completedTo || null, maxEntriesPerSubmitter: v.maxPer ? Number(v.maxPer) : null },
        departments: (v.departments ?? '').split(/[\n,，、]+/).map((d) => d.trim()).filter(Boolean).map((name) => ({ name })),
        tiers: { counts: numbers(v.counts), prizeMoney: v.money ? numbers(v.money) : undefined },
      });
      navigate(`/studios/five-smalls/${created.id}`);
    } catch (err) {
      this.error = err;
      this.errors = fieldErrorsOf(err);
    }
  }

  override render() {
    const year = todayIso().slice(0, 4);
    return html`
      <h1>${t('st.fs.title')}</h1>
      ${this.campaigns.length === 0
        ? html`<p class="empty">${t('st.fs.none')}</p>`
        : html`<div class="card table-wrap" style="padding:0 8px">
            <table>
              <thead>
                <tr>
                  <th>${t('st.fs.name')}</th>
                  <th class="num">${t('st.fs.entries')}</th>
                  <th class="num">${t('st.fs.eligible')}</th>
                  <th class="num">${t('st.fs.awarded')}</th>
                  <th>${t('st.field.status')}</th>
                </tr>
              </thead>
              <tbody>
                ${this.campaigns.map(
                  (c) => html`<tr>
                    <td><a href="/studios/five-smalls/${c.id}">${c.name}</a><div class="muted small">${c.org.name}</div></td>
                    <td class="num">${c.entries}</td>
                    <td class="num">${c.eligible}</td>
                    <td class="num">${c.awarded}</td>
                    <td><span class="badge ${c.status === 'awarded' ? 'ok' : 'info'}">${t(`st.fs.status.${c.status}`)}</span></td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`}
      ${UNION_ROLES.includes(this.staffRole)
        ? html`<form class="card" style="margin-top:16px" @submit=${this.create} novalidate>
            <h2>${t('st.fs.new')}</h2>
            ${errorBanner(this.error)}
            <div class="grid3">
              <div class="field"><label for="c-name">${t('st.fs.name')}</label><input id="c-name" name="name" .value=${t('st.fs.defaultName', { year })} />${fieldError(this.errors, 'name')}</div>
              <div class="field"><label for="c-year">${t('st.fig.year')}</label><input id="c-year" name="year" type="number" .value=${year} /></div>
              <div class="field"><label for="c-max">${t('st.fs.maxPer')}</label><input id="c-max" name="maxPer" type="number" min="1" placeholder=${t('st.fs.noLimit')} /></div>
              <div class="field"><label for="c-from">${t('st.fs.completedFrom')}</label><input id="c-from" name="completedFrom" type="date" /></div>
              <div class="field"><label for="c-to">${t('st.fs.completedTo')}</label><input id="c-to" name="completedTo" type="date" />${fieldError(this.errors, 'screening.completedTo')}</div>
              <div class="field"><label for="c-counts">${t('st.fs.counts')}</label><input id="c-counts" name="counts" value="8, 15, 22" />${fieldError(this.errors, 'tiers.counts')}</div>
              <div class="field"><label for="c-money">${t('st.fs.money')}</label><input id="c-money" name="money" value="3000, 2000, 1000" />${fieldError(this.errors, 'tiers.prizeMoney')}</div>
            </div>
            <div class="field">
              <label for="c-depts">${t('st.fs.departments')}</label>
              <textarea id="c-depts" name="departments">${t('st.fs.defaultDepartments')}</textarea>
              ${fieldError(this.errors, 'departments')}
            </div>
            <div class="actions"><button class="primary" type="submit">${t('st.fs.create')}</button></div>
          </form>`
        : nothing}
    `;
  }
}

/**
 * One campaign: the tiers and prize money, the ranked eligible entries with each department's
 * score, the screened-out entries with their reasons, and for the union while it is open:
 * entries, screening by hand, department scores and awarding.
 */
@customElement('sc-five-smalls-campaign')
export class FiveSmallsCampaign extends LitElement {
  static override styles = [
    sharedStyles,
    studioStyles,
    css`
      .tier {
        display: inline-flex;
        align-items: center;
        justify-content: center;
        min-width: 4.5em;
        padding: 2px 8px;
        border-radius: 999px;
        font-size: 13px;
        font-weight: 600;
        white-space: nowrap;
      }
      .tier.t1 {
        background: #c8102e;
        color: #fff;
      }
      .tier.t2 {
        background: #f08a24;
        color: #fff;
      }
      .tier.t3 {
        background: #e0a100;
        color: #1c2430;
      }
      .tier-cards {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(180px, 1fr));
        gap: 12px;
        margin: 12px 0;
      }
      .tier-card {
        border-radius: 12px;
        padding: 12px 16px;
        color: #fff;
      }
      .tier-card.t1 {
        background: linear-gradient(135deg, #c8102e, #e0394f);
      }
      .tier-card.t2 {
        background: linear-gradient(135deg, #d9731a, #f0a04b);
      }
      .tier-card.t3 {
        background: linear-gradient(135deg, #b98500, #e0b100);
      }
      .tier-card .big {
        font-size: 28px;
        font-weight: 700;
      }
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
      td.title {
        min-width: 12em;
      }
      th.dept {
        white-space: normal;
        max-width: 7em;
      }
      button.small {
        min-height: 44px;
        padding: 0 10px;
        font-size: 14px;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @property({ type: Number }) campaignId = 0;
  @state() private c: CampaignDetail | null = null;
  @state() private people: PersonChoice[] = [];
  @state() private studios: StudioSummary[] = [];
  @state() private submitter: 'worker' | 'studio' = 'worker';
  @state() private error: unknown = null;
  @state() private actionError: unknown = null;
  @state() private actionErrors: Record<string, string> = {};
  @state() private section = '';
  @state() private showAll = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('campaignId')) void this.load();
  }

  private async load() {
    try {
      this.c = await api<CampaignDetail>('GET', `/api/five-smalls-campaigns/${this.campaignId}`);
    } catch (err) {
      this.error = err;
      return;
    }
    if (this.c.canManage && this.people.length === 0) {
      const [people, studios] = await Promise.all([
        api<PersonChoice[]>('GET', '/api/studio-lookups/people'),
        api<{ items: StudioSummary[] }>('GET', '/api/studios?status=recognised&pageSize=500'),
      ]).catch((): [PersonChoice[], { items: StudioSummary[] }] => [[], { items: [] }]);
      this.people = people;
      this.studios = studios.items;
    }
  }

  private async act(section: string, method: string, path: string, body?: unknown, form?: HTMLFormElement) {
    this.section = section;
    this.actionError = null;
    this.actionErrors = {};
    try {
      await api(method, path, body);
      form?.reset();
      await this.load();
    } catch (err) {
      this.actionError = err;
      this.actionErrors = fieldErrorsOf(err);
      void revealAlert(this);
    }
  }

  private row(e: CampaignEntry, c: CampaignDetail) {
    return html`<tr data-testid="entry-row">
      <td class="num"><strong>${e.rank ?? '—'}</strong>${e.sharedRank ? '=' : ''}</td>
      <td>${e.tier ? html`<span class="tier t${e.tier}">${tierName(e.tier)}</span>` : nothing}</td>
      <td class="title">${e.title}<div class="muted small">${t(`st.fs.category.${e.category}`)} · ${e.submitter.name}${e.employer && e.submitter.type === 'worker' ? ` · ${e.employer.name}` : ''}</div></td>
      ${c.departments.map((d) => html`<td class="num hide-narrow">${score(e.departmentScores.find((s) => s.departmentId === d.id)?.score ?? null)}</td>`)}
      <td class="num"><strong>${score(e.combined)}</strong></td>
      <td class="num">${e.prizeYuan ? fmt(e.prizeYuan) : ''}</td>
    </tr>`;
  }

  private renderManage(c: CampaignDetail) {
    if (!c.canManage) return nothing;
    const eligible = c.entryList.filter((e) => e.eligible);
    const err = (s: string) => (this.section === s ? this.actionErrors : {});
    return html`<div class="layout">
      <section class="card" data-testid="add-entry">
        <h2>${t('st.fs.addEntry')}</h2>
        ${this.section === 'entry' ? errorBanner(this.actionError) : nothing}
        <form
          novalidate
          @submit=${(e: SubmitEvent) => {
            e.preventDefault();
            const form = e.target as HTMLFormElement;
            const v = formValues(form);
            const submitter = this.submitter === 'worker' ? { type: 'worker', personId: Number(v.who) } : { type: 'studio', studioId: Number(v.who) };
            void this.act(
              'entry',
              'POST',
              `/api/five-smalls-campaigns/${c.id}/entries`,
              { category: v.category, title: v.title, submitter, completedOn: v.completedOn, implemented: v.implemented === 'on', previouslyAwarded: v.previouslyAwarded === 'on', summary: v.summary ?? '' },
              form,
            );
          }}
        >
          <div class="grid2">
            <div class="field"><label for="en-title">${t('st.fs.entryTitle')}</label><input id="en-title" name="title" maxlength="200" />${fieldError(err('entry'), 'title')}</div>
            <div class="field">
              <label for="en-cat">${t('st.fs.category')}</label>
              <select id="en-cat" name="category">${CATEGORIES.map((x) => html`<option value=${x}>${t(`st.fs.category.${x}`)}</option>`)}</select>
            </div>
            <div class="field">
              <label for="en-type">${t('st.fs.submitter')}</label>
              <select id="en-type" @change=${(e: Event) => (this.submitter = (e.target as HTMLSelectElement).value as 'worker' | 'studio')}>
                <option value="worker">${t('st.fs.worker')}</option>
                <option value="studio">${t('st.fs.studio')}</option>
              </select>
            </div>
            <div class="field">
              <label for="en-who">${this.submitter === 'worker' ? t('st.fs.worker') : t('st.fs.studio')}</label>
              <select id="en-who" name="who">
                ${this.submitter === 'worker'
                  ? this.people.map((p) => html`<option value=${p.id}>${p.name}${p.employer ? `（${p.employer.name}）` : ''}</option>`)
                  : this.studios.map((s) => html`<option value=${s.id}>${s.name}</option>`)}
              </select>
            </div>
            <div class="field"><label for="en-date">${t('st.fs.completedOn')}</label><input id="en-date" name="completedOn" type="date" />${fieldError(err('entry'), 'completedOn')}</div>
          </div>
          <div class="checks">
            <label><input type="checkbox" name="implemented" checked />${t('st.fs.implemented')}</label>
            <label><input type="checkbox" name="previouslyAwarded" />${t('st.fs.previouslyAwarded')}</label>
          </div>
          <div class="actions"><button class="primary" type="submit">${t('st.add')}</button></div>
        </form>
      </section>
      <section class="card" data-testid="score-entry">
        <h2>${t('st.fs.scoreEntry')}</h2>
        ${this.section === 'score' ? errorBanner(this.actionError) : nothing}
        <form
          novalidate
          @submit=${(e: SubmitEvent) => {
            e.preventDefault();
            const v = formValues(e.target as HTMLFormElement);
            const points = Object.fromEntries(CRITERIA.filter((k) => v[k] !== undefined && v[k] !== '').map((k) => [k, Number(v[k])]));
            void this.act('score', 'PUT', `/api/five-smalls-campaigns/${c.id}/scores`, { departmentId: Number(v.departmentId), entryId: Number(v.entryId), points });
          }}
        >
          <div class="grid2">
            <div class="field">
              <label for="sc-dept">${t('st.fs.department')}</label>
              <select id="sc-dept" name="departmentId">${c.departments.map((d) => html`<option value=${d.id}>${d.name}</option>`)}</select>
            </div>
            <div class="field">
              <label for="sc-entry">${t('st.fs.entry')}</label>
              <select id="sc-entry" name="entryId">${eligible.map((x) => html`<option value=${x.id}>${x.id} · ${x.title}</option>`)}</select>
              ${fieldError(err('score'), 'entryId')}
            </div>
          </div>
          <div class="grid2">
            ${CRITERIA.map(
              (k) => html`<div class="field">
                <label for=${`sc-${k}`}>${t(`st.fs.criterion.${k}`)}（0–${c.maxPoints}）</label>
                <input id=${`sc-${k}`} name=${k} type="number" min="0" max=${c.maxPoints} step="0.5" inputmode="decimal" />
                ${fieldError(err('score'), `points.${k}`)}
              </div>`,
            )}
          </div>
          <div class="actions"><button type="submit">${t('st.save')}</button></div>
        </form>
        <h3>${t('st.fs.award')}</h3>
        ${this.section === 'award' ? errorBanner(this.actionError) : nothing}
        <p class="muted small">${t('st.fs.awardHint', { ranked: c.ranked, eligible: c.eligible })}</p>
        <form
          class="row"
          @submit=${(e: SubmitEvent) => {
            e.preventDefault();
            if (confirm(t('st.confirm.award'))) void this.act('award', 'POST', `/api/five-smalls-campaigns/${c.id}/award`, { date: formValues(e.target as HTMLFormElement).date });
          }}
        >
          <input type="date" name="date" .value=${todayIso()} aria-label=${t('st.step.date')} />
          <button class="primary" type="submit" ?disabled=${c.ranked < c.eligible}>${t('st.fs.awardButton')}</button>
        </form>
      </section>
    </div>`;
  }

  override render() {
    if (this.error) return html`${errorBanner(this.error)}<p><a href="/studios/five-smalls">← ${t('st.nav.fiveSmalls')}</a></p>`;
    const c = this.c;
    if (!c) return html`<p class="empty">${t('app.loading')}</p>`;
    const eligible = c.entryList.filter((e) => e.eligible);
    const out = c.entryList.filter((e) => !e.eligible);
    const shown = this.showAll ? eligible : eligible.filter((e) => e.tier !== null || (e.rank !== null && e.rank <= c.awarded + 5) || e.rank === null);
    return html`
      <p style="margin:0 0 4px"><a href="/studios/five-smalls">← ${t('st.nav.fiveSmalls')}</a></p>
      <div class="row">
        <h1 style="margin:0" data-testid="campaign-name">${c.name}</h1>
        <span class="badge ${c.status === 'awarded' ? 'ok' : 'info'}">${t(`st.fs.status.${c.status}`)}${c.awardedOn ? ` · ${c.awardedOn}` : ''}</span>
        <span class="spacer"></span>
        <a class="btn" href="/api/five-smalls-campaigns/${c.id}/export" download data-testid="export-campaign">${t('st.exportXlsx')}</a>
      </div>
      <div class="tiles" style="margin-top:12px">
        <div class="tile"><div class="value">${c.entries}</div><div class="label">${t('st.fs.entries')}</div></div>
        <div class="tile"><div class="value">${c.eligible}</div><div class="label">${t('st.fs.eligible')}</div></div>
        <div class="tile"><div class="value">${c.entries - c.eligible}</div><div class="label">${t('st.fs.screenedOut')}</div></div>
        <div class="tile"><div class="value">${c.awarded}</div><div class="label">${t('st.fs.awardedShare', { pct: c.entries ? fmt(Math.round((c.awarded / c.entries) * 1000) / 10) : 0 })}</div></div>
        <div class="tile"><div class="value">${c.totalPrizeYuan === null ? '—' : yuan(c.totalPrizeYuan)}</div><div class="label">${t('st.fs.prizeTotal')}</div></div>
      </div>
      <div class="tier-cards" data-testid="tiers">
        ${c.tierSummary.map(
          (tier) => html`<div class="tier-card t${Math.min(tier.tier, 3)}">
            <div>${tierName(tier.tier)}</div>
            <div class="big">${tier.awarded}<span style="font-size:16px;font-weight:400"> / ${tier.planned}</span></div>
            <div class="small">${tier.prizeYuanEach === null ? '' : t('st.fs.eachYuan', { n: fmt(tier.prizeYuanEach) })}</div>
          </div>`,
        )}
      </div>
      ${this.actionError && this.section === 'exclude' ? errorBanner(this.actionError) : nothing}
      <section class="card" data-testid="ranking">
        <div class="row">
          <h2 style="margin:0">${t('st.fs.ranking')}</h2>
          <span class="spacer"></span>
          ${eligible.length > shown.length || this.showAll
            ? html`<button @click=${() => (this.showAll = !this.showAll)}>${this.showAll ? t('st.fs.showTop') : t('st.fs.showAll', { n: eligible.length })}</button>`
            : nothing}
        </div>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th class="num">${t('st.eval.rank')}</th>
                <th>${t('st.fs.prize')}</th>
                <th>${t('st.fs.entryTitle')}</th>
                ${c.departments.map((d) => html`<th class="num hide-narrow dept">${d.name}</th>`)}
                <th class="num">${t('st.eval.combined')}</th>
                <th class="num">${t('st.fs.prizeYuan')}</th>
              </tr>
            </thead>
            <tbody>
              ${shown.map((e) => this.row(e, c))}
            </tbody>
          </table>
        </div>
      </section>
      <section class="card" style="margin-top:16px" data-testid="screened-out">
        <h2>${t('st.fs.screenedOutList')}（${out.length}）</h2>
        ${out.length === 0
          ? html`<p class="empty">${t('st.fs.noneOut')}</p>`
          : html`<div class="table-wrap">
              <table>
                <tbody>
                  ${out.map(
                    (e) => html`<tr>
                      <td class="title">${e.title}<div class="muted small">${e.submitter.name}${e.employer ? ` · ${e.employer.name}` : ''}</div></td>
                      <td class="small">${e.reasons.map((r) => html`<div>${r.message}</div>`)}</td>
                      <td style="width:1%">
                        ${c.canManage && e.exclusionReason
                          ? html`<button class="small" @click=${() => this.act('exclude', 'PUT', `/api/five-smalls-campaigns/${c.id}/entries/${e.id}/exclusion`, { reason: null })}>${t('st.fs.readmit')}</button>`
                          : nothing}
                      </td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`}
        ${c.canManage
          ? html`<form
              class="row"
              style="margin-top:8px"
              @submit=${(e: SubmitEvent) => {
                e.preventDefault();
                const v = formValues(e.target as HTMLFormElement);
                void this.act('exclude', 'PUT', `/api/five-smalls-campaigns/${c.id}/entries/${v.entryId}/exclusion`, { reason: v.reason ?? '' }, e.target as HTMLFormElement);
              }}
            >
              <select name="entryId" aria-label=${t('st.fs.entry')} style="max-width:280px">
                ${eligible.map((x) => html`<option value=${x.id}>${x.id} · ${x.title}</option>`)}
              </select>
              <input name="reason" placeholder=${t('st.fs.reason')} style="flex:1;min-width:160px" aria-label=${t('st.fs.reason')} />
              <button type="submit">${t('st.fs.exclude')}</button>
            </form>
            ${this.section === 'exclude' ? fieldError(this.actionErrors, 'reason') : nothing}`
          : nothing}
      </section>
      ${this.renderManage(c)}
    `;
  }
}
