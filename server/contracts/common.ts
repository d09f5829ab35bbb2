import { z } from 'zod';
import { NAME_PROBLEM_TEXT, nameProblem, normaliseName } from '../domain/names.ts';

/** RFC 9457 problem details with a stable machine `code` and, for validation, each field's problem. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    code: z.string(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .describe('One item per invalid field, the field as a dotted path (body.marks.0.value)'),
    params: z
      .record(z.string(), z.union([z.string(), z.number()]))
      .optional()
      .describe("Values for the translation of `code` (e.g. retryAfterSeconds), so the web app need not parse `detail`"),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof problemSchema>;

/**
 * An id in a path or query string: decimal digits only. `z.coerce.number()` read `0x10` as 16,
 * `1e1` as 10 and ` 7` as 7, so one record answered to many addresses.
 */
export const decimalId = z
  .string()
  .regex(/^[1-9]\d{0,14}$/, 'a positive whole number in decimal digits')
  .transform(Number);

export const idParams = z.object({ id: decimalId });

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.int(),
    page: z.int(),
    pageSize: z.int(),
  });
}

/** Error responses every authenticated route may answer with; routes add their own. */
export const commonErrors = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
} as const;

export const isoDate = z.iso.date();
export const okSchema = z.object({ ok: z.literal(true) });

/**
 * An employer written as text, for one that is not an organisation of the system (a small private
 * firm). Give either this or `employerId`, not both.
 */
export const employerText = z.string().trim().min(1).max(100);

/**
 * A name as people type it (server/domain/names.ts): NFC, trimmed, 1 to `max` characters, no
 * control characters, bidi overrides, lone surrogates, or only invisible characters.
 */
export function nameText(max: number) {
  return z
    .string()
    .transform(normaliseName)
    .pipe(
      z
        .string()
        .min(1)
        .max(max)
        .superRefine((text, ctx) => {
          const problem = nameProblem(text);
          if (problem) ctx.addIssue({ code: 'custom', message: NAME_PROBLEM_TEXT[problem] });
        }),
    );
}
