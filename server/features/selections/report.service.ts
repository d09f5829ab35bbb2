import { eq, inArray } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { craftsmanCandidates, organisations, people, titleTypes } from '../../../db/schema.ts';
import type { SelectionReport } from '../../contracts/selection-report.ts';
import { AGE_BANDS, selectionFigures, type ReportCandidate } from '../../domain/selections/report.ts';
import { toFen } from '../../domain/selections/rewards.ts';
import type { StaffActor } from '../../plugins/auth.plugin.ts';
import { listSelections, rewards } from './selections.service.ts';

/** The year's selections the caller may read, with who was put forward and named, and the money. */
export function selectionReport(app: FastifyInstance, actor: StaffActor, year: number): SelectionReport {
  // The selections the caller's body runs or co-organises: not those it only nominates to or votes on.
  const selections = listSelections(app, actor, { year }).filter((s) => s.yourPart === 'running_union' || s.yourPart === 'co_organiser');
  const ids = selections.map((s) => s.id);
  const levels = new Map(
    (ids.length ? app.db.select({ id: titleTypes.id, level: titleTypes.level }).from(titleTypes).where(inArray(titleTypes.id, selections.map((s) => s.titleTypeId))).all() : []).map((t) => [t.id, t.level]),
  );
  const levelOf = new Map(selections.map((s) => [s.id, levels.get(s.titleTypeId)!]));
  const rows: (ReportCandidate & { selectionId: number })[] = ids.length
    ? app.db
        .select({ c: craftsmanCandidates, p: people, region: organisations.name })
        .from(craftsmanCandidates)
        .innerJoin(people, eq(people.id, craftsmanCandidates.personId))
        .innerJoin(organisations, eq(organisations.id, people.orgId))
        .where(inArray(craftsmanCandidates.selectionId, ids))
        .all()
        .map(({ c, p, region }) => ({
          selectionId: c.selectionId,
          status: c.status,
          titleLevel: levelOf.get(c.selectionId)!,
          occupation: p.occupationName ?? null,
          region,
          // A unit of the tree, or an employer written as text (small private firms): the one
          // distinction the records carry about the kind of employer.
          employerType: p.employerId != null ? ('organisation' as const) : p.employerName ? ('written' as const) : ('none' as const),
          gender: p.gender,
          birthDate: p.birthDate,
        }))
    : [];
  const perSelection = selections.map((s) => {
    const money = rewards(app, actor, s.id);
    const own = rows.filter((r) => r.selectionId === s.id);
    return {
      id: s.id,
      name: s.name,
      orgName: s.orgName,
      titleName: s.titleName,
      titleLevel: levelOf.get(s.id)!,
      status: s.status,
      candidates: own.length,
      named: own.filter((r) => r.status === 'named').length,
      due: money.due,
      paid: money.paid,
      outstanding: money.outstanding,
    };
  });
  const figures = selectionFigures(rows, year);
  const sum = (key: 'due' | 'paid' | 'outstanding') => toFen(perSelection.reduce((a, s) => a + s[key], 0));
  return { year, selections: perSelection, ...figures, money: { due: sum('due'), paid: sum('paid'), outstanding: sum('outstanding') } };
}

const LEVEL_ZH: Record<string, string> = { county: '县级', city: '市级', province: '省级', national: '全国' };
const EMPLOYER_ZH: Record<string, string> = { organisation: '登记单位', written: '其他单位（文字填写）', none: '无' };
const GENDER_ZH: Record<string, string> = { male: '男', female: '女' };
const AGE_ZH: Record<(typeof AGE_BANDS)[number], string> = { under_35: '35岁以下', '35_44': '35–44岁', '45_54': '45–54岁', '55_and_over': '55岁及以上' };

/** The report as an .xlsx a union files: one sheet of selections, one of the named by each dimension. */
export async function selectionReportXlsx(report: SelectionReport): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const list = book.addWorksheet('评选');
  list.columns = [
    { header: '评选', key: 'name', width: 32 },
    { header: '主办', key: 'orgName', width: 20 },
    { header: '称号', key: 'titleName', width: 14 },
    { header: '级别', key: 'level', width: 8 },
    { header: '候选人', key: 'candidates', width: 8 },
    { header: '命名', key: 'named', width: 8 },
    { header: '应发（元）', key: 'due', width: 12 },
    { header: '已发（元）', key: 'paid', width: 12 },
    { header: '未发（元）', key: 'outstanding', width: 12 },
  ];
  list.getRow(1).font = { bold: true };
  for (const s of report.selections) list.addRow({ ...s, level: LEVEL_ZH[s.titleLevel] });
  list.addRow({ name: '合计', candidates: report.candidates, named: report.named, due: report.money.due, paid: report.money.paid, outstanding: report.money.outstanding }).font = { bold: true };

  const named = book.addWorksheet('命名工匠构成');
  named.columns = [
    { header: '维度', key: 'dimension', width: 14 },
    { header: '类别', key: 'key', width: 28 },
    { header: '人数', key: 'count', width: 8 },
  ];
  named.getRow(1).font = { bold: true };
  const dimensions: [string, keyof SelectionReport['namedBy'], (k: string) => string][] = [
    ['称号级别', 'level', (k) => LEVEL_ZH[k] ?? k],
    ['职业（工种）', 'occupation', (k) => k],
    ['地区', 'region', (k) => k],
    ['单位类型', 'employerType', (k) => EMPLOYER_ZH[k] ?? k],
    ['性别', 'gender', (k) => GENDER_ZH[k] ?? k],
    ['年龄段', 'ageBand', (k) => AGE_ZH[k as (typeof AGE_BANDS)[number]] ?? k],
  ];
  for (const [dimension, key, label] of dimensions) for (const b of report.namedBy[key]) named.addRow({ dimension, key: label(b.key), count: b.count });
  return Buffer.from(await book.xlsx.writeBuffer());
}
