import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { navigate } from '../../app/navigation.ts';
import { sharedStyles } from '../../styles/shared.ts';
import {
  checkedValues,
  errorBanner,
  fieldError,
  fieldErrorsOf,
  revealAlert,
  formValues,
  studioStyles,
  todayIso,
  UNION_ROLES,
  type AllianceDetail,
  type AllianceSummary,
  type HostChoice,
  type StudioSummary,
} from './studios-shared.ts';

/** Alliances (创新工作室联盟) kept in scope, and the form to found one. */
@customElement('sc-studio-alliances')
export class StudioAlliances extends LitElement {
  static override styles = [
    sharedStyles,
    studioStyles,
    css`
      .cards {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(300px, 1fr));
        gap: 16px;
      }
      .cards a.card {
        display: block;
        color: var(--sc-fg);
        text-decoration: none;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @property() staffRole = '';
  @state() private alliances: AllianceSummary[] = [];
  @state() private error: unknown = null;
  @state() private errors: Record<string, string> = {};

  override connectedCallback(): void {
    super.connectedCallback();
    void api<AllianceSummary[]>('GET', '/api/studio-alliances')
      .then((a) => (this.alliances = a))
      .catch((err) => (this.error = err));
  }

  private async create(e: SubmitEvent) {
    e.preventDefault();
    const v = formValues(e.target as HTMLFormElement);
    try {
      const created = await api<AllianceDetail>('POST', '/api/studio-alliances', { name: v.name, field: v.field ?? '', foundedOn: v.foundedOn || null, description: v.description ?? '' });
      navigate(`/studios/alliances/${created.id}`);
    } catch (err) {
      this.error = err;
      this.errors = fieldErrorsOf(err);
    }
  }

  override render() {
    return html`
      <h1>${t('st.alliance.title')}</h1>
      ${this.alliances.length === 0 ? html`<p class="empty">${t('st.alliance.none')}</p>` : nothing}
      <div class="cards">
        ${this.alliances.map(
          (a) => html`<a class="card" href="/studios/alliances/${a.id}">
            <h2 style="color:var(--sc-focus)">${a.name}</h2>
            <p class="muted small">${a.org.name}${a.field ? ` · ${a.field}` : ''}${a.foundedOn ? ` · ${t('st.alliance.founded', { date: a.foundedOn })}` : ''}</p>
            <div class="chips">
              <span class="badge info">${t('st.alliance.members', { n: a.members })}</span>
              ${a.pendingApplications ? html`<span class="badge warn">${t('st.alliance.pending', { n: a.pendingApplications })}</span>` : nothing}
              <span class="badge">${t('st.alliance.projects', { n: a.projects })}</span>
            </div>
            ${a.lead ? html`<p class="small">${t('st.alliance.lead')}：<strong>${a.lead.name}</strong></p>` : nothing}
          </a>`,
        )}
      </div>
      ${UNION_ROLES.includes(this.staffRole)
        ? html`<form class="card" style="margin-top:16px" @submit=${this.create} novalidate>
            <h2>${t('st.alliance.new')}</h2>
            ${errorBanner(this.error)}
            <div class="grid3">
              <div class="field"><label for="al-name">${t('st.alliance.name')}</label><input id="al-name" name="name" maxlength="200" />${fieldError(this.errors, 'name')}</div>
              <div class="field"><label for="al-field">${t('st.field.field')}</label><input id="al-field" name="field" maxlength="100" /></div>
              <div class="field"><label for="al-date">${t('st.alliance.foundedOn')}</label><input id="al-date" name="foundedOn" type="date" /></div>
            </div>
            <div class="field"><label for="al-desc">${t('st.field.description')}</label><textarea id="al-desc" name="description"></textarea></div>
            <div class="actions"><button class="primary" type="submit">${t('st.alliance.create')}</button></div>
          </form>`
        : nothing}
    `;
  }
}

/** One alliance: members and applications, the rotating lead, joint projects. */
@customElement('sc-studio-alliance')
export class StudioAllianceView extends LitElement {
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
      ol.leads {
        list-style: none;
        padding: 0;
        margin: 0;
      }
      ol.leads li {
        display: flex;
        gap: 8px;
        min-height: 40px;
        align-items: center;
        border-bottom: 1px solid var(--sc-line);
      }
      ol.leads li.current {
        font-weight: 600;
      }
      .project {
        border-top: 1px solid var(--sc-line);
        padding: 8px 0;
      }
      button.small {
        min-height: 44px;
        padding: 0 12px;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @property({ type: Number }) allianceId = 0;
  @state() private alliance: AllianceDetail | null = null;
  @state() private studios: StudioSummary[] = [];
  @state() private hosts: HostChoice[] = [];
  @state() private memberType: 'studio' | 'employer' = 'studio';
  @state() private error: unknown = null;
  @state() private actionError: unknown = null;
  @state() private actionErrors: Record<string, string> = {};

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('allianceId')) void this.load();
  }

  private async load() {
    try {
      this.alliance = await api<AllianceDetail>('GET', `/api/studio-alliances/${this.allianceId}`);
    } catch (err) {
      this.error = err;
      return;
    }
    if (this.alliance.canManage && this.studios.length === 0) {
      const [studios, hosts] = await Promise.all([
        api<{ items: StudioSummary[] }>('GET', '/api/studios?pageSize=500'),
        api<HostChoice[]>('GET', '/api/studio-lookups/hosts'),
      ]).catch((): [{ items: StudioSummary[] }, HostChoice[]] => [{ items: [] }, []]);
      this.studios = studios.items.filter((s) => ['recognised', 'warned', 'expired'].includes(s.status));
      this.hosts = hosts;
    }
  }

  private async act(method: string, path: string, body?: unknown, form?: HTMLFormElement) {
    this.actionError = null;
    this.actionErrors = {};
    try {
      this.alliance = await api<AllianceDetail>(method, path, body);
      form?.reset();
    } catch (err) {
      this.actionError = err;
      this.actionErrors = fieldErrorsOf(err);
      void revealAlert(this);
    }
  }

  override render() {
    if (this.error) return html`${errorBanner(this.error)}<p><a href="/studios/alliances">← ${t('st.nav.alliances')}</a></p>`;
    const a = this.alliance;
    if (!a) return html`<p class="empty">${t('app.loading')}</p>`;
    const base = `/api/studio-alliances/${a.id}`;
    const approved = a.memberList.filter((m) => m.status === 'approved');
    const taken = new Set(a.memberList.filter((m) => m.status !== 'rejected').flatMap((m) => (m.studio ? [`s${m.studio.id}`] : [`e${m.employer.id}`])));
    return html`
      <p style="margin:0 0 4px"><a href="/studios/alliances">← ${t('st.nav.alliances')}</a></p>
      <h1 data-testid="alliance-name">${a.name}</h1>
      <p class="muted">${a.org.name}${a.field ? ` · ${a.field}` : ''}${a.foundedOn ? ` · ${t('st.alliance.founded', { date: a.foundedOn })}` : ''}</p>
      ${a.description ? html`<p>${a.description}</p>` : nothing} ${errorBanner(this.actionError)}
      <div class="layout">
        <section class="card" data-testid="members">
          <h2>${t('st.alliance.memberList')}</h2>
          <div class="table-wrap">
            <table>
              <tbody>
                ${a.memberList.map(
                  (m) => html`<tr>
                    <td>
                      ${m.studio ? html`<a href="/studios/${m.studio.id}">${m.name}</a>` : m.name}
                      ${m.isLead ? html`<span class="badge level national_demonstration">${t('st.alliance.currentLead')}</span>` : nothing}
                      <div class="muted small">${m.memberType === 'studio' ? m.employer.name : t('st.alliance.employerMember')}</div>
                    </td>
                    <td class="small nowrap" style="width:1%">
                      <span class="badge ${m.status === 'approved' ? 'ok' : m.status === 'applied' ? 'warn' : 'danger'}">${t(`st.alliance.status.${m.status}`)}</span>
                      <div class="muted">${m.decidedOn ?? m.appliedOn}</div>
                      ${a.canManage && m.status === 'applied'
                        ? html`<div class="row" style="margin-top:4px;flex-wrap:nowrap">
                            <button class="small primary" @click=${() => this.act('POST', `${base}/members/${m.id}/decision`, { approve: true, date: todayIso() })}>${t('st.approve')}</button>
                            <button class="small" @click=${() => this.act('POST', `${base}/members/${m.id}/decision`, { approve: false, date: todayIso() })}>${t('st.reject')}</button>
                          </div>`
                        : nothing}
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>
          ${a.canManage
            ? html`<h3>${t('st.alliance.apply')}</h3>
                <form
                  class="row"
                  @submit=${(e: SubmitEvent) => {
                    e.preventDefault();
                    const v = formValues(e.target as HTMLFormElement);
                    const body =
                      this.memberType === 'studio'
                        ? { memberType: 'studio', studioId: Number(v.target), appliedOn: v.appliedOn }
                        : { memberType: 'employer', employerId: Number(v.target), appliedOn: v.appliedOn };
                    void this.act('POST', `${base}/members`, body, e.target as HTMLFormElement);
                  }}
                >
                  <select aria-label=${t('st.alliance.memberType')} @change=${(e: Event) => (this.memberType = (e.target as HTMLSelectElement).value as 'studio' | 'employer')}>
                    <option value="studio">${t('st.alliance.studioMember')}</option>
                    <option value="employer">${t('st.alliance.employerMember')}</option>
                  </select>
                  <select name="target" style="flex:1;min-width:160px" aria-label=${t('st.alliance.apply')}>
                    ${this.memberType === 'studio'
                      ? this.studios.filter((s) => !taken.has(`s${s.id}`)).map((s) => html`<option value=${s.id}>${s.name}</option>`)
                      : this.hosts.filter((h) => !taken.has(`e${h.id}`)).map((h) => html`<option value=${h.id}>${h.name}</option>`)}
                  </select>
                  <input type="date" name="appliedOn" .value=${todayIso()} aria-label=${t('st.step.date')} />
                  <button type="submit">${t('st.add')}</button>
                </form>
                ${fieldError(this.actionErrors, this.memberType === 'studio' ? 'studioId' : 'employerId')}`
            : nothing}
        </section>
        <div class="stack">
          <section class="card" data-testid="leads">
            <h2>${t('st.alliance.leadRotation')}</h2>
            <ol class="leads">
              ${[...a.leads].reverse().map(
                (l) => html`<li class=${l.toDate ? '' : 'current'}>
                  <span style="flex:1">${l.member.name}</span>
                  <span class="muted small">${l.fromDate} ~ ${l.toDate ?? t('st.alliance.now')}</span>
                </li>`,
              )}
            </ol>
            ${a.canManage && approved.length > 1
              ? html`<form
                  class="row"
                  style="margin-top:8px"
                  @submit=${(e: SubmitEvent) => {
                    e.preventDefault();
                    const v = formValues(e.target as HTMLFormElement);
                    void this.act('POST', `${base}/lead`, { date: v.date, ...(v.memberId ? { memberId: Number(v.memberId) } : {}) });
                  }}
                >
                  <select name="memberId" aria-label=${t('st.alliance.nextLead')} style="flex:1;min-width:160px">
                    <option value="">${t('st.alliance.nextInTurn')}</option>
                    ${approved.filter((m) => !m.isLead).map((m) => html`<option value=${m.id}>${m.name}</option>`)}
                  </select>
                  <input type="date" name="date" .value=${todayIso()} aria-label=${t('st.step.date')} />
                  <button type="submit">${t('st.alliance.rotate')}</button>
                </form>
                ${fieldError(this.actionErrors, 'date')}`
              : nothing}
          </section>
          <section class="card" data-testid="projects">
            <h2>${t('st.alliance.projectList')}</h2>
            ${a.projectList.length === 0 ? html`<p class="empty">${t('st.alliance.noProjects')}</p>` : nothing}
            ${a.projectList.map(
              (p) => html`<div class="project">
                <div class="row">
                  <strong>${p.name}</strong>
                  <span class="badge ${p.status === 'completed' ? 'ok' : p.status === 'ongoing' ? 'info' : ''}">${t(`st.alliance.project.${p.status}`)}</span>
                  <span class="spacer"></span>
                  ${a.canManage && p.status !== 'completed'
                    ? html`<button class="small" @click=${() => this.act('PATCH', `${base}/projects/${p.id}`, { status: 'completed', endedOn: todayIso() })}>${t('st.alliance.complete')}</button>`
                    : nothing}
                </div>
                <div class="muted small">${p.startedOn ?? ''}${p.endedOn ? ` ~ ${p.endedOn}` : ''} · ${p.members.map((m) => m.name).join('、')}</div>
                ${p.description ? html`<div class="small">${p.description}</div>` : nothing}
                ${p.outcome ? html`<div class="small"><strong>${t('st.alliance.outcome')}：</strong>${p.outcome}</div>` : nothing}
              </div>`,
            )}
            ${a.canManage
              ? html`<details>
                  <summary style="min-height:44px;display:flex;align-items:center;color:var(--sc-focus);cursor:pointer">${t('st.alliance.newProject')}</summary>
                  <form
                    novalidate
                    @submit=${(e: SubmitEvent) => {
                      e.preventDefault();
                      const form = e.target as HTMLFormElement;
                      const v = formValues(form);
                      void this.act(
                        'POST',
                        `${base}/projects`,
                        { name: v.name, description: v.description ?? '', startedOn: v.startedOn || null, memberIds: checkedValues(form, 'memberIds').map(Number) },
                        form,
                      );
                    }}
                  >
                    <div class="field"><label for="p-name">${t('st.alliance.projectName')}</label><input id="p-name" name="name" maxlength="200" />${fieldError(this.actionErrors, 'name')}</div>
                    <div class="field"><label for="p-start">${t('st.alliance.startedOn')}</label><input id="p-start" name="startedOn" type="date" /></div>
                    <div class="checks">${approved.map((m) => html`<label><input type="checkbox" name="memberIds" value=${m.id} />${m.name}</label>`)}</div>
                    <div class="field"><label for="p-desc">${t('st.field.description')}</label><textarea id="p-desc" name="description"></textarea></div>
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
