import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../../api/client.ts';
import { LocaleController, t } from '../../app/i18n.ts';
import { navigate } from '../../app/navigation.ts';
import { sharedStyles } from '../../styles/shared.ts';
import type { StudioSettings } from '../../../server/contracts/studios.ts';
import {
  checkedValues,
  errorBanner,
  fieldError,
  fieldErrorsOf,
  revealAlert,
  formValues,
  FUNCTIONS,
  HONOURS,
  honourLabel,
  KINDS,
  kindLabel,
  skillLabel,
  studioStyles,
  todayIso,
  type HostChoice,
  type PersonChoice,
  type StudioDetail,
} from './studios-shared.ts';

/**
 * An application (申报) for a studio, registered by the union (or, for skill-master studios, the
 * HR bureau) on behalf of the host employer: the kind's leader rule is shown as the leader is
 * chosen and checked by the server, which names the field when it refuses.
 */
@customElement('sc-studio-form')
export class StudioForm extends LitElement {
  static override styles = [sharedStyles, studioStyles];
  private readonly locale = new LocaleController(this);

  @property() staffRole = '';
  @state() private hosts: HostChoice[] = [];
  @state() private people: PersonChoice[] = [];
  @state() private settings: StudioSettings | null = null;
  @state() private kind = 'worker';
  @state() private hostId = 0;
  @state() private leaderId = 0;
  @state() private error: unknown = null;
  @state() private errors: Record<string, string> = {};
  @state() private busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.staffRole === 'hr_officer') this.kind = 'skill_master';
    void Promise.all([api<HostChoice[]>('GET', '/api/studio-lookups/hosts'), api<StudioSettings>('GET', '/api/studios/settings')])
      .then(([hosts, settings]) => {
        this.hosts = hosts;
        this.settings = settings;
      })
      .catch((err) => (this.error = err));
  }

  private async chooseHost(id: number) {
    this.hostId = id;
    this.leaderId = 0;
    this.people = id ? await api<PersonChoice[]>('GET', `/api/studio-lookups/people?employerId=${id}`).catch(() => []) : [];
  }

  private async submit(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const v = formValues(form);
    this.busy = true;
    this.error = null;
    this.errors = {};
    try {
      const created = await api<StudioDetail>('POST', '/api/studios', {
        name: v.name,
        kind: v.kind,
        hostEmployerId: Number(v.hostEmployerId) || 0,
        leaderPersonId: Number(v.leaderPersonId) || 0,
        leaderHonours: checkedValues(form, 'honours'),
        field: v.field ?? '',
        siteAreaM2: v.siteAreaM2 ? Number(v.siteAreaM2) : null,
        foundedOn: v.foundedOn || null,
        functions: checkedValues(form, 'functions'),
        description: v.description ?? '',
        appliedOn: v.appliedOn,
        note: v.note ?? '',
        members: checkedValues(form, 'members').map((id) => ({ personId: Number(id), role: 'member' })),
      });
      navigate(`/studios/${created.id}`);
    } catch (err) {
      this.error = err;
      this.errors = fieldErrorsOf(err);
      void revealAlert(this);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const rule = this.settings?.kinds[this.kind as keyof StudioSettings['kinds']];
    const leader = this.people.find((p) => p.id === this.leaderId);
    const kinds = this.staffRole === 'hr_officer' ? ['skill_master'] : this.staffRole === 'admin' ? KINDS : KINDS.filter((k) => k !== 'skill_master');
    return html`
      <p><a href="/studios">← ${t('st.nav.registry')}</a></p>
      <h1>${t('st.form.title')}</h1>
      <p class="muted">${t('st.form.hint')}</p>
      ${errorBanner(this.error)}
      <form class="card" @submit=${this.submit} novalidate>
        <div class="grid2">
          <div class="field">
            <label for="name">${t('st.field.name')}</label>
            <input id="name" name="name" required maxlength="100" aria-invalid=${this.errors.name ? 'true' : 'false'} />
            ${fieldError(this.errors, 'name')}
          </div>
          <div class="field">
            <label for="kind">${t('st.field.kind')}</label>
            <select id="kind" name="kind" @change=${(e: Event) => (this.kind = (e.target as HTMLSelectElement).value)}>
              ${kinds.map((k) => html`<option value=${k} ?selected=${k === this.kind}>${kindLabel(k)}</option>`)}
            </select>
            ${rule ? html`<div class="muted small" data-testid="leader-rule">${t('st.form.rule', { rule: rule.leader.map((l) => l.label).join(t('st.or')) })}</div>` : nothing}
          </div>
          <div class="field">
            <label for="host">${t('st.field.host')}</label>
            <select id="host" name="hostEmployerId" aria-invalid=${this.errors.hostEmployerId ? 'true' : 'false'} @change=${(e: Event) => this.chooseHost(Number((e.target as HTMLSelectElement).value))}>
              <option value="">${t('st.choose')}</option>
              ${this.hosts.map((h) => html`<option value=${h.id}>${h.name}${h.area ? `（${h.area}）` : ''}</option>`)}
            </select>
            ${fieldError(this.errors, 'hostEmployerId')}
          </div>
          <div class="field">
            <label for="leader">${t('st.field.leader')}</label>
            <select id="leader" name="leaderPersonId" ?disabled=${!this.hostId} aria-invalid=${this.errors.leaderPersonId ? 'true' : 'false'} @change=${(e: Event) => (this.leaderId = Number((e.target as HTMLSelectElement).value))}>
              <option value="">${this.hostId && this.people.length === 0 ? t('st.form.noPeople') : t('st.choose')}</option>
              ${this.people.map((p) => html`<option value=${p.id}>${p.name} · ${skillLabel(p.skillLevel)}</option>`)}
            </select>
            ${leader ? html`<div class="muted small">${leader.occupationName ?? ''} ${skillLabel(leader.skillLevel)}</div>` : nothing}
            ${fieldError(this.errors, 'leaderPersonId')}
          </div>
        </div>
        <fieldset style="border:0;padding:0;margin:12px 0 0">
          <legend class="muted">${t('st.field.honours')}</legend>
          <div class="checks">
            ${HONOURS.map((h) => html`<label><input type="checkbox" name="honours" value=${h} />${honourLabel(h)}</label>`)}
          </div>
          ${fieldError(this.errors, 'leaderHonours')}
        </fieldset>
        <div class="grid3">
          <div class="field">
            <label for="field">${t('st.field.field')}</label>
            <input id="field" name="field" maxlength="100" />
          </div>
          <div class="field">
            <label for="area">${t('st.field.siteArea')}</label>
            <input id="area" name="siteAreaM2" type="number" min="1" step="1" inputmode="numeric" aria-invalid=${this.errors.siteAreaM2 ? 'true' : 'false'} />
            ${fieldError(this.errors, 'siteAreaM2')}
          </div>
          <div class="field">
            <label for="founded">${t('st.field.foundedOn')}</label>
            <input id="founded" name="foundedOn" type="date" />
          </div>
          <div class="field">
            <label for="applied">${t('st.field.appliedOn')}</label>
            <input id="applied" name="appliedOn" type="date" .value=${todayIso()} aria-invalid=${this.errors.appliedOn ? 'true' : 'false'} />
            ${fieldError(this.errors, 'appliedOn')}
          </div>
        </div>
        <fieldset style="border:0;padding:0;margin:12px 0 0">
          <legend class="muted">${t('st.field.functions')}</legend>
          <div class="checks">
            ${FUNCTIONS.map((f) => html`<label><input type="checkbox" name="functions" value=${f} ?checked=${f === 'technical_innovation'} />${t(`st.function.${f}`)}</label>`)}
          </div>
          ${fieldError(this.errors, 'functions')}
        </fieldset>
        ${this.people.length > 1
          ? html`<fieldset style="border:0;padding:0;margin:12px 0 0">
              <legend class="muted">${t('st.form.members')}</legend>
              <div class="checks">
                ${this.people
                  .filter((p) => p.id !== this.leaderId)
                  .map((p) => html`<label><input type="checkbox" name="members" value=${p.id} />${p.name}</label>`)}
              </div>
            </fieldset>`
          : nothing}
        <div class="field">
          <label for="desc">${t('st.field.description')}</label>
          <textarea id="desc" name="description" maxlength="2000"></textarea>
        </div>
        <div class="actions">
          <button class="primary" type="submit" ?disabled=${this.busy}>${t('st.form.submit')}</button>
          <a class="btn" href="/studios">${t('st.cancel')}</a>
        </div>
      </form>
    `;
  }
}
