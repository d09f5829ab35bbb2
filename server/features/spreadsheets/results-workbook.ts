import ExcelJS from 'exceljs';
import { chinaDate } from '../../domain/working-days.ts';

/**
 * Results as a workbook in the published layout, one sheet per event:
 *
 *   1  competition name                                  (merged across the table, bold)
 *   2  event 成绩公示 (and the round when the event has several)
 *   3  主办单位：… 承办单位：…
 *   4  发布日期：yyyy-mm-dd  公示期至：yyyy-mm-dd / 成绩已确认  (or, before release: 未发布 · 内部核对用)
 *   5  名次 | 检录号 | 姓名 | 身份证号 | 代表队 | <each part> | 总分 | 奖项 | 证书编号 | 备注
 *   6… one row per entry, in the published order
 *   then the team ranking (团体排名) where the event ranks delegations, and a note.
 *
 * Ranks and drawn numbers are whole numbers, scores numbers with two decimals (0.00). Shared ranks
 * print the same number, as the results page does. Absent, withdrawn and disqualified entries
 * show their state (and the published reason) in 备注, with no total unless they are ranked.
 * ID numbers come masked (`340123********1234`); 姓名 and 身份证号 are left out of a sheet whose
 * reader may not know who is behind a number (before release).
 */

export type ResultRow = {
  number: number | null;
  rank: number | null;
  sharedRank: boolean;
  provisional: boolean;
  status: string;
  total: number;
  parts: { partId: string; score: number | null }[];
  name: string | null;
  idNumberMasked: string | null;
  delegation: string | null;
  disqualifiedReason: string | null;
  incompleteReason: string | null;
  prize: { label: string; certificateNumber: string } | null;
  /** A team or pair entry's people (the public results' own rows carry them); absent for one person. */
  members?: { name: string; idNumberMasked: string; captain: boolean }[];
};

export type ResultsSheetData = {
  competition: { name: string; organisers: readonly string[]; hosts: readonly string[] };
  eventName: string;
  /** The round listed, when the event has several. */
  roundName: string | null;
  release: { releasedAt: string; publicityEndsAt: string | null; final: boolean } | null;
  /** When the workbook was made (the note on a sheet made before release). */
  generatedAt: Date;
  /** Names and masked ID numbers are in the rows (after release, or for those who hold the mapping). */
  identities: boolean;
  /** The part columns: each part's name and, for weighted totals, its weight in %. */
  parts: { id: string; name: string; weight: number | null }[];
  rows: ResultRow[];
  teams: { rank: number | null; delegation: string | null; value: number }[] | null;
};

const STATE_LABELS: Record<string, string> = { absent: '缺考', withdrawn: '退赛', disqualified: '取消资格' };
const TITLE_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFF3F8' } };
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin', color: { argb: 'FFB8C2CC' } },
  left: { style: 'thin', color: { argb: 'FFB8C2CC' } },
  bottom: { style: 'thin', color: { argb: 'FFB8C2CC' } },
  right: { style: 'thin', color: { argb: 'FFB8C2CC' } },
};
/** Rows above the table. */
const TITLE_ROWS = 4;
export const RESULTS_HEADER_ROW = TITLE_ROWS + 1;

/**
 * A worksheet name Excel accepts: at most 31 characters, none of []:*?/\, not starting or
 * ending with an apostrophe, not "History", and unique in the workbook (（2）, （3）… added).
 */
export function sheetName(wanted: string, used: Set<string>): string {
  let base = wanted.replace(/[[\]:*?/\\]/g, '_').replace(/^'+|'+$/g, '').trim() || '赛项';
  if (base.toLowerCase() === 'history') base = `${base}_`;
  base = [...base].slice(0, 31).join('');
  let name = base;
  for (let n = 2; used.has(name.toLowerCase()); n++) {
    const suffix = `（${n}）`;
    name = [...base].slice(0, 31 - suffix.length).join('') + suffix;
  }
  used.add(name.toLowerCase());
  return name;
}

/** 备注: the entry's state and published reason, or why it was released incomplete, or 暂定 before release. */
function remarkOf(row: ResultRow, released: boolean): string {
  const notes: string[] = [];
  const state = STATE_LABELS[row.status];
  if (state) notes.push(row.disqualifiedReason ? `${state}：${row.disqualifiedReason}` : state);
  if (row.incompleteReason) notes.push(`评分不完整：${row.incompleteReason}`);
  else if (!released && row.provisional && !state) notes.push('暂定（评分未完成）');
  return notes.join('；');
}

type Column = { header: string; width: number; value: (row: ResultRow) => string | number | null; format?: string; align?: 'center' | 'left' | 'right'; wrap?: boolean };

/** A team's or pair's people, as the results page shows them: the name, then its members (队长 marked) when the name is not just them. */
function nameOf(r: ResultRow): string | null {
  if (!r.name) return null;
  const members = r.members ?? [];
  if (members.length < 2 || members.map((m) => m.name).join('、') === r.name) return r.name;
  return `${r.name}（${members.map((m) => (m.captain ? `${m.name}（队长）` : m.name)).join('、')}）`;
}

/** Every member's masked ID number, one a line in the order of the names; one person's alone. */
function idsOf(r: ResultRow): string | null {
  const members = r.members ?? [];
  return members.length > 1 ? members.map((m) => m.idNumberMasked).join('\n') : r.idNumberMasked || null;
}

function columnsOf(data: ResultsSheetData): Column[] {
  const released = data.release !== null;
  const cols: Column[] = [
    { header: '名次', width: 6, value: (r) => r.rank, format: '0', align: 'center' },
    { header: '检录号', width: 8, value: (r) => r.number, format: '0', align: 'center' },
  ];
  if (data.identities)
    cols.push({ header: '姓名', width: 10, value: nameOf, wrap: true }, { header: '身份证号', width: 21, value: idsOf, format: '@', wrap: true });
  cols.push({ header: '代表队', width: 24, value: (r) => r.delegation });
  for (const p of data.parts)
    cols.push({
      header: p.weight === null ? p.name : `${p.name}（${p.weight}%）`,
      width: Math.min(18, Math.max(10, [...p.name].length * 2 + 2)),
      value: (r) => r.parts.find((x) => x.partId === p.id)?.score ?? null,
      format: '0.00',
      align: 'right',
    });
  cols.push(
    {
      header: '总分',
      width: 9,
      // As the results page: an absent, withdrawn or disqualified entry that is not ranked has no total.
      value: (r) => (STATE_LABELS[r.status] && r.rank === null ? null : r.total),
      format: '0.00',
      align: 'right',
    },
    { header: '奖项', width: 9, value: (r) => r.prize?.label ?? null, align: 'center' },
    { header: '证书编号', width: 20, value: (r) => r.prize?.certificateNumber ?? null, format: '@' },
    { header: '备注', width: 30, value: (r) => remarkOf(r, released) || null, wrap: true },
  );
  return cols;
}

/** Adds one event's sheet to the workbook. */
export function addResultsSheet(wb: ExcelJS.Workbook, data: ResultsSheetData, used: Set<string>): ExcelJS.Worksheet {
  const cols = columnsOf(data);
  const ws = wb.addWorksheet(sheetName(data.eventName, used), {
    views: [{ state: 'frozen', ySplit: RESULTS_HEADER_ROW }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, horizontalCentered: true },
    headerFooter: { oddFooter: '第 &P 页，共 &N 页' },
  });
  ws.pageSetup.printTitlesRow = `${RESULTS_HEADER_ROW}:${RESULTS_HEADER_ROW}`;
  ws.columns = cols.map((c) => ({ width: c.width }));
  const last = cols.length;
  const title = (row: number, text: string, font: Partial<ExcelJS.Font>, height?: number) => {
    ws.mergeCells(row, 1, row, last);
    const cell = ws.getCell(row, 1);
    cell.value = text;
    cell.font = font;
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    if (height) ws.getRow(row).height = height;
  };
  const c = data.competition;
  title(1, c.name, { bold: true, size: 16 }, 28);
  title(2, `${data.eventName}${data.roundName ? `（${data.roundName}）` : ''}成绩${data.release ? '公示' : '表'}`, { bold: true, size: 14 }, 22);
  title(3, [`主办单位：${c.organisers.join('、')}`, c.hosts.length ? `承办单位：${c.hosts.join('、')}` : ''].filter(Boolean).join('　　'), { size: 11 });
  const r = data.release;
  title(
    4,
    r
      ? [`发布日期：${chinaDate(new Date(r.releasedAt))}`, r.final ? '成绩已确认' : r.publicityEndsAt ? `公示期至：${chinaDate(new Date(Date.parse(r.publicityEndsAt) - 1))}` : '']
          .filter(Boolean)
          .join('　　')
      : `未发布 · 内部核对用，请勿外传（导出时间：${chinaDate(data.generatedAt)} ${new Date(data.generatedAt.getTime() + 8 * 3600_000).toISOString().slice(11, 16)}）`,
    { size: 11, color: { argb: r ? 'FF333333' : 'FFB42318' } },
  );

  const head = ws.getRow(RESULTS_HEADER_ROW);
  cols.forEach((col, i) => {
    const cell = head.getCell(i + 1);
    cell.value = col.header;
    cell.font = { bold: true };
    cell.fill = TITLE_FILL;
    cell.border = THIN;
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  });
  head.height = 30;
  data.rows.forEach((row, k) => {
    const line = ws.getRow(RESULTS_HEADER_ROW + 1 + k);
    cols.forEach((col, i) => {
      const cell = line.getCell(i + 1);
      cell.value = col.value(row);
      cell.border = THIN;
      if (col.format) cell.numFmt = col.format;
      cell.alignment = { horizontal: col.align ?? 'left', vertical: 'middle', wrapText: col.wrap === true };
    });
  });

  let at = RESULTS_HEADER_ROW + data.rows.length + 2;
  if (data.teams?.length) {
    // The team ranking under the table, in its columns: rank under 名次, delegation under 代表队, value under 总分.
    const at1 = cols.findIndex((x) => x.header === '代表队') + 1;
    const at2 = cols.findIndex((x) => x.header === '总分') + 1;
    ws.getCell(at, 1).value = '团体排名';
    ws.getCell(at, 1).font = { bold: true, size: 12 };
    const head2 = ws.getRow(at + 1);
    for (const [i, h] of [[1, '团体名次'], [at1, '代表队'], [at2, '团体成绩']] as const) {
      const cell = head2.getCell(i);
      cell.value = h;
      cell.font = { bold: true };
      cell.fill = TITLE_FILL;
      cell.border = THIN;
    }
    data.teams.forEach((team, k) => {
      const line = ws.getRow(at + 2 + k);
      line.getCell(1).value = team.rank;
      line.getCell(at1).value = team.delegation;
      line.getCell(at2).value = team.value;
      line.getCell(at2).numFmt = '0.00';
      for (const i of [1, at1, at2]) line.getCell(i).border = THIN;
    });
    at += data.teams.length + 3;
  }
  const notes = [
    data.identities ? '身份证号隐去出生日期。' : '成绩发布前按检录号列出，不含姓名和身份证号。',
    '名次相同为并列；缺考、退赛、取消资格见备注。',
  ];
  ws.mergeCells(at, 1, at, last);
  ws.getCell(at, 1).value = `注：${notes.join('')}`;
  ws.getCell(at, 1).font = { size: 10, color: { argb: 'FF5B6675' } };
  return ws;
}

/** A workbook of one sheet per event (events in the order given). */
export async function resultsWorkbook(sheets: readonly ResultsSheetData[], created: Date): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '职工技能竞赛管理系统';
  wb.created = created;
  wb.modified = created;
  const used = new Set<string>();
  for (const data of sheets) addResultsSheet(wb, data, used);
  if (sheets.length === 0) {
    const ws = wb.addWorksheet('说明');
    ws.getCell('A1').value = '该竞赛还没有可列出成绩的赛项。';
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
