import { z } from 'zod';
import { entryStatus } from './entries.ts';

/**
 * Elements of a round (issue 13): per drawn number and element (a criterion of an element part),
 * its base value (基础分, entered by staff or the chief judge before or during marking) and whether
 * the chief judge declared it void (无效动作). Numbers only: the chief judge works by drawn number.
 */

/** Base values: 0 … 10,000 with at most two decimals (an element's published base value, e.g. 11.50). */
export const BASE_VALUE_MAX = 10_000;

export const elementGridQuery = z.object({
  roundId: z.coerce.number().int().positive().optional().describe('Default: the open round, else the last'),
});

const elementCell = z.object({
  partId: z.string(),
  criterionId: z.string(),
  /** null: not entered (parts that use base values), or the part has none. */
  baseValue: z.number().nullable(),
  /** The chief judge's reason when the element is void; null otherwise. */
  voidReason: z.string().nullable(),
  /** Some judge has marked this element for this entry (a changed base value then needs a reason). */
  marked: z.boolean(),
  /** The engine's figures for the element: base + judged = score (null until scored). */
  judged: z.number().nullable(),
  score: z.number().nullable(),
  marksIn: z.int(),
  expected: z.int(),
});
export type ElementCell = z.infer<typeof elementCell>;

export const elementGridSchema = z
  .object({
    eventId: z.int(),
    roundId: z.int(),
    released: z.boolean(),
    /** The round's element parts (aggregated per element, or with base values), in scheme order. */
    parts: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        usesBaseValues: z.boolean(),
        /** Whether elements of this part may be declared void (rubric parts). */
        voidable: z.boolean(),
        criteria: z.array(
          z.object({
            id: z.string(),
            name: z.string(),
            /** The grade table's base values, when the element's grades are turned into points by one: only these may be entered. */
            allowedBaseValues: z.array(z.number()).nullable(),
          }),
        ),
      }),
    ),
    rows: z.array(
      z.object({
        number: z.int(),
        status: entryStatus,
        cells: z.array(elementCell),
      }),
    ),
  })
  .meta({ id: 'ElementGrid' });
export type ElementGrid = z.infer<typeof elementGridSchema>;

export const setBaseValuesBody = z.object({
  roundId: z.int().positive().optional().describe('Default: the open round, else the last'),
  /** Why values already marked against change (required then; kept in the audit log). */
  reason: z.string().trim().min(2).max(500).optional(),
  values: z
    .array(
      z.object({
        number: z.int().positive(),
        partId: z.string().min(1).max(40),
        criterionId: z.string().min(1).max(40),
        /** null clears the cell. */
        baseValue: z.number().min(0).max(BASE_VALUE_MAX).nullable(),
      }),
    )
    .min(1)
    .max(2000),
});
export type SetBaseValuesInput = z.infer<typeof setBaseValuesBody>;

export const setBaseValuesResult = elementGridSchema.extend({ changed: z.int() }).meta({ id: 'SetBaseValuesResult' });

export const voidElementBody = z.object({
  roundId: z.int().positive().optional().describe('Default: the open round, else the last'),
  number: z.int().positive(),
  partId: z.string().min(1).max(40),
  criterionId: z.string().min(1).max(40),
  /** true declares the element void, false withdraws the declaration. */
  void: z.boolean(),
  /** Why (e.g. 超出规定动作数, 动作未完成): shown on the console and kept in the audit log. */
  reason: z.string().trim().min(2).max(200),
});
export type VoidElementInput = z.infer<typeof voidElementBody>;

export const voidElementResult = elementGridSchema.extend({ changed: z.boolean() }).meta({ id: 'VoidElementResult' });
