import { eq, inArray } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { Db } from '../../../db/client.ts';
import { organisations, people, studioAchievements, studioFunding, studios } from '../../../db/schema.ts';
import {
  FIVE_SMALLS_CATEGORY_NAMES,
  HONOUR_NAMES,
  SKILL_LEVEL_NAMES,
  STUDIO_KIND_NAMES,
  STUDIO_LEVEL_NAMES,
  type StudioStatus,
} from '../../contracts/studios.ts';
import { studioYearFigures, sumFigures } from '../../domain/studios/index.ts';
import type { StaffActor } from '../../plugins/auth.plugin.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { achievementOf } from './achievements/achievement-of.ts';
import { getCampaign } from './five-smalls/five-smalls.service.ts';
import { registryOrder, studioFilter, summarise } from './registry/studios.service.ts';
import { STUDIO_FUNCTION_NAMES, type ListStudiosQuery, type StudioFunction } from './studios.contracts.ts';

/**
 * The two spreadsheets a county union hands on: the studio registry (工作室名录) and a
 * five-smalls campaign's results (评选结果). Small files (a county has tens of studios, a
 * campaign hundreds of entries), so each is built in memory; identifiers are written as text.
 */

export const STATUS_NAMES: Readonly<Record<StudioStatus, string>> = {
  applied: '已申报',
  under_evaluation: '评估中',
  recognised: '已认定',
  warned: '限期整改',
  expired: '期满待复核',
  rejected: '不予认定',
  withdrawn: '已撤回',
  delisted: '已摘牌',
};

const TIER_NAMES = ['一等奖', '二等奖', '三等奖', '四等奖', '五等奖', '六等奖', '七等奖', '八等奖', '九等奖', '十等奖'];

function styleHeader(sheet: ExcelJS.Worksheet): void {
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', wrapText: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
}

/** The registry as .xlsx: one row per studio matching the filters, in registry order, with its totals. */
export async function exportRegistry(db: Db, actor: StaffActor, q: Omit<ListStudiosQuery, 'page' | 'pageSize'>): Promise<{ buffer: Buffer; rows: number }> {
  const cond = studioFilter(db, actor, q);
  const rows = db
    .select({ s: studios })
    .from(studios)
    .innerJoin(organisations, eq(organisations.id, studios.hostEmployerId))
    .where(cond)
    .orderBy(...registryOrder)
    .all()
    .map((r) => r.s);
  const summaries = summarise(db, rows);
  const ids = rows.map((r) => r.id);
  const leaders = new Map(
    ids.length === 0 ? [] : db.select().from(people).where(inArray(people.id, rows.map((r) => r.leaderPersonId))).all().map((p) => [p.id, p]),
  );
  const achievements = ids.length === 0 ? [] : db.select().from(studioAchievements).where(inArray(studioAchievements.studioId, ids)).all();
  const figures = studioYearFigures(achievements.map(achievementOf));
  const funding = ids.length === 0 ? [] : db.select().from(studioFunding).where(inArray(studioFunding.studioId, ids)).all();

  const workbook = new ExcelJS.Workbook();
  workbook.creator = '职工技能竞赛与创新工作室管理系统';
  const sheet = workbook.addWorksheet('创新工作室名录');
  sheet.columns = [
    { header: '序号', width: 6 },
    { header: '工作室名称', width: 30 },
    { header: '类别', width: 16 },
    { header: '级别', width: 10 },
    { header: '状态', width: 10 },
    { header: '依托单位', width: 28 },
    { header: '所属区域', width: 16 },
    { header: '领办人', width: 10 },
    { header: '领办人荣誉', width: 28 },
    { header: '领办人技能等级', width: 16 },
    { header: '领域', width: 16 },
    { header: '场地面积（㎡）', width: 12 },
    { header: '成立时间', width: 12 },
    { header: '功能', width: 24 },
    { header: '认定时间', width: 12 },
    { header: '有效期至', width: 12 },
    { header: '禁止申报至', width: 12 },
    { header: '成员数', width: 8 },
    { header: '创新成果', width: 10 },
    { header: '专利（发明/实用新型/外观）', width: 18 },
    { header: '技术攻关', width: 10 },
    { header: '五小成果', width: 10 },
    { header: '经济效益（元）', width: 16 },
    { header: '带徒（晋级）', width: 12 },
    { header: '获得资助（元）', width: 14 },
  ];
  summaries.forEach((s, i) => {
    const row = rows[i]!;
    const leader = leaders.get(row.leaderPersonId);
    const total = sumFigures(figures.filter((f) => f.studioId === row.id).map((f) => f.figures));
    const fen = funding.filter((f) => f.studioId === row.id).reduce((sum, f) => sum + Math.round(f.amountYuan * 100), 0);
    sheet.addRow([
      i + 1,
      s.name,
      STUDIO_KIND_NAMES[s.kind],
      s.level ? STUDIO_LEVEL_NAMES[s.level] : '',
      STATUS_NAMES[s.status],
      s.host.name,
      s.area?.name ?? '',
      s.leader.name,
      row.leaderHonours.map((h) => HONOUR_NAMES[h] ?? h).join('、'),
      leader?.skillLevel ? (SKILL_LEVEL_NAMES[leader.skillLevel] ?? '') : '',
      s.field,
      row.siteAreaM2 ?? '',
      row.foundedOn ?? '',
      row.functions.map((f) => STUDIO_FUNCTION_NAMES[f as StudioFunction] ?? f).join('、'),
      s.recognisedOn ?? '',
      s.termEndsOn ?? '',
      s.bannedUntil ?? '',
      s.memberCount,
      total.innovationResults,
      `${total.patents.total}（${total.patents.invention}/${total.patents.utilityModel}/${total.patents.design}）`,
      total.technicalBreakthroughs,
      total.fiveSmalls,
      total.economicBenefitYuan,
      `${total.apprenticesTrained}（${total.apprenticesPromoted}）`,
      fen / 100,
    ]);
  });
  sheet.getColumn(23).numFmt = '#,##0.00';
  sheet.getColumn(25).numFmt = '#,##0.00';
  styleHeader(sheet);
  recordAudit(db, actor, {
    action: 'studio.export',
    entityType: 'organisation',
    entityId: actor.orgId,
    orgId: actor.orgId,
    after: { filter: q, rows: rows.length },
  });
  return { buffer: Buffer.from(await workbook.xlsx.writeBuffer()), rows: rows.length };
}

/** A campaign's results as .xlsx: the ranked entries with department scores and awards, then the screened-out ones. */
export async function exportCampaign(db: Db, actor: StaffActor, campaignId: number): Promise<{ buffer: Buffer; name: string; rows: number }> {
  const c = getCampaign(db, actor, campaignId);
  const workbook = new ExcelJS.Workbook();
  const results = workbook.addWorksheet('评选结果');
  results.columns = [
    { header: '名次', width: 6 },
    { header: '奖项', width: 8 },
    { header: '奖金（元）', width: 10 },
    { header: '编号', width: 6 },
    { header: '成果名称', width: 36 },
    { header: '类别', width: 8 },
    { header: '申报人/工作室', width: 24 },
    { header: '单位', width: 26 },
    ...c.departments.map((d) => ({ header: `${d.name}评分`, width: 14 })),
    { header: '综合得分', width: 10 },
  ];
  const eligible = c.entryList.filter((e) => e.eligible);
  for (const e of eligible)
    results.addRow([
      e.rank ?? '',
      e.tier ? (TIER_NAMES[e.tier - 1] ?? `${e.tier}等奖`) : '',
      e.prizeYuan ?? '',
      e.id,
      e.title,
      FIVE_SMALLS_CATEGORY_NAMES[e.category],
      e.submitter.name,
      e.employer?.name ?? '',
      ...c.departments.map((d) => e.departmentScores.find((s) => s.departmentId === d.id)?.score ?? ''),
      e.combined ?? '',
    ]);
  styleHeader(results);

  const screened = workbook.addWorksheet('资格审查未通过');
  screened.columns = [
    { header: '编号', width: 6 },
    { header: '成果名称', width: 36 },
    { header: '类别', width: 8 },
    { header: '申报人/工作室', width: 24 },
    { header: '单位', width: 26 },
    { header: '原因', width: 50 },
  ];
  for (const e of c.entryList.filter((x) => !x.eligible))
    screened.addRow([e.id, e.title, FIVE_SMALLS_CATEGORY_NAMES[e.category], e.submitter.name, e.employer?.name ?? '', e.reasons.map((r) => r.message).join('；')]);
  styleHeader(screened);

  const tiers = workbook.addWorksheet('奖项设置');
  tiers.columns = [
    { header: '奖项', width: 10 },
    { header: '计划名额', width: 10 },
    { header: '获奖数', width: 10 },
    { header: '每项奖金（元）', width: 14 },
    { header: '奖金合计（元）', width: 14 },
  ];
  for (const t of c.tierSummary) tiers.addRow([TIER_NAMES[t.tier - 1] ?? `${t.tier}等奖`, t.planned, t.awarded, t.prizeYuanEach ?? '', t.totalYuan ?? '']);
  styleHeader(tiers);

  recordAudit(db, actor, {
    action: 'five_smalls.export',
    entityType: 'five_smalls_campaign',
    entityId: c.id,
    orgId: c.org.id,
    after: { rows: c.entryList.length },
  });
  return { buffer: Buffer.from(await workbook.xlsx.writeBuffer()), name: c.name, rows: eligible.length };
}
