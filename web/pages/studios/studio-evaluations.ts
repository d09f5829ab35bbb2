import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { navigate } from '../../app/navigation.ts';
import { sharedStyles } from '../../styles/shared.ts';
import type { IndicatorSheet } from '../../../server/contracts/studios.ts';
import {
  errorBanner,
  fieldError,
  fieldErrorsOf,
  revealAlert,
  fmt,
  formValues,
  kindLabel,
  LEVELS,
  levelLabel,
  score,
  statusBadge,
  studioStyles,
  todayIso,
  type EvaluationDetail,
  type EvaluationSummary,
  type HostChoice,
  type IndicatorSheetRecord,
  type MySheet,
  type ReviewerChoice,
  type StudioSummary,
} from './studios-shared.ts';

const MANAGERS = ['admin', 'organiser', 'studio_officer', 'hr_officer'];

/** The joint evaluation rounds (联合绩效评估) and the form to open one. */
@customElement('sc-studio-evaluations')
export class StudioEvaluations extends LitElement {
  static override styles = [sharedStyles, studioStyles];
  private readonly locale = new LocaleController(this);
  @property() staffRole = '';
  @state() private rounds: EvaluationSummary[] = [];
  @state() private sheets: { preset: IndicatorSheet; items: IndicatorSheetRecord[] } | null = null;
  @state() private error: unknown = null;
  @state() private errors: Record<string, string> = {};

  override connectedCallback(): void {
    super.connectedCallback();
    void api<EvaluationSummary[]>('GET', '/api/studio-evaluations')
      .then((r) => (this.rounds = r))
      .catch((err) => (this.error = err));
    void api<{ preset: IndicatorSheet; items: IndicatorSheetRecord[] }>('GET', '/api/studio-indicator-sheets').then((s) => (this.sheets = s)).catch(() => undefined);
  }

  private async create(e: SubmitEvent) {
    e.preventDefault();
    const v = formValues(e.target as HTMLFormElement);
    this.error = null;
    this.errors = {};
    try {
      const round = await api<EvaluationDetail>('POST', '/api/studio-evaluations', {
        name: v.name,
        year: Number(v.year),
        ...(v.sheetId ? { sheetId: Number(v.sheetId) } : {}),
        unionWeight: Number(v.unionWeight),
        hrWeight: Number(v.hrWeight),
        threshold: Number(v.threshold),
      });
      navigate(`/studios/evaluations/${round.id}`);
    } catch (err) {
      this.error = err;
      this.errors = fieldErrorsOf(err);
    }
  }

  override render() {
    return html`
      <h1>${t('st.eval.title')}</h1>
      <p class="muted">${t('st.eval.hint')}</p>
      ${this.rounds.length === 0
        ? html`<p class="empty">${t('st.eval.none')}</p>`
        : html`<div class="card table-wrap" style="padding:0 8px">
            <table>
              <thead>
                <tr>
                  <th>${t('st.eval.name')}</th>
                  <th class="num">${t('st.eval.applicants')}</th>
                  <th class="num hide-narrow">${t('st.eval.reviewers')}</th>
                  <th>${t('st.eval.weights')}</th>
                  <th class="num">${t('st.eval.threshold')}</th>
                  <th>${t('st.field.status')}</th>
                </tr>
              </thead>
              <tbody>
                ${this.rounds.map(
                  (r) => html`<tr>
                    <td><a href="/studios/evaluations/${r.id}">${r.name}</a><div class="muted small">${r.org.name}</div></td>
                    <td class="num">${r.applicantCount}</td>
                    <td class="num hide-narrow">${r.reviewerCount}</td>
                    <td class="small">${t('st.eval.weightsText', { union: fmt(r.unionWeight), hr: fmt(r.hrWeight) })}</td>
                    <td class="num">${fmt(r.threshold)}</td>
                    <td><span class="badge ${r.status === 'open' ? 'info' : ''}">${t(`st.eval.status.${r.status}`)}</span></td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`}
      ${MANAGERS.includes(this.staffRole)
        ? html`<form class="card" style="margin-top:16px" @submit=${this.create} novalidate>
            <h2>${t('st.eval.new')}</h2>
            ${errorBanner(this.error)}
            <div class="grid3">
              <div class="field">
                <label for="e-name">${t('st.eval.name')}</label>
                <input id="e-name" name="name" maxlength="200" .value=${t('st.eval.defaultName', { year: todayIso().slice(0, 4) })} />
                ${fieldError(this.errors, 'name')}
              </div>
              <div class="field">
                <label for="e-year">${t('st.fig.year')}</label>
                <input id="e-year" name="year" type="number" .value=${todayIso().slice(0, 4)} />
              </div>
              <div class="field">
                <label for="e-sheet">${t('st.eval.sheet')}</label>
                <select id="e-sheet" name="sheetId">
                  <option value="">${t('st.eval.presetSheet', { n: this.sheets?.preset.items.length ?? 7 })}</option>
                  ${(this.sheets?.items ?? []).map((s) => html`<option value=${s.id}>${s.name}（${s.org.name}）</option>`)}
                </select>
              </div>
              <div class="field">
                <label for="e-uw">${t('st.eval.unionWeight')}</label>
                <input id="e-uw" name="unionWeight" type="number" min="0" max="100" value="60" />
                ${fieldError(this.errors, 'unionWeight')}
              </div>
              <div class="field">
                <label for="e-hw">${t('st.eval.hrWeight')}</label>
                <input id="e-hw" name="hrWeight" type="number" min="0" max="100" value="40" />
                ${fieldError(this.errors, 'hrWeight')}
              </div>
              <div class="field">
                <label for="e-th">${t('st.eval.threshold')}</label>
                <input id="e-th" name="threshold" type="number" min="0" step="0.01" value="80" />
                ${fieldError(this.errors, 'threshold')}
              </div>
            </div>
            <div class="actions"><button class="primary" type="submit">${t('st.eval.create')}</button></div>
          </form>`
        : nothing}
    `;
  }
}

/**
 * One round: the ranked list (combined scores against the threshold), the panel with each
 * reviewer's employer and who stands aside (回避), the signed-in reviewer's scoring sheet, and
 * for those running it: applicants, reviewers, weights and closing.
 */
@customElement('sc-studio-evaluation')
export class StudioEvaluation extends LitElement {
  static override styles = [
    sharedStyles,
    studioStyles,
    css`
      .score-bar {
        position: relative;
        height: 10px;
        background: #eef1f5;
        border-radius: 5px;
        margin-top: 4px;
        min-width: 80px;
      }
      .score-bar .fill {
        position: absolute;
        inset: 0 auto 0 0;
        border-radius: 5px;
        background: #2f6fec;
      }
      .score-bar .fill.passed {
        background: var(--sc-ok);
      }
      .score-bar .mark {
        position: absolute;
        top: -4px;
        bottom: -4px;
        width: 2px;
        background: var(--sc-danger);
      }
      .rank {
        font-size: 20px;
        font-weight: 700;
        text-align: center;
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
      .sheet-items {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(150px, 1fr));
        gap: 0 12px;
      }
      .applicant {
        border-top: 1px solid var(--sc-line);
        padding-top: 8px;
        margin-top: 8px;
      }
      tr.failed td {
        color: var(--sc-muted);
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @property({ type: Number }) evaluationId = 0;
  @state() private round: EvaluationDetail | null = null;
  @state() private sheet: MySheet | null = null;
  @state() private candidates: StudioSummary[] = [];
  @state() private accounts: ReviewerChoice[] = [];
  @state() private hosts: HostChoice[] = [];
  @state() private error: unknown = null;
  @state() private actionError: unknown = null;
  @state() private actionErrors: Record<string, string> = {};
  @state() private saved = '';
  /** The applicant whose sheet was last sent (its field errors are shown under it). */
  @state() private sheetStudio = 0;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('evaluationId')) void this.load();
  }

  private async load() {
    try {
      this.round = await api<EvaluationDetail>('GET', `/api/studio-evaluations/${this.evaluationId}`);
      this.error = null;
    } catch (err) {
      this.error = err;
      return;
    }
    if (this.round.me) this.sheet = await api<MySheet>('GET', `/api/studio-evaluations/${this.evaluationId}/my-sheet`).catch(() => null);
    if (this.round.canManage) {
      const [applied, evaluating, accounts, hosts] = await Promise.all([
        api<{ items: StudioSummary[] }>('GET', '/api/studios?status=applied&pageSize=500'),
        api<{ items: StudioSummary[] }>('GET', '/api/studios?status=under_evaluation&pageSize=500'),
        api<ReviewerChoice[]>('GET', '/api/studio-lookups/accounts'),
        api<HostChoice[]>('GET', '/api/studio-lookups/hosts'),
      ]).catch((): [{ items: StudioSummary[] }, { items: StudioSummary[] }, ReviewerChoice[], HostChoice[]] => [{ items: [] }, { items: [] }, [], []]);
      const inRound = new Set(this.round.ranking.map((r) => r.studio.id));
      this.candidates = [...applied.items, ...evaluating.items].filter((s) => !inRound.has(s.id));
      const seated = new Set(this.round.reviewers.map((r) => r.account.id));
      this.accounts = accounts.filter((a) => !seated.has(a.id));
      this.hosts = hosts;
    }
  }

  private async act(method: string, path: string, body?: unknown) {
    this.actionError = null;
    this.actionErrors = {};
    this.saved = '';
    try {
      await api(method, path, body);
      await this.load();
      return true;
    } catch (err) {
      this.actionError = err;
      this.actionErrors = fieldErrorsOf(err);
      void revealAlert(this);
      return false;
    }
  }

  private async saveSheet(e: SubmitEvent, studioId: number) {
    e.preventDefault();
    const v = formValues(e.target as HTMLFormElement);
    const items = Object.entries(v)
      .filter(([, value]) => value !== '')
      .map(([itemId, points]) => ({ itemId, points: Number(points) }));
    this.sheetStudio = studioId;
    if (await this.act('PUT', `/api/studio-evaluations/${this.evaluationId}/scores`, { studioId, items })) this.saved = String(studioId);
  }

  private renderRanking(r: EvaluationDetail) {
    const scale = Math.max(100, ...r.ranking.map((x) => x.combined ?? 0));
    return html`<section class="card" data-testid="ranking">
      <h2>${t('st.eval.ranking')}</h2>
      ${r.ranking.length === 0
        ? html`<p class="empty">${t('st.eval.noApplicants')}</p>`
        : html`<div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th style="width:3em">${t('st.eval.rank')}</th>
                  <th>${t('st.field.name')}</th>
                  <th class="num">${t('st.eval.union')}</th>
                  <th class="num">${t('st.eval.hr')}</th>
                  <th class="num" style="min-width:120px">${t('st.eval.combined')}</th>
                  <th>${t('st.eval.result')}</th>
                </tr>
              </thead>
              <tbody>
                ${r.ranking.map(
                  (row) => html`<tr class=${row.passed ? 'passed' : 'failed'} data-testid="ranking-row">
                    <td class="rank">${row.rank ?? '—'}${row.sharedRank ? '=' : ''}</td>
                    <td>
                      <a href="/studios/${row.studio.id}">${row.studio.name}</a>
                      <div class="muted small">${kindLabel(row.kind)} · ${row.host.name}</div>
                    </td>
                    <td class="num">${score(row.union.score)}<div class="muted small">${t('st.eval.sheets', { n: row.union.sheets, of: row.expectedSheets.union })}</div></td>
                    <td class="num">${score(row.hrBureau.score)}<div class="muted small">${t('st.eval.sheets', { n: row.hrBureau.sheets, of: row.expectedSheets.hrBureau })}</div></td>
                    <td class="num">
                      <strong style="font-size:18px">${score(row.combined)}</strong>
                      <div class="score-bar" role="presentation">
                        <span class="fill ${row.passed ? 'passed' : ''}" style="width:${((row.combined ?? 0) / scale) * 100}%"></span>
                        <span class="mark" style="left:${(r.threshold / scale) * 100}%"></span>
                      </div>
                    </td>
                    <td>
                      ${row.combined === null
                        ? html`<span class="badge">${t('st.eval.pending')}</span>`
                        : html`<span class="badge ${row.passed ? 'ok' : 'danger'}">${row.passed ? t('st.eval.passed') : t('st.eval.failed')}</span>`}
                      <div style="margin-top:2px">${statusBadge(row.status)}</div>
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`}
    </section>`;
  }

  private renderPanel(r: EvaluationDetail) {
    const names = new Map(r.ranking.map((x) => [x.studio.id, x.studio.name]));
    return html`<section class="card" data-testid="panel">
      <h2>${t('st.eval.panel')}</h2>
      ${(['union', 'hr_bureau'] as const).map(
        (body) => html`<h3>${t(`st.body.${body}`)}</h3>
          <ul style="list-style:none;padding:0;margin:0">
            ${r.reviewers
              .filter((x) => x.body === body)
              .map(
                (x) => html`<li style="min-height:44px;border-bottom:1px solid var(--sc-line);padding:4px 0">
                  <div class="row">
                    <strong>${x.account.displayName}</strong>
                    <span class="muted small">${x.employer ? x.employer.name : t('st.eval.noEmployer')}</span>
                    <span class="spacer"></span>
                    <span class="small">${t('st.eval.sheetsDone', { n: x.completeSheets })}</span>
                    ${r.canManage && x.completeSheets === 0
                      ? html`<button @click=${() => this.act('DELETE', `/api/studio-evaluations/${r.id}/reviewers/${x.id}`)}>${t('st.remove')}</button>`
                      : nothing}
                  </div>
                  ${x.conflictStudioIds.length
                    ? html`<div class="small" style="color:var(--sc-warn)">${t('st.eval.recusal', { studios: x.conflictStudioIds.map((id) => names.get(id) ?? id).join('、') })}</div>`
                    : nothing}
                </li>`,
              )}
          </ul>`,
      )}
    </section>`;
  }

  private renderMySheet() {
    const s = this.sheet;
    if (!s) return nothing;
    return html`<section class="card" data-testid="my-sheet">
      <h2>${t('st.eval.mySheet', { body: t(`st.body.${s.reviewer.body}`) })}</h2>
      ${s.reviewer.employer ? html`<p class="muted small">${t('st.eval.myEmployer', { org: s.reviewer.employer.name })}</p>` : nothing}
      ${s.applicants.map(
        (a) => html`<div class="applicant">
          <div class="row">
            <strong>${a.studio.name}</strong><span class="muted small">${a.host.name}</span><span class="spacer"></span>
            ${a.conflict
              ? html`<span class="badge warn">${t('st.eval.standAside')}</span>`
              : a.complete
                ? html`<span class="badge ok">${t('st.eval.complete')}</span>`
                : html`<span class="badge">${t('st.eval.incomplete')}</span>`}
          </div>
          ${a.conflict
            ? html`<p class="muted small">${t('st.eval.standAsideText')}</p>`
            : html`<form @submit=${(e: SubmitEvent) => this.saveSheet(e, a.studio.id)} novalidate>
                <div class="sheet-items">
                  ${s.sheet.items.map(
                    (item, i) => html`<div class="field">
                      <label for=${`p-${a.studio.id}-${item.id}`} title=${item.guidance}>${item.name}（${item.max}）</label>
                      <input
                        id=${`p-${a.studio.id}-${item.id}`}
                        name=${item.id}
                        type="number"
                        min="0"
                        max=${item.max}
                        step="0.5"
                        inputmode="decimal"
                        .value=${a.points[item.id] === undefined ? '' : String(a.points[item.id])}
                        ?disabled=${s.status !== 'open'}
                      />
                      ${this.sheetStudio === a.studio.id ? fieldError(this.actionErrors, `items.${i}.points`) : nothing}
                    </div>`,
                  )}
                </div>
                ${s.status === 'open'
                  ? html`<div class="actions" style="margin-top:4px">
                      <button type="submit">${t('st.eval.saveSheet')}</button>
                      ${this.saved === String(a.studio.id) ? html`<span class="badge ok">${t('st.saved')}</span>` : nothing}
                    </div>`
                  : nothing}
              </form>`}
        </div>`,
      )}
    </section>`;
  }

  private renderManage(r: EvaluationDetail) {
    if (!r.canManage) return nothing;
    const submit = (fn: (v: Record<string, string>) => Promise<unknown>) => (e: SubmitEvent) => {
      e.preventDefault();
      void fn(formValues(e.target as HTMLFormElement));
    };
    return html`<section class="card" data-testid="manage">
      <h2>${t('st.eval.manage')}</h2>
      <h3>${t('st.eval.addApplicant')}</h3>
      <form class="row" @submit=${submit((v) => this.act('POST', `/api/studio-evaluations/${r.id}/applicants`, { studioId: Number(v.studioId), date: v.date }))}>
        <select name="studioId" style="flex:1;min-width:200px" aria-label=${t('st.eval.addApplicant')}>
          ${this.candidates.length === 0 ? html`<option value="">${t('st.eval.noCandidates')}</option>` : nothing}
          ${this.candidates.map((c) => html`<option value=${c.id}>${c.name}（${c.host.name}）</option>`)}
        </select>
        <input type="date" name="date" .value=${todayIso()} aria-label=${t('st.step.date')} />
        <button type="submit" ?disabled=${this.candidates.length === 0}>${t('st.add')}</button>
      </form>
      <h3>${t('st.eval.addReviewer')}</h3>
      <form
        class="row"
        @submit=${submit((v) =>
          this.act('POST', `/api/studio-evaluations/${r.id}/reviewers`, { accountId: Number(v.accountId), body: v.body, employerId: v.employerId ? Number(v.employerId) : null }),
        )}
      >
        <select name="accountId" style="flex:1;min-width:180px" aria-label=${t('st.eval.account')}>
          ${this.accounts.map((a) => html`<option value=${a.id}>${a.displayName}（${a.username}）</option>`)}
        </select>
        <select name="body" aria-label=${t('st.eval.body')}>
          <option value="union">${t('st.body.union')}</option>
          <option value="hr_bureau">${t('st.body.hr_bureau')}</option>
        </select>
        <select name="employerId" aria-label=${t('st.eval.employer')} style="max-width:240px">
          <option value="">${t('st.eval.noEmployer')}</option>
          ${this.hosts.map((h) => html`<option value=${h.id}>${h.name}</option>`)}
        </select>
        <button type="submit" ?disabled=${this.accounts.length === 0}>${t('st.add')}</button>
      </form>
      <h3>${t('st.eval.settings')}</h3>
      <form
        @submit=${submit((v) =>
          this.act('PATCH', `/api/studio-evaluations/${r.id}`, { unionWeight: Number(v.unionWeight), hrWeight: Number(v.hrWeight), threshold: Number(v.threshold) }),
        )}
        novalidate
      >
        <div class="grid3">
          <div class="field"><label for="s-uw">${t('st.eval.unionWeight')}</label><input id="s-uw" name="unionWeight" type="number" .value=${String(r.unionWeight)} />${fieldError(this.actionErrors, 'unionWeight')}</div>
          <div class="field"><label for="s-hw">${t('st.eval.hrWeight')}</label><input id="s-hw" name="hrWeight" type="number" .value=${String(r.hrWeight)} />${fieldError(this.actionErrors, 'hrWeight')}</div>
          <div class="field"><label for="s-th">${t('st.eval.threshold')}</label><input id="s-th" name="threshold" type="number" step="0.01" .value=${String(r.threshold)} />${fieldError(this.actionErrors, 'threshold')}</div>
        </div>
        <div class="actions"><button type="submit">${t('st.save')}</button></div>
      </form>
      <h3>${t('st.eval.close')}</h3>
      <form
        class="row"
        @submit=${submit(async (v) => {
          if (confirm(t('st.confirm.close'))) await this.act('POST', `/api/studio-evaluations/${r.id}/close`, { date: v.date, recognise: v.level ? { level: v.level } : null });
        })}
      >
        <input type="date" name="date" .value=${todayIso()} aria-label=${t('st.step.date')} />
        <select name="level" aria-label=${t('st.eval.recogniseAt')}>
          <option value="">${t('st.eval.closeOnly')}</option>
          ${LEVELS.map((l) => html`<option value=${l}>${t('st.eval.recogniseLevel', { level: levelLabel(l) })}</option>`)}
        </select>
        <button type="submit" class="primary">${t('st.eval.closeButton')}</button>
      </form>
    </section>`;
  }

  override render() {
    if (this.error) return html`${errorBanner(this.error)}<p><a href="/studios/evaluations">← ${t('st.nav.evaluations')}</a></p>`;
    const r = this.round;
    if (!r) return html`<p class="empty">${t('app.loading')}</p>`;
    return html`
      <p style="margin:0 0 4px"><a href="/studios/evaluations">← ${t('st.nav.evaluations')}</a></p>
      <div class="row">
        <h1 style="margin:0">${r.name}</h1>
        <span class="badge ${r.status === 'open' ? 'info' : ''}">${t(`st.eval.status.${r.status}`)}</span>
      </div>
      <p class="muted">
        ${r.org.name} · ${t('st.eval.weightsText', { union: fmt(r.unionWeight), hr: fmt(r.hrWeight) })} · ${t('st.eval.thresholdText', { n: fmt(r.threshold) })} ·
        ${r.sheet.name}（${r.sheet.items.map((i) => `${i.name}${i.max}`).join('、')}）
      </p>
      ${errorBanner(this.actionError)} ${this.renderRanking(r)}
      <div class="layout">
        <div class="stack">${this.renderPanel(r)} ${this.renderManage(r)}</div>
        ${this.renderMySheet()}
      </div>
    `;
  }
}
