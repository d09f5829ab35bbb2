import { z } from 'zod';
import { decimalId, pageQuery } from './common.ts';

export const certificateBasis = z.enum(['exam', 'competition_promotion', 'transfer', 'other']);
export type CertificateBasis = z.infer<typeof certificateBasis>;

/** Columns the provincial upload (省级平台) can carry; an HR bureau orders and names them. */
export const exportColumnKey = z.enum([
  'seq',
  'name',
  'gender',
  'idType',
  'idNumber',
  'occupationCode',
  'occupationName',
  'trade',
  'level',
  'theoryScore',
  'practicalScore',
  'certificateNumber',
  'issueDate',
  'evaluationBody',
  'basis',
]);
export type ExportColumnKey = z.infer<typeof exportColumnKey>;

export const exportLayoutSchema = z
  .object({
    columns: z
      .array(z.object({ key: exportColumnKey, header: z.string().trim().min(1).max(40) }))
      .min(1)
      .max(30),
  })
  .meta({ id: 'ExportLayout' });
export type ExportLayout = z.infer<typeof exportLayoutSchema>;

/** The provincial upload's layout, the default for every HR bureau. */
export const PROVINCIAL_LAYOUT: ExportLayout = {
  columns: [
    { key: 'seq', header: '序号' },
    { key: 'name', header: '姓名' },
    { key: 'gender', header: '性别' },
    { key: 'idType', header: '证件类型' },
    { key: 'idNumber', header: '证件号码' },
    { key: 'occupationCode', header: '职业编码' },
    { key: 'occupationName', header: '职业名称' },
    { key: 'trade', header: '工种/职业方向' },
    { key: 'level', header: '职业技能等级' },
    { key: 'theoryScore', header: '理论知识成绩' },
    { key: 'practicalScore', header: '操作技能成绩' },
    { key: 'certificateNumber', header: '证书编号' },
    { key: 'issueDate', header: '发证日期' },
    { key: 'evaluationBody', header: '评价机构' },
    { key: 'basis', header: '认定方式' },
  ],
};

export const certificateFilterQuery = z.object({
  from: z.iso.date().optional().describe('Issue date from (inclusive)'),
  to: z.iso.date().optional().describe('Issue date to (inclusive)'),
  orgId: decimalId.optional().describe('Organisation subtree (default: yours)'),
  occupationCode: z
    .string()
    .regex(/^\d-\d{2}-\d{2}-\d{2}$/, 'an occupation code like 6-31-01-03')
    .optional(),
  level: z.coerce.number().int().min(1).max(5).optional(),
  status: z.enum(['pending', 'issued']).optional(),
});

export const exportQuery = certificateFilterQuery.extend({ format: z.enum(['xlsx', 'csv']).default('xlsx') });
export const listCertificatesQuery = pageQuery.extend(certificateFilterQuery.shape).extend({ personId: decimalId.optional() });

export const certificateSchema = z
  .object({
    id: z.int(),
    personId: z.int(),
    personName: z.string(),
    idNumber: z.string().describe('Masked unless the caller is an HR officer or administrator'),
    orgId: z.int(),
    occupationCode: z.string(),
    occupationName: z.string(),
    trade: z.string(),
    level: z.int(),
    levelLabel: z.string(),
    certificateNumber: z.string().nullable(),
    issueDate: z.string().nullable(),
    evaluationBody: z.string().nullable(),
    basis: certificateBasis,
    theoryScore: z.number().nullable(),
    practicalScore: z.number().nullable(),
    status: z.enum(['pending', 'issued']),
    proposalId: z.int().nullable(),
    /** The competition and event a promotion came from ("2026年肥西县电工技能竞赛 · 电工"); null for other bases. */
    fromCompetition: z.string().nullable(),
  })
  .meta({ id: 'Certificate' });
export type Certificate = z.infer<typeof certificateSchema>;

const score = z.number().min(0).max(100);
const certificateFields = z.object({
  occupationCode: z.string().trim().regex(/^\d-\d{2}-\d{2}-\d{2}$/, 'an occupation code like 6-31-01-03'),
  occupationName: z.string().trim().min(1).max(100),
  trade: z.string().trim().max(100),
  level: z.int().min(1).max(5),
  certificateNumber: z.string().trim().toUpperCase().nullable(),
  issueDate: z.iso.date().nullable(),
  evaluationBody: z.string().trim().min(1).max(200).nullable(),
  basis: certificateBasis,
  theoryScore: score.nullable(),
  practicalScore: score.nullable(),
  status: z.enum(['pending', 'issued']),
});

export const createCertificateBody = certificateFields
  .partial({ trade: true, certificateNumber: true, issueDate: true, evaluationBody: true, theoryScore: true, practicalScore: true, status: true })
  .extend({ personId: z.int().positive(), orgId: z.int().positive().optional() });
export const updateCertificateBody = certificateFields.partial();
