import { z } from 'zod';
import { problemSchema } from '../../contracts/common.ts';

/**
 * The wire shapes of the certified-level import (POST /api/certificates/import). Pure zod, like
 * server/contracts; kept beside the feature because it is this feature's only addition (the web
 * page imports the types from here).
 */

/** A sheet column the import reads; the keys are the export layout's keys, so an export re-imports. */
export const certificateImportField = z.enum([
  'name',
  'idNumber',
  'occupationCode',
  'occupationName',
  'trade',
  'level',
  'theoryScore',
  'practicalScore',
  'certificateNumber',
  'issueDate',
  'evaluationBody',
  'basis',
]);
export type CertificateImportField = z.infer<typeof certificateImportField>;

/** The provincial headers (省级平台上报模板), and headers seen in other bureaus' sheets. */
export const CERTIFICATE_IMPORT_COLUMNS: readonly { field: CertificateImportField; zh: string; aliases: readonly string[]; required: boolean }[] = [
  { field: 'name', zh: '姓名', aliases: ['name', '持证人姓名'], required: true },
  { field: 'idNumber', zh: '证件号码', aliases: ['idNumber', '身份证号', '身份证号码', '公民身份号码', '证件号'], required: true },
  { field: 'occupationCode', zh: '职业编码', aliases: ['occupationCode', '职业代码', '职业(工种)编码'], required: true },
  { field: 'occupationName', zh: '职业名称', aliases: ['occupationName', '职业', '职业(工种)名称'], required: true },
  { field: 'trade', zh: '工种/职业方向', aliases: ['trade', '工种', '职业方向', '工种(职业方向)'], required: false },
  { field: 'level', zh: '职业技能等级', aliases: ['level', '技能等级', '等级', '证书等级'], required: true },
  { field: 'theoryScore', zh: '理论知识成绩', aliases: ['theoryScore', '理论成绩', '理论知识考试成绩'], required: false },
  { field: 'practicalScore', zh: '操作技能成绩', aliases: ['practicalScore', '实操成绩', '技能操作成绩', '操作技能考核成绩'], required: false },
  { field: 'certificateNumber', zh: '证书编号', aliases: ['certificateNumber', '证书号', '证书号码'], required: true },
  { field: 'issueDate', zh: '发证日期', aliases: ['issueDate', '发证时间', '颁证日期'], required: true },
  { field: 'evaluationBody', zh: '评价机构', aliases: ['evaluationBody', '评价机构名称', '鉴定机构', '评价组织', '发证机构'], required: true },
  { field: 'basis', zh: '认定方式', aliases: ['basis', '评价方式', '取证方式'], required: false },
];

/** At most this many data rows per file (a county bureau's yearly records fit several times over). */
export const CERTIFICATE_IMPORT_MAX_ROWS = 5000;

/**
 * Why a row was refused, as a stable code the web app can translate (`message` is English):
 * required, id_format, id_birth_date, id_check_char, unknown_person, name_mismatch,
 * occupation_code_format, level, score, date, basis, certificate_number, number_taken,
 * number_repeated, invalid.
 */
export const certificateImportError = z.object({
  /** The row number as the spreadsheet shows it (header and title rows counted). */
  row: z.int(),
  /** The header as written in the file. */
  column: z.string(),
  field: certificateImportField,
  value: z.string(),
  code: z.string(),
  message: z.string(),
});
export type CertificateImportError = z.infer<typeof certificateImportError>;

export const certificateImportReport = z
  .object({
    dryRun: z.boolean(),
    /** Whether the records were stored (never with a dry run, never when any row is in error). */
    stored: z.boolean(),
    sheet: z.string(),
    headerRow: z.int(),
    /** Data rows read (blank rows are not counted). */
    total: z.int(),
    /** Rows without any error. */
    valid: z.int(),
    /** Records created; with a dry run, those the valid rows would create; 0 when an import is refused. */
    created: z.int(),
    errors: z.array(certificateImportError),
  })
  .meta({ id: 'CertificateImportReport' });
export type CertificateImportReport = z.infer<typeof certificateImportReport>;

export const certificateImportQuery = z.object({
  dryRun: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => v === 'true' || v === '1')
    .describe('true: check every row and report, store nothing'),
});

/** A refused import: problem details with the whole report as an extension member. */
export const certificateImportProblem = problemSchema.extend({ report: certificateImportReport.optional() }).meta({ id: 'CertificateImportProblem' });
