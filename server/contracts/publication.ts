import { z } from 'zod';
import { COMPLETION_TIME_MAX, objectiveField } from './objective.ts';

export const recheckSchema = z
  .object({
    id: z.int(),
    entryId: z.int(),
    number: z.int().nullable(),
    rank: z.int().nullable(),
    total: z.number(),
    selection: z.enum(['top10', 'sample']),
    drawnAt: z.string(),
    checkedAt: z.string().nullable(),
    checkedBy: z.int().nullable(),
    note: z.string().nullable(),
  })
  .meta({ id: 'Recheck' });

export const recheckListSchema = z.object({
  eventId: z.int(),
  drawn: z.boolean(),
  complete: z.boolean(),
  items: z.array(recheckSchema),
});

export const checkBody = z.object({ note: z.string().trim().max(500).optional() });

export const appealSchema = z
  .object({
    id: z.int(),
    eventId: z.int(),
    number: z.int().nullable(),
    lodgedBy: z.string(),
    contact: z.string().nullable(),
    reason: z.string(),
    lodgedAt: z.string(),
    status: z.enum(['lodged', 'upheld', 'dismissed']),
    decidedAt: z.string().nullable(),
    decidedBy: z.string().nullable(),
    decisionNote: z.string().nullable(),
  })
  .meta({ id: 'Appeal' });

export const lodgeAppealBody = z.object({
  /** The contestant the appeal concerns, by drawn number; omitted for an appeal about the whole event. */
  number: z.int().positive().optional(),
  lodgedBy: z.string().trim().min(1).max(100).describe('Who lodged it (e.g. the delegation leader 领队)'),
  contact: z.string().trim().max(100).optional(),
  reason: z.string().trim().min(5).max(2000),
});

export const decideAppealBody = z
  .object({
    decision: z.enum(['upheld', 'dismissed']),
    note: z.string().trim().min(2).max(2000),
    /** For an upheld appeal: the marks to change, each recorded as a new version. */
    corrections: z.array(z.object({ markId: z.int().positive(), value: z.number().min(-10_000).max(10_000) })).max(200).default([]),
    /** For an upheld appeal: objective values to change (theory score, completion time), each recorded as a new version. */
    objectiveCorrections: z
      .array(
        z.object({
          roundId: z.int().positive().optional(),
          number: z.int().positive(),
          field: objectiveField,
          value: z.number().min(0).max(COMPLETION_TIME_MAX).nullable(),
        }),
      )
      .max(200)
      .default([]),
  })
  .superRefine((b, ctx) => {
    if (b.decision === 'dismissed' && b.corrections.length > 0)
      ctx.addIssue({ code: 'custom', path: ['corrections'], message: 'a dismissed appeal changes no marks' });
    if (b.decision === 'dismissed' && b.objectiveCorrections.length > 0)
      ctx.addIssue({ code: 'custom', path: ['objectiveCorrections'], message: 'a dismissed appeal changes no values' });
  });

export const publicationSchema = z
  .object({
    eventId: z.int(),
    stage: z.enum(['marking', 'awaiting_release', 'publicity', 'final']),
    releasedAt: z.string().nullable(),
    publicityEndsAt: z.string().nullable(),
    finalAt: z.string().nullable(),
    markingClosedAt: z.string().nullable(),
    appealRule: z.enum(['publicity_period', 'hours_after_marking', 'hours_after_release']),
    appealsOpenAt: z.string().nullable().describe('When appeals may first be lodged; null while the window has not opened'),
    appealsCloseAt: z.string().nullable(),
    /** Whether an appeal lodged now is in time. */
    appealsOpen: z.boolean(),
    openAppeals: z.int(),
    awardsAllowed: z.boolean().describe('Prizes and titles may be awarded: after the publicity period with no appeal waiting, or by an organiser’s recorded override'),
    awardsBlockedBy: z.enum(['not_released', 'publicity_running', 'appeals_open']).nullable(),
    awardsOverride: z.object({ reason: z.string(), at: z.string(), by: z.string() }).nullable(),
  })
  .meta({ id: 'Publication' });

export const awardsOverrideBody = z.object({
  reason: z.string().trim().min(5).max(1000).describe('Why prizes and titles are awarded before the publicity period ends or with an appeal waiting'),
});
