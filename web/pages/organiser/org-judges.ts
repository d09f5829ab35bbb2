import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { panelRole } from '../../../server/contracts/auth.ts';
import type { Judge, JudgeCode } from '../../../server/contracts/judges.ts';
import type { Organisation } from '../../../server/contracts/organisations.ts';
import { errorBanner, fieldError, fieldErrorsOf, organisationsOfCompetition, orgStyles, visibleOrganisations, type Competition, type ScEvent } from './org-shared.ts';
import type { ConfirmEvent } from './org-widgets.ts';

type Role = Judge['role'];
const ROLES = panelRole.options as readonly Role[];

/**
 * An event's panel (裁判组): the chief judge, judges, supervisors and scorers, each with an
 * employer (recusal) and a sign-in code that is shown once when issued.
 */
@customElement('sc-org-judges')
export class OrgJudges extends LitElement {
  static override styles = [
    sharedStyles,
    orgStyles,
    css`
      .code {
        font-size: 30px;
        letter-spacing: 0.2em;
        font-weight: 700;
        font-family: ui-monospace, monospace;
      }
      .link {
        word-break: break-all;
        font-size: 14px;
      }
      td.actions-cell {
        text-align: right;
        white-space: nowrap;
      }
      td.actions-cell button {
        margin-left: 4px;
      }
      @media (max-width: 900px) {
        td.actions-cell {
          white-space: normal;
        }
        td.actions-cell button {
          margin: 2px 0 2px 4px;
        }
      }
      .sub {
        font-size: 13px;
        color: var(--sc-muted);
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @property({ attribute: false }) competition!: Competition;
  @property({ attribute: false }) event!: ScEvent;
  @property({ type: Boolean }) canManage = false;
  @state() private judges: Judge[] | null = null;
  @state() private orgs: Organisation[] = [];
  @state() private error: unknown = null;
  /** `employer`: an organisation's name picked from the list, or an employer as written. */
  @state() private draft = { name: '', role: 'judge' as Role, employer: '' };
  @state() private fieldErrors: Record<string, string> = {};
  @state() private issued: { judge: Judge; code: JudgeCode } | null = null;
  @state() private confirm: { kind: 'code' | 'delete' | 'revoke'; judge: Judge } | null = null;
  @state() private busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    // Employers of the competition's subtree first, then any other organisation the caller sees.
    Promise.all([organisationsOfCompetition(this.competition), visibleOrganisations()])
      .then(([own, all]) => (this.orgs = [...own, ...all.filter((o) => !own.includes(o))]))
      .catch(() => undefined);
  }

  private async load() {
    try {
      this.judges = await api<Judge[]>('GET', `/api/events/${this.event.id}/judges`);
    } catch (err) {
      this.error = err;
    }
  }

  /** The organisation when the text is exactly one organisation's name, else the employer as written. */
  private employerOf(text: string): { employerId: number | null; employerName: string | null } {
    const name = text.trim();
    if (!name) return { employerId: null, employerName: null };
    const matches = this.orgs.filter((o) => o.name === name);
    return matches.length === 1 ? { employerId: matches[0]!.id, employerName: null } : { employerId: null, employerName: name };
  }

  private async add(e: SubmitEvent) {
    e.preventDefault();
    if (!this.draft.name.trim()) {
      this.fieldErrors = { name: t('org.field.required') };
      return;
    }
    this.busy = true;
    this.error = null;
    this.fieldErrors = {};
    try {
      await api('POST', `/api/events/${this.event.id}/judges`, {
        name: this.draft.name.trim(),
        role: this.draft.role,
        ...this.employerOf(this.draft.employer),
      });
      this.draft = { name: '', role: 'judge', employer: '' };
      await this.load();
    } catch (err) {
      this.error = err;
      this.fieldErrors = fieldErrorsOf(err);
    } finally {
      this.busy = false;
    }
  }

  private async onConfirm(e: ConfirmEvent) {
    const c = this.confirm;
    this.confirm = null;
    if (!e.confirmed || !c) return;
    this.busy = true;
    this.error = null;
    try {
      if (c.kind === 'code') {
        const code = await api<JudgeCode>('POST', `/api/judges/${c.judge.id}/code`);
        this.issued = { judge: c.judge, code };
      } else if (c.kind === 'revoke') {
        await api('DELETE', `/api/judges/${c.judge.id}/code`);
      } else {
        await api('DELETE', `/api/judges/${c.judge.id}`);
      }
      await this.load();
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  private confirmText(): { heading: string; message: string; label: string } {
    const c = this.confirm;
    if (!c) return { heading: '', message: '', label: '' };
    if (c.kind === 'code')
      return {
        heading: t('org.judges.issue'),
        message: c.judge.hasCode ? t('org.judges.reissueConfirm', { name: c.judge.name }) : t('org.judges.issueConfirm', { name: c.judge.name }),
        label: t('org.judges.issue'),
      };
    if (c.kind === 'revoke') return { heading: t('org.judges.revoke'), message: t('org.judges.revokeConfirm', { name: c.judge.name }), label: t('org.judges.revoke') };
    return { heading: t('org.remove'), message: t('org.judges.deleteConfirm', { name: c.judge.name }), label: t('org.remove') };
  }

  override render() {
    const judges = [...(this.judges ?? [])].sort((a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role) || a.id - b.id);
    const ct = this.confirmText();
    return html`
      ${errorBanner(this.error)}
      ${this.issued
        ? html`<section class="card" style="margin-bottom:16px;border-color:var(--sc-ok)" role="status" data-testid="issued-code">
            <h2>${t('org.judges.codeFor', { name: this.issued.judge.name })}</h2>
            <div class="code">${this.issued.code.code}</div>
            <div class="link">${location.origin}${this.issued.code.link}</div>
            <p class="muted">${t('org.judges.codeOnce', { until: this.issued.code.expiresAt.slice(0, 16).replace('T', ' ') })}</p>
            <button @click=${() => (this.issued = null)}>${t('org.judges.codeNoted')}</button>
          </section>`
        : nothing}
      <section class="card">
        <h2>${t('org.judges.panel', { n: judges.length })}</h2>
        ${!this.judges
          ? html`<sc-loading></sc-loading>`
          : judges.length === 0
            ? html`<p class="empty">${t('org.judges.none')}</p>`
            : html`<table data-testid="judge-table">
                <thead>
                  <tr>
                    <th>${t('org.judges.name')}</th>
                    <th>${t('org.judges.role')}</th>
                    <th>${t('org.judges.code')}</th>
                    ${this.canManage ? html`<th><span class="sr-only">${t('org.actions')}</span></th>` : nothing}
                  </tr>
                </thead>
                <tbody>
                  ${judges.map(
                    (j) => html`<tr>
                      <td>${j.name}<div class="sub">${j.employerName ?? t('org.judges.noEmployer')}</div></td>
                      <td>${t(`org.judges.role.${j.role}`)}</td>
                      <td>
                        ${j.hasCode
                          ? html`<span class="chip st-running">${t('org.judges.hasCode')}</span>
                              ${j.codeExpiresAt ? html`<div class="sub">${t('org.judges.until', { date: j.codeExpiresAt.slice(0, 10) })}</div>` : nothing}`
                          : html`<span class="chip">${t('org.judges.noCode')}</span>`}
                      </td>
                      ${this.canManage
                        ? html`<td class="actions-cell">
                            <button ?disabled=${this.busy} @click=${() => (this.confirm = { kind: 'code', judge: j })}>${j.hasCode ? t('org.judges.reissue') : t('org.judges.issue')}</button>
                            ${j.hasCode ? html`<button ?disabled=${this.busy} @click=${() => (this.confirm = { kind: 'revoke', judge: j })}>${t('org.judges.revoke')}</button>` : nothing}
                            <button class="danger" ?disabled=${this.busy} aria-label=${t('org.judges.deleteName', { name: j.name })} @click=${() => (this.confirm = { kind: 'delete', judge: j })}>
                              ${t('org.remove')}
                            </button>
                          </td>`
                        : nothing}
                    </tr>`,
                  )}
                </tbody>
              </table>`}
      </section>
      ${this.canManage
        ? html`<section class="card" style="margin-top:16px">
            <h2>${t('org.judges.add')}</h2>
            <form @submit=${this.add} novalidate>
              <div class="grid2">
                <div class="field">
                  <label for="jn">${t('org.judges.name')} *</label>
                  <input id="jn" .value=${this.draft.name} aria-invalid=${this.fieldErrors.name ? 'true' : 'false'} @input=${(e: Event) => (this.draft = { ...this.draft, name: (e.target as HTMLInputElement).value })} />
                  ${fieldError(this.fieldErrors, 'name')}
                </div>
                <div class="field">
                  <label for="jr">${t('org.judges.role')}</label>
                  <select id="jr" @change=${(e: Event) => (this.draft = { ...this.draft, role: (e.target as HTMLSelectElement).value as Role })}>
                    ${ROLES.map((r) => html`<option value=${r} ?selected=${this.draft.role === r}>${t(`org.judges.role.${r}`)}</option>`)}
                  </select>
                  ${fieldError(this.fieldErrors, 'role')}
                </div>
                <div class="field">
                  <label for="je">${t('org.judges.employer')}</label>
                  <input
                    id="je"
                    list="je-orgs"
                    autocomplete="off"
                    placeholder=${t('org.judges.noEmployer')}
                    .value=${this.draft.employer}
                    @input=${(e: Event) => (this.draft = { ...this.draft, employer: (e.target as HTMLInputElement).value })}
                  />
                  <datalist id="je-orgs">${this.orgs.map((o) => html`<option value=${o.name}></option>`)}</datalist>
                  ${fieldError(this.fieldErrors, 'employerId')} ${fieldError(this.fieldErrors, 'employerName')}
                </div>
              </div>
              <p class="muted" style="font-size:14px">${t('org.judges.recusal')}</p>
              <button class="primary" type="submit" ?disabled=${this.busy}>${t('org.judges.addButton')}</button>
            </form>
          </section>`
        : nothing}
      <sc-confirm .open=${this.confirm !== null} heading=${ct.heading} message=${ct.message} confirmLabel=${ct.label} @sc-confirm=${this.onConfirm}></sc-confirm>
    `;
  }
}
