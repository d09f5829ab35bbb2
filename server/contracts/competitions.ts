import { z } from 'zod';
import { decimalId, isoDate, pageQuery } from './common.ts';

export const competitionGrade = z.enum(['A', 'B', 'C']);
/** 一类 / 二类: the HR bureau's classification, only meaningful where it leads. */
export const competitionClass = z.enum(['class1', 'class2']);

/** A competition's life, in the only order it may move: one step forward at a time. */
export const COMPETITION_STATUSES = ['draft', 'registration', 'running', 'marking_closed', 'results_published', 'final'] as const;
export const competitionStatus = z.enum(COMPETITION_STATUSES);
export type CompetitionStatus = z.infer<typeof competitionStatus>;

/** The status after `status`, or null at the end. Shared so the web app offers only the legal move. */
export function nextCompetitionStatus(status: CompetitionStatus): CompetitionStatus | null {
  return COMPETITION_STATUSES[COMPETITION_STATUSES.indexOf(status) + 1] ?? null;
}

/**
 * Statuses the organiser sets by hand (draft → registration → running). The later ones follow the
 * events (server/domain/competition-status.ts): marking_closed when every round is closed,
 * results_published when every event is released, final when every event is final.
 */
export const MANUAL_COMPETITION_STATUSES: readonly CompetitionStatus[] = ['draft', 'registration', 'running'];
/** When appeals may be lodged (server/domain/awards/publicity.ts `appealWindowOf`). */
export const appealRule = z.enum(['publicity_period', 'hours_after_marking', 'hours_after_release']);
export type AppealRuleValue = z.infer<typeof appealRule>;

/** A body co-organising (联合主办) the competition, e.g. the county HR bureau beside the county union. */
export const coOrganiserSchema = z
  .object({ id: z.int(), name: z.string(), kind: z.enum(['union', 'hr_bureau', 'employer', 'department']), regionCode: z.string() })
  .meta({ id: 'CoOrganiser' });
export type CoOrganiser = z.infer<typeof coOrganiserSchema>;

/** A staff account holding a duty for the competition: the encryption officer (加密裁判) keeps the draw. */
export const competitionOfficerSchema = z
  .object({ accountId: z.int(), username: z.string(), displayName: z.string(), orgName: z.string() })
  .meta({ id: 'CompetitionOfficer' });
export type CompetitionOfficer = z.infer<typeof competitionOfficerSchema>;

export const competitionSchema = z
  .object({
    id: z.int(),
    orgId: z.int(),
    name: z.string(),
    grade: competitionGrade,
    competitionClass: competitionClass.nullable(),
    year: z.int(),
    organisers: z.array(z.string()).describe('主办 (hosting bodies)'),
    hosts: z.array(z.string()).describe('承办 (running bodies)'),
    venue: z.string().nullable(),
    startDate: isoDate.nullable(),
    endDate: isoDate.nullable(),
    status: competitionStatus,
    coOrganisers: z.array(coOrganiserSchema).describe('Bodies co-organising it besides the owner; their staff act on it in their own roles'),
    encryptionOfficers: z.array(competitionOfficerSchema).describe('Who keeps the draw (加密裁判): with organisers, the only ones who see who is behind a number before release'),
    publicityDays: z.int().describe('Publicity period (公示期) after release, in working days'),
    appealRule: appealRule.describe('publicity_period: during the publicity period; hours_after_marking / hours_after_release: within appealWindowHours of either'),
    appealWindowHours: z.number(),
    eventCount: z.int().describe('Events (赛项) in the competition'),
    entryCount: z.int().describe('Entries over all its events'),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Competition' });
export type Competition = z.infer<typeof competitionSchema>;

const bodyName = z.string().trim().min(1).max(200);

// No defaults here: `.partial()` of a defaulted field would turn "not sent" into "cleared" on PATCH.
const competitionFields = z.object({
  name: bodyName,
  grade: competitionGrade,
  competitionClass: competitionClass.nullable().optional(),
  year: z.int().min(2000).max(2100),
  organisers: z.array(bodyName).min(1, 'at least one organiser (主办)').max(20),
  hosts: z.array(bodyName).max(20).optional(),
  venue: z.string().trim().min(1).max(200).nullable().optional(),
  startDate: isoDate.nullable().optional(),
  endDate: isoDate.nullable().optional(),
  /** The owning organisation; the caller's own when left out. */
  orgId: z.int().positive().optional(),
  /** Co-organising bodies (organisations in or around the owner's region), replacing the list. */
  coOrganiserIds: z.array(z.int().positive()).max(20).optional(),
  /** Encryption officers (staff accounts), replacing the list. */
  encryptionOfficerIds: z.array(z.int().positive()).max(10).optional(),
  publicityDays: z.int().min(0).max(30).optional(),
  appealRule: appealRule.optional(),
  appealWindowHours: z.number().min(0).max(720).optional(),
});

export const END_BEFORE_START = 'the end date is before the start date';

/** Whether the dates, when both are known, are in order (ISO dates compare as strings). */
export function datesInOrder(startDate: string | null | undefined, endDate: string | null | undefined): boolean {
  return !startDate || !endDate || endDate >= startDate;
}

export const createCompetitionBody = competitionFields.refine((c) => datesInOrder(c.startDate, c.endDate), {
  path: ['endDate'],
  message: END_BEFORE_START,
});
export type CreateCompetitionInput = z.infer<typeof createCompetitionBody>;

/** Dates are checked against the stored ones by the service, since a patch may send only one. */
export const updateCompetitionBody = competitionFields.partial();
export type UpdateCompetitionInput = z.infer<typeof updateCompetitionBody>;

export const changeCompetitionStatusBody = z.object({ status: competitionStatus });

export const listCompetitionsQuery = pageQuery.extend({
  grade: competitionGrade.optional(),
  status: competitionStatus.optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  orgId: decimalId.optional().describe('Only competitions owned by exactly this organisation'),
  q: z.string().trim().max(100).optional().describe('Part of the name'),
});
export type ListCompetitionsQuery = z.infer<typeof listCompetitionsQuery>;

export const coOrganiserCandidatesQuery = z.object({
  orgId: decimalId.optional().describe('The owning organisation (default: yours)'),
});
