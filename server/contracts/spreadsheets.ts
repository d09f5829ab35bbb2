import { z } from 'zod';
import { decimalId, problemSchema } from './common.ts';
import { schemeSchema } from './scheme.ts';

/**
 * The spreadsheets people already use: results per event in the published layout, and the
 * marking scheme (评分细则) as a workbook an organiser can build in Excel and import.
 * Layouts: server/features/spreadsheets/ (results-workbook.ts, scheme-workbook.ts).
 */

export const resultsWorkbookQuery = z.object({
  roundId: decimalId.optional().describe('the round to list (default: the first open round, else the last), as the ranking pages'),
});

export const schemeWorkbookQuery = z.object({
  roundId: decimalId
    .optional()
    .describe("a round with, or to be given, a scheme of its own; without it the event's scheme (the one every round without its own uses)"),
});

export const schemeImportQuery = schemeWorkbookQuery.extend({
  dryRun: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => v === 'true' || v === '1')
    .describe('true: check the workbook and report what would change, store nothing'),
});

/**
 * One problem of a scheme workbook, named by its cell. Codes (the web app words them):
 * missing_sheet, missing_column, duplicate_column, required, not_a_number, not_an_integer,
 * unknown_value, unknown_setting, unknown_part, duplicate_part, duplicate_criterion, duplicate_value,
 * duplicate_id, too_many_rows, weights_sum, criteria_sum, needs_criteria, objective_panel, min_marks,
 * too_small, not_positive, too_big, too_long, too_many, id_format, invalid.
 */
export const sheetProblemSchema = z
  .object({
    /** The sheet as named in the file (部分, 评分项, 设置). */
    sheet: z.string(),
    /** Row number as the spreadsheet shows it; null for a whole sheet or column. */
    row: z.int().nullable(),
    /** Column letter (D); null for a whole row or sheet. */
    column: z.string().nullable(),
    /** The column's header as written in the file (满分), when there is one. */
    header: z.string().nullable(),
    /** Where to look, as Excel writes it: `评分项!D7`, `部分!D2:D4`, `设置`. */
    cell: z.string(),
    /** What the cell holds (empty when missing), so the report can quote it. */
    value: z.string(),
    code: z.string(),
    /** English explanation; the web app shows its own words for the code. */
    message: z.string(),
    params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
  })
  .meta({ id: 'SheetProblem' });
export type SheetProblem = z.infer<typeof sheetProblemSchema>;

const changeValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** One field that differs between the current scheme and the workbook's. */
export const fieldChangeSchema = z.object({ field: z.string(), before: changeValue, after: changeValue });

/**
 * What an import would change, item by item: settings (totaling, tie-breaks), parts and criteria
 * added, removed or changed (each changed field with its value before and after), and order.
 */
export const schemeChangeSchema = z
  .object({
    kind: z.enum(['setting', 'part_added', 'part_removed', 'part_changed', 'parts_reordered', 'criterion_added', 'criterion_removed', 'criterion_changed', 'criteria_reordered']),
    partId: z.string().nullable(),
    partName: z.string().nullable(),
    criterionId: z.string().nullable(),
    criterionName: z.string().nullable(),
    fields: z.array(fieldChangeSchema),
  })
  .meta({ id: 'SchemeChange' });
export type SchemeChange = z.infer<typeof schemeChangeSchema>;

export const schemeImportReportSchema = z
  .object({
    dryRun: z.boolean(),
    /** Whether the scheme was replaced (never on a dry run, with a problem, or when nothing changes). */
    stored: z.boolean(),
    eventId: z.int(),
    /** The round whose own scheme is (to be) replaced; null: the event's scheme. */
    roundId: z.int().nullable(),
    /** Whether the workbook's scheme differs from the current one. */
    changed: z.boolean(),
    changes: z.array(schemeChangeSchema),
    problems: z.array(sheetProblemSchema),
    /**
     * Why the event's rules refuse the change, found on a dry run by trying it with the same
     * service as PATCH /api/events/:id (marks_exist once marks were entered); null when it may go
     * ahead. Without dryRun the refusal is the answer (409).
     */
    refusal: z.object({ code: z.string(), message: z.string() }).nullable(),
    /** Parts and criteria the workbook holds (zero when it could not be read). */
    parts: z.int(),
    criteria: z.int(),
    /** The workbook's scheme as it would be stored; null while it has problems. */
    scheme: schemeSchema.nullable(),
  })
  .meta({ id: 'SchemeImportReport' });
export type SchemeImportReport = z.infer<typeof schemeImportReportSchema>;

/** The refusal of a workbook with problems: 400, each problem's cell as a field (`评分项!D7`), and the report. */
export const schemeImportProblem = problemSchema.extend({ report: schemeImportReportSchema.optional() }).meta({ id: 'SchemeImportProblem' });
