import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { organisations, orgSettings } from '../../../db/schema.ts';
import { studioSettingsPreset, studioSettingsSchema, type StudioKind, type StudioLine, type StudioSettings } from '../../contracts/studios.ts';
import { forbidden, invalid, notFound } from '../../errors.ts';
import type { StaffActor, StaffRole } from '../../plugins/auth.plugin.ts';
import type { Tx } from '../audit/audit.service.ts';

/**
 * Who sees and changes innovation-studio records.
 *
 * A studio belongs to its host employer: it lies in a staff member's scope when the host is in
 * their jurisdiction's subtree. A union's jurisdiction is its own subtree (a county union sees
 * the studios of its townships' employers). An HR bureau is the union's peer, not part of its
 * tree (人社部 > 人社厅 > 人社局 is a line of its own), and has no employers of its own, so its
 * jurisdiction is the subtree of its peer union: the union of the same region and level
 * (肥西县人社局 → 肥西县总工会). The HR bureau supervises the county's studios jointly with the
 * union and names the skill-master studios (the HR line).
 *
 * Who may change what follows the line that names the kind: the union's staff (admin,
 * organiser, studio_officer) the union kinds, the HR bureau's hr_officer the skill-master
 * studios, an admin both; viewers read.
 */

export type OrgRow = typeof organisations.$inferSelect;

export const UNION_STUDIO_ROLES = ['admin', 'organiser', 'studio_officer'] as const satisfies readonly StaffRole[];
/** Roles that run the joint evaluation (both bodies). */
export const EVALUATION_MANAGERS = ['admin', 'organiser', 'studio_officer', 'hr_officer'] as const satisfies readonly StaffRole[];

export type Scope = { orgId: number; path: string };

/** The subtree a staff member works in for studio matters (see the file header). */
export function studioScope(db: Db | Tx, actor: StaffActor): Scope {
  return jurisdictionOf(db, actor.orgId) ?? { orgId: actor.orgId, path: actor.orgPath };
}

/**
 * An organisation's jurisdiction: an HR bureau's is its peer union's subtree (same region code and
 * level; where data still hangs the bureau under a union, that union); anyone else's is its own.
 */
export function jurisdictionOf(db: Db | Tx, orgId: number): Scope | null {
  const org = db.select().from(organisations).where(eq(organisations.id, orgId)).get();
  if (!org) return null;
  if (org.kind === 'hr_bureau') {
    const peer = db
      .select()
      .from(organisations)
      .where(and(eq(organisations.kind, 'union'), eq(organisations.regionCode, org.regionCode), org.level ? eq(organisations.level, org.level) : undefined))
      .orderBy(organisations.path)
      .get();
    const parent = org.parentId !== null ? db.select().from(organisations).where(eq(organisations.id, org.parentId)).get() : undefined;
    const union = parent?.kind === 'union' ? parent : peer;
    if (union) return { orgId: union.id, path: union.path };
  }
  return { orgId: org.id, path: org.path };
}

export function inStudioScope(scope: Scope, recordOrgPath: string): boolean {
  return recordOrgPath.startsWith(scope.path);
}

/**
 * Whether an organisation lies within a studio scope, counting an HR bureau by its jurisdiction:
 * the county HR bureau sits in its own line (under the city bureau), not under the county union,
 * yet scores and evaluates beside it. Body fields whose organisation's name the answer then shows
 * check this and refuse what fails exactly like an id that names nothing, so that the answer
 * tells nothing about organisations elsewhere.
 */
export function inStudioReach(db: Db | Tx, scope: Scope, org: OrgRow): boolean {
  if (inStudioScope(scope, org.path)) return true;
  const area = jurisdictionOf(db, org.id);
  return area !== null && inStudioScope(scope, area.path);
}

export function assertInStudioScope(scope: Scope, recordOrgPath: string): void {
  if (!inStudioScope(scope, recordOrgPath)) throw forbidden('This record belongs to an organisation outside your scope');
}

/** The line (union or HR bureau) a staff role acts for; admins act for either. */
export function bodyOfRole(role: StaffRole): StudioLine | 'any' | null {
  if (role === 'admin') return 'any';
  if (role === 'hr_officer') return 'hr_bureau';
  if (role === 'organiser' || role === 'studio_officer') return 'union';
  return null;
}

/** Whether the caller may change a studio of this kind (its line's staff, or an admin). */
export function managesKind(actor: StaffActor, kind: StudioKind, settings: StudioSettings): boolean {
  const body = bodyOfRole(actor.role);
  return body === 'any' || (body !== null && body === settings.kinds[kind].line);
}

export function assertManagesKind(actor: StaffActor, kind: StudioKind, settings: StudioSettings): void {
  if (!managesKind(actor, kind, settings)) {
    const line = settings.kinds[kind].line === 'union' ? 'the union' : 'the HR bureau';
    throw forbidden(`${settings.kinds[kind].name} is managed by ${line}`);
  }
}

/** An organisation by id, or 404. */
export function organisationById(db: Db | Tx, orgId: number): OrgRow {
  const row = db.select().from(organisations).where(eq(organisations.id, orgId)).get();
  if (!row) throw notFound('Organisation');
  return row;
}

/**
 * An organisation a request body names in `field`: 400 naming the field when it does not exist
 * (a bad reference, not a bad URL), 403 outside the caller's studio scope.
 */
export function organisationForField(db: Db | Tx, scope: Scope, orgId: number, field: string): OrgRow {
  const row = db.select().from(organisations).where(eq(organisations.id, orgId)).get();
  if (!row) throw invalid(field, `there is no organisation ${orgId}`);
  assertInStudioScope(scope, row.path);
  return row;
}

export const STUDIO_SETTINGS_KEY = 'studio_settings';

/**
 * The studio rules in force at an organisation: its own, else its nearest ancestor's, else the
 * preset (the Hefei and HR-bureau rules of the domain brief).
 */
export function settingsAt(db: Db | Tx, orgPath: string): StudioSettings {
  const ids = orgPath.split('/').filter(Boolean).map(Number);
  if (ids.length === 0) return studioSettingsPreset;
  const rows = db
    .select({ orgId: orgSettings.orgId, value: orgSettings.value })
    .from(orgSettings)
    .where(and(eq(orgSettings.key, STUDIO_SETTINGS_KEY), inArray(orgSettings.orgId, ids)))
    .all();
  for (const orgId of [...ids].reverse()) {
    const row = rows.find((r) => r.orgId === orgId);
    if (row) return studioSettingsSchema.parse(row.value);
  }
  return studioSettingsPreset;
}

/** Names of organisations by id, for presenters. */
export function orgNames(db: Db | Tx, ids: Iterable<number>): Map<number, OrgRow> {
  const list = [...new Set(ids)];
  if (list.length === 0) return new Map();
  return new Map(db.select().from(organisations).where(inArray(organisations.id, list)).all().map((o) => [o.id, o]));
}

/** Today's date in Beijing time, `YYYY-MM-DD` (decisions are dated on the Chinese calendar day). */
export function todayInChina(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
