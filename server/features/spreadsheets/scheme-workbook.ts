import ExcelJS from 'exceljs';
import type { z } from 'zod';
import { schemeSchema, type Scheme, type TieBreak } from '../../contracts/scheme.ts';
import type { SheetProblem } from '../../contracts/spreadsheets.ts';
import {
  columnLetter,
  numberOf,
  ProblemList,
  readCell,
  readTable,
  shown,
  sheetRef,
  textOf,
  wordKey,
  wordOf,
  yesNoOf,
  type CellValue,
  type ColumnSpec,
  type Table,
  type Word,
} from './sheet-cells.ts';

/**
 * The marking scheme (评分细则) as a workbook an organiser can build in Excel:
 *
 * - 部分 (parts): one row per part — 部分编号, 部分名称, 类别, 权重(%), 满分, 评分方式, 裁判分汇总,
 *   去掉最高最低各(个), 最少裁判数, 裁判人数, 裁判组, 难度系数, 倍数;
 * - 评分项 (criteria): one row per criterion — 部分编号, 评分项编号, 评分项名称, 满分, 步长, in
 *   the order the judges' sheets list them;
 * - 设置 (settings): 计分方式 and 同分排序1…3, one per row (项目 | 值 | 说明);
 * - 说明: every column and word explained in Chinese;
 * - 高级设置 (advanced, only for schemes that use them): the issue-13 options that have no columns
 *   (element scoring, base values, grade tables, criterion minima and factors, penalty parts,
 *   rounding, tie-breaks by part) as one JSON text in A2, so an export → import round trip keeps
 *   them; the import puts them back on the parts and criteria whose ids are still there.
 *
 * Words (理论, 去最高最低取平均, 是 …) are written in Chinese; the import also takes the API's codes
 * (theory, trimmed_mean, true …) and the usual other words. Headers are matched by name, in any
 * order. The import builds a scheme and checks it with the same zod contract as the API
 * (server/contracts/scheme.ts), every problem named by its cell.
 */

export const SHEETS = { parts: '部分', criteria: '评分项', settings: '设置', help: '说明', advanced: '高级设置' } as const;

/** The issue-13 options the sheets have no columns for, keyed by part and criterion id (sheet 高级设置). */
type Advanced = {
  /** tieBreaks only when there are more than the three rows of 设置 hold. */
  scheme?: Partial<Pick<Scheme, 'rounding' | 'gradeTables' | 'tieBreaks'>>;
  parts?: Record<string, Pick<Scheme['parts'][number], 'kind' | 'aggregateBy' | 'usesBaseValues'>>;
  criteria?: Record<string, Record<string, Pick<Scheme['parts'][number]['criteria'][number], 'min' | 'factor' | 'gradeTable'>>>;
};

function definedOnly<T extends object>(from: T, keys: readonly (keyof T)[]): Partial<T> | undefined {
  const out: Partial<T> = {};
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k];
  return Object.keys(out).length ? out : undefined;
}

/** The advanced options of a scheme, or null when it uses none. */
function advancedOf(scheme: Scheme): Advanced | null {
  const out: Advanced = {};
  const s = definedOnly(scheme, ['rounding', 'gradeTables']);
  if (s) out.scheme = s;
  if (scheme.tieBreaks.length > TIE_ROWS.length) out.scheme = { ...out.scheme, tieBreaks: scheme.tieBreaks };
  for (const p of scheme.parts) {
    const po = definedOnly(p, ['kind', 'aggregateBy', 'usesBaseValues']);
    if (po) (out.parts ??= {})[p.id] = po;
    for (const c of p.criteria) {
      const co = definedOnly(c, ['min', 'factor', 'gradeTable']);
      if (co) ((out.criteria ??= {})[p.id] ??= {})[c.id] = co;
    }
  }
  return Object.keys(out).length ? out : null;
}

const TOTALING: readonly Word<Scheme['totaling']>[] = [
  { code: 'weighted', label: '加权折算', aliases: ['加权', '百分制', '按权重折算', '加权折算(百分制)'] },
  { code: 'raw', label: '原始分相加', aliases: ['原始分', '相加', '累加', '直接相加'] },
];
const ROLES: readonly Word<Scheme['parts'][number]['role']>[] = [
  { code: 'theory', label: '理论', aliases: ['理论知识', '理论考试', '理论知识考试', '笔试'] },
  { code: 'practical', label: '实操', aliases: ['技能操作', '实际操作', '操作', '实践', '技能操作考核'] },
  { code: 'other', label: '其他', aliases: ['其它'] },
];
const MARKINGS: readonly Word<Scheme['parts'][number]['marking']>[] = [
  { code: 'objective', label: '客观分', aliases: ['客观', '录入成绩', '考试成绩', '测量'] },
  { code: 'rubric', label: '评分项加分', aliases: ['评分项', '加分', '加分制', '得分制', '主观评分'] },
  { code: 'deduction', label: '扣分制', aliases: ['扣分'] },
];
type AggregationKind = Scheme['parts'][number]['aggregation']['kind'];
const AGGREGATIONS: readonly Word<AggregationKind>[] = [
  { code: 'mean', label: '平均', aliases: ['平均分', '算术平均', '取平均', '平均值'] },
  {
    code: 'trimmed_mean',
    label: '去最高最低取平均',
    aliases: ['去掉最高最低取平均', '去掉一个最高分和一个最低分后取平均分', '去掉最高分和最低分取平均', '去掉最高分和最低分后取平均分', '去高去低取平均', '截尾平均'],
  },
  { code: 'median', label: '中位数', aliases: ['中位', '中值'] },
  { code: 'trimmed_sum', label: '去最高最低求和', aliases: ['去掉最高最低求和', '去掉最高分和最低分求和', '去高去低求和', '截尾求和'] },
];
type Panel = NonNullable<Scheme['parts'][number]['panel']>;
const PANELS: readonly Word<Panel>[] = [
  { code: 'part', label: '按部分', aliases: ['整体', '同一组裁判', '每部分一组'] },
  { code: 'criterion', label: '按评分项', aliases: ['分项', '每项一组', '每个评分项一组'] },
];
const TIE_BREAKS: readonly Word<TieBreak>[] = [
  { code: 'completion_time', label: '用时短者优先', aliases: ['用时', '用时短', '完成时间', '用时短者在前'] },
  { code: 'practical', label: '实操成绩高者优先', aliases: ['实操', '实操成绩', '实操高', '实操成绩高者在前'] },
  { code: 'theory', label: '理论成绩高者优先', aliases: ['理论', '理论成绩', '理论高', '理论成绩高者在前'] },
];

const labelOf = <T extends string>(vocab: readonly Word<T>[], code: T): string => vocab.find((w) => w.code === code)?.label ?? code;
const labels = <T extends string>(vocab: readonly Word<T>[]) => vocab.map((w) => w.label).join('、');

type PartField = 'id' | 'name' | 'role' | 'weight' | 'max' | 'marking' | 'aggregation' | 'drop' | 'minMarks' | 'expectedMarks' | 'panel' | 'usesDifficulty' | 'multiplier';
type CriterionField = 'partId' | 'id' | 'name' | 'max' | 'step';

const ID_HELP = '小写字母、数字、下划线或短横线，至多40个字符（如 theory、task1）；评分记录按编号保存，评分开始后不要改动';

export const PART_COLUMNS: readonly ColumnSpec<PartField>[] = [
  { field: 'id', header: '部分编号', aliases: ['编号', 'id', 'partid', '部分id', '部分代码'], required: true, width: 12, text: true, help: `部分的编号。${ID_HELP}。` },
  { field: 'name', header: '部分名称', aliases: ['名称', 'name', '部分'], required: true, width: 24, help: '部分的名称，如“理论知识考试”“拉线制作及安装”。' },
  { field: 'role', header: '类别', aliases: ['role', '类型'], required: true, width: 8, help: `${labels(ROLES)}。同分时“实操成绩高者优先”“理论成绩高者优先”按类别取分。` },
  {
    field: 'weight',
    header: '权重(%)',
    aliases: ['权重', 'weight', '占比', '比重'],
    required: true,
    width: 9,
    help: '加权折算时该部分占总分（百分制）的百分比，各部分相加须为100；写30或30%均可。原始分相加时不计，填0即可。',
  },
  { field: 'max', header: '满分', aliases: ['max', '分值', '满分值'], required: true, width: 8, help: '该部分的满分（一名裁判对该部分给出的分数在0至满分之间）。评分项加分时，各评分项满分之和须等于它。' },
  {
    field: 'marking',
    header: '评分方式',
    aliases: ['marking'],
    required: true,
    width: 12,
    help: `${labels(MARKINGS)}。客观分：理论考试成绩、用时、测量结果等，由工作人员录入一个数值，不设评分项；评分项加分：裁判逐项给分，各项相加；扣分制：裁判逐项记扣分，满分减去扣分（不低于0）。`,
  },
  {
    field: 'aggregation',
    header: '裁判分汇总',
    aliases: ['汇总方式', 'aggregation', '合成方式', '计分办法'],
    required: false,
    width: 18,
    help: `多名裁判的分数如何得出该部分成绩：${labels(AGGREGATIONS)}。空白按“去最高最低取平均”。客观分部分不用。`,
  },
  {
    field: 'drop',
    header: '去掉最高最低各(个)',
    aliases: ['去掉最高最低各', 'drop', '去掉个数', '去掉最高最低分个数'],
    required: false,
    width: 11,
    help: '去最高最低时，最高分和最低分各去掉几个（0至7，15名裁判各去7个即取中位数），空白为1。平均、中位数不用，填了也不计。',
  },
  { field: 'minMarks', header: '最少裁判数', aliases: ['最少评分数', 'minmarks', '最少评分裁判数'], required: false, width: 10, help: '至少有几名裁判评分该部分才算完成（1至20），不能多于裁判人数，空白为1。' },
  {
    field: 'expectedMarks',
    header: '裁判人数',
    aliases: ['应有评分数', 'expectedmarks', '裁判数', '评分裁判数'],
    required: false,
    width: 9,
    help: '未安排裁判组时，该部分应有几名裁判评分（1至20），空白为1；安排了裁判组后以实际席位为准。',
  },
  {
    field: 'panel',
    header: '裁判组',
    aliases: ['评分组', 'panel'],
    required: false,
    width: 10,
    help: `${labels(PANELS)}，空白即按部分。按部分：同一组裁判评该部分的全部评分项；按评分项：每个评分项各有一组裁判。客观分部分留空。`,
  },
  { field: 'usesDifficulty', header: '难度系数', aliases: ['usesdifficulty', '使用难度系数', '有难度系数'], required: false, width: 9, help: '是：选手可申报该部分的难度系数，成绩乘以系数；否或空白：不用。' },
  { field: 'multiplier', header: '倍数', aliases: ['multiplier', '乘数'], required: false, width: 7, help: '该部分成绩再乘以的倍数（如0.6），空白为1。' },
];

export const CRITERION_COLUMNS: readonly ColumnSpec<CriterionField>[] = [
  { field: 'partId', header: '部分编号', aliases: ['所属部分', '部分', 'partid', '部分id'], required: true, width: 12, text: true, help: '评分项所属部分的编号，须是“部分”表中的编号。客观分部分没有评分项。' },
  { field: 'id', header: '评分项编号', aliases: ['编号', 'id', 'criterionid', '评分项id', '项目编号'], required: true, width: 12, text: true, help: `评分项的编号，同一部分内不能重复。${ID_HELP}。` },
  { field: 'name', header: '评分项名称', aliases: ['名称', 'name', '评分内容', '评分项目', '考核内容'], required: true, width: 30, help: '评分项的名称，裁判的评分表上显示它，如“操作规范”。' },
  {
    field: 'max',
    header: '满分',
    aliases: ['max', '分值', '配分', '最多扣分', '满分/最多扣分'],
    required: true,
    width: 8,
    help: '评分项加分：该项满分，同一部分各项之和须等于部分满分；扣分制：该项最多扣几分。',
  },
  { field: 'step', header: '步长', aliases: ['step', '评分步长', '最小分值', '最小单位'], required: false, width: 7, help: '给分的最小单位（如0.5：只能给0、0.5、1 …），空白为0.5。' },
];

const TIE_ROWS = ['同分排序1', '同分排序2', '同分排序3'] as const;
const SETTING_HELP: Record<string, string> = {
  计分方式: `${labels(TOTALING)}。加权折算：各部分成绩 ÷ 满分 × 权重后相加（百分制）；原始分相加：各部分成绩（乘难度系数、倍数）直接相加。`,
  同分排序1: `总分相同时依次比较：${labels(TIE_BREAKS)}；都相同则名次并列。三行都空白表示同分即并列。`,
  同分排序2: '第二个比较依据，可空白。',
  同分排序3: '第三个比较依据，可空白。',
};

/** Rows of the criteria sheet at most: 20 parts × 100 criteria. */
const MAX_CRITERIA_ROWS = 2000;
/** Rows of the parts sheet at most (the scheme takes 20; more is reported as such). */
const MAX_PART_ROWS = 100;

// ---------- Export ----------

const HEAD_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFF3F8' } };

function addTable<F extends string>(wb: ExcelJS.Workbook, name: string, specs: readonly ColumnSpec<F>[], rows: (string | number | null)[][], lists: Partial<Record<F, string>>) {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = specs.map((c) => ({ header: c.header, width: c.width, style: c.text ? { numFmt: '@' } : {} }));
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.fill = HEAD_FILL;
  specs.forEach((c, i) => {
    if (c.required) head.getCell(i + 1).font = { bold: true, color: { argb: 'FFB42318' } };
    head.getCell(i + 1).note = c.help;
  });
  for (const values of rows) ws.addRow(values);
  // Drop-down lists for the columns of words, on the rows written and some room below.
  const last = Math.max(rows.length + 30, 50);
  specs.forEach((c, i) => {
    const list = lists[c.field];
    if (!list) return;
    for (let r = 2; r <= last; r++)
      ws.getCell(r, i + 1).dataValidation = {
        type: 'list',
        allowBlank: true,
        formulae: [`"${list}"`],
        showErrorMessage: true,
        errorStyle: 'warning',
        error: `请从列表中选择：${list.replace(/,/g, '、')}`,
      };
  });
  return ws;
}

/** The scheme as the workbook described above. `title` heads the 说明 sheet (competition · event · round). */
export async function schemeWorkbook(scheme: Scheme, title: string, created: Date): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '职工技能竞赛管理系统';
  wb.created = created;
  wb.modified = created;
  const partRows = scheme.parts.map((p) => [
    p.id,
    p.name,
    labelOf(ROLES, p.role),
    p.weight,
    p.max,
    labelOf(MARKINGS, p.marking),
    labelOf(AGGREGATIONS, p.aggregation.kind),
    p.aggregation.kind === 'trimmed_mean' || p.aggregation.kind === 'trimmed_sum' ? p.aggregation.drop : null,
    p.minMarks,
    p.expectedMarks,
    p.panel ? labelOf(PANELS, p.panel) : null,
    p.usesDifficulty ? '是' : '否',
    p.multiplier,
  ]);
  const csv = <T extends string>(vocab: readonly Word<T>[]) => vocab.map((w) => w.label).join(',');
  addTable(wb, SHEETS.parts, PART_COLUMNS, partRows, {
    role: csv(ROLES),
    marking: csv(MARKINGS),
    aggregation: csv(AGGREGATIONS),
    panel: csv(PANELS),
    usesDifficulty: '是,否',
  });
  addTable(
    wb,
    SHEETS.criteria,
    CRITERION_COLUMNS,
    scheme.parts.flatMap((p) => p.criteria.map((c) => [p.id, c.id, c.name, c.max, c.step])),
    {},
  );

  const settings = wb.addWorksheet(SHEETS.settings, { views: [{ state: 'frozen', ySplit: 1 }] });
  settings.columns = [
    { header: '项目', width: 14 },
    { header: '值', width: 20 },
    { header: '说明', width: 80 },
  ];
  settings.getRow(1).font = { bold: true };
  settings.getRow(1).fill = HEAD_FILL;
  settings.addRow(['计分方式', labelOf(TOTALING, scheme.totaling), SETTING_HELP['计分方式']]);
  settings.getCell(2, 2).dataValidation = { type: 'list', allowBlank: false, formulae: [`"${csv(TOTALING)}"`] };
  TIE_ROWS.forEach((label, k) => {
    const code = scheme.tieBreaks[k];
    settings.addRow([label, code ? labelOf(TIE_BREAKS, code) : null, SETTING_HELP[label]]);
    settings.getCell(3 + k, 2).dataValidation = { type: 'list', allowBlank: true, formulae: [`"${csv(TIE_BREAKS)}"`] };
  });
  settings.getColumn(3).alignment = { wrapText: true, vertical: 'top' };

  const help = wb.addWorksheet(SHEETS.help);
  help.columns = [
    { header: '', width: 12 },
    { header: '', width: 20 },
    { header: '', width: 90 },
  ];
  help.getCell('A1').value = `${title} 评分细则`;
  help.getCell('A1').font = { bold: true, size: 14 };
  help.getCell('A2').value =
    '在“部分”表每行写一个部分，在“评分项”表每行写一个评分项，在“设置”表写计分方式和同分排序；保存为 .xlsx 后在赛项的评分方案页导入。导入先检查（不保存），列出将有哪些变化和每个问题所在的单元格，确认后才替换评分方案；已有评分后评分方案不能再改。红色表头为必填列，列的顺序可以调整。';
  help.mergeCells('A2:C2');
  help.getRow(2).height = 48;
  help.getCell('A2').alignment = { wrapText: true, vertical: 'top' };
  const headRow = help.addRow(['表', '列', '填写说明']);
  headRow.font = { bold: true };
  headRow.fill = HEAD_FILL;
  for (const c of PART_COLUMNS) help.addRow([SHEETS.parts, `${c.header}${c.required ? '（必填）' : ''}`, c.help]);
  for (const c of CRITERION_COLUMNS) help.addRow([SHEETS.criteria, `${c.header}${c.required ? '（必填）' : ''}`, c.help]);
  for (const label of ['计分方式', ...TIE_ROWS]) help.addRow([SHEETS.settings, label, SETTING_HELP[label]]);
  help.getColumn(3).alignment = { wrapText: true, vertical: 'top' };

  const advanced = advancedOf(scheme);
  if (advanced) {
    const ws = wb.addWorksheet(SHEETS.advanced);
    ws.getColumn(1).width = 120;
    ws.getCell('A1').value = '系统保存的高级计分设置（按动作计分、基础分、等级换算表、最低分与系数、扣分项、取舍规则），导入时按部分和评分项编号放回。请勿修改此表。';
    ws.getCell('A1').font = { bold: true };
    ws.getCell('A1').alignment = { wrapText: true };
    ws.getCell('A2').value = JSON.stringify(advanced);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---------- Import ----------

/** Where each part and criterion came from, so a problem the zod contract finds is named by its cell. */
type Origin = {
  partsWs: ExcelJS.Worksheet | undefined;
  criteriaWs: ExcelJS.Worksheet | undefined;
  parts: Table<PartField> | null;
  criteria: Table<CriterionField> | null;
  /** Sheet row of part i. */
  partRows: number[];
  /** Sheet rows of part i's criteria, in order. */
  criterionRows: number[][];
  settingsSheet: string | null;
  totalingRow: number | null;
  tieRows: number[];
};

export type SchemeWorkbookRead = { scheme: Scheme | null; problems: SheetProblem[]; parts: number; criteria: number };

/** A sheet by name, whatever its case and spacing. */
function sheetNamed(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet | undefined {
  return wb.worksheets.find((ws) => wordKey(ws.name) === wordKey(name));
}

/** Parses and checks a loaded workbook: the scheme, or every problem by its cell. */
export function readSchemeWorkbook(wb: ExcelJS.Workbook): SchemeWorkbookRead {
  const problems = new ProblemList();
  const partsWs = sheetNamed(wb, SHEETS.parts);
  const criteriaWs = sheetNamed(wb, SHEETS.criteria);
  if (!partsWs) problems.add({ sheet: SHEETS.parts }, 'missing_sheet', `The workbook has no sheet named ${SHEETS.parts}`, '', { sheet: SHEETS.parts });
  const partsTable = partsWs ? readTable(partsWs, PART_COLUMNS, problems, MAX_PART_ROWS) : null;
  // A scheme of objective parts only has no criteria: the sheet may then be left out.
  const criteriaTable = criteriaWs ? readTable(criteriaWs, CRITERION_COLUMNS, problems, MAX_CRITERIA_ROWS) : null;
  const origin: Origin = { partsWs, criteriaWs, parts: partsTable, criteria: criteriaTable, partRows: [], criterionRows: [], settingsSheet: null, totalingRow: null, tieRows: [] };

  const input: Record<string, unknown> = {};
  readSettings(wb, input, origin, problems);

  const parts: Record<string, unknown>[] = [];
  const partIndex = new Map<string, number>();
  for (const row of partsTable?.rows ?? []) {
    const part: Record<string, unknown> = {};
    const id = required(row.cell('id'), problems);
    if (id !== undefined) {
      const earlier = partIndex.get(id);
      if (earlier !== undefined)
        problems.atCell(row.cell('id'), 'duplicate_part', `Part id ${id} is given twice (rows ${origin.partRows[earlier]} and ${row.row})`, { id, row: origin.partRows[earlier]! });
      else partIndex.set(id, parts.length);
      part.id = id;
    }
    part.name = required(row.cell('name'), problems);
    part.role = requiredWord(row.cell('role'), ROLES, problems);
    part.weight = requiredNumber(row.cell('weight'), problems, { percent: true });
    part.max = requiredNumber(row.cell('max'), problems);
    part.marking = requiredWord(row.cell('marking'), MARKINGS, problems);
    const kind = wordOf(row.cell('aggregation'), AGGREGATIONS, problems);
    const drop = numberOf(row.cell('drop'), problems, { integer: true });
    if (kind) part.aggregation = kind === 'trimmed_mean' || kind === 'trimmed_sum' ? { kind, ...(drop != null && { drop }) } : { kind };
    else if (kind === undefined && drop != null) part.aggregation = { kind: 'trimmed_mean', drop };
    setIfGiven(part, 'minMarks', numberOf(row.cell('minMarks'), problems, { integer: true }));
    setIfGiven(part, 'expectedMarks', numberOf(row.cell('expectedMarks'), problems, { integer: true }));
    setIfGiven(part, 'panel', wordOf(row.cell('panel'), PANELS, problems));
    setIfGiven(part, 'usesDifficulty', yesNoOf(row.cell('usesDifficulty'), problems));
    setIfGiven(part, 'multiplier', numberOf(row.cell('multiplier'), problems));
    part.criteria = [];
    parts.push(part);
    origin.partRows.push(row.row);
    origin.criterionRows.push([]);
  }
  if (partsTable && partsTable.rows.length === 0)
    problems.add({ sheet: partsTable.sheet, row: partsTable.headerRow + 1 }, 'required', 'The scheme needs at least one part', '');

  let criteriaCount = 0;
  const seen = new Map<string, number>();
  for (const row of criteriaTable?.rows ?? []) {
    criteriaCount++;
    const partCell = row.cell('partId');
    const partId = required(partCell, problems);
    const criterion: Record<string, unknown> = {};
    const id = required(row.cell('id'), problems);
    criterion.id = id;
    criterion.name = required(row.cell('name'), problems);
    criterion.max = requiredNumber(row.cell('max'), problems);
    setIfGiven(criterion, 'step', numberOf(row.cell('step'), problems));
    if (partId === undefined) continue;
    const i = partIndex.get(partId);
    if (i === undefined) {
      if (partsTable) problems.atCell(partCell, 'unknown_part', `No part ${partId} on sheet ${SHEETS.parts}`, { id: partId });
      continue;
    }
    if (id !== undefined) {
      const key = `${partId}\u0000${id}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        problems.atCell(row.cell('id'), 'duplicate_criterion', `Criterion ${id} is given twice in part ${partId} (rows ${earlier} and ${row.row})`, { id, part: partId, row: earlier });
        continue;
      }
      seen.set(key, row.row);
    }
    (parts[i]!.criteria as unknown[]).push(criterion);
    origin.criterionRows[i]!.push(row.row);
  }
  input.parts = parts;
  readAdvanced(wb, input, parts, problems);

  const summary = { parts: parts.length, criteria: criteriaCount };
  if (problems.count > 0) return { scheme: null, problems: problems.items, ...summary };
  const parsed = schemeSchema.safeParse(input);
  if (parsed.success) return { scheme: parsed.data, problems: [], ...summary };
  for (const issue of parsed.error.issues) reportIssue(issue, origin, problems);
  return { scheme: null, problems: problems.items, ...summary };
}

/** 高级设置: puts the options kept there back on the scheme, the parts and the criteria still in the workbook. */
function readAdvanced(wb: ExcelJS.Workbook, input: Record<string, unknown>, parts: Record<string, unknown>[], problems: ProblemList) {
  const ws = sheetNamed(wb, SHEETS.advanced);
  if (!ws) return;
  const raw = plainLabel(ws.getCell('A2').value);
  if (raw === null) return;
  let advanced: Advanced;
  try {
    advanced = JSON.parse(String(raw)) as Advanced;
    if (typeof advanced !== 'object' || advanced === null) throw new Error('not an object');
  } catch {
    problems.add({ sheet: ws.name, row: 2, column: 1, header: 'A' }, 'unreadable_advanced', `Sheet ${SHEETS.advanced} cell A2 is not the settings the export wrote`, String(raw).slice(0, 40));
    return;
  }
  // The contract checks every value when the scheme is parsed; here they are only put in place.
  if (advanced.scheme && typeof advanced.scheme === 'object') Object.assign(input, advanced.scheme);
  for (const part of parts) {
    const id = part.id as string | undefined;
    if (id === undefined) continue;
    const po = advanced.parts?.[id];
    if (po && typeof po === 'object') Object.assign(part, po);
    const byCriterion = advanced.criteria?.[id];
    if (byCriterion && typeof byCriterion === 'object')
      for (const c of part.criteria as Record<string, unknown>[]) {
        const co = byCriterion[c.id as string];
        if (co && typeof co === 'object') Object.assign(c, co);
      }
  }
}

function setIfGiven(target: Record<string, unknown>, key: string, value: unknown) {
  if (value !== undefined && value !== null) target[key] = value;
}

function required(c: CellValue, problems: ProblemList): string | undefined {
  const text = textOf(c);
  if (text === undefined) problems.atCell(c, 'required', `${c.header ?? 'This cell'} is required`);
  return text;
}

function requiredNumber(c: CellValue, problems: ProblemList, opts: { percent?: boolean } = {}): number | undefined {
  const n = numberOf(c, problems, opts);
  if (n === undefined) problems.atCell(c, 'required', `${c.header ?? 'This cell'} is required`);
  return n ?? undefined;
}

function requiredWord<T extends string>(c: CellValue, vocab: readonly Word<T>[], problems: ProblemList): T | undefined {
  const w = wordOf(c, vocab, problems);
  if (w === undefined) problems.atCell(c, 'required', `${c.header ?? 'This cell'} is required`, { allowed: labels(vocab) });
  return w ?? undefined;
}

/** 设置: 计分方式 and 同分排序1…3 by the label in column A, the value in column B. */
function readSettings(wb: ExcelJS.Workbook, input: Record<string, unknown>, origin: Origin, problems: ProblemList) {
  const ws = sheetNamed(wb, SHEETS.settings);
  if (!ws) return; // defaults: weighted, time → practical → theory
  origin.settingsSheet = ws.name;
  const ties: { k: number; code: TieBreak; row: number }[] = [];
  let sawTieRow = false;
  ws.eachRow({ includeEmpty: false }, (row, number) => {
    const label = textOf({ sheet: ws.name, row: number, column: 1, header: '项目', value: plainLabel(row.getCell(1).value), percent: false });
    if (!label || label === '项目') return;
    const cell: CellValue = { sheet: ws.name, row: number, column: 2, header: label, value: plainLabel(row.getCell(2).value), percent: false };
    const key = wordKey(label);
    if (key === wordKey('计分方式') || key === 'totaling') {
      origin.totalingRow = number;
      const w = wordOf(cell, TOTALING, problems);
      if (w) input.totaling = w;
      return;
    }
    const k = TIE_ROWS.findIndex((t) => wordKey(t) === key);
    if (k >= 0 || /^tiebreak[123]$/.test(key)) {
      sawTieRow = true;
      const index = k >= 0 ? k : Number(key.slice(-1)) - 1;
      origin.tieRows[index] = number;
      // A tie-break by a named part is written as its code (part:<id>), which the contract checks.
      const partTie = typeof cell.value === 'string' && /^part:[a-z0-9_-]{1,40}$/.test(cell.value) ? (cell.value as TieBreak) : null;
      if (partTie) {
        ties.push({ k: index, code: partTie, row: number });
        return;
      }
      const w = wordOf(cell, TIE_BREAKS, problems);
      if (w) ties.push({ k: index, code: w, row: number });
      return;
    }
    problems.add({ sheet: ws.name, row: number, column: 1, header: '项目' }, 'unknown_setting', `Unknown setting ${label}: use 计分方式 or 同分排序1…3`, label, { allowed: ['计分方式', ...TIE_ROWS].join('、') });
  });
  if (sawTieRow) {
    ties.sort((a, b) => a.k - b.k);
    const codes = ties.map((t) => t.code);
    const dup = ties.find((t, i) => codes.indexOf(t.code) !== i);
    if (dup)
      problems.add({ sheet: ws.name, row: dup.row, column: 2, header: TIE_ROWS[dup.k] }, 'duplicate_value', `${labelOf(TIE_BREAKS, dup.code)} is given twice`, labelOf(TIE_BREAKS, dup.code));
    input.tieBreaks = codes;
  }
}

/** A settings cell's text (formulas by their result). */
function plainLabel(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() || null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('').trim() || null;
    if (v.text !== undefined) return plainLabel(v.text);
    if ('result' in v) return plainLabel(v.result);
  }
  return null;
}

const PART_FIELD_OF: Record<string, PartField> = {
  id: 'id',
  name: 'name',
  role: 'role',
  weight: 'weight',
  max: 'max',
  marking: 'marking',
  minMarks: 'minMarks',
  expectedMarks: 'expectedMarks',
  panel: 'panel',
  usesDifficulty: 'usesDifficulty',
  multiplier: 'multiplier',
};

/** A zod issue of the scheme contract as a problem at the cell (or range) it comes from. */
function reportIssue(issue: z.core.$ZodIssue, origin: Origin, problems: ProblemList) {
  const path = issue.path;
  const { code, params } = issueCode(issue);
  const at = locate(path, origin);
  problems.add(at, code, issue.message, at.value ?? '', params);
}

function issueCode(issue: z.core.$ZodIssue): { code: string; params: Record<string, string | number> } {
  const m = issue.message;
  let r: RegExpExecArray | null;
  if ((r = /^weights add up to ([\d.]+), not 100$/.exec(m))) return { code: 'weights_sum', params: { sum: r[1]! } };
  if ((r = /^criteria maxima add up to ([\d.]+), not the part maximum ([\d.]+)$/.exec(m))) return { code: 'criteria_sum', params: { sum: r[1]!, max: r[2]! } };
  if (/^duplicate (part|criterion) id/.test(m)) return { code: 'duplicate_id', params: {} };
  if (/^an objective part has no panel$/.test(m)) return { code: 'objective_panel', params: {} };
  if (/needs at least one criterion$/.test(m)) return { code: 'needs_criteria', params: {} };
  if (/^minMarks cannot exceed expectedMarks$/.test(m)) return { code: 'min_marks', params: {} };
  if (issue.code === 'too_small') {
    const min = Number((issue as { minimum?: number | bigint }).minimum);
    const exclusive = (issue as { inclusive?: boolean }).inclusive === false;
    if ((issue as { origin?: string }).origin === 'string') return { code: 'required', params: {} };
    return { code: exclusive ? 'not_positive' : 'too_small', params: { min } };
  }
  if (issue.code === 'too_big') {
    const max = Number((issue as { maximum?: number | bigint }).maximum);
    if ((issue as { origin?: string }).origin === 'string') return { code: 'too_long', params: { max } };
    if ((issue as { origin?: string }).origin === 'array') return { code: 'too_many', params: { max } };
    return { code: 'too_big', params: { max } };
  }
  if (issue.code === 'invalid_format') return { code: 'id_format', params: {} };
  if (issue.code === 'invalid_type' && /int/.test((issue as { expected?: string }).expected ?? '')) return { code: 'not_an_integer', params: {} };
  return { code: 'invalid', params: {} };
}

type Located = { sheet: string; row?: number | null; column?: number | null; header?: string | null; cell?: string; value?: string };

/** The cell a scheme path points at: parts.2.weight → 部分!D4; parts.1.criteria.3.max → 评分项!D9; parts → the weight column. */
function locate(path: readonly PropertyKey[], o: Origin): Located {
  const partsSheet = o.parts?.sheet ?? SHEETS.parts;
  const critSheet = o.criteria?.sheet ?? SHEETS.criteria;
  const partCol = (field: PartField) => o.parts?.columns.get(field);
  const critCol = (field: CriterionField) => o.criteria?.columns.get(field);
  const [head, i, sub, j, leaf] = path as [string, number?, string?, number?, string?];
  if (head === 'totaling') return { sheet: o.settingsSheet ?? SHEETS.settings, row: o.totalingRow, column: o.totalingRow ? 2 : null, header: '计分方式' };
  if (head === 'tieBreaks') {
    const row = typeof i === 'number' ? (o.tieRows[i] ?? null) : null;
    return { sheet: o.settingsSheet ?? SHEETS.settings, row, column: row ? 2 : null, header: row ? TIE_ROWS[i!] : null };
  }
  if (head !== 'parts') return { sheet: partsSheet };
  if (typeof i !== 'number') {
    // The whole list: weights adding up, or too many parts: the weight column of every row.
    const col = partCol('weight');
    const rows = o.partRows;
    if (col && rows.length)
      return { sheet: partsSheet, column: col.index, header: col.header, cell: `${sheetRef(partsSheet)}!${columnLetter(col.index)}${rows[0]}:${columnLetter(col.index)}${rows.at(-1)}` };
    return { sheet: partsSheet };
  }
  const row = o.partRows[i] ?? null;
  const cellOf = (field: PartField): Located => {
    const col = partCol(field);
    return { sheet: partsSheet, row, column: col?.index ?? null, header: col?.header ?? PART_COLUMNS.find((c) => c.field === field)?.header ?? null, value: valueAt(o.partsWs, row, col?.index) };
  };
  if (sub === 'criteria') {
    const rows = o.criterionRows[i] ?? [];
    if (typeof j === 'number') {
      const crow = rows[j] ?? null;
      const field = (leaf === 'id' || leaf === 'name' || leaf === 'max' || leaf === 'step' ? leaf : 'id') as CriterionField;
      const col = critCol(field);
      return { sheet: critSheet, row: crow, column: col?.index ?? null, header: col?.header ?? null, value: valueAt(o.criteriaWs, crow, col?.index) };
    }
    // The part's criteria as a whole: their maxima (adding up), or none at all (the part's 评分方式).
    const col = critCol('max');
    if (rows.length && col)
      return { sheet: critSheet, column: col.index, header: col.header, cell: `${sheetRef(critSheet)}!${columnLetter(col.index)}${rows[0]}:${columnLetter(col.index)}${rows.at(-1)}` };
    return cellOf('marking');
  }
  if (sub === 'aggregation') return cellOf(path[3] === 'drop' ? 'drop' : 'aggregation');
  if (sub && PART_FIELD_OF[sub]) return cellOf(PART_FIELD_OF[sub]);
  return { sheet: partsSheet, row };
}

function valueAt(ws: ExcelJS.Worksheet | undefined, row: number | null, column: number | undefined): string {
  return ws && row !== null && column ? shown(readCell(ws, row, column, null)) : '';
}
