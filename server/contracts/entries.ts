import { z } from 'zod';
import { decimalId, employerText, nameText, pageQuery } from './common.ts';
import { occupationCode } from './events.ts';

/**
 * An entry's state in its event. withdrawn: left during the event (退赛), the parts done are kept and
 * the event's `withdrawnRanking` rule places it; reserve (替补): registered but in no round until the
 * organiser puts it into one.
 */
export const entryStatus = z.enum(['registered', 'checked_in', 'absent', 'disqualified', 'withdrawn', 'reserve']);
export type EntryStatus = z.infer<typeof entryStatus>;

/** One person of an entry of two or more (a pair, a team). */
export const entryMemberSchema = z
  .object({
    personId: z.int(),
    name: z.string(),
    gender: z.enum(['male', 'female']),
    /** Masked (`340123********1234`) unless the caller is an admin, organiser or HR officer. */
    idNumber: z.string(),
    employerId: z.int().nullable(),
    employerName: z.string().nullable(),
    /** The captain (队长): the entry's `personId`. */
    captain: z.boolean(),
    /** What the member does in the team, as written (主操作手, 辅助). */
    role: z.string().nullable(),
  })
  .meta({ id: 'EntryMember' });
export type EntryMember = z.infer<typeof entryMemberSchema>;

export const entrySchema = z
  .object({
    id: z.int(),
    eventId: z.int(),
    /** The entrant; for a team or pair, its captain (队长). */
    personId: z.int(),
    /**
     * The name the entry is shown by: the person's; for a team or pair its team name, else its
     * members' names ("张三、李四"). The person fields below are the captain's for a team.
     */
    name: z.string(),
    gender: z.enum(['male', 'female']),
    /** Masked (`340123********1234`) unless the caller is an admin, organiser or HR officer. */
    idNumber: z.string(),
    employerId: z.int().nullable(),
    /** The organisation's name, or the employer as written when it is not an organisation. */
    employerName: z.string().nullable(),
    delegationId: z.int().nullable(),
    delegationName: z.string().nullable(),
    status: entryStatus,
    /** Why the entry was disqualified: published with the result (the public sees 取消资格 and this). */
    disqualifiedReason: z.string().nullable(),
    /** Staff-only note on the status (details of a disqualification, why the entrant withdrew); never public. */
    statusNote: z.string().nullable(),
    phone: z.string().nullable(),
    /** Set by the draw (抽签); judges know the entry only by this number. */
    drawnNumber: z.int().nullable(),
    /** A team's name (班组, 组合); null for an individual and for a pair shown by its members' names. */
    teamName: z.string().nullable(),
    /** Everyone in a team or pair entry, captain first by their order; empty for an individual entry. */
    members: z.array(entryMemberSchema),
    createdAt: z.string(),
  })
  .meta({ id: 'Entry' });
export type Entry = z.infer<typeof entrySchema>;

const reason = z.string().trim().min(1).max(500);
const statusNote = z.string().trim().min(1).max(1000).nullable();

/** A disqualification must say why: the reason is published with the result and can be appealed. */
function requireReasonWhenDisqualified(field: string) {
  return (v: { status?: EntryStatus } & Record<string, unknown>, ctx: z.RefinementCtx) => {
    if (v.status === 'disqualified' && !v[field])
      ctx.addIssue({ code: 'custom', path: [field], message: 'a disqualification needs a reason' });
  };
}

/** A person typed in or imported from a spreadsheet; matched to an existing record by ID number. */
export const bulkPersonInput = z.object({
  name: nameText(100),
  /** Checked against GB 11643 (check character, birth date) by the server. */
  idNumber: z.string().trim().min(1).max(30),
  phone: z.string().trim().max(30).nullable().optional(),
  employerId: z.int().positive().nullable().optional(),
  /** The employer as written when it is not an organisation (a small private firm); either this or employerId. */
  employerName: employerText.nullable().optional(),
  occupationCode: occupationCode.nullable().optional(),
  occupationName: z.string().trim().max(200).nullable().optional(),
  skillLevel: z.int().min(1).max(5).nullable().optional(),
});

/**
 * One person of a team or pair entry: an existing person, or one typed in (matched by ID number
 * and name, created when unknown), as in bulk registration. One object with two optional halves
 * rather than a union, so a bad member is reported by the field to fix.
 */
export const entryMemberInput = z
  .object({
    personId: z.int().positive().optional(),
    person: bulkPersonInput.optional(),
    /** The captain (队长); the first member when nobody is marked. */
    captain: z.boolean().default(false),
    role: z.string().trim().min(1).max(40).nullable().default(null),
  })
  .superRefine((m, ctx) => {
    if ((m.personId === undefined) === (m.person === undefined))
      ctx.addIssue({ code: 'custom', path: ['personId'], message: 'give either personId or person, not both' });
  });
export type EntryMemberInput = z.infer<typeof entryMemberInput>;

/** The people of a team or pair entry: two to twenty, at most one captain. */
export const entryMembersInput = z
  .array(entryMemberInput)
  .min(2)
  .max(20)
  .superRefine((list, ctx) => {
    if (list.filter((m) => m.captain).length > 1) ctx.addIssue({ code: 'custom', message: 'at most one captain' });
  });

/** A team's name (班组, 组合): shown once results are released, never before. */
export const teamNameText = z.string().trim().min(1).max(100);

export const createEntryBody = z
  .object({
    /** The entrant of an individual event; leave out for a team or pair (give `members`). */
    personId: z.int().positive().optional(),
    /** The people of a team or pair (team events only): captain marked, or the first. */
    members: entryMembersInput.optional(),
    /** The team's name; a pair without one is shown as "甲、乙". */
    teamName: teamNameText.nullable().default(null),
    delegationId: z.int().positive().nullable().default(null),
    /** reserve (替补): registered but in no round until the organiser puts it into one. */
    status: entryStatus.default('registered'),
    disqualifiedReason: reason.optional(),
    statusNote: statusNote.optional(),
  })
  .superRefine(requireReasonWhenDisqualified('disqualifiedReason'))
  .superRefine((v, ctx) => {
    if ((v.personId === undefined) === (v.members === undefined))
      ctx.addIssue({ code: 'custom', path: ['personId'], message: 'give personId for one person, or members for a team or pair' });
  });
export type CreateEntryInput = z.infer<typeof createEntryBody>;

/** The roster of a team or pair entry, replaced whole (a substitution before release), and its name. */
export const setEntryMembersBody = z.object({
  members: entryMembersInput,
  teamName: teamNameText.nullable(),
  /** Why the roster changes (recorded in the audit), e.g. "替换：李四因伤退出". */
  reason: z.string().trim().min(1).max(500).optional(),
});
export type SetEntryMembersInput = z.infer<typeof setEntryMembersBody>;

/** The entrant's own details, changed on their person record (audited as person.update). */
export const entrantPersonPatch = z
  .object({
    name: nameText(50),
    phone: z
      .string()
      .trim()
      .regex(/^1\d{10}$/, 'an 11-digit mobile number starting with 1')
      .nullable(),
    employerId: z.int().positive().nullable(),
    /** The employer as written when it is not an organisation; either this or employerId. */
    employerName: employerText.nullable(),
  })
  .partial();

export const updateEntryBody = z
  .object({
    delegationId: z.int().positive().nullable(),
    status: entryStatus,
    disqualifiedReason: reason,
    statusNote,
    /** Name, phone or employer of the entrant: stored on the person, so every entry of theirs shows it. */
    person: entrantPersonPatch,
  })
  .partial()
  .superRefine(requireReasonWhenDisqualified('disqualifiedReason'));
export type UpdateEntryInput = z.infer<typeof updateEntryBody>;

/** Check-in (检录) and the other status changes made at the venue. */
export const entryStatusBody = z
  .object({
    status: entryStatus,
    /** Required for a disqualification (published with it). */
    reason: reason.optional(),
    /** Staff-only: details of a disqualification, why the entrant withdrew. */
    note: statusNote.optional(),
  })
  .superRefine(requireReasonWhenDisqualified('reason'));

export const listEntriesQuery = pageQuery.extend({
  status: entryStatus.optional(),
  delegationId: decimalId.optional(),
  q: z.string().trim().max(100).optional(),
});

// One object with two optional halves rather than a union: a union would report a bad row as
// "no variant matched" instead of naming the field the user must fix.
export const bulkEntryRow = z
  .object({
    personId: z.int().positive().optional(),
    person: bulkPersonInput.optional(),
    delegationId: z.int().positive().nullable().optional(),
  })
  .superRefine((row, ctx) => {
    if ((row.personId === undefined) === (row.person === undefined))
      ctx.addIssue({ code: 'custom', path: ['personId'], message: 'give either personId or person, not both' });
  });

export const bulkEntriesBody = z.object({
  entries: z.array(bulkEntryRow).min(1).max(2000),
});
export type BulkEntriesInput = z.infer<typeof bulkEntriesBody>;

export const bulkEntriesResult = z
  .object({
    created: z.int(),
    existing: z.int(),
    peopleCreated: z.int(),
    /** One item per request row, in order. */
    rows: z.array(
      z.object({
        index: z.int(),
        entryId: z.int(),
        personId: z.int(),
        outcome: z.enum(['created', 'existing']),
      }),
    ),
  })
  .meta({ id: 'BulkEntriesResult' });
export type BulkEntriesResult = z.infer<typeof bulkEntriesResult>;

/** Optional: a POST without a body draws from 1. */
export const drawBody = z
  .object({
    /** The first number handed out (work positions may not start at 1). */
    startAt: z.int().min(1).max(100_000).default(1),
  })
  .nullish();

export const drawResult = z
  .object({
    eventId: z.int(),
    method: z.string(),
    startAt: z.int(),
    /** Drawn number → entry id. */
    mapping: z.record(z.string(), z.int()),
    /** Entries left without a number (absent or disqualified). */
    unnumbered: z.array(z.int()),
  })
  .meta({ id: 'DrawResult' });
export type DrawResult = z.infer<typeof drawResult>;

export const roundEntryParams = z.object({
  roundId: decimalId,
  entryId: decimalId,
});

export const roundEntrySchema = z
  .object({
    roundId: z.int(),
    entryId: z.int(),
    completionSeconds: z.number().nullable(),
    /** Difficulty coefficient (难度系数) per part id. */
    difficulty: z.record(z.string(), z.number()),
  })
  .meta({ id: 'RoundEntry' });
export type RoundEntry = z.infer<typeof roundEntrySchema>;

/** Puts an entry into a round: a reserve (替补) replacing a qualifier who withdrew, or a late qualifier. */
export const addRoundEntryBody = z.object({
  entryId: z.int().positive(),
  /** Why (recorded in the audit), e.g. "替补 3号退赛". */
  reason: z.string().trim().min(1).max(500).optional(),
});
export type AddRoundEntryInput = z.infer<typeof addRoundEntryBody>;

export const updateRoundEntryBody = z.object({
  completionSeconds: z.number().min(0).max(7 * 24 * 3600).nullable().optional(),
  /** Coefficients to set per part id (null removes one); only parts that use difficulty. */
  difficulty: z.record(z.string(), z.number().min(0.5).max(10).nullable()).optional(),
});
export type UpdateRoundEntryInput = z.infer<typeof updateRoundEntryBody>;

/**
 * Check-in at the desk (检录) of many entrants in a row: what was typed or scanned, one item per
 * entrant, each a drawn number (检录号) or a resident ID number (a card reader types it and
 * presses Enter). Sending the same items again changes nothing (each comes back `already_checked_in`).
 */
export const checkInBatchBody = z.object({
  items: z.array(z.string().trim().min(1).max(40)).min(1).max(500),
});
export type CheckInBatchInput = z.infer<typeof checkInBatchBody>;

/**
 * checked_in: done now (also for an entrant marked absent who turned up after all);
 * already_checked_in: nothing to do; duplicate: the same entrant earlier in this batch;
 * unknown: no entrant of the event has this number or ID number; invalid: neither a number nor a
 * well-formed ID number; not_checkable: the entrant's status does not allow it (disqualified…).
 */
export const checkInOutcome = z.enum(['checked_in', 'already_checked_in', 'duplicate', 'unknown', 'invalid', 'not_checkable']);
export type CheckInOutcome = z.infer<typeof checkInOutcome>;

export const checkInBatchResult = z
  .object({
    results: z.array(
      z.object({
        /** The item as sent (trimmed). */
        input: z.string(),
        outcome: checkInOutcome,
        matchedBy: z.enum(['number', 'id_number']).nullable(),
        entryId: z.int().nullable(),
        drawnNumber: z.int().nullable(),
        name: z.string().nullable(),
        /** Always masked (`340123********1234`): the desk's screen faces the queue. */
        idNumber: z.string().nullable(),
        /** The entry's status after this batch. */
        status: z.string().nullable(),
      }),
    ),
    /** Entries checked in by this batch. */
    checkedIn: z.int(),
    /** The event's count afterwards: checked in, and still taking part (registered or checked in). */
    totals: z.object({ checkedIn: z.int(), active: z.int() }),
  })
  .meta({ id: 'CheckInBatchResult' });
export type CheckInBatchResult = z.infer<typeof checkInBatchResult>;

/** Allowed difficulty coefficients (难度系数): the range, and at most two decimals (e.g. 1.25). */
export const DIFFICULTY_MIN = 0.5;
export const DIFFICULTY_MAX = 10;

/** A round's difficulty coefficients as a grid: drawn numbers × the parts that use difficulty. */
export const difficultyGridSchema = z
  .object({
    roundId: z.int(),
    eventId: z.int(),
    min: z.number(),
    max: z.number(),
    parts: z.array(z.object({ id: z.string(), name: z.string() })),
    rows: z.array(
      z.object({
        entryId: z.int(),
        drawnNumber: z.int(),
        status: z.string(),
        /** Per part id; null when not declared (the scoring uses 1). */
        values: z.record(z.string(), z.number().nullable()),
        /** Parts already marked for this entry: their coefficient is fixed. */
        locked: z.array(z.string()),
      }),
    ),
    /** Entries of the round without a drawn number yet (not in the grid: draw lots first). */
    undrawn: z.int(),
  })
  .meta({ id: 'DifficultyGrid' });
export type DifficultyGrid = z.infer<typeof difficultyGridSchema>;

export const setDifficultyBody = z.object({
  /** The cells to set (null clears one); cells not listed keep their value. */
  values: z
    .array(
      z.object({
        entryId: z.int().positive(),
        partId: z.string().min(1).max(50),
        coefficient: z
          .number()
          .min(DIFFICULTY_MIN)
          .max(DIFFICULTY_MAX)
          .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-9, 'at most two decimals')
          .nullable(),
      }),
    )
    .min(1)
    .max(10_000),
});
export type SetDifficultyInput = z.infer<typeof setDifficultyBody>;

export const setDifficultyResult = difficultyGridSchema.extend({ changed: z.int() }).meta({ id: 'SetDifficultyResult' });
