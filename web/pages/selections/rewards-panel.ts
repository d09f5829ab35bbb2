import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError } from '../../api/client.ts';
import { beijingToday } from '../../app/beijing-time.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { sharedStyles } from '../../styles/shared.ts';
import { errorBanner, fieldError, fieldErrorsOf, staffStyles, yuan } from '../people/staff-ui.ts';
import { fieldText, type Payment, type Rewards } from './selection-types.ts';

type PayForm = { candidateId: string; paidOn: string; amountYuan: string; voucherNumber: string; budgetYear: string };

/**
 * `<sc-sel-rewards>`: a named selection's reward money: what each named craftsman (and nomination
 * award winner) is due, has been paid and is still owed, the totals per budget year, and a form to
 * record a payment with its voucher (more than is due is refused by the server).
 *
 * @property selectionId - the selection
 * @property manage - the staff member may record payments
 */
@customElement('sc-sel-rewards')
export class RewardsPanel extends LitElement {
  static override styles = [
    sharedStyles,
    staffStyles,
    css`
      :host {
        padding: 0;
        max-width: none;
      }
      .summary {
        font-size: 17px;
        font-weight: 600;
        margin: 0 0 8px;
      }
      form {
        margin-top: 16px;
      }
    `,
  ];

  private readonly locale = new LocaleController(this);
  @property({ type: Number }) selectionId = 0;
  @property({ type: Boolean }) manage = false;
  @state() private rewards: Rewards | null = null;
  @state() private error: unknown = null;
  @state() private payError: unknown = null;
  @state() private errors: Record<string, string> = {};
  @state() private saving = false;
  /** The amount just recorded (worded at render time). */
  @state() private done: number | null = null;
  @state() private f: PayForm = { candidateId: '', paidOn: beijingToday(), amountYuan: '', voucherNumber: '', budgetYear: beijingToday().slice(0, 4) };

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('selectionId') && this.selectionId) void this.load();
  }

  private async load() {
    try {
      this.rewards = await api<Rewards>('GET', `/api/selections/${this.selectionId}/rewards`);
      const open = this.rewards.recipients.find((r) => r.outstanding > 0 && !r.revoked);
      if (!this.f.candidateId && open) this.f = { ...this.f, candidateId: String(open.candidateId), amountYuan: String(open.outstanding) };
    } catch (err) {
      this.error = err;
    }
  }

  private set(key: keyof PayForm, value: string) {
    this.f = { ...this.f, [key]: value };
    if (this.errors[key]) this.errors = { ...this.errors, [key]: '' };
  }

  private async pay(e: Event) {
    e.preventDefault();
    this.payError = null;
    this.done = null;
    const f = this.f;
    const errors: Record<string, string> = {};
    if (!f.candidateId) errors.candidateId = t('sel.new.required');
    if (!f.paidOn) errors.paidOn = t('sel.new.required');
    if (!(Number(f.amountYuan) > 0)) errors.amountYuan = t('sel.pay.badAmount');
    if (!f.voucherNumber.trim()) errors.voucherNumber = t('sel.new.required');
    if (!/^\d{4}$/.test(f.budgetYear)) errors.budgetYear = t('sel.new.badYear');
    this.errors = errors;
    if (Object.keys(errors).length) return;
    this.saving = true;
    try {
      const paid = await api<Payment>('POST', `/api/selections/${this.selectionId}/reward-payments`, {
        candidateId: Number(f.candidateId),
        paidOn: f.paidOn,
        amountYuan: Number(f.amountYuan),
        voucherNumber: f.voucherNumber.trim(),
        budgetYear: Number(f.budgetYear),
      });
      this.done = paid.amountYuan;
      this.f = { ...this.f, candidateId: '', amountYuan: '', voucherNumber: '' };
      await this.load();
    } catch (err) {
      const named = fieldErrorsOf(err);
      const mapped: Record<string, string> = {};
      for (const [k, v] of Object.entries(named)) if (k in f) mapped[k] = fieldText(v) ?? '';
      if (err instanceof ApiError && err.code === 'overpayment' && typeof err.params.outstanding === 'number')
        mapped.amountYuan = t('sel.pay.atMost', { n: yuan(err.params.outstanding) });
      this.errors = mapped;
      this.payError = err;
    } finally {
      this.saving = false;
    }
  }

  private input(key: keyof PayForm, label: string, opts: { type?: string; inputmode?: string } = {}) {
    const err = this.errors[key];
    return html`<div class="field">
      <label for="pay-${key}">${label}</label>
      <input
        id="pay-${key}"
        type=${opts.type ?? 'text'}
        inputmode=${opts.inputmode ?? nothing}
        .value=${this.f[key]}
        aria-invalid=${err ? 'true' : 'false'}
        aria-describedby=${err ? `err-pay-${key}` : nothing}
        data-testid="pay-${key}"
        @input=${(e: InputEvent) => this.set(key, (e.target as HTMLInputElement).value)}
      />
      ${fieldError(err, `err-pay-${key}`)}
    </div>`;
  }

  private renderForm(r: Rewards) {
    const open = r.recipients.filter((x) => x.outstanding > 0 && !x.revoked);
    if (!open.length) return nothing;
    return html`<form @submit=${this.pay} novalidate data-testid="pay-form">
      <h3>${t('sel.pay.heading')}</h3>
      ${errorBanner(this.payError)}
      <div class="grid2">
        <div class="field">
          <label for="pay-candidateId">${t('sel.pay.recipient')}</label>
          <select
            id="pay-candidateId"
            data-testid="pay-candidateId"
            aria-invalid=${this.errors.candidateId ? 'true' : 'false'}
            @change=${(e: Event) => {
              const id = (e.target as HTMLSelectElement).value;
              const rec = open.find((x) => String(x.candidateId) === id);
              this.f = { ...this.f, candidateId: id, amountYuan: rec ? String(rec.outstanding) : this.f.amountYuan };
            }}
          >
            <option value="" ?selected=${!this.f.candidateId}>${t('sel.pub.choose')}</option>
            ${open.map((x) => html`<option value=${x.candidateId} ?selected=${String(x.candidateId) === this.f.candidateId}>${x.personName}（${yuan(x.outstanding)}）</option>`)}
          </select>
          ${fieldError(this.errors.candidateId, 'err-pay-candidateId')}
        </div>
        ${this.input('paidOn', t('sel.pay.date'), { type: 'date' })} ${this.input('amountYuan', t('sel.pay.amount'), { inputmode: 'decimal' })}
        ${this.input('voucherNumber', t('sel.pay.voucher'))} ${this.input('budgetYear', t('sel.pay.budgetYear'), { inputmode: 'numeric' })}
      </div>
      <div class="row" style="margin-top:12px">
        <button type="submit" class="primary" ?disabled=${this.saving} data-testid="pay-submit">${t('sel.pay.submit')}</button>
      </div>
    </form>`;
  }

  override render() {
    const r = this.rewards;
    if (!r) return html`${errorBanner(this.error)}<p class="muted">${this.error ? '' : t('app.loading')}</p>`;
    return html`<div class="card" data-testid="rewards">
      <h2>${t('sel.rewards.heading')}</h2>
      ${errorBanner(this.error)} ${this.done !== null ? html`<div class="banner ok-banner" role="status">${t('sel.pay.ok', { amount: yuan(this.done) })}</div>` : nothing}
      ${r.recipients.length === 0 || r.due === 0
        ? html`<p class="empty">${t('sel.rewards.none')}</p>`
        : html`<p class="summary" data-testid="rewards-summary">${t('sel.rewards.summary', { due: yuan(r.due), paid: yuan(r.paid), outstanding: yuan(r.outstanding) })}</p>
            ${r.byBudgetYear.map((y) => html`<div class="hint">${t('sel.pay.byYear', { year: y.budgetYear, paid: yuan(y.paid), n: y.payments })}</div>`)}
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>${t('sel.rewards.recipient')}</th>
                    <th>${t('sel.rewards.award')}</th>
                    <th class="num">${t('sel.rewards.due')}</th>
                    <th class="num">${t('sel.rewards.paid')}</th>
                    <th class="num">${t('sel.rewards.outstanding')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${r.recipients.map(
                    (x) => html`<tr>
                      <td>${x.personName} ${x.revoked ? html`<span class="badge bad">${t('sel.rewards.revoked')}</span>` : nothing}</td>
                      <td>${t(`sel.list.award.${x.award}`)}</td>
                      <td class="num">${yuan(x.due)}</td>
                      <td class="num">${yuan(x.paid)}</td>
                      <td class="num">${yuan(x.outstanding)}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>
            ${r.payments.length
              ? html`<h3>${t('sel.pay.payments')}</h3>
                  <div class="table-wrap">
                    <table data-testid="payments">
                      <thead>
                        <tr>
                          <th>${t('sel.pay.date')}</th>
                          <th>${t('sel.pay.recipient')}</th>
                          <th class="num">${t('sel.pay.amount')}</th>
                          <th>${t('sel.pay.voucher')}</th>
                          <th>${t('sel.pay.budgetYear')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        ${r.payments.map((p) => {
                          const who = r.recipients.find((x) => x.candidateId === p.candidateId);
                          return html`<tr>
                            <td class="nowrap">${p.paidOn}</td>
                            <td>${who?.personName ?? ''}</td>
                            <td class="num">${yuan(p.amountYuan)}</td>
                            <td class="mono">${p.voucherNumber}</td>
                            <td class="nowrap">${p.budgetYear}</td>
                          </tr>`;
                        })}
                      </tbody>
                    </table>
                  </div>`
              : nothing}
            ${this.manage ? this.renderForm(r) : nothing}`}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sc-sel-rewards': RewardsPanel;
  }
}
