import { z } from 'zod';
import { certificateBasis } from './certificates.ts';
import { decimalId, pageQuery } from './common.ts';

const yuan = z
  .number()
  .min(0)
  .max(1_000_000)
  .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, 'at most two decimals (fen)');

/**
 * Training subsidies on certification (职业技能等级认定补贴), an HR bureau's setting: yuan per
 * certificate by level, and which ways of certification qualify. A level not listed gets nothing.
 */
export const subsidyRatesSchema = z
  .object({
    rates: z
      .array(z.object({ level: z.int().min(1).max(5).describe('1 一级/高级技师 … 5 五级/初级工'), amountYuan: yuan }))
      .max(5)
      .superRefine((rates, ctx) => {
        const seen = new Set<number>();
        rates.forEach((r, i) => {
          if (seen.has(r.level)) ctx.addIssue({ code: 'custom', path: [i, 'level'], message: 'each level at most once' });
          seen.add(r.level);
        });
      }),
    /**
     * Ways of certification that qualify. Default: all but transfer (转换认定 recognises a
     * certificate gained elsewhere: no training was paid for here).
     */
    bases: z.array(certificateBasis).min(1).max(4).default(['exam', 'competition_promotion', 'other']),
  })
  .meta({ id: 'SubsidyRates' });
export type SubsidyRates = z.infer<typeof subsidyRatesSchema>;

/** Feixi county (肥西县): 1,500 yuan per intermediate (四级/中级工), 2,000 per senior (三级/高级工) certificate. */
export const FEIXI_SUBSIDY_RATES: SubsidyRates = {
  rates: [
    { level: 4, amountYuan: 1500 },
    { level: 3, amountYuan: 2000 },
  ],
  bases: ['exam', 'competition_promotion', 'other'],
};

/** The setting in force for an organisation: its own, else its nearest ancestor's; none (nothing due) when neither has one. */
export const subsidyRatesView = subsidyRatesSchema
  .extend({
    /** The organisation whose setting this is; null when none is set (no subsidies). */
    source: z.object({ orgId: z.int(), orgName: z.string() }).nullable(),
    /** Whether the setting is the caller's organisation's own (else inherited or none). */
    own: z.boolean(),
  })
  .meta({ id: 'SubsidyRatesInForce' });
export type SubsidyRatesView = z.infer<typeof subsidyRatesView>;

export const subsidyQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional().describe('Certificates issued in this year (default: the current year in Beijing, by the server’s clock)'),
  orgId: decimalId.optional().describe('Organisation subtree (default: yours)'),
});

export const subsidyListQuery = pageQuery.extend(subsidyQuery.shape);

export const subsidyRowSchema = z.object({
  certificateId: z.int(),
  personId: z.int(),
  name: z.string(),
  /** Masked unless the caller is an HR officer or administrator. */
  idNumber: z.string(),
  occupationCode: z.string(),
  occupationName: z.string(),
  level: z.int(),
  levelLabel: z.string(),
  certificateNumber: z.string().nullable(),
  issueDate: z.string(),
  basis: certificateBasis,
  amountYuan: z.number(),
});
export type SubsidyRow = z.infer<typeof subsidyRowSchema>;

export const subsidyTotalsSchema = z.object({
  count: z.int(),
  amountYuan: z.number(),
  byLevel: z.array(z.object({ level: z.int(), levelLabel: z.string(), count: z.int(), amountYuan: z.number() })),
});

/** The year's subsidy list: certificates issued that year with an amount due, and the totals. */
export const subsidyListSchema = z
  .object({
    year: z.int(),
    items: z.array(subsidyRowSchema),
    total: z.int(),
    page: z.int(),
    pageSize: z.int(),
    totals: subsidyTotalsSchema,
  })
  .meta({ id: 'SubsidyList' });
export type SubsidyList = z.infer<typeof subsidyListSchema>;
