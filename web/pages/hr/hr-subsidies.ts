import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { PageChosenEvent } from '../../components/pager.ts';
import '../../components/pager.ts';
import type { CertificateBasis } from '../../../server/contracts/certificates.ts';
import { FEIXI_SUBSIDY_RATES, type SubsidyList, type SubsidyRates, type SubsidyRatesView } from '../../../server/contracts/subsidies.ts';
import { errorBanner, fieldErrorsOf, levelText, query, staffStyles, yuan } from '../people/staff-ui.ts';

const LEVELS = [1, 2, 3, 4, 5] as const;
const BASES: CertificateBasis[] = ['exam', 'competition_promotion', 'transfer', 'other'];
const PAGE_SIZE = 50;

type Draft = { amounts: Record<number, string>; bases: Set<CertificateBasis> };

function draftOf(r: Pick<SubsidyRates, 'rates' | 'bases'>): Draft {
  return {
    amounts: Object.fromEntries(LEVELS.map((l) => [l, String(r.rates.find((x) => x.level === l)?.amountYuan ?? '')])),
    bases: new Set(r.bases),
  };
}

/**
 * Training subsidies on certification (培训补贴), a tab of /hr: the rates per level in force
 * (the bureau's own, or inherited from the body above), editable by HR officers and
 * administrators; the year's list of certificates due a subsidy with the amount each and the
 * totals per level; and the .xlsx of it to hand to finance.
 */
@customElement('sc-hr-subsidies')
export class HrSubsidies extends LitElement {
  static override styles = [
    sharedStyles,
    staffStyles,
    css`
      .layout {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 16px;
      }
      @media (min-width: 1200px) {
        .layout {
          grid-template-columns: minmax(0, 2fr) minmax(0, 3fr);
          align-items: start;
        }
      }
      .rates {
        max-width: 420px;
        display: grid;
        grid-template-columns: minmax(0, 1fr) 9em;
        gap: 6px 12px;
        align-items: center;
      }
      .rates label {
        margin: 0;
        color: var(--sc-fg);
      }
      .rates input {
        width: 100%;
        text-align: right;
      }
      .bases {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 16px;
        margin: 8px 0;
      }
      .bases label {
        display: inline-flex;
        align-items: center;
        gap: 8px;
        min-height: 44px;
        margin: 0;
        color: var(--sc-fg);
      }
      .bases input {
        width: 20px;
        height: 20px;
        min-height: 0;
      }
      .buttons {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        margin-top: 12px;
      }
      .yearbar {
        display: flex;
        flex-wrap: wrap;
        gap: 8px 16px;
        align-items: center;
      }
      .yearbar select {
        min-width: 8em;
      }
      .totals td.num,
      .totals th.num,
      td.amount {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      .totals tfoot td {
        font-weight: 700;
      }
      .sum {
        font-size: 20px;
        font-weight: 700;
      }
    `,
  ];
  private readonly locale = new LocaleController(this);
  /** HR officers and administrators edit the rates and export full ID numbers. */
  @property({ type: Boolean }) keeper = false;
  /** The year shown; null until the server's first answer says which year it is now (its clock, not the tablet's). */
  @state() private year: number | null = null;
  /** This year by the server's clock: the year list is counted from it. */
  @state() private currentYear: number | null = null;
  @state() private rates: SubsidyRatesView | null = null;
  @state() private draft: Draft = { amounts: {}, bases: new Set() };
  @state() private list: SubsidyList | null = null;
  @state() private page = 1;
  @state() private error: unknown = null;
  @state() private fieldErrors: Record<string, string> = {};
  @state() private notice = '';
  @state() private busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadRates();
    void this.loadList();
  }

  private async loadRates() {
    try {
      this.rates = await api<SubsidyRatesView>('GET', '/api/certificates/subsidy-rates');
      this.draft = draftOf(this.rates);
    } catch (err) {
      this.error = err;
    }
  }

  private async loadList() {
    try {
      this.list = await api<SubsidyList>('GET', `/api/certificates/subsidies${query({ year: this.year ?? undefined, page: this.page, pageSize: PAGE_SIZE })}`);
      this.year = this.list.year;
      this.currentYear ??= this.list.year;
    } catch (err) {
      this.error = err;
    }
  }

  private async save(e: SubmitEvent) {
    e.preventDefault();
    const rates: SubsidyRates['rates'] = [];
    const errors: Record<string, string> = {};
    for (const level of LEVELS) {
      const text = (this.draft.amounts[level] ?? '').normalize('NFKC').replace(/[,\s]/g, '');
      if (!text) continue;
      const amount = Number(text);
      if (!Number.isFinite(amount) || amount < 0 || !/^\d+(\.\d{1,2})?$/.test(text)) errors[`level${level}`] = t('hr.sub.amountInvalid');
      else if (amount > 0) rates.push({ level, amountYuan: amount });
    }
    if (this.draft.bases.size === 0) errors.bases = t('hr.sub.basesNeeded');
    this.fieldErrors = errors;
    if (Object.keys(errors).length) return;
    this.busy = true;
    this.error = null;
    try {
      this.rates = await api<SubsidyRatesView>('PUT', '/api/certificates/subsidy-rates', { rates, bases: BASES.filter((b) => this.draft.bases.has(b)) });
      this.draft = draftOf(this.rates);
      await this.loadList();
      this.notice = t('hr.sub.saved');
    } catch (err) {
      this.error = err;
      this.fieldErrors = fieldErrorsOf(err);
    } finally {
      this.busy = false;
    }
  }

  private setAmount(level: number, value: string) {
    this.draft = { ...this.draft, amounts: { ...this.draft.amounts, [level]: value } };
    this.notice = '';
  }

  private toggleBasis(basis: CertificateBasis, on: boolean) {
    const bases = new Set(this.draft.bases);
    if (on) bases.add(basis);
    else bases.delete(basis);
    this.draft = { ...this.draft, bases };
  }

  private sourceText(r: SubsidyRatesView): string {
    if (!r.source) return t('hr.sub.none');
    return r.own ? t('hr.sub.own') : t('hr.sub.inherited', { org: r.source.orgName });
  }

  private renderRates() {
    const r = this.rates;
    if (!r) return html`<section class="card"><p class="muted">${t('app.loading')}</p></section>`;
    const editable = this.keeper;
    return html`<section class="card" data-testid="subsidy-rates">
      <h2>${t('hr.sub.ratesTitle')}</h2>
      <p class="muted" data-testid="subsidy-source">${this.sourceText(r)}</p>
      <form @submit=${this.save} novalidate>
        <div class="rates">
          ${LEVELS.map(
            (level) => html`<label for="rate-${level}">${levelText(level)}</label>
              <div>
                <input
                  id="rate-${level}"
                  inputmode="decimal"
                  placeholder="—"
                  aria-describedby="rate-${level}-err"
                  aria-invalid=${this.fieldErrors[`level${level}`] ? 'true' : 'false'}
                  ?readonly=${!editable}
                  .value=${this.draft.amounts[level] ?? ''}
                  @input=${(e: Event) => this.setAmount(level, (e.target as HTMLInputElement).value)}
                />
                ${this.fieldErrors[`level${level}`] ? html`<div class="field-error" id="rate-${level}-err" role="alert">${this.fieldErrors[`level${level}`]}</div>` : nothing}
              </div>`,
          )}
        </div>
        <p class="muted hint" style="margin:8px 0 0">${t('hr.sub.amountHint')}</p>
        <fieldset style="border:none;padding:0;margin:8px 0 0">
          <legend class="muted">${t('hr.sub.bases')}</legend>
          <div class="bases">
            ${BASES.map(
              (b) => html`<label>
                <input type="checkbox" ?disabled=${!editable} .checked=${this.draft.bases.has(b)} @change=${(e: Event) => this.toggleBasis(b, (e.target as HTMLInputElement).checked)} />
                ${t(`hr.basis.${b}`)}
              </label>`,
            )}
          </div>
          ${this.fieldErrors.bases ? html`<div class="field-error" role="alert">${this.fieldErrors.bases}</div>` : nothing}
        </fieldset>
        ${editable
          ? html`<div class="buttons">
              <button class="primary" type="submit" ?disabled=${this.busy} data-testid="subsidy-save">${t('hr.sub.save')}</button>
              <button type="button" @click=${() => (this.draft = draftOf(FEIXI_SUBSIDY_RATES))}>${t('hr.sub.feixi')}</button>
            </div>`
          : nothing}
      </form>
    </section>`;
  }

  private renderList() {
    const l = this.list;
    const thisYear = this.currentYear;
    const years = thisYear == null ? [] : Array.from({ length: 7 }, (_, i) => thisYear + 1 - i);
    return html`<section class="card" data-testid="subsidy-list">
      <h2>${t('hr.sub.listTitle')}</h2>
      <div class="yearbar">
        <label for="sub-year" style="margin:0">${t('hr.sub.year')}</label>
        <select
          id="sub-year"
          @change=${(e: Event) => {
            this.year = Number((e.target as HTMLSelectElement).value);
            this.page = 1;
            void this.loadList();
          }}
        >
          ${years.map((y) => html`<option value=${y} ?selected=${y === this.year}>${y}</option>`)}
        </select>
        <a class="btn primary" href="/api/certificates/subsidies/export${query({ year: this.year ?? undefined })}" download data-testid="subsidy-export">${t('hr.sub.download')}</a>
      </div>
      <p class="muted">${this.keeper ? t('hr.exp.full') : t('hr.exp.masked')}</p>
      ${!l
        ? html`<p class="muted">${t('app.loading')}</p>`
        : l.total === 0
          ? html`<p class="empty">${t('hr.sub.empty', { year: l.year })}</p>`
          : html`
              <div class="table-wrap">
                <table class="totals" data-testid="subsidy-totals">
                  <thead>
                    <tr>
                      <th>${t('hr.col.level')}</th>
                      <th class="num">${t('hr.sub.count')}</th>
                      <th class="num">${t('hr.sub.amount')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${l.totals.byLevel.map(
                      (x) => html`<tr>
                        <td>${levelText(x.level)}</td>
                        <td class="num">${x.count}</td>
                        <td class="num">${yuan(x.amountYuan)}</td>
                      </tr>`,
                    )}
                  </tbody>
                  <tfoot>
                    <tr>
                      <td>${t('hr.sub.total')}</td>
                      <td class="num">${l.totals.count}</td>
                      <td class="num sum" data-testid="subsidy-sum">${yuan(l.totals.amountYuan)}</td>
                    </tr>
                  </tfoot>
                </table>
              </div>
              <div class="table-wrap" style="margin-top:12px">
                <table data-testid="subsidy-rows">
                  <thead>
                    <tr>
                      <th>${t('hr.col.name')}</th>
                      <th>${t('hr.col.level')} · ${t('hr.col.occupation')}</th>
                      <th class="hide-narrow">${t('hr.col.number')}</th>
                      <th>${t('hr.col.date')}</th>
                      <th class="num">${t('hr.sub.amount')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${l.items.map(
                      (r) => html`<tr>
                        <td><a href="/people/${r.personId}">${r.name}</a><div class="muted" style="font-size:13px">${r.idNumber}</div></td>
                        <td>${r.levelLabel}<div class="muted" style="font-size:13px">${r.occupationName} · ${t(`hr.basis.${r.basis}`)}</div></td>
                        <td class="mono hide-narrow">${r.certificateNumber ?? '—'}</td>
                        <td class="nowrap">${r.issueDate}</td>
                        <td class="amount nowrap">${yuan(r.amountYuan)}</td>
                      </tr>`,
                    )}
                  </tbody>
                </table>
              </div>
              <sc-pager hideSingle .page=${l.page} .pageSize=${l.pageSize} .total=${l.total} @sc-page=${(e: PageChosenEvent) => this.go(e.page)}></sc-pager>
            `}
    </section>`;
  }

  private go(page: number) {
    this.page = page;
    void this.loadList();
  }

  override render() {
    return html`
      ${errorBanner(this.error)} ${this.notice ? html`<div class="banner ok-banner" role="status" data-testid="subsidy-notice">${this.notice}</div>` : nothing}
      <div class="layout">${this.renderRates()} ${this.renderList()}</div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-hr-subsidies': HrSubsidies;
  }
}
