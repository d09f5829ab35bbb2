import { errorBanner, problemText } from '../../components/error-banner.ts';
import { css, html, nothing, type TemplateResult } from 'lit';
import { ApiError, fetchAll } from '../../api/client.ts';
import { t } from '../../app/i18n.ts';
import type { Competition } from '../../../server/contracts/competitions.ts';
import type { Event as ScEvent } from '../../../server/contracts/events.ts';
import type { Organisation } from '../../../server/contracts/organisations.ts';

/** Roles that change competitions, events, entries and panels; the others only read. */
export const MANAGER_ROLES = ['admin', 'organiser'];

export { fetchAll, type Page } from '../../api/client.ts';
export type { Competition, ScEvent };

/**
 * Fired (bubbling, composed) by a sub-page after it changed the competition or event the
 * organiser page holds, so that page reloads them once for everyone.
 */
export class OrgDataChangedEvent extends Event {
  static readonly type = 'sc-org-changed';
  constructor() {
    super(OrgDataChangedEvent.type, { bubbles: true, composed: true });
  }
}

/** A refusal as the user reads it: the translated message for its code, else the server's own words. */
export function errorMessage(err: unknown): string {
  return problemText(err);
}

/**
 * Field messages from a refusal, keyed without the `body.` prefix (`scheme.parts.0.weight`).
 * A field-less refusal is left to the banner.
 */
export function fieldErrorsOf(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (err instanceof ApiError)
    for (const e of err.fieldErrors) {
      const key = e.field.replace(/^body\.?/, '');
      out[key] ??= translateFieldMessage(e.message);
    }
  return out;
}

/** Known server field messages in Chinese; anything else is shown as sent. */
export function translateFieldMessage(message: string): string {
  const rules: [RegExp, (m: RegExpExecArray) => string][] = [
    [/^weights add up to ([\d.]+), not 100$/, (m) => t('org.scheme.weightsSum', { sum: m[1]! })],
    [/^criteria maxima add up to ([\d.]+), not the part maximum ([\d.]+)$/, (m) => t('org.scheme.criteriaSum', { sum: m[1]!, max: m[2]! })],
    [/^minMarks cannot exceed expectedMarks$/, () => t('org.scheme.minMarks')],
    [/^a rubric or deduction part needs at least one criterion$/, () => t('org.scheme.needCriteria')],
    [/^the end date is before the start date$/, () => t('org.comp.endBeforeStart')],
    [/^at least one organiser/, () => t('org.comp.needOrganiser')],
    [/^the check character of the ID number is wrong$/, () => t('org.import.code.id_check_char')],
    [/^an ID number has 17 digits/, () => t('org.import.code.id_format')],
    [/^the birth date in the ID number/, () => t('org.import.code.id_birth_date')],
    [/already registered under a different name/, () => t('org.import.code.name_mismatch')],
    [/^no such (organisation|person) in your scope$/, () => t('org.import.code.not_in_scope')],
    [/^Too small|^Too big|^Invalid input|^expected/i, () => t('org.field.invalid')],
  ];
  for (const [re, fn] of rules) {
    const m = re.exec(message);
    if (m) return fn(m);
  }
  return message;
}

/** A banner for a refusal (role=alert, so screen readers announce it). */
export { errorBanner };

/** The message under a field, linked by id for aria-describedby. */
export function fieldError(errors: Record<string, string>, key: string): TemplateResult | typeof nothing {
  const message = errors[key];
  return message ? html`<div class="field-error" id=${`err-${key}`} role="alert" data-field=${key}>${message}</div>` : nothing;
}

/**
 * An employer as typed in a form, as the API takes it: the organisation when the text is exactly
 * one organisation's name (picked from the list), else the name as written (a small private firm).
 */
export function employerFromText(orgs: readonly { id: number; name: string }[], text: string): { employerId: number | null; employerName: string | null } {
  const name = text.trim();
  if (!name) return { employerId: null, employerName: null };
  const matches = orgs.filter((o) => o.name === name);
  return matches.length === 1 ? { employerId: matches[0]!.id, employerName: null } : { employerId: null, employerName: name };
}

export const statusLabel = (s: string) => t(`org.status.${s}`);
export const entryStatusLabel = (s: string) => t(`org.entryStatus.${s}`);
export const gradeLabel = (g: string) => t('org.grade', { grade: g });
export const levelLabel = (l: number | null) => (l ? t(`org.level.${l}`) : '—');

/** An event's occupation as shown: "电工 6-31-01-03", or a note that it is not a trade (no promotions). */
export function occupationText(e: { occupationCode: string | null; occupationName: string | null }): string {
  const text = [e.occupationName, e.occupationCode].filter(Boolean).join(' ');
  return text || t('org.event.noOccupation');
}

export function dateRange(start: string | null, end: string | null): string {
  if (!start && !end) return '—';
  if (start && end && start !== end) return `${start} ~ ${end}`;
  return start ?? end ?? '';
}


let organisationsSeen: Promise<Organisation[]> | null = null;

/** Every organisation the caller may see (fetched once; `refresh` after creating one). */
export function visibleOrganisations(refresh = false): Promise<Organisation[]> {
  if (refresh || !organisationsSeen) {
    organisationsSeen = fetchAll<Organisation>('/api/organisations');
    organisationsSeen.catch(() => (organisationsSeen = null));
  }
  return organisationsSeen;
}

/** Kinds of organisation that send a delegation (代表队). */
export const DELEGATION_KINDS: Organisation['kind'][] = ['employer', 'department', 'union'];

/**
 * Organisations under the competition's owner (the owner included), by kind when given: the
 * delegations and employers its entrants may name. Sorted by tree order.
 */
export async function organisationsOfCompetition(c: Competition, kinds?: Organisation['kind'][], refresh = false): Promise<Organisation[]> {
  const all = await visibleOrganisations(refresh);
  const owner = all.find((o) => o.id === c.orgId);
  if (!owner) return [];
  return all.filter((o) => o.path.startsWith(owner.path) && (!kinds || kinds.includes(o.kind)));
}

/** The organiser area's own look on top of the shared styles. */
export const orgStyles = css`
  /* The page's global box-sizing rule does not reach into shadow roots. */
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  :host {
    display: block;
  }
  h1 {
    font-size: 22px;
    margin: 0 0 12px;
    line-height: 1.3;
  }
  h2 {
    font-size: 18px;
    margin: 0 0 12px;
  }
  h3 {
    font-size: 16px;
    margin: 0 0 8px;
  }
  a {
    color: var(--sc-focus);
  }
  .stack > * + * {
    margin-top: 16px;
  }
  .grid2 {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(220px, 1fr));
    gap: 0 16px;
  }
  .field input,
  .field select,
  .field textarea {
    width: 100%;
  }
  .chip {
    display: inline-flex;
    align-items: center;
    border-radius: 999px;
    padding: 2px 10px;
    font-size: 13px;
    background: #eef1f5;
    color: var(--sc-fg);
    white-space: nowrap;
  }
  .chip.grade-A {
    background: #fde7ea;
    color: #a50d25;
  }
  .chip.grade-B {
    background: #e8f0fe;
    color: #1d4fb8;
  }
  .chip.grade-C {
    background: #eaf6ee;
    color: #1a6b34;
  }
  .chip.st-running,
  .chip.st-checked_in {
    background: #e7f6ec;
    color: var(--sc-ok);
  }
  .chip.st-registration {
    background: #e8f0fe;
    color: #1d4fb8;
  }
  .chip.st-absent,
  .chip.st-disqualified {
    background: #fdecea;
    color: var(--sc-danger);
  }
  .chip.st-marking_closed,
  .chip.st-withdrawn {
    background: #fff4e5;
    color: var(--sc-warn);
  }
  .chip.st-reserve {
    background: #eef1f5;
    color: var(--sc-muted);
  }
  button.danger {
    color: var(--sc-danger);
    border-color: #f3b8b2;
  }
  button.ok {
    background: var(--sc-ok);
    border-color: var(--sc-ok);
    color: #fff;
  }
  .table-wrap {
    overflow-x: auto;
    max-width: 100%;
  }
  td,
  th {
    vertical-align: middle;
  }
  th {
    font-weight: 600;
    color: var(--sc-muted);
    font-size: 14px;
    white-space: nowrap;
  }
  .empty {
    padding: 24px;
    text-align: center;
    color: var(--sc-muted);
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: flex-end;
    margin-bottom: 12px;
  }
  .toolbar label {
    margin-top: 0;
  }
  .toolbar .grow {
    flex: 1 1 200px;
    min-width: 0;
  }
  .toolbar .grow input {
    width: 100%;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    margin-top: 16px;
  }
  fieldset {
    border: 1px solid var(--sc-line);
    border-radius: 8px;
    margin: 12px 0 0;
    padding: 4px 12px 12px;
    min-width: 0;
  }
  legend {
    font-size: 15px;
    color: var(--sc-muted);
    padding: 0 4px;
  }
  .radio-row {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 8px;
  }
  .radio-row label {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    min-height: 44px;
    margin: 0;
    padding: 0 12px 0 8px;
    border: 1px solid var(--sc-line);
    border-radius: 8px;
    color: var(--sc-fg);
    cursor: pointer;
  }
  .radio-row input {
    min-height: 0;
    width: 20px;
    height: 20px;
  }
  .check {
    display: inline-flex;
    align-items: center;
    gap: 8px;
    min-height: 44px;
    color: var(--sc-fg);
    margin: 0;
  }
  .check input {
    min-height: 0;
    width: 22px;
    height: 22px;
  }
`;
