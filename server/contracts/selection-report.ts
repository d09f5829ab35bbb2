import { z } from 'zod';

const breakdown = z.array(z.object({ key: z.string(), count: z.int() }));

export const selectionReportQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).describe('The selections of this year (default: this year in Beijing)').optional(),
});

/** The year's craftsman selections in the caller's scope, as the union reports them. */
export const selectionReportSchema = z
  .object({
    year: z.int(),
    selections: z.array(
      z.object({
        id: z.int(),
        name: z.string(),
        orgName: z.string(),
        titleName: z.string(),
        titleLevel: z.enum(['county', 'city', 'province', 'national']),
        status: z.string(),
        candidates: z.int(),
        named: z.int(),
        due: z.number(),
        paid: z.number(),
        outstanding: z.number(),
      }),
    ),
    candidates: z.int(),
    eligible: z.int(),
    named: z.int(),
    nominationAwards: z.int(),
    /** Those named, by title level, occupation, region, employer type (`organisation` | `written` | `none`), gender and age band on 31 December. */
    namedBy: z.object({ level: breakdown, occupation: breakdown, region: breakdown, employerType: breakdown, gender: breakdown, ageBand: breakdown }),
    /** Reward money of the year's selections, in yuan. */
    money: z.object({ due: z.number(), paid: z.number(), outstanding: z.number() }),
  })
  .meta({ id: 'SelectionReport' });
export type SelectionReport = z.infer<typeof selectionReportSchema>;
