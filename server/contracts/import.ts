import { z } from 'zod';
import { problemSchema } from './common.ts';

/** The two file types the imports read (in a module without zod, for pages that need only these). */
export { CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE } from './sheet-types.ts';

/** At most this many data rows per file: the bulk registration's limit, so one file is one decision. */
export const IMPORT_MAX_ROWS = 2000;

export const importField = z.enum(['name', 'idNumber', 'phone', 'employer', 'delegation', 'occupationCode', 'occupationName', 'skillLevel']);
export type ImportField = z.infer<typeof importField>;

/**
 * The sheet's columns: the Chinese header the template uses, the English one, and other headers
 * seen in real registration forms. Headers are matched by name (order does not matter), after
 * removing spaces, asterisks and notes in brackets, so `身份证号（18位）*` still matches.
 */
export const IMPORT_COLUMNS: readonly { field: ImportField; zh: string; en: string; aliases: readonly string[]; required: boolean }[] = [
  { field: 'name', zh: '姓名', en: 'name', aliases: ['选手姓名', '参赛选手', 'fullname'], required: true },
  { field: 'idNumber', zh: '身份证号', en: 'idNumber', aliases: ['身份证号码', '身份证', '公民身份号码', '证件号码', 'idno', 'idcard', 'residentid'], required: true },
  { field: 'phone', zh: '手机号', en: 'phone', aliases: ['手机号码', '手机', '联系电话', '电话', 'mobile', 'phonenumber'], required: false },
  { field: 'employer', zh: '工作单位', en: 'employer', aliases: ['单位', '所在单位', '单位名称', 'employername', 'company'], required: false },
  { field: 'delegation', zh: '代表队', en: 'delegation', aliases: ['参赛队', '参赛代表队', '队伍', '代表单位', 'team', 'delegationname'], required: false },
  { field: 'occupationCode', zh: '职业编码', en: 'occupationCode', aliases: ['职业代码', '职业(工种)编码', '工种编码', 'occupation code'], required: false },
  { field: 'occupationName', zh: '职业名称', en: 'occupationName', aliases: ['职业', '工种', '职业(工种)', '职业(工种)名称', 'occupation'], required: false },
  { field: 'skillLevel', zh: '技能等级', en: 'skillLevel', aliases: ['职业技能等级', '等级', '现技能等级', 'level'], required: false },
];

export const importQuery = z.object({
  dryRun: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => v === 'true' || v === '1')
    .describe('true: check every row and report, store nothing'),
});

/**
 * Why a row was refused, as a stable code the web app translates (`message` is the English
 * explanation): required, id_format, id_birth_date, id_check_char, id_stored_as_number, name_mismatch, too_long,
 * phone_format, occupation_code_format, skill_level, unknown_organisation, ambiguous_organisation,
 * not_in_scope, invalid.
 */
export const importRowError = z.object({
  /** The row number as the spreadsheet shows it (1-based, header and title rows included). */
  row: z.int(),
  /** The header as written in the file (`身份证号`, `idNumber`, …). */
  column: z.string(),
  field: importField,
  /** What the cell holds (empty when missing), so the report can quote it. */
  value: z.string(),
  code: z.string(),
  message: z.string(),
});
export type ImportRowError = z.infer<typeof importRowError>;

export const importReport = z
  .object({
    dryRun: z.boolean(),
    /** Whether the entries were stored (never with a dry run, never when a row is in error). */
    stored: z.boolean(),
    sheet: z.string(),
    /** The row holding the headers (title rows above it are skipped). */
    headerRow: z.int(),
    /** Data rows read (blank rows are not counted). */
    total: z.int(),
    /** Rows without any error. */
    valid: z.int(),
    /** Entries created; with a dry run, those the valid rows would create; 0 when an import is refused. */
    created: z.int(),
    /** Rows whose person was already entered in the event (left as they are). */
    existing: z.int(),
    peopleCreated: z.int(),
    /**
     * Employers named in the sheet that are not organisations under the competition's organisation:
     * kept as written (small private firms). Check them in the dry run: a misspelt organisation
     * lands here too.
     */
    employersAsText: z.array(z.string()),
    errors: z.array(importRowError),
  })
  .meta({ id: 'ImportReport' });
export type ImportReport = z.infer<typeof importReport>;

/** A refused import: problem details with the whole report as an extension member. */
export const importProblem = problemSchema.extend({ report: importReport.optional() }).meta({ id: 'ImportProblem' });
