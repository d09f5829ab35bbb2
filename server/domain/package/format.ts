import { z } from 'zod';
import { prizeRuleSchema } from '../../contracts/awards.ts';
import { entryStatus } from '../../contracts/entries.ts';
import { teamRankingSchema } from '../../contracts/events.ts';
import { advancementSchema, carryOverSchema, schemeSchema } from '../../contracts/scheme.ts';

/**
 * The open competition package (技能竞赛成绩包), version 1: one JSON document holding a whole
 * competition — its settings, events with their schemes per round, entrants, panels, every mark
 * version, objective values, and the results, prizes, titles and promotions as published — so
 * that anyone can recompute every published rank from the marks (server/domain/package/verify.ts)
 * and another system can take the competition over without retyping.
 *
 * Ideas from the WCA's WCIF: references inside the document instead of database ids (`p3`, `j2`,
 * `e1`, entries `e1.7`), a format name and version, and nothing but data. The JSON Schema
 * (package.schema.json beside this file, served at /api/package/schema.json) is generated from
 * this contract; README.md beside it documents every field.
 *
 * Two variants: `full` (administrators and organisers: ID numbers, birth dates, employers,
 * staff-only notes) and `public` (after release only: masked ID numbers, no birth dates or
 * employers, no staff-only notes, released events only).
 */

export const PACKAGE_FORMAT = 'skills-competition-package';
export const PACKAGE_VERSION = 1;

/** A reference inside the document: people `p1`, judges `j1`, events `e1`, entries `e1.1`. */
const ref = z.string().regex(/^[a-z][a-z0-9.]{0,40}$/, 'a reference such as p1, j1, e1 or e1.1');
const instant = z.iso.datetime({ offset: true }).describe('An instant, ISO 8601 with zone (UTC: Z)');
const day = z.iso.date().describe('A day, YYYY-MM-DD');

export const packagePersonSchema = z
  .object({
    ref,
    name: z.string().min(1),
    gender: z.enum(['male', 'female']),
    /** The resident ID number (居民身份证号码): full variant only. */
    idNumber: z.string().optional(),
    /** Masked as every public view masks it (first 6 and last 4 characters). */
    idNumberMasked: z.string(),
    /** Full variant only. */
    birthDate: day.optional(),
    /** The employer's name: full variant only. */
    employer: z.string().nullable().optional(),
    occupationCode: z.string().nullable(),
    occupationName: z.string().nullable(),
    /** Certified skill level 1 (高级技师) … 5 (初级工), null when none. */
    skillLevel: z.int().min(-1).max(5).nullable(),
  })
  .meta({ id: 'PackagePerson' });

export const packageJudgeSchema = z
  .object({
    ref,
    name: z.string().min(1),
    /** Full variant only: judges stand aside from entrants of their own employer (回避). */
    employer: z.string().nullable().optional(),
  })
  .meta({ id: 'PackageJudge' });

export const packageEntrySchema = z
  .object({
    ref,
    person: ref,
    /** The drawn number (检录号); null before the draw. */
    number: z.int().nullable(),
    /** The delegation (代表队) by name. */
    delegation: z.string().nullable(),
    status: entryStatus,
    /** Published with a disqualification. */
    disqualifiedReason: z.string().nullable(),
    /** Staff-only note on the status: full variant only. */
    statusNote: z.string().nullable().optional(),
    /** Why the chief judge released the results with this entry's marks incomplete. */
    incompleteReason: z.string().nullable(),
    /** The name a team or pair entry is shown by (e.g. 甲班组); absent for an individual entry. */
    teamName: z.string().nullable().optional(),
    /**
     * Everyone of a team or pair entry (团体, 双人) in the order of the entry form, the captain (队长),
     * who is also `person`, included; absent for an individual entry.
     */
    members: z.array(z.object({ person: ref, captain: z.boolean(), role: z.string().nullable() })).min(2).optional(),
  })
  .meta({ id: 'PackageEntry' });

export const packageMarkVersionSchema = z
  .object({
    version: z.int().min(1),
    value: z.number(),
    at: instant,
    /** The device it was entered on (the judge's tablet), when known. */
    device: z.string().nullable(),
    /** Why this version replaced the previous one. */
    reason: z.string().nullable(),
    /** judge: entered by the judge signed in; staff: entered on the judge's behalf (paper sheet, chief's entry). */
    enteredBy: z.enum(['judge', 'staff']),
    /** The correction request this version came from, approved by the chief judge. */
    correction: z
      .object({ requestedBy: ref, reason: z.string(), decidedBy: ref.nullable(), decidedAt: instant.nullable(), note: z.string().nullable() })
      .nullable(),
  })
  .meta({ id: 'PackageMarkVersion' });

/** Every version of one judge's mark for one criterion of one part of one entry; the highest version counts. */
export const packageMarkSchema = z
  .object({ entry: ref, judge: ref, part: z.string(), criterion: z.string(), versions: z.array(packageMarkVersionSchema).min(1) })
  .meta({ id: 'PackageMark' });

/** Every version of an objective part's value (exam result, measurement) for one entry; the highest version counts. */
export const packageObjectiveSchema = z
  .object({
    entry: ref,
    part: z.string(),
    versions: z
      .array(
        z.object({
          version: z.int().min(1),
          value: z.number().nullable(),
          at: instant,
          source: z.enum(['grid', 'import', 'double_entry', 'settlement', 'appeal', 'round_entry', 'seed', 'mark']),
          reason: z.string().nullable(),
        }),
      )
      .min(1),
  })
  .meta({ id: 'PackageObjective' });

export const packagePanelExpectationSchema = z.object({ size: z.int().min(0), expected: z.int().min(0) });

/** A result line of a round as published: what the verifier recomputes and compares. */
export const packageResultSchema = z
  .object({
    entry: ref,
    /** Standard competition rank (1, 2, 2, 4); null when not ranked (absent, disqualified, reserve; withdrawn by rule). */
    rank: z.int().nullable(),
    shared: z.boolean(),
    /** What the entry is ranked on: this round's total plus what it carries from earlier rounds. */
    total: z.number(),
    roundTotal: z.number(),
    carried: z.number(),
    complete: z.boolean(),
    provisional: z.boolean(),
    parts: z.array(z.object({ part: z.string(), score: z.number().nullable(), contribution: z.number() })),
    /** Whether the entry went on to the next round; null in the last round. */
    advanced: z.boolean().nullable(),
  })
  .meta({ id: 'PackageResult' });

export const packageRoundSchema = z
  .object({
    seq: z.int().min(1),
    name: z.string(),
    kind: z.enum(['preliminary', 'semifinal', 'final']),
    carryOver: carryOverSchema,
    advancement: advancementSchema.nullable(),
    /** The round's own scheme (a final with other tasks); null: the event's. */
    scheme: schemeSchema.nullable(),
    status: z.enum(['open', 'closed']),
    closedAt: instant.nullable(),
    /** Who takes part in the round, with what the engine needs besides marks. */
    entries: z.array(
      z.object({
        entry: ref,
        completionSeconds: z.number().nullable(),
        /** Difficulty coefficient (难度系数) per part id. */
        difficulty: z.record(z.string(), z.number()),
        /** Base value (基础分) per part id and element (criterion) id; absent when none was entered. */
        baseValues: z.record(z.string(), z.record(z.string(), z.number())).optional(),
        /** Elements the chief judge declared void, per part id and element id, with the reason; absent when none. */
        voids: z.record(z.string(), z.record(z.string(), z.string())).optional(),
        /** Per panel (part id, or part:criterion for per-criterion panels): its size and the marks expected from it for this entry (less judges standing aside). */
        panels: z.record(z.string(), packagePanelExpectationSchema),
      }),
    ),
    /** The panels: who sits on each part (criterion '' for the whole part). */
    seats: z.array(z.object({ part: z.string(), criterion: z.string(), judge: ref })),
    marks: z.array(packageMarkSchema),
    objective: z.array(packageObjectiveSchema),
    results: z.array(packageResultSchema),
  })
  .meta({ id: 'PackageRound' });

export const packageEventSchema = z
  .object({
    ref,
    name: z.string(),
    occupationCode: z.string().nullable(),
    occupationName: z.string().nullable(),
    targetLevel: z.int().nullable(),
    mode: z.enum(['individual', 'team']),
    minEntrants: z.int(),
    scheme: schemeSchema,
    withdrawnRanking: z.enum(['after_complete', 'unranked']),
    teamRanking: teamRankingSchema.nullable(),
    /** The prize tiers; null: the system's default shares (recorded in `prizeRuleApplied`). */
    prizeRule: prizeRuleSchema.nullable(),
    prizeRuleApplied: prizeRuleSchema,
    releasedAt: instant.nullable(),
    publicityEndsAt: instant.nullable(),
    finalAt: instant.nullable(),
    /** The panel by name and role: no sign-in codes. `trainee`: a trainee judge (见习裁判), whose marks are kept but never count (absent: false). */
    panel: z.array(z.object({ judge: ref, role: z.enum(['chief', 'judge', 'supervisor', 'scorer']), trainee: z.boolean().optional() })),
    entries: z.array(packageEntrySchema),
    rounds: z.array(packageRoundSchema).min(1),
    /** Prizes as awarded (individual: entry; team: delegation). */
    prizes: z.array(
      z.object({ entry: ref.nullable(), delegation: z.string().nullable(), tier: z.int().min(1), label: z.string(), moneyYuan: z.number(), rank: z.int().nullable(), certificateNumber: z.string().nullable() }),
    ),
    /** Titles, recommendations and level promotions proposed from the results (public variant: approved ones only). */
    awards: z.array(
      z.object({
        kind: z.enum(['title', 'recommendation', 'promotion']),
        person: ref,
        title: z.string().nullable(),
        fromLevel: z.int().nullable(),
        toLevel: z.int().nullable(),
        year: z.int(),
        reason: z.string(),
        status: z.enum(['proposed', 'approved', 'rejected']),
      }),
    ),
  })
  .meta({ id: 'PackageEvent' });

export const competitionPackageSchema = z
  .object({
    format: z.literal(PACKAGE_FORMAT),
    version: z.literal(PACKAGE_VERSION),
    variant: z.enum(['full', 'public']),
    generatedAt: instant,
    generator: z.object({ name: z.string(), version: z.string() }),
    competition: z.object({
      name: z.string(),
      /** A: city, B: county, C: enterprise level. */
      grade: z.enum(['A', 'B', 'C']),
      /** 一类 / 二类 where the HR bureau leads. */
      competitionClass: z.enum(['class1', 'class2']).nullable(),
      year: z.int(),
      /** The union that runs it, by name. */
      organiser: z.string(),
      organisers: z.array(z.string()),
      hosts: z.array(z.string()),
      venue: z.string().nullable(),
      startDate: day.nullable(),
      endDate: day.nullable(),
      status: z.enum(['draft', 'registration', 'running', 'marking_closed', 'results_published', 'final']),
      publicityDays: z.int(),
      appealRule: z.enum(['publicity_period', 'hours_after_marking', 'hours_after_release']),
      appealWindowHours: z.number(),
    }),
    people: z.array(packagePersonSchema),
    judges: z.array(packageJudgeSchema),
    events: z.array(packageEventSchema),
  })
  .meta({
    id: 'CompetitionPackage',
    title: 'Skills competition package',
    description: 'An open, versioned document of a whole skills competition: settings, schemes, entrants, panels, every mark version and the published results, verifiable from the marks.',
  });

export type CompetitionPackage = z.infer<typeof competitionPackageSchema>;
export type PackageEvent = z.infer<typeof packageEventSchema>;
export type PackageRound = z.infer<typeof packageRoundSchema>;
export type PackageResult = z.infer<typeof packageResultSchema>;

/** The JSON Schema of the package (draft 2020-12), from the contract above. */
export function packageJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(competitionPackageSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
