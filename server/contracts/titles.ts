import { z } from 'zod';
import { decimalId } from './common.ts';
import { titleKeySchema, titleLevelSchema, titleRuleSetSchema } from './awards.ts';

export const titleTypeSchema = z
  .object({
    id: z.int(),
    orgId: z.int(),
    key: z.string(),
    name: z.string(),
    level: titleLevelSchema,
    conferringBodies: z.array(z.string()),
    rewardYuan: z.number(),
  })
  .meta({ id: 'TitleType' });

export const createTitleTypeBody = z.object({
  key: titleKeySchema,
  name: z.string().trim().min(1).max(40),
  level: titleLevelSchema,
  conferringBodies: z.array(z.string().trim().min(1).max(100)).min(1).max(5),
  rewardYuan: z.number().min(0).max(10_000_000).default(0),
});

export const titleRuleRowSchema = z
  .object({
    id: z.int(),
    orgId: z.int(),
    name: z.string(),
    presetKey: z.string().nullable(),
    rule: titleRuleSetSchema,
    active: z.boolean(),
  })
  .meta({ id: 'TitleRuleRow' });

export const createTitleRuleBody = z
  .object({
    name: z.string().trim().min(1).max(80).optional(),
    /** Install one of the shipped presets (see GET /api/title-rules/presets)… */
    presetKey: z.string().min(1).max(60).optional(),
    /** …or give the rules themselves. */
    rule: titleRuleSetSchema.optional(),
  })
  .superRefine((b, ctx) => {
    if (!b.presetKey === !b.rule) ctx.addIssue({ code: 'custom', path: ['rule'], message: 'give either presetKey or rule' });
  });

export const updateTitleRuleBody = z.object({
  name: z.string().trim().min(1).max(80).optional(),
  rule: titleRuleSetSchema.optional(),
  active: z.boolean().optional(),
});

export const proposalSchema = z
  .object({
    id: z.int(),
    eventId: z.int(),
    eventName: z.string(),
    personId: z.int(),
    personName: z.string(),
    kind: z.enum(['title', 'recommendation', 'promotion']),
    titleName: z.string().nullable(),
    fromLevel: z.int().nullable(),
    toLevel: z.int().nullable(),
    year: z.int(),
    reason: z.string(),
    status: z.enum(['proposed', 'approved', 'rejected']),
    unionSigned: z.boolean(),
    hrSigned: z.boolean(),
    rejectReason: z.string().nullable(),
    /** Which side turned it down: the union or the HR bureau (null unless rejected). */
    rejectedBy: z.enum(['union', 'hr']).nullable(),
  })
  .meta({ id: 'AwardProposal' });

/**
 * What a regeneration changed, one line per proposal touched:
 * - added: newly proposed;
 * - updated: an unsigned proposal whose content (reason, levels, rule) the rules now give differently;
 * - withdrawn: an unsigned proposal the rules no longer give (deleted);
 * - kept_signed: signed by one side, and the rules no longer give it or give it differently: kept
 *   as signed (a signature is never discarded); reject it to replace it.
 */
export const proposalChangeSchema = z
  .object({
    change: z.enum(['added', 'updated', 'withdrawn', 'kept_signed']),
    proposalId: z.int(),
    personId: z.int(),
    personName: z.string(),
    kind: z.enum(['title', 'recommendation', 'promotion']),
    titleName: z.string().nullable(),
    before: z.object({ reason: z.string(), fromLevel: z.int().nullable(), toLevel: z.int().nullable() }).nullable(),
    after: z.object({ reason: z.string(), fromLevel: z.int().nullable(), toLevel: z.int().nullable() }).nullable(),
  })
  .meta({ id: 'ProposalChange' });

export const generateResultSchema = z.object({
  created: z.int(),
  /** The proposals added by this run. */
  proposals: z.array(proposalSchema),
  changes: z.array(proposalChangeSchema),
  /** Proposals the rules give exactly as they stand. */
  unchanged: z.int(),
  skipped: z.array(z.object({ personId: z.int(), reason: z.string() })),
  provisional: z.boolean(),
});

export const rejectBody = z.object({ reason: z.string().trim().min(2).max(500) });
export const listProposalsQuery = z.object({ status: z.enum(['proposed', 'approved', 'rejected']).optional(), eventId: decimalId.optional() });
