import { Type, type Static } from 'typebox';
import { ORGANISATION_TYPES, SIZE_CLASSES } from '../../db/schema.js';
import { Nullable } from '../../platform/schemas.js';

export const OrganisationPublic = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    shortName: Nullable(Type.String()),
    type: Type.Enum(ORGANISATION_TYPES),
    website: Nullable(Type.String()),
    countryCode: Type.String(),
    city: Nullable(Type.String()),
    provinceCode: Nullable(Type.String()),
    comuneIstat: Nullable(Type.String()),
    vatNumber: Nullable(Type.String({ description: 'Partita IVA (public company register data)' })),
    pec: Nullable(Type.String({ description: 'Certified e-mail (public for companies)' })),
    atecoCodes: Type.Array(Type.String()),
    sizeClass: Nullable(Type.Enum(SIZE_CLASSES)),
    sizeClassDeclared: Nullable(Type.Enum(SIZE_CLASSES)),
    description: Type.Object({ it: Nullable(Type.String()), en: Nullable(Type.String()) }),
    logoUrl: Nullable(Type.String()),
    clusters: Type.Array(Type.Object({ slug: Type.String(), name: Type.String(), memberClass: Nullable(Type.String()) })),
    url: Type.String(),
  },
  { $id: 'OrganisationPublic' },
);

/** Fields only the organisation's people, its clusters' managers and the Region see. */
export const OrganisationPrivate = Type.Object({
  ...OrganisationPublic.properties,
  taxCode: Nullable(Type.String()),
  email: Nullable(Type.String()),
  address: Nullable(Type.String()),
  postcode: Nullable(Type.String()),
  employees: Nullable(Type.Integer()),
  turnoverCents: Nullable(Type.Integer()),
  balanceSheetCents: Nullable(Type.Integer()),
});

export const OrganisationList = Type.Object({
  items: Type.Array(OrganisationPublic),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});

export const DirectoryQuerySchema = Type.Object(
  {
    cluster: Type.Optional(Type.String({ maxLength: 80, description: 'Cluster slug' })),
    type: Type.Optional(Type.Enum(ORGANISATION_TYPES)),
    province: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$', description: 'Province code, e.g. CR' })),
    size: Type.Optional(Type.Enum(SIZE_CLASSES)),
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Part of the name' })),
    sort: Type.Optional(Type.Enum(['name', 'newest'], { default: 'name' })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    lang: Type.Optional(Type.Enum(['it', 'en'])),
  },
  { additionalProperties: false },
);

export const OrganisationPatch = Type.Object(
  {
    legalName: Type.Optional(Type.String({ maxLength: 200 })),
    shortName: Type.Optional(Type.String({ maxLength: 80 })),
    type: Type.Optional(Type.Enum(ORGANISATION_TYPES)),
    vatNumber: Type.Optional(Type.String({ maxLength: 20 })),
    taxCode: Type.Optional(Type.String({ maxLength: 20 })),
    atecoCodes: Type.Optional(Type.Array(Type.String({ maxLength: 10 }), { maxItems: 20 })),
    employees: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
    turnoverCents: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
    balanceSheetCents: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
    sizeClassDeclared: Type.Optional(Nullable(Type.Enum(SIZE_CLASSES))),
    countryCode: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
    comuneIstat: Type.Optional(Nullable(Type.String({ maxLength: 6 }))),
    city: Type.Optional(Nullable(Type.String({ maxLength: 120 }))),
    address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    postcode: Type.Optional(Nullable(Type.String({ maxLength: 12 }))),
    pec: Type.Optional(Nullable(Type.String({ maxLength: 254 }))),
    email: Type.Optional(Nullable(Type.String({ maxLength: 254 }))),
    website: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
    descriptionIt: Type.Optional(Type.String({ maxLength: 5000 })),
    descriptionEn: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
  },
  { additionalProperties: false },
);

export type OrganisationPublicDto = Static<typeof OrganisationPublic>;
export type OrganisationPrivateDto = Static<typeof OrganisationPrivate>;
export type OrganisationPatchDto = Static<typeof OrganisationPatch>;
