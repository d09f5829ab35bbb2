import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, PASSWORD_PROBLEM_TEXT, passwordProblem } from '../domain/password-policy.ts';

export const staffRole = z.enum(['admin', 'organiser', 'hr_officer', 'studio_officer', 'viewer']);
/** scorer (记分员): enters judges' paper sheets (server/features/paper); never marks as themself. */
export const panelRole = z.enum(['chief', 'judge', 'supervisor', 'scorer']);

export const loginBody = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(200),
});

export const judgeLoginBody = z.object({
  code: z
    .string()
    .trim()
    .transform((c) => c.toUpperCase())
    .pipe(z.string().regex(/^[A-Z0-9]{8}$/, 'an 8-character judge code')),
});

export const meSchema = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('staff'),
      accountId: z.int(),
      username: z.string(),
      displayName: z.string(),
      role: staffRole,
      orgId: z.int(),
      /** Until the holder chooses a new password, every other operation answers 403 `password_change_required`. */
      mustChangePassword: z.boolean(),
    }),
    z.object({
      kind: z.literal('judge'),
      judgeId: z.int(),
      competitionId: z.int(),
      name: z.string(),
      /** The first of `events` (null while the judge sits on no event): a default for pages that show one event. */
      eventId: z.int().nullable(),
      role: panelRole.nullable(),
      /** Every event the judge sits on, with their role there: one code signs them in to all. */
      events: z.array(z.object({ eventId: z.int(), eventName: z.string(), role: panelRole })),
    }),
  ])
  .meta({ id: 'Me' });

/** A new staff password (server/domain/password-policy.ts: 8+ characters from 3 classes). */
export const newPassword = z
  .string()
  .max(PASSWORD_MAX_LENGTH)
  .superRefine((value, ctx) => {
    const problem = passwordProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: PASSWORD_PROBLEM_TEXT[problem] });
  });

export const changePasswordBody = z.object({
  currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  /** Also refused when it contains the username or equals the current one (the route knows both). */
  newPassword,
});
