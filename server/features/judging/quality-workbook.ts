import ExcelJS from 'exceljs';
import type { JudgeQualityReport } from '../../contracts/judging.ts';

const REASON: Record<string, string> = {
  no_home: '无法判定所属单位',
  no_own_entrants: '未评本单位选手',
  no_other_entrants: '只评了本单位选手',
};

/**
 * Judge quality as .xlsx for the chief judge and the supervision group to keep with the event's
 * papers: title rows, one row per judge, and a sheet 说明 that defines every column and cites the
 * home-group method, so the file stands on its own.
 */
export async function judgeQualityWorkbook(report: JudgeQualityReport, generatedAt: Date): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = generatedAt;
  const sheet = workbook.addWorksheet('裁判评分质量', { views: [{ state: 'frozen', ySplit: 4 }] });
  const scope = [
    report.competitionName,
    report.eventName ?? '全部赛项',
    report.roundId != null ? (report.rounds.find((r) => r.id === report.roundId)?.name ?? '') : report.eventName ? '全部轮次' : '',
    report.partId != null ? (report.parts.find((p) => p.id === report.partId)?.name ?? report.partId) : '',
  ].filter(Boolean);
  sheet.addRow([`裁判评分质量 · ${scope.join(' · ')}`]).font = { bold: true, size: 14 };
  sheet.addRow(['内部资料：仅供裁判长与监督仲裁组使用。偏差按百分制计（差值 ÷ 该项满分 × 100）。']).font = { italic: true, color: { argb: 'FF5B6675' } };
  sheet.addRow([]);
  const header = [
    '裁判',
    '赛项',
    '比较的评分数',
    '选手数',
    '与中位数平均偏差',
    '与中位数平均绝对偏差',
    '被去除次数',
    '可去除评分数',
    '被去除比例',
    '随机应有比例',
    '一致性（Spearman）',
    '所属单位',
    '本单位选手数',
    '其他选手数',
    '本单位差值均值',
    '其他差值均值',
    '差中差',
    'p 值',
    '检验方法',
  ];
  const head = sheet.addRow(header);
  head.font = { bold: true };
  head.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFF3F8' } };
  for (const j of report.judges) {
    const t = j.home.test;
    sheet.addRow([
      j.name,
      j.events.join('、'),
      j.marks,
      j.entries,
      j.meanDeviation,
      j.meanAbsDeviation,
      j.dropped.count,
      j.dropped.eligible,
      j.dropped.share,
      j.dropped.expectedShare,
      j.consistency.rho,
      j.home.groupName ?? '—',
      t?.ownCount ?? null,
      t?.otherCount ?? null,
      t?.ownMean ?? null,
      t?.otherMean ?? null,
      t?.difference ?? null,
      t?.pValue ?? null,
      t ? `${t.method === 'exact' ? '精确置换' : '蒙特卡洛置换'}（${t.permutations} 次）` : j.home.reason ? REASON[j.home.reason] : '',
    ]);
  }
  sheet.columns.forEach((c, i) => (c.width = i === 0 ? 12 : i === 1 ? 18 : i === 11 ? 20 : i === 18 ? 22 : 12));
  for (const col of [5, 6, 7, 15, 16, 17]) sheet.getColumn(col).numFmt = '0.00';
  for (const col of [9, 10, 11]) sheet.getColumn(col).numFmt = '0.000';
  sheet.getColumn(18).numFmt = '0.0000';

  const notes = workbook.addWorksheet('说明');
  notes.columns = [{ width: 22 }, { width: 100 }];
  const lines: [string, string][] = [
    ['比较单位', '一名裁判对一名选手一个评分部分（或按评分项分组时的一个评分项）的评分；见习裁判的评分不计入，也不作为比较对象；只有一名裁判评分的单位不比较。'],
    ['百分制', '差值 ÷ 该部分（评分项）满分 × 100，使满分不同的部分和赛项可以合并；满分 100 时即原始分差。'],
    ['与中位数偏差', '裁判评分 − 本组全部计分裁判评分的中位数（含本人）；正值偏松，负值偏严。'],
    ['被去除', '采用去掉最高最低分的计分办法且评分数足够时，本人评分被去掉的次数；与他人同分落在被去掉的位置时按同分人数平分（故可为小数）。随机应有比例 = 2 × 去掉个数 ÷ 评分数的平均。'],
    ['一致性', '每个评分单位内，本人评分与其他裁判平均分在各选手间的 Spearman 等级相关（同分取平均秩），至少 3 名选手；按选手数加权平均。'],
    ['所属单位', '裁判或选手工作单位在组织树上、主办单位之下的那一级单位（如县赛中的乡镇、园区工会，省赛中的市总工会）；与回避规则不同，同一工作单位已回避，故按这一级比较。工作单位为手写名称或不在主办单位之下的，不参与此项检验。'],
    ['差中差', '每名选手：本人评分 − 其他裁判平均分（百分制），按选手取平均；本单位选手的均值 − 其他选手的均值。正值表示对本单位选手相对打高。方法见 Zitzewitz (2006) “Nationalism in Winter Sports Judging and Its Lessons for Organizational Decision Making”；Emerson, Seltzer & Lin (2009) “Assessing Judging Bias: An Example From the 2000 Olympic Games”。'],
    ['p 值', `置换检验（双侧）：把“本单位/其他”标签在本人评过的选手间重新分配（本单位人数不变），差中差绝对值不小于实际值的比例。组合数不超过 ${report.method.exactLimit} 时逐一枚举（精确）；否则用固定种子 ${report.method.seed} 随机抽取 ${report.method.monteCarloPermutations} 次，p = (1 + 极端次数) ÷ (1 + 抽取次数)，同样的数据总得到同样的结果。p 值小只说明差异不太像偶然，不等于认定偏袒。`],
  ];
  notes.addRow(['项目', '定义']).font = { bold: true };
  for (const [k, v] of lines) {
    const row = notes.addRow([k, v]);
    row.alignment = { wrapText: true, vertical: 'top' };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
