import { z } from 'zod';
import { panelRole } from './auth.ts';
import { decimalId, employerText, nameText } from './common.ts';

/** One event a judge sits on, with their role there (a person may be chief of one event and judge of another). */
export const judgeEventSchema = z.object({ eventId: z.int(), eventName: z.string(), role: panelRole });
export type JudgeEvent = z.infer<typeof judgeEventSchema>;

/** A judge of a competition: one person, one sign-in code, sitting on the panels of several events. */
export const judgeSchema = z
  .object({
    id: z.int(),
    competitionId: z.int(),
    name: z.string(),
    /** The judge's employer: they may not mark entrants of this organisation (recusal). */
    employerId: z.int().nullable(),
    /** The organisation's name, or the employer as written when it is not an organisation (compared by name for recusal). */
    employerName: z.string().nullable(),
    /** Whether a sign-in code is live; the code itself is only ever shown when issued. */
    hasCode: z.boolean(),
    codeIssuedAt: z.string().nullable(),
    codeExpiresAt: z.string().nullable(),
    createdAt: z.string(),
    events: z.array(judgeEventSchema),
  })
  .meta({ id: 'Judge' });
export type Judge = z.infer<typeof judgeSchema>;

/** A judge as one event's panel shows them: with their role in that event. */
export const eventJudgeSchema = judgeSchema
  .extend({
    eventId: z.int(),
    role: panelRole,
    /** A trainee judge (见习裁判) in this event: marks like the panel, none of their marks count (role judge only). */
    trainee: z.boolean(),
  })
  .meta({ id: 'EventJudge' });
export type EventJudge = z.infer<typeof eventJudgeSchema>;

const judgeFields = {
  name: nameText(100),
  employerId: z.int().positive().nullable(),
  /** The employer as written when it is not an organisation; either this or employerId. */
  employerName: employerText.nullable(),
};

/**
 * Puts a judge on an event's panel: an existing judge of the competition (`judgeId`), or a new one
 * (`name`, `employerId` or `employerName`) who becomes a judge of the competition at the same time.
 */
export const addEventJudgeBody = z
  .object({
    judgeId: z.int().positive().optional().describe('An existing judge of the competition'),
    name: judgeFields.name.optional(),
    employerId: judgeFields.employerId.default(null),
    employerName: judgeFields.employerName.default(null),
    role: panelRole.default('judge'),
  })
  .superRefine((b, ctx) => {
    if (b.judgeId == null && b.name == null) ctx.addIssue({ code: 'custom', path: ['name'], message: 'a name, or the judgeId of a judge of the competition' });
  });
export type AddEventJudgeInput = z.infer<typeof addEventJudgeBody>;

/** A judge of the competition, optionally seated on events straight away. */
export const createJudgeBody = z.object({
  ...judgeFields,
  employerId: judgeFields.employerId.default(null),
  employerName: judgeFields.employerName.default(null),
  events: z
    .array(z.object({ eventId: z.int().positive(), role: panelRole.default('judge') }))
    .max(100)
    .default([]),
});
export type CreateJudgeInput = z.infer<typeof createJudgeBody>;

// No defaults here: zod 4 would fill them into a PATCH that never mentioned the field.
export const updateJudgeBody = z.object(judgeFields).partial();
export type UpdateJudgeInput = z.infer<typeof updateJudgeBody>;

export const eventJudgeParams = z.object({ id: decimalId, judgeId: decimalId });
export const updateAssignmentBody = z.object({ role: panelRole });

export const judgeCodeSchema = z
  .object({
    /** Shown this once: only a keyed hash is stored. */
    code: z.string(),
    /** The sign-in link to print or send (`/judge#code=…`: in the fragment, never sent to a server or its logs). */
    link: z.string(),
    expiresAt: z.string(),
  })
  .meta({ id: 'JudgeCode' });
export type JudgeCode = z.infer<typeof judgeCodeSchema>;

/** Optional: a POST without a body issues a code to every judge of the event or competition. */
export const issueCodesBody = z
  .object({
    /** Only these judges (of the event or competition); default: all of them. */
    judgeIds: z.array(z.int().positive()).max(500).optional(),
    /** Only judges without a live code: nobody already signed in is signed out. */
    onlyMissing: z.boolean().default(false),
  })
  .nullish();

/** One printed slip: everything a judge needs to sign in, with the expiry in Beijing time. */
export const judgeSlipSchema = z
  .object({
    judgeId: z.int(),
    name: z.string(),
    employerName: z.string().nullable(),
    events: z.array(judgeEventSchema),
    code: z.string(),
    /** The sign-in path (`/judge#code=…`, `/chief#code=…` for a chief, `/scorer#code=…` for a scorer). */
    link: z.string(),
    expiresAt: z.string(),
    /** The expiry as a Beijing wall-clock time, "2026-12-05 23:59", to print as it is. */
    expiresAtBeijing: z.string(),
  })
  .meta({ id: 'JudgeSlip' });
export type JudgeSlip = z.infer<typeof judgeSlipSchema>;

export const issuedCodesSchema = z
  .object({
    competitionId: z.int(),
    competitionName: z.string(),
    /** Set when the codes were issued for one event's panel. */
    eventId: z.int().nullable(),
    eventName: z.string().nullable(),
    slips: z.array(judgeSlipSchema),
  })
  .meta({ id: 'IssuedJudgeCodes' });
export type IssuedCodes = z.infer<typeof issuedCodesSchema>;

// ---- Panels: who marks which part (or criterion) in a round ----------------------------------

export const panelPartSchema = z.object({
  partId: z.string(),
  name: z.string(),
  /** part: one panel for the whole part; criterion: a panel per criterion (the scheme's `panel`). */
  panelBy: z.enum(['part', 'criterion']),
  /** Fewest marks the part's aggregation accepts (the scheme's minMarks). */
  minMarks: z.int(),
  /** The scheme's expectedMarks: the panel size used while no judge is seated. */
  schemeExpectedMarks: z.int(),
  panels: z.array(
    z.object({
      /** null for a whole-part panel. */
      criterionId: z.string().nullable(),
      criterionName: z.string().nullable(),
      judgeIds: z.array(z.int()),
      /** Seats taken (0 while no panel is set), trainees' included. */
      size: z.int(),
      /** Seats taken by trainee judges: they mark, but are not part of the panel that counts. */
      traineeSeats: z.int(),
      /** Marks expected from the panel for an entry nobody is recused from: the counting seats, or the scheme's expectedMarks while none is set. */
      expectedMarks: z.int(),
      /** The panel is set but smaller than the part's minMarks: the part can never be scored. */
      belowMinMarks: z.boolean(),
      /**
       * Drawn numbers this panel marks with fewer judges, because judges stand aside (same
       * employer): the marks each expects. Below minMarks the part is scored from those few with
       * the aggregation's fallback (a mean where the scheme trims). Whole-part panels only.
       */
      recusals: z.array(z.object({ number: z.int(), expected: z.int(), belowMinMarks: z.boolean() })),
    }),
  ),
});

export const panelGridSchema = z
  .object({
    eventId: z.int(),
    roundId: z.int(),
    rounds: z.array(z.object({ id: z.int(), seq: z.int(), name: z.string(), status: z.enum(['open', 'closed']) })),
    /** The parts judges mark (objective parts have no panel: staff enter them). */
    parts: z.array(panelPartSchema),
    /** Who may be seated: the event's judges and chief judge. */
    judges: z.array(z.object({ id: z.int(), name: z.string(), role: z.enum(['chief', 'judge']), employerName: z.string().nullable(), trainee: z.boolean() })),
    released: z.boolean(),
  })
  .meta({ id: 'PanelGrid' });
export type PanelGrid = z.infer<typeof panelGridSchema>;

export const panelsQuery = z.object({
  roundId: decimalId.optional().describe('Default: the first open round, else the last'),
});

/** Sets panels of a round: each listed part (or criterion) gets exactly these judges; parts not listed keep theirs. */
export const setPanelsBody = z.object({
  panels: z
    .array(
      z.object({
        partId: z.string().min(1).max(40),
        /** For parts whose scheme sets a panel per criterion. */
        criterionId: z.string().min(1).max(40).optional(),
        judgeIds: z.array(z.int().positive()).max(50),
      }),
    )
    .min(1)
    .max(200),
});
export type SetPanelsInput = z.infer<typeof setPanelsBody>;
