import { css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { z } from 'zod';
import { api } from '../../api/client.ts';
import { t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';
import '../../i18n/teams.ts';
import type { personRecordSchema } from '../../../server/contracts/people.ts';
import { errorBanner, formatDate, levelText, StaffPage, staffStyles, yuan } from './staff-ui.ts';

type PersonRecord = z.infer<typeof personRecordSchema>;
type PublishedResults = { events: { eventId: number; rows: { name: string; idNumberMasked: string; prize: { id: number } | null }[] }[] };

/** The public form of an ID number (340123********1234); a masked one stays as it is. */
function masked(id: string): string {
  return id.length === 18 ? `${id.slice(0, 6)}********${id.slice(14)}` : id;
}

/**
 * /people/:id — one page per person: competitions and results, prizes (each linked to its
 * printable award certificate), titles, and certified skill levels over time as a timeline.
 */
@customElement('sc-person-page')
export class PersonPage extends StaffPage {
  static override styles = [
    sharedStyles,
    staffStyles,
    css`
      .head {
        display: flex;
        flex-wrap: wrap;
        gap: 8px 24px;
        align-items: baseline;
      }
      .head h1 {
        margin: 0;
        font-size: 28px;
      }
      dl.facts {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(190px, 1fr));
        gap: 8px 16px;
        margin: 12px 0 0;
      }
      dl.facts div {
        min-width: 0;
      }
      dt {
        color: var(--sc-muted);
        font-size: 13px;
      }
      dd {
        margin: 2px 0 0;
        overflow-wrap: anywhere;
      }
      .counts {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        margin-top: 12px;
      }
      .layout {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 16px;
        margin-top: 16px;
      }
      @media (min-width: 1200px) {
        .layout {
          grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
        }
      }
      .col {
        display: grid;
        gap: 16px;
        align-content: start;
        min-width: 0;
      }
      section.card h2 {
        margin-bottom: 8px;
      }
      ul.plain {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      ul.plain li {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 12px;
        align-items: center;
        padding: 8px 0;
        border-bottom: 1px solid var(--sc-line);
        min-height: 44px;
      }
      ul.plain li:last-child {
        border-bottom: none;
      }
      .prize-label {
        font-weight: 700;
        color: var(--sc-accent);
      }
      .title-name {
        font-weight: 600;
      }
      ol.timeline {
        list-style: none;
        margin: 0;
        padding: 0 0 0 22px;
        border-left: 3px solid var(--sc-line);
      }
      ol.timeline li {
        position: relative;
        padding: 0 0 18px 12px;
      }
      ol.timeline li::before {
        content: '';
        position: absolute;
        left: -31px;
        top: 4px;
        width: 14px;
        height: 14px;
        border-radius: 50%;
        background: var(--sc-accent);
        border: 3px solid var(--sc-card);
        box-shadow: 0 0 0 1px var(--sc-accent);
      }
      ol.timeline li.pending::before {
        background: var(--sc-card);
        box-shadow: 0 0 0 2px var(--sc-warn);
      }
      .when {
        color: var(--sc-muted);
        font-size: 14px;
        font-variant-numeric: tabular-nums;
      }
      .level {
        font-size: 18px;
        font-weight: 700;
        margin: 2px 0;
      }
      .meta {
        font-size: 14px;
        color: var(--sc-muted);
        overflow-wrap: anywhere;
      }
      td.rank {
        white-space: nowrap;
        font-variant-numeric: tabular-nums;
      }
      .event {
        font-weight: 600;
      }
    `,
  ];

  /** /people/:id, set by the shell. */
  @property() path = '';
  @state() private record: PersonRecord | null = null;
  @state() private awardIds = new Map<number, number>();
  @state() private error: unknown = null;

  private get personId(): number {
    return Number(/^\/people\/(\d+)/.exec(this.path)?.[1] ?? NaN);
  }

  /** The path whose record was asked for (once someone is signed in: a visitor is sent no request). */
  private loadedFor = '';

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (this.staff && this.loadedFor !== this.path) {
      this.loadedFor = this.path;
      void this.load();
    }
  }

  private async load() {
    this.error = null;
    this.record = null;
    this.awardIds = new Map();
    try {
      this.record = await api<PersonRecord>('GET', `/api/people/${this.personId}/record`);
      void this.findAwardCertificates(this.record);
    } catch (err) {
      this.error = err;
    }
  }

  /**
   * The award certificate of each prize: the published results carry the prize ids, matched by
   * event, name and masked ID number (the record has no prize id of its own).
   */
  private async findAwardCertificates(record: PersonRecord) {
    const competitions = new Set(record.results.filter((r) => record.prizes.some((p) => p.eventId === r.eventId)).map((r) => r.competitionId));
    const found = new Map<number, number>();
    const mask = masked(record.person.idNumber);
    for (const id of competitions) {
      try {
        const published = await api<PublishedResults>('GET', `/api/public/competitions/${id}/results`);
        for (const e of published.events) {
          const mine = e.rows.find((r) => r.prize && r.name === record.person.name && r.idNumberMasked === mask);
          if (mine?.prize) found.set(e.eventId, mine.prize.id);
        }
      } catch {
        /* not published: the prize is shown without a certificate link */
      }
    }
    this.awardIds = found;
  }

  override render() {
    if (!this.staff) return html`<h1>${t('pp.title')}</h1>${this.signInPrompt()}`;
    if (this.error) return html`<p><a href="/people">${t('pp.back')}</a></p>${errorBanner(this.error)}`;
    const r = this.record;
    if (!r) return html`<p class="muted">${t('app.loading')}</p>`;
    const p = r.person;
    return html`
      <p style="margin:0"><a class="tap" href="/people">${t('pp.back')}</a></p>
      <section class="card" data-testid="person-head">
        <div class="head">
          <h1>${p.name}</h1>
          <span class="badge accent">${t('pp.currentLevel', { level: levelText(p.skillLevel) })}</span>
        </div>
        <dl class="facts">
          <div><dt>${t('pp.idNumber')}</dt><dd class="mono">${p.idNumber}</dd></div>
          <div><dt>${t('pp.gender')} · ${t('pp.birthDate')}</dt><dd>${t(`pp.gender.${p.gender}`)} · ${p.birthDate ?? t('pp.bornIn', { year: p.birthYear })}</dd></div>
          <div><dt>${t('pp.employer')}</dt><dd>${r.employerName ?? '—'}</dd></div>
          <div><dt>${t('pp.occupation')}</dt><dd>${p.occupationName ?? '—'}${p.occupationCode ? html` <span class="muted">${p.occupationCode}</span>` : nothing}</dd></div>
        </dl>
        <div class="counts">
          <span class="badge">${t('pp.count.results', { n: r.results.length })}</span>
          <span class="badge">${t('pp.count.prizes', { n: r.prizes.length })}</span>
          <span class="badge">${t('pp.count.titles', { n: r.titles.length })}</span>
          <span class="badge">${t('pp.count.levels', { n: r.certificates.length })}</span>
        </div>
      </section>
      <div class="layout">
        <div class="col">${this.renderResults(r)} ${this.renderPrizes(r)}</div>
        <div class="col">${this.renderTitles(r)} ${this.renderLevels(r)}</div>
      </div>
    `;
  }

  private renderResults(r: PersonRecord) {
    return html`<section class="card" data-testid="results">
      <h2>${t('pp.results')}</h2>
      ${r.results.length === 0
        ? html`<p class="empty">${t('ui.none')}</p>`
        : html`<div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>${t('pp.col.year')}</th>
                  <th>${t('pp.col.competition')}</th>
                  <th class="hide-narrow">${t('pp.col.delegation')}</th>
                  <th>${t('pp.col.rank')}</th>
                  <th class="num">${t('pp.col.total')}</th>
                </tr>
              </thead>
              <tbody>
                ${r.results.map(
                  (x) => html`<tr>
                    <td class="nowrap">${x.year}</td>
                    <td>
                      <div class="event">${x.eventName}</div>
                      <div class="meta">${x.competitionName}（${t('pp.grade', { grade: x.grade })}）</div>
                      ${x.team ? html`<div class="meta" data-testid="team-${x.entryId}">${t('people.record.team')}：${x.team}</div>` : nothing}
                    </td>
                    <td class="hide-narrow">${x.delegation ?? '—'}</td>
                    <td class="rank">
                      ${x.status === 'absent' || x.status === 'disqualified' || x.status === 'withdrawn'
                        ? html`${x.released && x.rank ? t('pp.rankOf', { rank: x.rank, n: x.finalists ?? '—' }) : nothing}
                            <span class="badge bad">${t(`pp.status.${x.status}`)}</span>`
                        : x.released && x.rank
                          ? t('pp.rankOf', { rank: x.rank, n: x.finalists ?? '—' })
                          : html`<span class="badge">${t('pp.notReleased')}</span>`}
                    </td>
                    <td class="num">${x.total == null ? '—' : x.total.toFixed(2)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`}
    </section>`;
  }

  private renderPrizes(r: PersonRecord) {
    return html`<section class="card" data-testid="prizes">
      <h2>${t('pp.prizes')}</h2>
      ${r.prizes.length === 0
        ? html`<p class="empty">${t('ui.none')}</p>`
        : html`<ul class="plain">
            ${r.prizes.map((p) => {
              const id = this.awardIds.get(p.eventId);
              return html`<li>
                <span class="prize-label">${p.label}</span>
                <span>${p.eventName}</span>
                ${p.moneyYuan > 0 ? html`<span class="muted">${t('ui.yuan', { n: yuan(p.moneyYuan) })}</span>` : nothing}
                <span class="spacer"></span>
                ${id ? html`<a class="btn" href="/award/${id}" data-testid="award-link">${t('pp.certificate')}</a>` : nothing}
              </li>`;
            })}
          </ul>`}
    </section>`;
  }

  private renderTitles(r: PersonRecord) {
    return html`<section class="card" data-testid="titles">
      <h2>${t('pp.titles')}</h2>
      ${r.titles.length === 0
        ? html`<p class="empty">${t('ui.none')}</p>`
        : html`<ul class="plain">
            ${r.titles.map(
              (x) => html`<li>
                <span class="title-name">${x.name}</span>
                <span class="badge">${t(`pp.titleLevel.${x.level}`)}</span>
                <span class="muted">${t('pp.conferred', { date: formatDate(x.conferredAt) })}</span>
                ${x.rewardYuan > 0 ? html`<span class="muted">${t('pp.reward', { n: yuan(x.rewardYuan) })}</span>` : nothing}
                ${x.termEnds ? html`<span class="muted">${t('pp.termEnds', { date: x.termEnds })}</span>` : nothing}
                ${x.standing !== 'active' ? html`<span class="badge ${x.standing === 'revoked' ? 'bad' : 'warn'}" data-testid="title-standing">${t(`pp.standing.${x.standing}`)}</span>` : nothing}
                ${x.certificateNumber && x.selectionId && x.standing !== 'revoked'
                  ? html`<a href="/selections/${x.selectionId}/certificate/${encodeURIComponent(x.certificateNumber)}">${t('pp.certNo')} <span class="mono">${x.certificateNumber}</span></a>`
                  : nothing}
                ${x.revokeReason ? html`<div class="muted small">${t('pp.revokeReason', { reason: x.revokeReason })}</div>` : nothing}
              </li>`,
            )}
          </ul>`}
    </section>`;
  }

  /** Oldest first, pending (undated) last: the server's order. */
  private renderLevels(r: PersonRecord) {
    return html`<section class="card" data-testid="levels">
      <h2>${t('pp.levels')}</h2>
      ${r.certificates.length === 0
        ? html`<p class="empty">${t('ui.none')}</p>`
        : html`<ol class="timeline">
            ${r.certificates.map(
              (c) => html`<li class=${c.status === 'pending' ? 'pending' : ''}>
                <div class="when">${c.status === 'pending' ? html`<span class="badge warn">${t('pp.pending')}</span>` : c.issueDate}</div>
                <div class="level">${levelText(c.level)}</div>
                <div>${c.occupationName} <span class="muted">${c.occupationCode}${c.trade && c.trade !== '--' ? ` · ${c.trade}` : ''}</span></div>
                <div class="meta">
                  ${t(`pp.basis.${c.basis}`)}${c.certificateNumber ? html` · ${t('pp.certNo')} <span class="mono">${c.certificateNumber}</span>` : nothing}${c.evaluationBody
                    ? html` · ${c.evaluationBody}`
                    : nothing}
                </div>
              </li>`,
            )}
          </ol>`}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-person-page': PersonPage;
  }
}
