import { z } from 'zod';
import { panelRole } from './auth.ts';
import { employerText } from './people.ts';

export const judgeSchema = z
  .object({
    id: z.int(),
    eventId: z.int(),
    name: z.string(),
    /** The judge's employer: they may not mark entrants of this organisation (recusal). */
    employerId: z.int().nullable(),
    /** The organisation's name, or the employer as written when it is not an organisation (compared by name for recusal). */
    employerName: z.string().nullable(),
    role: panelRole,
    /** Whether a sign-in code is live; the code itself is only ever shown when issued. */
    hasCode: z.boolean(),
    codeIssuedAt: z.string().nullable(),
    codeExpiresAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'Judge' });
export type Judge = z.infer<typeof judgeSchema>;

const judgeFields = {
  name: z.string().trim().min(1).max(100),
  employerId: z.int().positive().nullable(),
  /** The employer as written when it is not an organisation; either this or employerId. */
  employerName: employerText.nullable(),
  role: panelRole,
};

export const createJudgeBody = z.object({
  ...judgeFields,
  employerId: judgeFields.employerId.default(null),
  employerName: judgeFields.employerName.default(null),
  role: panelRole.default('judge'),
});
export type CreateJudgeInput = z.infer<typeof createJudgeBody>;

// No defaults here: zod 4 would fill them into a PATCH that never mentioned the field.
export const updateJudgeBody = z.object(judgeFields).partial();
export type UpdateJudgeInput = z.infer<typeof updateJudgeBody>;

export const judgeCodeSchema = z
  .object({
    /** Shown this once: only a keyed hash is stored. */
    code: z.string(),
    /** The sign-in link to print or send (`/judge?code=…`). */
    link: z.string(),
    expiresAt: z.string(),
  })
  .meta({ id: 'JudgeCode' });
export type JudgeCode = z.infer<typeof judgeCodeSchema>;
