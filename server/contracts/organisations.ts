import { z } from 'zod';
import { decimalId, nameText, pageQuery } from './common.ts';

export const orgKind = z.enum(['union', 'hr_bureau', 'employer', 'department']);
export const orgLevel = z.enum(['national', 'province', 'city', 'county', 'township', 'enterprise']);

export const organisationSchema = z
  .object({
    id: z.int(),
    parentId: z.int().nullable(),
    name: z.string(),
    kind: orgKind,
    level: orgLevel.nullable(),
    regionCode: z.string(),
    path: z.string(),
  })
  .meta({ id: 'Organisation' });
export type Organisation = z.infer<typeof organisationSchema>;

export const createOrganisationBody = z.object({
  parentId: z.int().positive(),
  name: nameText(200),
  kind: orgKind,
  level: orgLevel.nullable().default(null),
  regionCode: z.string().regex(/^\d{6}$/, 'a 6-digit administrative region code (e.g. 340123)'),
});

// Built without defaults: a PATCH that leaves a field out must leave it unchanged.
export const updateOrganisationBody = z
  .object({
    name: nameText(200),
    kind: orgKind,
    level: orgLevel.nullable(),
    regionCode: z.string().regex(/^\d{6}$/, 'a 6-digit administrative region code (e.g. 340123)'),
  })
  .partial();

export const listOrganisationsQuery = pageQuery.extend({
  parentId: decimalId.optional(),
  kind: orgKind.optional(),
  q: z.string().trim().max(100).optional(),
});
