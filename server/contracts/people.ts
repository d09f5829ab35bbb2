import { z } from 'zod';
import { entryStatus } from './entries.ts';
import { decimalId, employerText, nameText, pageQuery } from './common.ts';

/** Certified skill level (职业技能等级): 1 = 高级技师, 2 = 技师, 3 = 高级工, 4 = 中级工, 5 = 初级工. */
export const skillLevel = z.int().min(1).max(5);

/** National occupation classification code (职业分类大典), e.g. 6-31-01-03. */
export const occupationCode = z.string().trim().regex(/^\d-\d{2}-\d{2}-\d{2}$/, 'an occupation code like 6-31-01-03');

/** Mainland mobile number: 11 digits starting with 1. */
export const mobilePhone = z.string().trim().regex(/^1\d{10}$/, 'an 11-digit mobile number starting with 1');

/**
 * A worker. `idNumber` is the full resident ID number for roles that register people and the
 * masked public form (`340123********1234`) for read-only roles; `gender`, `birthDate` and
 * `birthYear` are derived from it, never entered. The masked form hides exactly the birth date, so
 * those roles get the birth year only (`birthDate` null): the number cannot be rebuilt.
 */
export const personSchema = z
  .object({
    id: z.int(),
    orgId: z.int(),
    employerId: z.int().nullable(),
    /** The employer's name: the organisation's when `employerId` is set, else as written (free text). */
    employerName: z.string().nullable(),
    name: z.string(),
    idNumber: z.string(),
    gender: z.enum(['male', 'female']),
    birthDate: z.iso.date().nullable().describe('Only with the full ID number'),
    birthYear: z.int(),
    phone: z.string().nullable(),
    occupationCode: z.string().nullable(),
    occupationName: z.string().nullable(),
    skillLevel: skillLevel.nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Person' });
export type Person = z.infer<typeof personSchema>;

// No defaults here: `.partial()` of a defaulted field would turn "not sent" into "cleared" on PATCH.
const personFields = z.object({
  name: nameText(50),
  /** Checked (format, birth date, check character) by the service with the resident-ID rules. */
  idNumber: z.string().trim().min(1).max(30),
  phone: mobilePhone.nullable().optional(),
  employerId: z.int().positive().nullable().optional(),
  /** The employer as written when it is not an organisation; either this or employerId. */
  employerName: employerText.nullable().optional(),
  /** The keeping organisation; the caller's own when left out. */
  orgId: z.int().positive().optional(),
  occupationCode: occupationCode.nullable().optional(),
  occupationName: z.string().trim().min(1).max(100).nullable().optional(),
  skillLevel: skillLevel.nullable().optional(),
});

export const createPersonBody = personFields;
export type CreatePersonInput = z.infer<typeof createPersonBody>;

export const updatePersonBody = personFields.partial();
export type UpdatePersonInput = z.infer<typeof updatePersonBody>;

export const listPeopleQuery = pageQuery.extend({
  q: z.string().trim().max(50).optional().describe('Part of the name'),
  employerId: decimalId.optional(),
  occupationCode: occupationCode.optional(),
  skillLevel: z.coerce.number().int().min(1).max(5).optional(),
  orgId: decimalId.optional().describe('Only people kept by exactly this organisation'),
});
export type ListPeopleQuery = z.infer<typeof listPeopleQuery>;

export const idNumberParams = z.object({
  idNumber: z
    .string()
    .trim()
    .regex(/^\d{17}[\dXx]$/, 'an ID number has 17 digits and a final digit or X')
    .transform((s) => s.toUpperCase()),
});

/** Everything a person's record page shows: competitions and results, prizes, titles, certified levels. */
export const personRecordSchema = z
  .object({
    person: personSchema,
    employerName: z.string().nullable(),
    results: z.array(
      z.object({
        entryId: z.int(),
        competitionId: z.int(),
        competitionName: z.string(),
        grade: z.enum(['A', 'B', 'C']),
        year: z.int(),
        eventId: z.int(),
        eventName: z.string(),
        delegation: z.string().nullable(),
        /** The team or pair the person entered with (its name, or "甲、乙"); null for an individual entry. */
        team: z.string().nullable(),
        status: entryStatus,
        released: z.boolean(),
        /** Only once the event's results are released; for a team, the team's. */
        rank: z.int().nullable(),
        total: z.number().nullable(),
        finalists: z.int().nullable(),
      }),
    ),
    prizes: z.array(z.object({ eventId: z.int(), eventName: z.string(), label: z.string(), tier: z.int(), moneyYuan: z.number() })),
    titles: z.array(
      z.object({
        titleTypeId: z.int(),
        name: z.string(),
        level: z.string(),
        conferredAt: z.string(),
        rewardYuan: z.number(),
        /** The craftsman selection that named it, with its certificate number and term (null: for life). */
        selectionId: z.int().nullable(),
        certificateNumber: z.string().nullable(),
        termEnds: z.string().nullable(),
        revokedAt: z.string().nullable(),
        revokeReason: z.string().nullable(),
        /** Today: held, past its term, or revoked. */
        standing: z.enum(['active', 'expired', 'revoked']),
      }),
    ),
    certificates: z.array(
      z.object({
        id: z.int(),
        occupationCode: z.string(),
        occupationName: z.string(),
        trade: z.string(),
        level: z.int(),
        levelLabel: z.string(),
        certificateNumber: z.string().nullable(),
        issueDate: z.string().nullable(),
        evaluationBody: z.string().nullable(),
        basis: z.string(),
        status: z.enum(['pending', 'issued']),
      }),
    ),
  })
  .meta({ id: 'PersonRecord' });
