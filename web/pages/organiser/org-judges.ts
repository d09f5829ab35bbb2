import { LitElement, css, html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import '../../components/judge-slips.ts';
import { beijingMinute } from '../../app/beijing-time.ts';
import '../../i18n/judging.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { panelRole } from '../../../server/contracts/auth.ts';
import type { EventJudge, IssuedCodes, Judge, JudgeCode, PanelGrid } from '../../../server/contracts/judges.ts';
import type { Organisation } from '../../../server/contracts/organisations.ts';
import { employerFromText, errorBanner, fieldError, fieldErrorsOf, organisationsOfCompetition, orgStyles, visibleOrganisations, type Competition, type ScEvent } from './org-shared.ts';
import type { ConfirmEvent } from './org-widgets.ts';

type Role = EventJudge['role'];
const ROLES = panelRole.options as readonly Role[];

/** One column of the panel grid: a part, or a criterion of a part with a panel per criterion. */
type Column = { key: string; partId: string; criterionId: string | null; label: string; minMarks: number; schemeExpected: number };

type Confirm =
  | { kind: 'code' | 'revoke' | 'remove'; judge: EventJudge }
  | { kind: 'bulk'; onlyMissing: boolean };

const columnKey = (partId: string, criterionId: string | null) => (criterionId ? `${partId}:${criterionId}` : partId);

/**
 * An event's judges (裁判组): who sits on it and in which role (a judge of the competition may sit
 * on several events with one code), who marks which part in each round (the panel grid: judges ×
 * parts, ticked; a panel's size is the part's expected number of marks), and their sign-in codes,
 * one at a time or all at once with printable slips.
 */
@customElement('sc-org-judges')
export class OrgJudges extends LitElement {
  static override styles = [
    sharedStyles,
    orgStyles,
    css`
      td.actions-cell {
        text-align: right;
      }
      td.actions-cell .row-actions {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
        justify-content: flex-end;
      }
      .sub {
        font-size: 13px;
        color: var(--sc-muted);
      }
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
        margin-bottom: 12px;
      }
      .toolbar h2 {
        margin: 0;
        flex: 1 1 200px;
      }
      table.grid th.part {
        text-align: center;
        font-size: 14px;
      }
      table.grid td.tick {
        text-align: center;
        padding: 0;
      }
      label.tick {
        display: inline-flex;
        align-items: center;
        justify-content: center;
        min-width: 44px;
        min-height: 44px;
        cursor: pointer;
      }
      label.tick input {
        width: 22px;
        height: 22px;
      }
      tr.sizes td {
        font-size: 13px;
        text-align: center;
        vertical-align: top;
      }
      .size {
        font-weight: 600;
      }
      .warn {
        color: var(--sc-warn);
      }
      .mode {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        margin-bottom: 8px;
      }
      .mode label {
        display: inline-flex;
        align-items: center;
        gap: 6px;
        min-height: 44px;
      }
      select.role {
        min-height: 44px;
      }
      select.role,
      label.trainee-toggle {
        vertical-align: middle;
      }
      label.trainee-toggle {
        display: inline-flex;
        align-items: center;
        gap: 6px;
        min-height: 44px;
        margin: 0 0 0 8px;
        cursor: pointer;
      }
      label.trainee-toggle input {
        width: 22px;
        height: 22px;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @property({ attribute: false }) competition!: Competition;
  @property({ attribute: false }) event!: ScEvent;
  @property({ type: Boolean }) canManage = false;
  @state() private judges: EventJudge[] | null = null;
  @state() private others: Judge[] = [];
  @state() private orgs: Organisation[] = [];
  @state() private error: unknown = null;
  /** `employer`: an organisation's name picked from the list, or an employer as written. */
  @state() private draft = { mode: 'new' as 'new' | 'existing', judgeId: '', name: '', role: 'judge' as Role, employer: '' };
  @state() private fieldErrors: Record<string, string> = {};
  @state() private confirm: Confirm | null = null;
  @state() private busy = false;
  @state() private grid: PanelGrid | null = null;
  /** The ticked seats per column, as edited (saved with "save panels"). */
  @state() private seats = new Map<string, Set<number>>();
  @state() private saved = false;
  /** Codes just issued: shown as printable slips until the organiser is done. */
  @state() private slips: IssuedCodes | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    // Employers of the competition's subtree first, then any other organisation the caller sees.
    Promise.all([organisationsOfCompetition(this.competition), visibleOrganisations()])
      .then(([own, all]) => (this.orgs = [...own, ...all.filter((o) => !own.includes(o))]))
      .catch(() => undefined);
  }

  private async load(roundId = this.grid?.roundId) {
    try {
      const [judges, grid, others] = await Promise.all([
        api<EventJudge[]>('GET', `/api/events/${this.event.id}/judges`),
        api<PanelGrid>('GET', `/api/events/${this.event.id}/panels${roundId ? `?roundId=${roundId}` : ''}`),
        api<Judge[]>('GET', `/api/competitions/${this.competition.id}/judges`),
      ]);
      this.judges = judges;
      this.others = others.filter((j) => !j.events.some((e) => e.eventId === this.event.id));
      this.setGrid(grid);
    } catch (err) {
      this.error = err;
    }
  }

  private setGrid(grid: PanelGrid) {
    this.grid = grid;
    this.seats = new Map(this.columns().map((c) => [c.key, new Set(this.panelOf(c)?.judgeIds ?? [])]));
  }

  private columns(): Column[] {
    return (this.grid?.parts ?? []).flatMap((p) =>
      p.panels.map((panel) => ({
        key: columnKey(p.partId, panel.criterionId),
        partId: p.partId,
        criterionId: panel.criterionId,
        label: panel.criterionName ? `${p.name} · ${panel.criterionName}` : p.name,
        minMarks: p.minMarks,
        schemeExpected: p.schemeExpectedMarks,
      })),
    );
  }

  private panelOf(c: Column) {
    return this.grid?.parts.find((p) => p.partId === c.partId)?.panels.find((x) => x.criterionId === c.criterionId);
  }

  private changedColumns(): Column[] {
    return this.columns().filter((c) => {
      const before = new Set(this.panelOf(c)?.judgeIds ?? []);
      const now = this.seats.get(c.key) ?? new Set();
      return before.size !== now.size || [...now].some((id) => !before.has(id));
    });
  }

  private toggle(c: Column, judgeId: number, on: boolean) {
    const next = new Map(this.seats);
    const set = new Set(next.get(c.key) ?? []);
    if (on) set.add(judgeId);
    else set.delete(judgeId);
    next.set(c.key, set);
    this.seats = next;
    this.saved = false;
  }

  private async savePanels() {
    const changed = this.changedColumns();
    if (!this.grid || changed.length === 0) return;
    this.busy = true;
    this.error = null;
    try {
      // Seating order follows the grid's rows.
      const order = this.grid.judges.map((j) => j.id);
      const grid = await api<PanelGrid>('PUT', `/api/rounds/${this.grid.roundId}/panels`, {
        panels: changed.map((c) => ({
          partId: c.partId,
          ...(c.criterionId ? { criterionId: c.criterionId } : {}),
          judgeIds: order.filter((id) => this.seats.get(c.key)?.has(id)),
        })),
      });
      this.setGrid(grid);
      this.saved = true;
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  private async add(e: SubmitEvent) {
    e.preventDefault();
    const d = this.draft;
    if (d.mode === 'new' && !d.name.trim()) {
      this.fieldErrors = { name: t('org.field.required') };
      return;
    }
    if (d.mode === 'existing' && !d.judgeId) {
      this.fieldErrors = { judgeId: t('org.field.required') };
      return;
    }
    this.busy = true;
    this.error = null;
    this.fieldErrors = {};
    try {
      await api(
        'POST',
        `/api/events/${this.event.id}/judges`,
        d.mode === 'existing'
          ? { judgeId: Number(d.judgeId), role: d.role }
          : { name: d.name.trim(), role: d.role, ...employerFromText(this.orgs, d.employer) },
      );
      this.draft = { mode: d.mode, judgeId: '', name: '', role: 'judge', employer: '' };
      await this.load();
    } catch (err) {
      this.error = err;
      this.fieldErrors = fieldErrorsOf(err);
    } finally {
      this.busy = false;
    }
  }

  private async changeRole(j: EventJudge, role: Role) {
    if (role === j.role) return;
    this.busy = true;
    this.error = null;
    try {
      await api('PATCH', `/api/events/${this.event.id}/judges/${j.id}`, { role });
      await this.load();
    } catch (err) {
      this.error = err;
      await this.load();
    } finally {
      this.busy = false;
    }
  }

  /** A trainee (见习裁判) marks but never counts; refused once the judge has marked (the server says why). */
  private async setTrainee(j: EventJudge, trainee: boolean) {
    this.busy = true;
    this.error = null;
    try {
      await api('PUT', `/api/events/${this.event.id}/judges/${j.id}/trainee`, { trainee });
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
      await this.load();
    }
  }

  private async onConfirm(e: ConfirmEvent) {
    const c = this.confirm;
    this.confirm = null;
    if (!e.confirmed || !c) return;
    this.busy = true;
    this.error = null;
    try {
      if (c.kind === 'bulk') {
        this.slips = await api<IssuedCodes>('POST', `/api/events/${this.event.id}/judge-codes`, { onlyMissing: c.onlyMissing });
      } else if (c.kind === 'code') {
        const code = await api<JudgeCode>('POST', `/api/judges/${c.judge.id}/code`);
        this.slips = {
          competitionId: this.competition.id,
          competitionName: this.competition.name,
          eventId: this.event.id,
          eventName: this.event.name,
          slips: [
            {
              judgeId: c.judge.id,
              name: c.judge.name,
              employerName: c.judge.employerName,
              events: c.judge.events,
              code: code.code,
              link: code.link,
              expiresAt: code.expiresAt,
              expiresAtBeijing: beijingMinute(code.expiresAt),
            },
          ],
        };
      } else if (c.kind === 'revoke') {
        await api('DELETE', `/api/judges/${c.judge.id}/code`);
      } else {
        await api('DELETE', `/api/events/${this.event.id}/judges/${c.judge.id}`);
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
    if (c.kind === 'bulk') {
      const n = c.onlyMissing ? (this.judges ?? []).filter((j) => !j.hasCode).length : (this.judges ?? []).length;
      return {
        heading: t('org.judges.bulk'),
        message: c.onlyMissing ? t('org.judges.bulkMissingConfirm', { n }) : t('org.judges.bulkConfirm', { n }),
        label: t('org.judges.bulkGo'),
      };
    }
    if (c.kind === 'code')
      return {
        heading: t('org.judges.issue'),
        message: c.judge.hasCode ? t('org.judges.reissueConfirm', { name: c.judge.name }) : t('org.judges.issueConfirm', { name: c.judge.name }),
        label: t('org.judges.issue'),
      };
    if (c.kind === 'revoke') return { heading: t('org.judges.revoke'), message: t('org.judges.revokeConfirm', { name: c.judge.name }), label: t('org.judges.revoke') };
    return { heading: t('org.judges.removeFromEvent'), message: t('org.judges.deleteConfirm', { name: c.judge.name }), label: t('org.remove') };
  }

  private renderPanelList(judges: EventJudge[]) {
    const missing = judges.filter((j) => !j.hasCode).length;
    return html`<section class="card">
      <div class="toolbar">
        <h2>${t('org.judges.panel', { n: judges.length })}</h2>
        ${this.canManage && judges.length > 0
          ? html`${missing > 0 && missing < judges.length
                ? html`<button ?disabled=${this.busy} data-testid="bulk-missing" @click=${() => (this.confirm = { kind: 'bulk', onlyMissing: true })}>
                    ${t('org.judges.bulkMissing', { n: missing })}
                  </button>`
                : nothing}
              <button class="primary" ?disabled=${this.busy} data-testid="bulk-codes" @click=${() => (this.confirm = { kind: 'bulk', onlyMissing: false })}>
                ${t('org.judges.bulk')}
              </button>`
          : nothing}
      </div>
      ${judges.length === 0
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
                (j) => html`<tr data-judge=${j.id}>
                  <td>
                    ${j.name}
                    <div class="sub">${j.employerName ?? t('org.judges.noEmployer')}</div>
                    ${j.events.length > 1
                      ? html`<div class="sub">${t('org.judges.alsoOn', { events: j.events.filter((e) => e.eventId !== this.event.id).map((e) => `${e.eventName}（${t(`org.judges.role.${e.role}`)}）`).join('、') })}</div>`
                      : nothing}
                  </td>
                  <td>
                    ${this.canManage
                      ? html`<select
                          class="role"
                          aria-label=${t('org.judges.roleOf', { name: j.name })}
                          ?disabled=${this.busy}
                          @change=${(e: Event) => void this.changeRole(j, (e.target as HTMLSelectElement).value as Role)}
                        >
                          ${ROLES.map((r) => html`<option value=${r} ?selected=${j.role === r}>${t(`org.judges.role.${r}`)}</option>`)}
                        </select>`
                      : t(`org.judges.role.${j.role}`)}
                    ${j.role === 'judge' && this.canManage
                      ? html`<label class="trainee-toggle"
                          ><input
                            type="checkbox"
                            data-testid="trainee-${j.id}"
                            aria-label=${t('jq.panel.traineeOf', { name: j.name })}
                            .checked=${j.trainee}
                            ?disabled=${this.busy}
                            @change=${(e: Event) => void this.setTrainee(j, (e.target as HTMLInputElement).checked)}
                          />${t('jq.trainee')}</label
                        >`
                      : j.trainee
                        ? html`<span class="chip">${t('jq.trainee')}</span>`
                        : nothing}
                  </td>
                  <td>
                    ${j.hasCode
                      ? html`<span class="chip st-running">${t('org.judges.hasCode')}</span>
                          ${j.codeExpiresAt ? html`<div class="sub">${t('org.judges.until', { date: beijingMinute(j.codeExpiresAt) })}</div>` : nothing}`
                      : html`<span class="chip">${t('org.judges.noCode')}</span>`}
                  </td>
                  ${this.canManage
                    ? html`<td class="actions-cell">
                        <span class="row-actions">
                          <button ?disabled=${this.busy} @click=${() => (this.confirm = { kind: 'code', judge: j })}>${j.hasCode ? t('org.judges.reissue') : t('org.judges.issue')}</button>
                          ${j.hasCode ? html`<button ?disabled=${this.busy} @click=${() => (this.confirm = { kind: 'revoke', judge: j })}>${t('org.judges.revoke')}</button>` : nothing}
                          <button class="danger" ?disabled=${this.busy} aria-label=${t('org.judges.deleteName', { name: j.name })} @click=${() => (this.confirm = { kind: 'remove', judge: j })}>
                            ${t('org.remove')}
                          </button>
                        </span>
                      </td>`
                    : nothing}
                </tr>`,
              )}
            </tbody>
          </table>`}
    </section>`;
  }

  private renderGrid() {
    const g = this.grid;
    if (!g) return nothing;
    const columns = this.columns();
    const changed = this.changedColumns().length;
    return html`<section class="card" style="margin-top:16px" data-testid="panel-grid">
      <div class="toolbar">
        <h2>${t('org.panels.title')}</h2>
        ${g.rounds.length > 1
          ? html`<label
              >${t('org.panels.round')}
              <select data-testid="panel-round" @change=${(e: Event) => void this.load(Number((e.target as HTMLSelectElement).value))}>
                ${g.rounds.map((r) => html`<option value=${r.id} ?selected=${r.id === g.roundId}>${r.name}</option>`)}
              </select></label
            >`
          : nothing}
      </div>
      <p class="muted" style="margin-top:0">${t('org.panels.hint')}</p>
      ${columns.length === 0 || g.judges.length === 0
        ? html`<p class="empty">${columns.length === 0 ? t('org.panels.noParts') : t('org.panels.noJudges')}</p>`
        : html`<table class="grid">
            <thead>
              <tr>
                <th>${t('org.judges.name')}</th>
                ${columns.map((c) => html`<th class="part" scope="col">${c.label}</th>`)}
              </tr>
            </thead>
            <tbody>
              ${g.judges.map(
                (j) => html`<tr>
                  <th scope="row" style="font-weight:normal">
                    ${j.name}${j.role === 'chief' ? html` <span class="sub">${t('org.judges.role.chief')}</span>` : nothing}${j.trainee
                      ? html` <span class="chip">${t('jq.trainee')}</span>`
                      : nothing}
                    <div class="sub">${j.employerName ?? ''}</div>
                  </th>
                  ${columns.map(
                    (c) => html`<td class="tick">
                      <label class="tick"
                        ><input
                          type="checkbox"
                          data-testid="seat-${j.id}-${c.key}"
                          aria-label=${`${j.name} · ${c.label}`}
                          .checked=${this.seats.get(c.key)?.has(j.id) ?? false}
                          ?disabled=${!this.canManage || g.released || this.busy}
                          @change=${(e: Event) => this.toggle(c, j.id, (e.target as HTMLInputElement).checked)}
                      /></label>
                    </td>`,
                  )}
                </tr>`,
              )}
              <tr class="sizes">
                <th scope="row">${t('org.panels.size')}</th>
                ${columns.map((c) => {
                  const seated = [...(this.seats.get(c.key) ?? [])];
                  // Trainees take a seat to mark, but the panel that counts is the others.
                  const trainees = seated.filter((id) => g.judges.find((j) => j.id === id)?.trainee).length;
                  const n = seated.length - trainees;
                  return html`<td data-testid="size-${c.key}">
                    ${seated.length === 0
                      ? html`<span class="muted">${t('org.panels.unset', { n: c.schemeExpected })}</span>`
                      : html`<span class="size">${t('org.panels.people', { n })}</span>
                          ${trainees > 0 ? html`<div class="sub">${t('jq.panel.plusTrainees', { n: trainees })}</div>` : nothing}
                          ${n < c.minMarks ? html`<div class="warn" role="alert">${t('org.panels.belowMin', { min: c.minMarks })}</div>` : nothing}`}
                  </td>`;
                })}
              </tr>
              ${this.renderRecusals(columns)}
            </tbody>
          </table>`}
      ${this.canManage && !g.released
        ? html`<div class="row" style="margin-top:12px;align-items:center;gap:12px">
            <button class="primary" data-testid="save-panels" ?disabled=${this.busy || changed === 0} @click=${this.savePanels}>${t('org.panels.save')}</button>
            ${this.saved && changed === 0 ? html`<span class="muted" role="status" data-testid="panels-saved">${t('org.panels.saved')}</span>` : nothing}
            ${changed > 0 ? html`<span class="muted">${t('org.panels.unsaved', { n: changed })}</span>` : nothing}
          </div>`
        : nothing}
    </section>`;
  }

  /**
   * Who each saved panel marks with fewer judges (judges of the same employer stand aside), and a
   * warning where that leaves a number below the minimum: its part is then scored from the few
   * present by the aggregation's fallback, which nobody would otherwise notice.
   */
  private renderRecusals(columns: Column[]) {
    const changed = new Set(this.changedColumns().map((c) => c.key));
    const any = columns.some((c) => (this.panelOf(c)?.recusals.length ?? 0) > 0);
    if (!any) return nothing;
    return html`<tr class="sizes">
      <th scope="row">${t('org.panels.recusals')}</th>
      ${columns.map((c) => {
        const list = this.panelOf(c)?.recusals ?? [];
        if (changed.has(c.key)) return html`<td><span class="muted">${t('org.panels.recusalsAfterSave')}</span></td>`;
        const below = list.filter((r) => r.belowMinMarks);
        return html`<td data-testid="recusals-${c.key}">
          ${list.map((r) => html`<div class="sub">${t('org.panels.recusedOne', { number: r.number, n: r.expected })}</div>`)}
          ${below.length
            ? html`<div class="warn" role="alert" data-testid="recusals-below-${c.key}">
                ${t('org.panels.recusedBelow', { numbers: below.map((r) => r.number).join('、'), min: c.minMarks })}
              </div>`
            : nothing}
        </td>`;
      })}
    </tr>`;
  }

  private renderAdd() {
    const d = this.draft;
    return html`<section class="card" style="margin-top:16px">
      <h2>${t('org.judges.add')}</h2>
      <form @submit=${this.add} novalidate>
        ${this.others.length > 0
          ? html`<div class="mode" role="radiogroup">
              <label><input type="radio" name="mode" .checked=${d.mode === 'new'} @change=${() => (this.draft = { ...d, mode: 'new' })} />${t('org.judges.addNew')}</label>
              <label
                ><input type="radio" name="mode" data-testid="mode-existing" .checked=${d.mode === 'existing'} @change=${() => (this.draft = { ...d, mode: 'existing' })} />${t(
                  'org.judges.addExisting',
                  { n: this.others.length },
                )}</label
              >
            </div>`
          : nothing}
        <div class="grid2">
          ${d.mode === 'existing'
            ? html`<div class="field">
                <label for="jx">${t('org.judges.existing')} *</label>
                <select id="jx" .value=${live(d.judgeId)} @change=${(e: Event) => (this.draft = { ...d, judgeId: (e.target as HTMLSelectElement).value })}>
                  <option value="">—</option>
                  ${this.others.map(
                    (j) => html`<option value=${j.id} ?selected=${d.judgeId === String(j.id)}>${j.name}（${j.events.map((e) => e.eventName).join('、') || t('org.judges.noEvent')}）</option>`,
                  )}
                </select>
                ${fieldError(this.fieldErrors, 'judgeId')}
              </div>`
            : html`<div class="field">
                  <label for="jn">${t('org.judges.name')} *</label>
                  <input id="jn" .value=${live(d.name)} aria-invalid=${this.fieldErrors.name ? 'true' : 'false'} @input=${(e: Event) => (this.draft = { ...d, name: (e.target as HTMLInputElement).value })} />
                  ${fieldError(this.fieldErrors, 'name')}
                </div>
                <div class="field">
                  <label for="je">${t('org.judges.employer')}</label>
                  <input
                    id="je"
                    list="je-orgs"
                    autocomplete="off"
                    placeholder=${t('org.judges.noEmployer')}
                    .value=${live(d.employer)}
                    @input=${(e: Event) => (this.draft = { ...d, employer: (e.target as HTMLInputElement).value })}
                  />
                  <datalist id="je-orgs">${this.orgs.map((o) => html`<option value=${o.name}></option>`)}</datalist>
                  ${fieldError(this.fieldErrors, 'employerId')} ${fieldError(this.fieldErrors, 'employerName')}
                </div>`}
          <div class="field">
            <label for="jr">${t('org.judges.role')}</label>
            <!-- live(): after a judge is added the select shows the reset draft, not the last choice (what is shown is what is saved). -->
            <select id="jr" .value=${live(d.role)} @change=${(e: Event) => (this.draft = { ...d, role: (e.target as HTMLSelectElement).value as Role })}>
              ${ROLES.map((r) => html`<option value=${r} ?selected=${d.role === r}>${t(`org.judges.role.${r}`)}</option>`)}
            </select>
            ${fieldError(this.fieldErrors, 'role')}
          </div>
        </div>
        <p class="muted" style="font-size:14px">${t('org.judges.recusal')}</p>
        <button class="primary" type="submit" ?disabled=${this.busy}>${t('org.judges.addButton')}</button>
      </form>
    </section>`;
  }

  override render() {
    if (this.slips)
      return html`<section class="card">
        <sc-judge-slips
          closable
          .slips=${this.slips.slips}
          .competitionName=${this.slips.competitionName}
          .heading=${t('org.judges.slipsFor', { event: this.event.name })}
          @sc-slips-closed=${() => (this.slips = null)}
        ></sc-judge-slips>
      </section>`;
    const judges = this.judges ?? [];
    const ct = this.confirmText();
    return html`
      ${errorBanner(this.error)}
      ${!this.judges ? html`<sc-loading></sc-loading>` : html`${this.renderPanelList(judges)} ${this.renderGrid()} ${this.canManage ? this.renderAdd() : nothing}`}
      <sc-confirm .open=${this.confirm !== null} heading=${ct.heading} message=${ct.message} confirmLabel=${ct.label} @sc-confirm=${this.onConfirm}></sc-confirm>
    `;
  }
}
