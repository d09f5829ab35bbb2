import { z } from 'zod';
import { staffRole } from './auth.ts';
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
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Account' });
export type Account = z.infer<typeof accountSchema>;

/** Long rather than complex: ten characters is the floor the product asks of every password. */
const password = z.string().min(10, 'at least 10 characters').max(200);

export const createAccountBody = z.object({
  username: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{3,64}$/, '3 to 64 letters, digits, dots, underscores or hyphens'),
  displayName: nameText(100),
  password,
  orgId: z.int().positive(),
  role: staffRole,
});
export type CreateAccountInput = z.infer<typeof createAccountBody>;

export const updateAccountBody = z
  .object({
    displayName: nameText(100),
    role: staffRole,
    active: z.boolean(),
    /** A new password set by the admin (a reset); the account's other sessions end. */
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
