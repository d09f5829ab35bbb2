import { z } from 'zod';
import { decimalId, problemSchema } from './common.ts';
import { COMPLETION_TIME_MAX } from './objective-fields.ts';

/**
 * Objective values (客观分): theory exam scores, completion times and other measured results,
 * entered per drawn number by staff — organisers, the chief judge and scorers — never by the
 * judges who mark. Every value is versioned and audited like a mark.
 */

export { COMPLETION_TIME, COMPLETION_TIME_MAX, formatDuration, parseDuration } from './objective-fields.ts';

/** An objective part's id, or `completionTime`. */
export const objectiveField = z
  .string()
  .regex(/^([a-z0-9_-]{1,40}|completionTime)$/, 'an objective part id or completionTime')
  .describe('An objective part’s id (e.g. theory) or completionTime (seconds)');

export const objectiveSource = z.enum(['grid', 'import', 'double_entry', 'settlement', 'appeal', 'round_entry', 'seed', 'mark']);
export type ObjectiveSource = z.infer<typeof objectiveSource>;

const reason = z.string().trim().min(2).max(500);

/** One cell as the grid sends it. */
export const objectiveCellInput = z.object({
  /** Generated once per cell edit on the device; a retry with it returns the first answer and stores nothing twice. */
  idempotencyKey: z.string().min(8).max(100),
  number: z.int().positive().describe('The contestant’s drawn number'),
  field: objectiveField,
  /** null clears the cell (a value typed against the wrong number); a scorer in double entry always sends a value. */
  value: z.number().min(0).max(COMPLETION_TIME_MAX).nullable(),
  /** Why an existing value changes (required then, here or for the whole request). */
  reason: reason.optional(),
});
export type ObjectiveCellInput = z.infer<typeof objectiveCellInput>;

export const writeObjectiveBody = z.object({
  roundId: z.int().positive().optional().describe('Default: the event’s open round'),
  /** The reason for every changed cell that gives none of its own. */
  reason: reason.optional(),
  cells: z.array(objectiveCellInput).min(1).max(2000),
});
export type WriteObjectiveInput = z.infer<typeof writeObjectiveBody>;

/**
 * Where a cell stands in double entry: not_entered (by this scorer), waiting (one entry so far),
 * matched (two agreeing entries: the value is stored), disputed (two differing entries: nothing
 * stored until the chief judge settles), settled (the chief judge chose the value), has_value
 * (entered directly by the chief judge or an organiser: nothing for the scorer to type).
 */
export const doubleEntryState = z.enum(['not_entered', 'waiting', 'matched', 'disputed', 'settled', 'has_value']);
export type DoubleEntryState = z.infer<typeof doubleEntryState>;

export const objectiveCellSchema = z
  .object({
    field: z.string(),
    /** The current value; for a scorer entering blind, their own entry instead. */
    value: z.number().nullable(),
    /** The current version (0: never entered). Not shown to a scorer entering blind. */
    version: z.int(),
    enteredAt: z.string().nullable(),
    enteredBy: z.string().nullable(),
    source: objectiveSource.nullable(),
    /** A value is expected (the contestant takes part and the column is required) and there is none. */
    missing: z.boolean(),
    /** Double entry: this cell's state (for a scorer, as they may know it), and how many scorers entered it. */
    double: z.object({ state: doubleEntryState, entries: z.int() }).nullable(),
  })
  .meta({ id: 'ObjectiveCell' });
export type ObjectiveCell = z.infer<typeof objectiveCellSchema>;

export const objectiveColumnSchema = z
  .object({
    field: z.string(),
    kind: z.enum(['part', 'completion_time']),
    name: z.string(),
    role: z.enum(['theory', 'practical', 'other']).nullable(),
    max: z.number(),
    step: z.number(),
    /** Share of the total (weighted totaling); null for the completion time. */
    weight: z.number().nullable(),
    /** Whether a missing value leaves the contestant's result incomplete (objective parts) or only weakens the tie-break (time). */
    required: z.boolean(),
  })
  .meta({ id: 'ObjectiveColumn' });
export type ObjectiveColumn = z.infer<typeof objectiveColumnSchema>;

export const objectiveGridQuery = z.object({
  roundId: decimalId.optional().describe('Default: the first open round, else the last'),
});

export const objectiveGridSchema = z
  .object({
    eventId: z.int(),
    eventName: z.string(),
    roundId: z.int(),
    rounds: z.array(z.object({ id: z.int(), seq: z.int(), name: z.string(), status: z.enum(['open', 'closed']) })),
    released: z.boolean(),
    totaling: z.enum(['weighted', 'raw']),
    /** The event asks scorers to enter values twice, blind. */
    doubleEntry: z.boolean(),
    /** How the caller writes: direct (a new version at once), double (blind first/second entry), none (read only). */
    mode: z.enum(['direct', 'double', 'none']),
    /** The caller may import a file and change the double-entry setting. */
    canImport: z.boolean(),
    /** The caller settles double-entry disagreements (the chief judge). */
    canSettle: z.boolean(),
    /** Names are shown to organisers only; everyone else works by drawn number. */
    showsNames: z.boolean(),
    columns: z.array(objectiveColumnSchema),
    rows: z.array(
      z.object({
        number: z.int(),
        status: z.string(),
        name: z.string().optional(),
        cells: z.array(objectiveCellSchema),
        /** What the objective parts add to the total (Σ weighted contributions), from the ranking; 0 for a scorer entering blind. */
        objectiveTotal: z.number(),
        /** The contestant's whole total so far (all parts), from the ranking; 0 for a scorer entering blind. */
        total: z.number(),
        /** Cells of this row with a value missing. */
        missing: z.int(),
      }),
    ),
    counts: z.object({ rows: z.int(), expected: z.int(), filled: z.int(), missing: z.int(), openDisputes: z.int() }),
  })
  .meta({ id: 'ObjectiveGrid' });
export type ObjectiveGrid = z.infer<typeof objectiveGridSchema>;

/**
 * stored: a new version; unchanged: the cell already held this value (nothing stored);
 * duplicate: this key was already used for this very cell (the first answer, nothing stored);
 * waiting / matched / disputed: a scorer's blind entry, first of two, agreeing, or differing.
 */
export const objectiveOutcome = z.enum(['stored', 'unchanged', 'duplicate', 'waiting', 'matched', 'disputed']);

export const writeObjectiveResponse = z.object({
  roundId: z.int(),
  results: z.array(z.object({ idempotencyKey: z.string(), number: z.int(), field: z.string(), outcome: objectiveOutcome, cell: objectiveCellSchema })),
});
export type WriteObjectiveResponse = z.infer<typeof writeObjectiveResponse>;

export const objectiveHistoryQuery = z.object({
  roundId: decimalId.optional(),
  number: decimalId,
  field: objectiveField,
});

export const objectiveVersionSchema = z
  .object({
    version: z.int(),
    value: z.number().nullable(),
    source: objectiveSource,
    reason: z.string().nullable(),
    enteredAt: z.string(),
    enteredBy: z.object({ kind: z.enum(['account', 'judge', 'system']), id: z.int().nullable(), name: z.string(), role: z.string().nullable() }),
  })
  .meta({ id: 'ObjectiveVersion' });

export const objectiveHistorySchema = z.object({
  roundId: z.int(),
  number: z.int(),
  field: z.string(),
  /** Oldest first. */
  versions: z.array(objectiveVersionSchema),
  /** Blind entries by scorers (a scorer sees only their own). */
  doubleEntries: z.array(z.object({ scorerId: z.int(), scorerName: z.string(), value: z.number(), enteredAt: z.string() })),
});

export const objectiveDisputeSchema = z
  .object({
    roundId: z.int(),
    number: z.int(),
    field: z.string(),
    fieldName: z.string(),
    max: z.number(),
    step: z.number(),
    entries: z.array(z.object({ scorerId: z.int(), scorerName: z.string(), value: z.number(), enteredAt: z.string() })),
    settlement: z.object({ value: z.number().nullable(), note: z.string(), settledBy: z.string(), settledAt: z.string() }).nullable(),
  })
  .meta({ id: 'ObjectiveDispute' });
export type ObjectiveDispute = z.infer<typeof objectiveDisputeSchema>;

export const objectiveDisputesQuery = z.object({
  roundId: decimalId.optional(),
  status: z.enum(['open', 'settled', 'all']).default('open'),
});

export const settleObjectiveBody = z.object({
  roundId: z.int().positive(),
  number: z.int().positive(),
  field: objectiveField,
  value: z.number().min(0).max(COMPLETION_TIME_MAX),
  note: reason,
});

export const objectiveSettingsBody = z.object({ doubleEntry: z.boolean() });
export const objectiveSettingsSchema = z.object({ eventId: z.int(), doubleEntry: z.boolean() }).meta({ id: 'ObjectiveSettings' });

// ---------------------------------------------------------------------------------------------
// Import of the exam system's results.

/** At most this many data rows per file (the largest finals are a few hundred contestants). */
export const OBJECTIVE_IMPORT_MAX_ROWS = 2000;

export const objectiveImportQuery = z.object({
  dryRun: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => v === 'true' || v === '1')
    .describe('true: check every row and report, store nothing'),
  roundId: decimalId.optional().describe('Default: the event’s open round'),
  reason: reason.optional().describe('Required when the file changes values already entered'),
});

/**
 * Why a row was refused, as a stable code the web app translates: missing_key (neither drawn
 * number nor ID number), unknown_number, not_in_round, entry_not_competing, id_format,
 * id_not_entrant, key_mismatch (number and ID number name different contestants), duplicate_row,
 * not_a_number, out_of_range, off_step, time_format.
 */
export const objectiveImportError = z.object({
  row: z.int(),
  column: z.string(),
  /** number, idNumber, or the objective field the cell is for. */
  field: z.string(),
  value: z.string(),
  code: z.string(),
  message: z.string(),
});
export type ObjectiveImportError = z.infer<typeof objectiveImportError>;

export const objectiveImportRow = z.object({
  row: z.int(),
  /** The drawn number the row was matched to; withheld when matched by ID number for someone who works by number only. */
  number: z.int().nullable(),
  ok: z.boolean(),
  cells: z.array(
    z.object({
      field: z.string(),
      value: z.number(),
      previous: z.number().nullable(),
      /** new: no value yet; change: replaces another value; same: already this value. */
      change: z.enum(['new', 'change', 'same']),
    }),
  ),
});

export const objectiveImportReport = z
  .object({
    dryRun: z.boolean(),
    stored: z.boolean(),
    sheet: z.string(),
    roundId: z.int(),
    headerRow: z.int(),
    /** How rows were matched to contestants: by drawn number, by ID number, or both columns (they must agree). */
    matchBy: z.enum(['number', 'idNumber', 'both']),
    /** The value columns found, with their headers as written. */
    columns: z.array(z.object({ field: z.string(), header: z.string() })),
    total: z.int(),
    valid: z.int(),
    newValues: z.int(),
    changedValues: z.int(),
    unchangedValues: z.int(),
    /** A commit changing values already entered needs a reason. */
    reasonRequired: z.boolean(),
    errors: z.array(objectiveImportError),
    rows: z.array(objectiveImportRow),
  })
  .meta({ id: 'ObjectiveImportReport' });
export type ObjectiveImportReport = z.infer<typeof objectiveImportReport>;

export const objectiveImportProblem = problemSchema.extend({ report: objectiveImportReport.optional() }).meta({ id: 'ObjectiveImportProblem' });
