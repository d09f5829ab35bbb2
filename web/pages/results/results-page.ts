import { beijingLastDay } from '../../app/beijing-time.ts';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { navigate } from '../../app/navigation.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import '../../i18n/results.ts';
import '../../i18n/teams.ts';
import './results-standings.ts';
import type { EventStandings, TeamStanding } from '../../../server/contracts/standings.ts';
import '../../i18n/judging.ts';
import { sharedStyles } from '../../styles/shared.ts';

type CompetitionItem = { id: number; name: string; grade: string; year: number };
/** A craftsman selection on the public index (GET /api/public/selections). */
type SelectionItem = { id: number; name: string; titleName: string; organiser: string; stage: 'publicity' | 'named'; publicityEndsAt: string | null; namedAt: string | null; listed: number; nominationAwards: number };
type Row = {
  number: number | null;
  rank: number | null;
  name: string;
  idNumberMasked: string;
  delegation: string | null;
  total: number;
  status: string;
  /** Published with a disqualification. */
  disqualifiedReason: string | null;
  prize: { id: number; label: string; tier: number; certificateNumber: string } | null;
  provisional: boolean;
  /** Why the chief judge released the results with this entry's marks incomplete. */
  incompleteReason: string | null;
  /** A team or pair entry's members; `name` is the team's. */
  members?: { name: string; idNumberMasked: string; captain: boolean }[];
  /** Standardised score (mean 500, SD 100), present only where the competition standardises; null when the entry does not count. */
  standardised?: number | null;
  /** Each part's score (theory exam, practical tasks), as the venue screen shows them. */
  parts: { partId: string; score: number | null }[];
};
/** The best of the competition by standardised score (GET /api/public/competitions/:id/standardised). */
type Best = { eventName: string; name: string | null; standardised: number };
type Results = {
  competitionId: number;
  name: string;
  grade: string;
  year: number;
  organisers: string[];
  events: {
    eventId: number;
    eventName: string;
    publicityEndsAt: string | null;
    final: boolean;
    rows: Row[];
    /** The round's parts, in the scheme's order. */
    parts: { id: string; name: string }[];
    teams: { rank: number | null; delegation: string | null; value: number }[] | null;
  }[];
};

/**
 * Published results for the public, without signing in: ranking, prizes and delegations, ID
 * numbers masked, and the publicity period (公示期). Works on a phone.
 */
@customElement('sc-results-page')
export class ResultsPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        max-width: 1100px;
        margin: 0 auto;
        padding: 16px;
      }
      h1 {
        font-size: 24px;
        margin: 8px 0;
      }
      h2 {
        font-size: 20px;
        margin: 0 0 4px;
      }
      section {
        margin: 16px 0;
      }
      .scroll {
        overflow-x: auto;
      }
      .badge {
        display: inline-block;
        padding: 2px 10px;
        border-radius: 999px;
        background: #fff4e5;
        color: var(--sc-warn);
        font-size: 14px;
      }
      .event-head {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: 8px;
      }
      .cert-no {
        font-size: 12px;
        color: var(--sc-muted);
        white-space: nowrap;
      }
      .badge.final {
        background: #e8f5ec;
        color: var(--sc-ok);
      }
      td:nth-child(1),
      td:nth-child(2),
      td:last-child {
        white-space: nowrap;
      }
      .note {
        font-size: 13px;
        color: var(--sc-warn);
      }
      /* A team's members' ID numbers (masked), one a line in the order of the names beside them. */
      .ids {
        font-size: 13px;
        line-height: 1.5;
      }
      .members {
        font-size: 13px;
        color: var(--sc-muted);
        white-space: normal;
      }
      .prize1 {
        color: #b8860b;
        font-weight: 600;
      }
      .state {
        display: inline-block;
        margin-left: 6px;
        padding: 0 8px;
        border-radius: 999px;
        background: #eef1f5;
        color: var(--sc-muted);
        font-size: 14px;
      }
      .reason {
        font-size: 13px;
        color: var(--sc-muted);
        white-space: normal;
        max-width: 16em;
        margin-left: auto;
      }
      .lookup {
        margin: 12px 0;
      }
      .lookup-row {
        display: flex;
        gap: 8px;
        flex-wrap: wrap;
      }
      .lookup-row input {
        flex: 1 1 240px;
        min-width: 0;
        min-height: 44px;
      }
      .lookup .field-error {
        color: var(--sc-bad, #b3261e);
        margin: 4px 0 0;
      }
      li a {
        display: flex;
        align-items: center;
        min-height: 48px;
      }
      @media (max-width: 600px) {
        .wide {
          display: none;
        }
        th,
        td {
          padding: 6px 4px;
          font-size: 15px;
        }
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  @property() path = location.pathname;
  @state() private list: CompetitionItem[] | null = null;
  @state() private selections: SelectionItem[] = [];
  @state() private results: Results | null = null;
  /** Final standings of events with several rounds, and the team standing (none: 404, left out). */
  @state() private standings: { events: EventStandings[]; teamStanding: TeamStanding | null } | null = null;
  @state() private best: Best[] = [];
  @state() private error = '';
  /** The certificate number being checked (?certificate=, from a QR code or typed in the box). */
  @state() private certificate = '';
  @state() private lookupError = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('path') && changed.get('path') !== undefined) void this.load();
  }

  private async load() {
    const id = /^\/results\/(\d+)$/.exec(this.path)?.[1];
    this.error = '';
    this.certificate = new URLSearchParams(location.search).get('certificate')?.trim().toUpperCase() ?? '';
    if (!id) this.results = null;
    try {
      if (id) {
        this.results = await api<Results>('GET', `/api/public/competitions/${id}/results`);
        this.standings = await api<{ events: EventStandings[]; teamStanding: TeamStanding | null }>('GET', `/api/public/competitions/${id}/standings`).catch(() => null);
        // The best of the competition, where the organiser named one; the results stand without it.
        this.best = await api<{ best: Best[] }>('GET', `/api/public/competitions/${id}/standardised`).then((s) => s.best, () => []);
      }
      else [this.list, this.selections] = await Promise.all([api<CompetitionItem[]>('GET', '/api/public/results'), api<SelectionItem[]>('GET', '/api/public/selections')]);
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  /** 缺考 / 取消资格 / 退赛, or '' for an entry that took part to the end. */
  /**
   * The certificate a visitor came to check (the QR code on an award certificate opens
   * /results/:id?certificate=JS…): the row it belongs to, or null when no prize has that number.
   */
  private certificateCheck(r: Results) {
    const number = this.certificate;
    if (!number) return nothing;
    for (const ev of r.events)
      for (const row of ev.rows)
        if (row.prize?.certificateNumber === number)
          return html`<div class="banner ok-banner" role="status" data-testid="certificate-check">
            ${t('results.certificateValid', { number, name: row.name, event: ev.eventName, prize: row.prize.label })}
          </div>`;
    return html`<div class="banner error-banner" role="alert" data-testid="certificate-check">${t('results.certificateUnknown', { number })}</div>`;
  }

  /**
   * Anyone holding a certificate can check it by its number: an award certificate's number names
   * its competition (JS2026-0004-000001), a craftsman title's its selection (GJ2026-0003-001).
   */
  private lookUp(e: SubmitEvent) {
    e.preventDefault();
    const number = String(new FormData(e.target as HTMLFormElement).get('number') ?? '')
      .replace(/\s/g, '')
      .toUpperCase();
    const award = /^JS\d{4}-(\d{4})-\d{6}$/.exec(number);
    const title = /^GJ\d{4}-(\d{4})-\d{3}$/.exec(number);
    this.lookupError = award || title ? '' : t('results.lookup.bad');
    if (title) return navigate(`/selections/${Number(title[1])}/certificate/${number}`);
    if (!award) return;
    const path = `/results/${Number(award[1])}`;
    if (path === this.path) {
      history.replaceState(null, '', `${path}?certificate=${encodeURIComponent(number)}`);
      this.certificate = number;
    } else navigate(`${path}?certificate=${encodeURIComponent(number)}`);
  }

  private renderLookup() {
    return html`<form class="lookup card" @submit=${this.lookUp} novalidate data-testid="certificate-lookup">
      <label for="cert-number">${t('results.lookup.label')}</label>
      <div class="lookup-row">
        <input id="cert-number" name="number" autocomplete="off" placeholder=${t('results.lookup.placeholder')} aria-invalid=${this.lookupError ? 'true' : 'false'} />
        <button type="submit">${t('results.lookup.submit')}</button>
      </div>
      ${this.lookupError ? html`<p class="field-error" role="alert" data-testid="lookup-error">${this.lookupError}</p>` : nothing}
    </form>`;
  }

  private stateOf(row: Row): string {
    return row.status === 'absent' || row.status === 'disqualified' || row.status === 'withdrawn' ? t(`results.status.${row.status}`) : '';
  }

  override render() {
    if (this.error) return html`<p class="error">${t('app.error', { message: this.error })}</p>`;
    const r = this.results;
    if (!r) {
      return html`<h1>${t('results.title')}</h1>
        ${this.list?.length
          ? html`<ul class="card">
              ${this.list.map((c) => html`<li><a href="/results/${c.id}">${c.name}（${c.grade}）</a></li>`)}
            </ul>`
          : html`<p class="muted">${this.list ? t('results.none') : t('app.loading')}</p>`}
        ${this.renderLookup()}
        ${this.selections.length
          ? html`<h2>${t('results.selections')}</h2>
              <ul class="card" data-testid="public-selections">
                ${this.selections.map(
                  (x) => html`<li>
                    <a href="/selections/${x.id}/public">${x.name}</a>
                    <span class="badge">${x.stage === 'publicity' ? t('results.selectionPublicity', { date: x.publicityEndsAt ? beijingLastDay(x.publicityEndsAt) : '' }) : x.nominationAwards ? t('results.selectionNamedAndAwards', { n: x.listed - x.nominationAwards, awards: x.nominationAwards }) : t('results.selectionNamed', { n: x.listed })}</span>
                    <span class="muted">${x.organiser}</span>
                  </li>`,
                )}
              </ul>`
          : nothing}`;
    }
    return html`
      <h1>${r.name}</h1>
      <p class="muted">${t('results.organisers')}：${r.organisers.join('、')}</p>
      <p>
        <a class="btn" href="/api/public/competitions/${r.competitionId}/results.xlsx" download data-testid="results-xlsx">${t('results.downloadAll')}</a>
        <a class="btn" href="/api/public/competitions/${r.competitionId}/package" download="competition-${r.competitionId}.json" data-testid="results-package">${t('results.package')}</a>
      </p>
      <p class="muted small" data-testid="package-hint">${t('results.packageHint')}</p>
      ${this.certificateCheck(r)} ${this.renderLookup()}
      ${this.best.length
        ? html`<div class="banner ok-banner" data-testid="best-of-competition">
            <strong>${t('jq.std.bestLabel')}</strong>：${this.best.map((b) => `${b.name ?? ''}（${b.eventName}，${t('jq.std.score')} ${b.standardised.toFixed(2)}）`).join('、')}
          </div>`
        : nothing}
      ${r.events.map(
        (ev) => html`<section class="card">
          <div class="event-head">
            <h2>${ev.eventName}</h2>
            <a class="btn" href="/api/public/events/${ev.eventId}/results.xlsx" download data-testid="event-results-xlsx">${t('results.downloadEvent')}</a>
          </div>
          <p>
            ${ev.final
              ? html`<span class="badge final">${t('results.final')}</span>`
              : ev.publicityEndsAt
                ? html`<span class="badge">${t('results.publicity', { date: beijingLastDay(ev.publicityEndsAt) })}</span>`
                : ''}
          </p>
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th>${t('results.rank')}</th>
                  <th>${t('results.name')}</th>
                  <th class="wide">${t('results.id')}</th>
                  ${ev.rows.some((x) => x.delegation) ? html`<th>${t('results.delegation')}</th>` : nothing}
                  ${ev.parts.map((p) => html`<th class="num wide" data-testid="part-head">${p.name}</th>`)}
                  <th class="num">${t('results.total')}</th>
                  ${ev.rows.some((x) => x.standardised !== undefined) ? html`<th class="num">${t('jq.std.score')}</th>` : nothing}
                  <th>${t('results.prize')}</th>
                </tr>
              </thead>
              <tbody>
                ${ev.rows.map(
                  (row) => html`<tr>
                    <td>${row.rank ?? '—'}</td>
                    <td>
                      ${row.name}
                      ${row.members?.length && row.members.map((m) => m.name).join('、') !== row.name
                        ? html`<div class="members" data-testid="members-${row.number}">
                            ${row.members.map((m, i) => html`${i ? '、' : ''}${m.name}${m.captain ? t('team.captainMark') : ''}`)}
                          </div>`
                        : ''}
                      ${row.incompleteReason
                        ? html`<div class="note" data-testid="incomplete-reason-${row.number}">${t('results.incomplete', { reason: row.incompleteReason })}</div>`
                        : ''}
                    </td>
                    <td class="wide">
                      ${row.members && row.members.length > 1
                        ? html`<div class="ids" data-testid="member-ids-${row.number}">${row.members.map((m) => html`<div>${m.idNumberMasked}</div>`)}</div>`
                        : row.idNumberMasked}
                    </td>
                    ${ev.rows.some((x) => x.delegation) ? html`<td>${row.delegation ?? ''}</td>` : nothing}
                    ${ev.parts.map((p) => {
                      const score = row.parts.find((x) => x.partId === p.id)?.score ?? null;
                      return html`<td class="num wide" data-testid="part-score">${score === null ? '—' : score.toFixed(2)}</td>`;
                    })}
                    <td class="num">
                      ${this.stateOf(row) && row.rank === null ? nothing : row.total.toFixed(2)}
                      ${this.stateOf(row)
                        ? html`<span class="state" data-testid="row-state">${this.stateOf(row)}</span>${row.disqualifiedReason
                              ? html`<div class="reason">${row.disqualifiedReason}</div>`
                              : nothing}`
                        : nothing}
                    </td>
                    ${ev.rows.some((x) => x.standardised !== undefined)
                      ? html`<td class="num" data-testid="standardised">${row.standardised == null ? '—' : row.standardised.toFixed(2)}</td>`
                      : nothing}
                    <td class=${row.prize?.tier === 1 ? 'prize1' : ''}>
                      ${row.prize
                        ? html`<a href="/award/${row.prize.id}">${row.prize.label}</a><div class="cert-no">${row.prize.certificateNumber}</div>`
                        : ''}
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>
          ${ev.teams?.length
            ? html`<h3>${t('results.teams')}</h3>
                <table>
                  <tbody>
                    ${ev.teams.map((tm) => html`<tr><td>${tm.rank ?? '—'}</td><td>${tm.delegation ?? ''}</td><td class="num">${tm.value.toFixed(2)}</td></tr>`)}
                  </tbody>
                </table>`
            : ''}
          <sc-final-standings .data=${this.standings?.events.find((x) => x.eventId === ev.eventId) ?? null}></sc-final-standings>
        </section>`,
      )}
      <sc-team-standing .data=${this.standings?.teamStanding ?? null}></sc-team-standing>
    `;
  }
}
