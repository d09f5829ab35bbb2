import { z } from 'zod';
import { PASSWORD_PROBLEM_TEXT, passwordProblem } from '../domain/password-policy.ts';
import { newPassword, staffRole } from './auth.ts';
import { decimalId, nameText, pageQuery } from './common.ts';

/** A staff account as the API shows it: never the password hash. */
export const accountSchema = z
  .object({
    id: z.int(),
    username: z.string(),
    displayName: z.string(),
    orgId: z.int(),
    role: staffRole,
    active: z.boolean(),
    /** Set by an administrator's create or reset: the next sign-in must choose a new password. */
    mustChangePassword: z.boolean(),
    passwordChangedAt: z.iso.datetime().nullable(),
    /** Until when sign-in is refused after too many wrong passwords (null: not locked); a reset unlocks. */
    lockedUntil: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Account' });
export type Account = z.infer<typeof accountSchema>;

const password = newPassword;

/** Adds the "contains the username" refusal where the body carries both. */
function refuseUsernameInPassword(body: { username: string; password: string }, ctx: z.RefinementCtx) {
  if (passwordProblem(body.password, body.username) === 'contains_username')
    ctx.addIssue({ code: 'custom', path: ['password'], message: PASSWORD_PROBLEM_TEXT.contains_username });
}

export const createAccountBody = z.object({
  username: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{3,64}$/, '3 to 64 letters, digits, dots, underscores or hyphens'),
  displayName: nameText(100),
  password,
  orgId: z.int().positive(),
  role: staffRole,
}).superRefine(refuseUsernameInPassword);
export type CreateAccountInput = z.infer<typeof createAccountBody>;

export const updateAccountBody = z
  .object({
    displayName: nameText(100),
    role: staffRole,
    active: z.boolean(),
    /**
     * A new password set by the admin (a reset): the account's other sessions end, a lock-out ends,
     * and the holder must choose their own password at the next sign-in.
     */
    password,
  })
  .partial();
export type UpdateAccountInput = z.infer<typeof updateAccountBody>;

export const listAccountsQuery = pageQuery.extend({
  role: staffRole.optional(),
  orgId: decimalId.optional().describe('Only accounts of exactly this organisation'),
  q: z.string().trim().max(100).optional().describe('Part of the username or display name'),
});
export type ListAccountsQuery = z.infer<typeof listAccountsQuery>;
