import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, fetchAll } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';
import type { Entry } from '../../../server/contracts/entries.ts';
import type { Round } from '../../../server/contracts/events.ts';
import type { Advancement } from '../../../server/contracts/scheme.ts';
import { entryStatusLabel, errorBanner, fieldError, fieldErrorsOf, OrgDataChangedEvent, orgStyles, type ScEvent } from './org-shared.ts';

type RuleKind = '' | 'top_n' | 'top_percent' | 'min_score';
/** Who is in a round (from the staff ranking) and who could be put in: reserves and entrants the advancement left out. */
type Lineup = { members: { entryId: number; number: number | null; name: string; status: Entry['status']; marked: boolean }[]; candidates: Entry[] };

type RoundDraft = { name: string; kind: Round['kind']; carryOver: Round['carryOver']; rule: RuleKind; value: string; ties: 'include' | 'exclude' };

/** An advancement rule in words. */
export function describeAdvancement(a: Advancement | null): string {
  if (!a) return t('org.rounds.noAdvancement');
  const r = a.rule;
  const rule =
    r.kind === 'top_n' ? t('org.rounds.rule.top_n.text', { n: r.n }) : r.kind === 'top_percent' ? t('org.rounds.rule.top_percent.text', { n: r.percent }) : t('org.rounds.rule.min_score.text', { n: r.score });
  return `${rule}${a.tiesAtCut === 'include' ? t('org.rounds.tiesIn') : t('org.rounds.tiesOut')}`;
}

function advancementOf(d: RoundDraft): Advancement | null {
  const v = Number(d.value);
  if (!d.rule) return null;
  const rule = d.rule === 'top_n' ? { kind: 'top_n' as const, n: v } : d.rule === 'top_percent' ? { kind: 'top_percent' as const, percent: v } : { kind: 'min_score' as const, score: v };
  return { rule, tiesAtCut: d.ties };
}

/**
 * An event's rounds (preliminary, semifinal, final) in order, with who goes on from each; a round
 * is added after the last one.
 */
@customElement('sc-org-rounds')
export class OrgRounds extends LitElement {
  static override styles = [
    sharedStyles,
    orgStyles,
    css`
      ol.rounds {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      ol.rounds li {
        border-top: 1px solid var(--sc-line);
        padding: 12px 0;
      }
      ol.rounds li:first-child {
        border-top: none;
      }
      .title {
        font-weight: 600;
        font-size: 17px;
      }
      .lineup {
        margin-top: 10px;
        padding: 12px;
        border-radius: 8px;
        background: #fafbfc;
      }
      .lineup ul.left {
        list-style: none;
        margin: 0 0 8px;
        padding: 0;
      }
      .lineup ul.left li {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 8px;
        padding: 4px 0;
      }
      .lineup form.put {
        display: flex;
        flex-wrap: wrap;
        gap: 8px 12px;
        align-items: flex-end;
      }
      .lineup form.put .field {
        flex: 1 1 220px;
        margin: 0;
      }
      .meta {
        color: var(--sc-muted);
        font-size: 14px;
        display: flex;
        flex-wrap: wrap;
        gap: 4px 12px;
        margin-top: 2px;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @property({ attribute: false }) event!: ScEvent;
  @property({ type: Boolean }) canManage = false;
  /** The event's edit page, where a round's scheme is edited. */
  @property() schemeHref = '';
  @state() private draft: RoundDraft = { name: '', kind: 'final', carryOver: 'none', rule: '', value: '', ties: 'include' };
  @state() private editing: number | null = null;
  @state() private editDraft: RoundDraft | null = null;
  @state() private error: unknown = null;
  @state() private fieldErrors: Record<string, string> = {};
  @state() private busy = false;
  /** The round whose reserves (替补) are being managed, with its line-up. */
  @state() private lineupOf: number | null = null;
  @state() private lineup: Lineup | null = null;
  @state() private reserveId = '';
  @state() private reserveReason = '';
  @state() private lineupNote = '';

  private checkRule(d: RoundDraft): string | null {
    if (!d.rule) return null;
    const v = Number(d.value);
    if (d.value.trim() === '' || Number.isNaN(v)) return t('org.field.required');
    if (d.rule === 'top_n' && (!Number.isInteger(v) || v < 1)) return t('org.field.integer');
    if (d.rule === 'top_percent' && (v <= 0 || v > 100)) return t('org.rounds.percentRange');
    if (v < 0) return t('org.field.min', { min: 0 });
    return null;
  }

  private async add(e: SubmitEvent) {
    e.preventDefault();
    const d = this.draft;
    const errs: Record<string, string> = {};
    if (!d.name.trim()) errs.name = t('org.field.required');
    const ruleProblem = this.checkRule(d);
    if (ruleProblem) errs.advancement = ruleProblem;
    this.fieldErrors = errs;
    if (Object.keys(errs).length) return;
    this.busy = true;
    this.error = null;
    try {
      await api('POST', `/api/events/${this.event.id}/rounds`, { name: d.name.trim(), kind: d.kind, carryOver: d.carryOver, advancement: advancementOf(d) });
      this.draft = { name: '', kind: 'final', carryOver: 'none', rule: '', value: '', ties: 'include' };
      this.dispatchEvent(new OrgDataChangedEvent());
    } catch (err) {
      this.error = err;
      this.fieldErrors = Object.fromEntries(Object.entries(fieldErrorsOf(err)).map(([k, v]) => [k.startsWith('advancement') ? 'advancement' : k, v]));
    } finally {
      this.busy = false;
    }
  }

  private startEdit(r: Round) {
    const a = r.advancement;
    this.editing = r.id;
    this.editDraft = {
      name: r.name,
      kind: r.kind,
      carryOver: r.carryOver,
      rule: a?.rule.kind ?? '',
      value: a ? String(a.rule.kind === 'top_n' ? a.rule.n : a.rule.kind === 'top_percent' ? a.rule.percent : a.rule.score) : '',
      ties: a?.tiesAtCut ?? 'include',
    };
    this.fieldErrors = {};
  }

  private async saveEdit(e: SubmitEvent) {
    e.preventDefault();
    const d = this.editDraft!;
    const problem = this.checkRule(d);
    if (problem) {
      this.fieldErrors = { 'edit.advancement': problem };
      return;
    }
    this.busy = true;
    this.error = null;
    try {
      await api('PATCH', `/api/rounds/${this.editing}`, { name: d.name.trim(), kind: d.kind, carryOver: d.carryOver, advancement: advancementOf(d) });
      this.editing = null;
      this.editDraft = null;
      this.dispatchEvent(new OrgDataChangedEvent());
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  private async removeRound(r: Round) {
    this.busy = true;
    this.error = null;
    try {
      await api('DELETE', `/api/rounds/${r.id}`);
      this.dispatchEvent(new OrgDataChangedEvent());
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  private async openLineup(r: Round) {
    if (this.lineupOf === r.id) {
      this.lineupOf = null;
      return;
    }
    this.lineupOf = r.id;
    this.lineup = null;
    this.reserveId = '';
    this.reserveReason = '';
    this.lineupNote = '';
    await this.loadLineup(r.id);
  }

  private async loadLineup(roundId: number) {
    try {
      const [ranking, all] = await Promise.all([
        api<{ staffRows: { entryId: number; number: number | null; name: string; status: Entry['status']; parts: { marksIn: number }[] }[] }>(
          'GET',
          `/api/events/${this.event.id}/ranking?roundId=${roundId}`,
        ),
        fetchAll<Entry>(`/api/events/${this.event.id}/entries`),
      ]);
      const inRound = new Set(ranking.staffRows.map((r) => r.entryId));
      this.lineup = {
        members: ranking.staffRows.map((r) => ({ entryId: r.entryId, number: r.number, name: r.name, status: r.status, marked: r.parts.some((p) => p.marksIn > 0) })),
        candidates: all.filter((e) => !inRound.has(e.id) && (e.status === 'reserve' || e.status === 'registered' || e.status === 'checked_in')),
      };
    } catch (err) {
      this.error = err;
    }
  }

  private async putIn(e: SubmitEvent) {
    e.preventDefault();
    if (!this.reserveId || this.lineupOf == null) return;
    const roundId = this.lineupOf;
    const entry = this.lineup?.candidates.find((c) => c.id === Number(this.reserveId));
    this.busy = true;
    this.error = null;
    try {
      await api('POST', `/api/rounds/${roundId}/entries`, { entryId: Number(this.reserveId), reason: this.reserveReason.trim() || undefined });
      this.lineupNote = t('org.rounds.reserve.done', { name: entry?.name ?? '' });
      this.reserveId = '';
      this.reserveReason = '';
      await this.loadLineup(roundId);
      this.dispatchEvent(new OrgDataChangedEvent());
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  private async takeOut(roundId: number, member: Lineup['members'][number]) {
    this.busy = true;
    this.error = null;
    try {
      await api('DELETE', `/api/rounds/${roundId}/entries/${member.entryId}`);
      this.lineupNote = t('org.rounds.reserve.removed', { name: member.name });
      await this.loadLineup(roundId);
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  /** Reserves (替补) for a later round: who is in it, who left, and who can take a place. */
  private renderLineup(r: Round) {
    const l = this.lineup;
    if (!l) return html`<sc-loading></sc-loading>`;
    const left = l.members.filter((m) => m.status === 'withdrawn' || m.status === 'absent' || m.status === 'disqualified');
    return html`<div class="lineup" data-testid="lineup">
      <p class="muted" style="margin:0 0 8px;font-size:14px">${t('org.rounds.reserve.hint', { n: l.members.length })}</p>
      ${this.lineupNote ? html`<div class="banner ok-banner" role="status">${this.lineupNote}</div>` : nothing}
      ${left.length
        ? html`<ul class="left">
            ${left.map(
              (m) => html`<li>
                <span>${m.number ?? '—'} ${m.name} <span class="chip st-${m.status}">${entryStatusLabel(m.status)}</span></span>
                ${m.marked
                  ? nothing
                  : html`<button type="button" ?disabled=${this.busy} @click=${() => this.takeOut(r.id, m)}>${t('org.rounds.reserve.takeOut')}</button>`}
              </li>`,
            )}
          </ul>`
        : nothing}
      ${l.candidates.length === 0
        ? html`<p class="muted" style="margin:0">${t('org.rounds.reserve.none')}</p>`
        : html`<form class="put" @submit=${this.putIn} novalidate>
            <div class="field">
              <label for=${`res-${r.id}`}>${t('org.rounds.reserve.who')}</label>
              <select id=${`res-${r.id}`} data-testid="reserve-select" @change=${(e: Event) => (this.reserveId = (e.target as HTMLSelectElement).value)}>
                <option value="">—</option>
                ${l.candidates.map(
                  (c) => html`<option value=${c.id} ?selected=${this.reserveId === String(c.id)}>${c.drawnNumber ?? '—'} ${c.name} · ${entryStatusLabel(c.status)}</option>`,
                )}
              </select>
            </div>
            <div class="field">
              <label for=${`why-${r.id}`}>${t('org.rounds.reserve.reason')}</label>
              <input id=${`why-${r.id}`} .value=${this.reserveReason} @input=${(e: Event) => (this.reserveReason = (e.target as HTMLInputElement).value)} />
            </div>
            <button class="primary" type="submit" ?disabled=${this.busy || !this.reserveId} data-testid="put-in">${t('org.rounds.reserve.putIn')}</button>
          </form>`}
    </div>`;
  }

  /** The fields of a round (shared by the add and the edit form). */
  private fields(d: RoundDraft, set: (d: RoundDraft) => void, prefix: string) {
    const errKey = prefix ? `${prefix}.advancement` : 'advancement';
    return html`<div class="grid2">
        <div class="field">
          <label for=${`${prefix}rn`}>${t('org.rounds.name')} *</label>
          <input id=${`${prefix}rn`} .value=${d.name} aria-invalid=${this.fieldErrors.name && !prefix ? 'true' : 'false'} @input=${(e: Event) => set({ ...d, name: (e.target as HTMLInputElement).value })} />
          ${prefix ? nothing : fieldError(this.fieldErrors, 'name')}
        </div>
        <div class="field">
          <label for=${`${prefix}rk`}>${t('org.rounds.kind')}</label>
          <select id=${`${prefix}rk`} @change=${(e: Event) => set({ ...d, kind: (e.target as HTMLSelectElement).value as Round['kind'] })}>
            ${(['preliminary', 'semifinal', 'final'] as const).map((k) => html`<option value=${k} ?selected=${d.kind === k}>${t(`org.rounds.kind.${k}`)}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for=${`${prefix}rc`}>${t('org.rounds.carryOver')}</label>
          <select id=${`${prefix}rc`} @change=${(e: Event) => set({ ...d, carryOver: (e.target as HTMLSelectElement).value as Round['carryOver'] })}>
            ${(['none', 'previous', 'all'] as const).map((k) => html`<option value=${k} ?selected=${d.carryOver === k}>${t(`org.rounds.carry.${k}`)}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for=${`${prefix}ra`}>${t('org.rounds.advancement')}</label>
          <select id=${`${prefix}ra`} @change=${(e: Event) => set({ ...d, rule: (e.target as HTMLSelectElement).value as RuleKind })}>
            <option value="" ?selected=${d.rule === ''}>${t('org.rounds.noAdvancement')}</option>
            ${(['top_n', 'top_percent', 'min_score'] as const).map((k) => html`<option value=${k} ?selected=${d.rule === k}>${t(`org.rounds.rule.${k}`)}</option>`)}
          </select>
        </div>
        ${d.rule
          ? html`<div class="field">
                <label for=${`${prefix}rv`}>${t(`org.rounds.value.${d.rule}`)}</label>
                <input id=${`${prefix}rv`} inputmode="decimal" .value=${d.value} aria-invalid=${this.fieldErrors[errKey] ? 'true' : 'false'} @input=${(e: Event) => set({ ...d, value: (e.target as HTMLInputElement).value })} />
                ${fieldError(this.fieldErrors, errKey)}
              </div>
              <div class="field">
                <label for=${`${prefix}rt`}>${t('org.rounds.ties')}</label>
                <select id=${`${prefix}rt`} @change=${(e: Event) => set({ ...d, ties: (e.target as HTMLSelectElement).value as RoundDraft['ties'] })}>
                  <option value="include" ?selected=${d.ties === 'include'}>${t('org.rounds.ties.include')}</option>
                  <option value="exclude" ?selected=${d.ties === 'exclude'}>${t('org.rounds.ties.exclude')}</option>
                </select>
              </div>`
          : nothing}
      </div>
      <p class="muted" style="font-size:14px;margin:8px 0 0">${t('org.rounds.advancementHint')}</p>`;
  }

  override render() {
    const rounds = this.event.rounds;
    return html`
      ${errorBanner(this.error)}
      <section class="card">
        <h2>${t('org.rounds.title', { n: rounds.length })}</h2>
        <ol class="rounds" data-testid="round-list">
          ${rounds.map(
            (r) => html`<li>
              ${this.editing === r.id && this.editDraft
                ? html`<form @submit=${this.saveEdit} novalidate>
                    ${this.fields(this.editDraft, (d) => (this.editDraft = d), 'edit')}
                    <div class="actions">
                      <button class="primary" type="submit" ?disabled=${this.busy}>${t('org.save')}</button>
                      <button type="button" @click=${() => (this.editing = null)}>${t('org.cancel')}</button>
                    </div>
                  </form>`
                : html`<div class="row">
                    <div style="flex:1 1 260px;min-width:0">
                      <div class="title">${r.seq}. ${r.name}</div>
                      <div class="meta">
                        <span>${t(`org.rounds.kind.${r.kind}`)}</span>
                        <span>${t(`org.rounds.carry.${r.carryOver}`)}</span>
                        <span>${describeAdvancement(r.advancement)}</span>
                        <span class="chip ${r.status === 'open' ? 'st-running' : ''}">${t(`org.rounds.status.${r.status}`)}</span>
                        <span data-testid=${`round-scheme-${r.seq}`}
                          >${r.scheme
                            ? t('org.rounds.scheme.own', {
                                parts: r.scheme.parts.map((p) => (r.scheme!.totaling === 'weighted' ? `${p.name} ${p.weight}%` : p.name)).join(' + '),
                              })
                            : t('org.rounds.scheme.inherits')}</span
                        >
                      </div>
                    </div>
                    ${this.canManage
                      ? html`<a class="btn" href=${`${this.schemeHref}?round=${r.id}`}>${t('org.rounds.scheme.edit')}</a>
                          ${r.seq > rounds[0]!.seq
                            ? html`<button aria-expanded=${this.lineupOf === r.id ? 'true' : 'false'} data-testid=${`reserves-${r.seq}`} @click=${() => this.openLineup(r)}>
                                ${t('org.rounds.reserve.open')}
                              </button>`
                            : nothing}
                          <button @click=${() => this.startEdit(r)}>${t('org.edit')}</button>
                          <button class="danger" ?disabled=${this.busy || rounds.length <= 1} @click=${() => this.removeRound(r)}>${t('org.remove')}</button>`
                      : nothing}
                  </div>
                  ${this.lineupOf === r.id ? this.renderLineup(r) : nothing}`}
            </li>`,
          )}
        </ol>
      </section>
      ${this.canManage
        ? html`<section class="card" style="margin-top:16px">
            <h2>${t('org.rounds.add')}</h2>
            <form @submit=${this.add} novalidate>
              ${this.fields(this.draft, (d) => (this.draft = d), '')}
              <div class="actions"><button class="primary" type="submit" ?disabled=${this.busy}>${t('org.rounds.addButton')}</button></div>
            </form>
          </section>`
        : nothing}
    `;
  }
}
