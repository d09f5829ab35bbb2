import { z } from 'zod';

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
