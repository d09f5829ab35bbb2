import { and, eq, inArray } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { Db } from '../../../db/client.ts';
import { organisations, orgSettings } from '../../../db/schema.ts';
import type { CertificateBasis } from '../../contracts/certificates.ts';
import { subsidyRatesSchema, type SubsidyList, type SubsidyRates, type SubsidyRatesView, type SubsidyRow } from '../../contracts/subsidies.ts';
import { maskResidentId } from '../../domain/resident-id.ts';
import { skillLevelLabel } from '../../domain/skill-levels.ts';
import { subsidyDue, subsidyTotals } from '../../domain/subsidies.ts';
import type { StaffActor } from '../../plugins/auth.plugin.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { getOrganisationInScope } from '../organisations/organisations.service.ts';
import { CERTIFICATE_KEEPERS } from './certificates.service.ts';

/** The org_settings key, next to the export layout's `hr_export_layout`. */
const RATES_KEY = 'training_subsidy';

const BASIS_LABELS: Record<string, string> = {
  exam: '考核评价',
  competition_promotion: '以赛代评',
  transfer: '转换认定',
  other: '其他',
};

const seesFullIds = (actor: StaffActor) => (CERTIFICATE_KEEPERS as readonly string[]).includes(actor.role);

/** The setting in force at the organisation on `path`: its own, else the nearest ancestor's. */
function ratesAt(db: Db, path: string): { rates: SubsidyRates; orgId: number } | null {
  const ids = path.split('/').filter(Boolean).map(Number);
  const rows = db
    .select({ orgId: orgSettings.orgId, value: orgSettings.value })
    .from(orgSettings)
    .where(and(inArray(orgSettings.orgId, ids), eq(orgSettings.key, RATES_KEY)))
    .all();
  for (const id of ids.reverse()) {
    const row = rows.find((r) => r.orgId === id);
    if (row) return { rates: subsidyRatesSchema.parse(row.value), orgId: id };
  }
  return null;
}

/** The rates in force for the caller's organisation, and where they come from. */
export function getSubsidyRates(db: Db, actor: StaffActor): SubsidyRatesView {
  const found = ratesAt(db, actor.orgPath);
  if (!found) return { rates: [], bases: ['exam', 'competition_promotion', 'other'], source: null, own: false };
  const name = db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, found.orgId)).get()!.name;
  return { ...found.rates, source: { orgId: found.orgId, orgName: name }, own: found.orgId === actor.orgId };
}

/** Sets the caller's organisation's rates (HR officers and administrators); audited. */
export function setSubsidyRates(db: Db, actor: StaffActor, input: SubsidyRates): SubsidyRatesView {
  const before = ratesAt(db, actor.orgPath);
  const value = { ...input, rates: [...input.rates].sort((a, b) => a.level - b.level) };
  db.transaction((tx) => {
    tx.insert(orgSettings)
      .values({ orgId: actor.orgId, key: RATES_KEY, value })
      .onConflictDoUpdate({ target: [orgSettings.orgId, orgSettings.key], set: { value } })
      .run();
    recordAudit(tx, actor, { action: 'subsidy.rates', entityType: 'organisation', entityId: actor.orgId, orgId: actor.orgId, before: before?.rates ?? null, after: value });
  });
  return getSubsidyRates(db, actor);
}

type CertificateLine = {
  id: number;
  person_id: number;
  name: string;
  id_number: string;
  occupation_code: string;
  occupation_name: string;
  level: number;
  certificate_number: string | null;
  issue_date: string;
  basis: CertificateBasis;
  org_path: string;
};

/**
 * Every certificate issued in `year` and kept in the scope's subtree that is due a subsidy under
 * the rates in force for the organisation keeping it (a city sees each county at its own rates),
 * by issue date. ID numbers are full only for HR officers and administrators.
 */
function subsidyRows(db: Db, actor: StaffActor, scopePath: string, year: number): SubsidyRow[] {
  const lines = db.$client
    .prepare<[string, string, string], CertificateLine>(
      `select c.id, c.person_id, p.name, p.id_number, c.occupation_code, c.occupation_name, c.level, c.certificate_number,
              c.issue_date, c.basis, o.path as org_path
       from skill_certificates c
       join people p on p.id = c.person_id
       join organisations o on o.id = c.org_id
       where o.path like ? and c.status = 'issued' and c.issue_date between ? and ?
       order by c.issue_date, c.id`,
    )
    .all(`${scopePath}%`, `${year}-01-01`, `${year}-12-31`);
  const ratesByPath = new Map<string, SubsidyRates | null>();
  const fullIds = seesFullIds(actor);
  const out: SubsidyRow[] = [];
  for (const c of lines) {
    if (!ratesByPath.has(c.org_path)) ratesByPath.set(c.org_path, ratesAt(db, c.org_path)?.rates ?? null);
    const amountYuan = subsidyDue(c, ratesByPath.get(c.org_path)!);
    if (amountYuan <= 0) continue;
    out.push({
      certificateId: c.id,
      personId: c.person_id,
      name: c.name,
      idNumber: fullIds ? c.id_number : maskResidentId(c.id_number),
      occupationCode: c.occupation_code,
      occupationName: c.occupation_name,
      level: c.level,
      levelLabel: skillLevelLabel(c.level),
      certificateNumber: c.certificate_number,
      issueDate: c.issue_date,
      basis: c.basis,
      amountYuan,
    });
  }
  return out;
}

function scopeOf(db: Db, actor: StaffActor, orgId: number | undefined): { id: number; path: string; name: string } {
  if (orgId) return getOrganisationInScope(db, actor, orgId);
  const own = db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, actor.orgId)).get();
  return { id: actor.orgId, path: actor.orgPath, name: own?.name ?? '' };
}

/** The year's subsidy list, a page at a time, with the totals of the whole list. */
export function listSubsidies(db: Db, actor: StaffActor, q: { year: number; orgId?: number; page: number; pageSize: number }): SubsidyList {
  const scope = scopeOf(db, actor, q.orgId);
  const rows = subsidyRows(db, actor, scope.path, q.year);
  return {
    year: q.year,
    items: rows.slice((q.page - 1) * q.pageSize, q.page * q.pageSize),
    total: rows.length,
    page: q.page,
    pageSize: q.pageSize,
    totals: subsidyTotals(rows),
  };
}

const COLUMNS: { header: string; width: number; cell: (r: SubsidyRow, seq: number) => string | number }[] = [
  { header: '序号', width: 7, cell: (_, seq) => seq },
  { header: '姓名', width: 12, cell: (r) => r.name },
  { header: '证件号码', width: 22, cell: (r) => r.idNumber },
  { header: '职业编码', width: 13, cell: (r) => r.occupationCode },
  { header: '职业名称', width: 16, cell: (r) => r.occupationName },
  { header: '职业技能等级', width: 15, cell: (r) => r.levelLabel },
  { header: '证书编号', width: 26, cell: (r) => r.certificateNumber ?? '' },
  { header: '发证日期', width: 12, cell: (r) => r.issueDate },
  { header: '认定方式', width: 10, cell: (r) => BASIS_LABELS[r.basis] ?? r.basis },
  { header: '补贴金额（元）', width: 14, cell: (r) => r.amountYuan },
];

/**
 * The year's subsidy list as an .xlsx: a sheet with one row per certificate and a total row, and
 * a summary sheet per level. Identifiers are text, so Excel keeps every digit of an ID number.
 * The export is audited (who took which year's list, with full or masked ID numbers).
 */
export async function exportSubsidies(db: Db, actor: StaffActor, q: { year: number; orgId?: number }): Promise<{ buffer: Buffer; rows: number; fullIds: boolean }> {
  const scope = scopeOf(db, actor, q.orgId);
  const rows = subsidyRows(db, actor, scope.path, q.year);
  const totals = subsidyTotals(rows);
  const fullIds = seesFullIds(actor);
  recordAudit(db, actor, {
    action: 'subsidies.export',
    entityType: 'organisation',
    entityId: scope.id,
    orgId: scope.id,
    after: { year: q.year, rows: rows.length, amountYuan: totals.amountYuan, idNumbers: fullIds ? 'full' : 'masked' },
  });

  const wb = new ExcelJS.Workbook();
  wb.creator = scope.name;
  const sheet = wb.addWorksheet('补贴名单');
  sheet.addRow([`${scope.name} ${q.year}年职业技能等级认定培训补贴名单`]);
  sheet.mergeCells(1, 1, 1, COLUMNS.length);
  sheet.getRow(1).font = { bold: true, size: 14 };
  const header = sheet.addRow(COLUMNS.map((c) => c.header));
  header.font = { bold: true };
  COLUMNS.forEach((c, i) => (sheet.getColumn(i + 1).width = c.width));
  rows.forEach((r, i) => sheet.addRow(COLUMNS.map((c) => c.cell(r, i + 1))));
  const total = sheet.addRow(['合计', `${totals.count}人次`, ...Array(COLUMNS.length - 3).fill(''), totals.amountYuan]);
  total.font = { bold: true };
  sheet.getColumn(COLUMNS.length).numFmt = '#,##0.00';
  sheet.views = [{ state: 'frozen', ySplit: 2 }];

  const summary = wb.addWorksheet('按等级汇总');
  summary.addRow(['职业技能等级', '人次', '补贴金额（元）']).font = { bold: true };
  for (const l of totals.byLevel) summary.addRow([l.levelLabel, l.count, l.amountYuan]);
  summary.addRow(['合计', totals.count, totals.amountYuan]).font = { bold: true };
  summary.getColumn(1).width = 16;
  summary.getColumn(3).width = 16;
  summary.getColumn(3).numFmt = '#,##0.00';

  return { buffer: Buffer.from(await wb.xlsx.writeBuffer()), rows: rows.length, fullIds };
}
