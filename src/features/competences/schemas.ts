import { Type, type Static } from 'typebox';
import { COMPETENCE_LEVELS, FACILITY_TYPES, VISIBILITIES } from '../../db/schema.js';
import { Nullable } from '../../platform/schemas.js';

export const AreaCodeParams = Type.Object({
  slug: Type.String({ minLength: 1, maxLength: 80 }),
  code: Type.String({ minLength: 1, maxLength: 80, description: 'Area code, e.g. FOR.SKIN' }),
});

export const Area = Type.Object({
  code: Type.String(),
  key: Type.String({ description: '`cluster-slug:CODE`, unique across the network' }),
  parentCode: Nullable(Type.String()),
  label: Type.Object({ it: Type.String(), en: Nullable(Type.String()) }),
  synonyms: Type.Object({ it: Type.Array(Type.String()), en: Type.Array(Type.String()) }),
  concept: Nullable(Type.String({ description: 'Network concept code' })),
  retired: Type.Boolean({ description: 'A retired area stays resolvable but can no longer be declared' }),
});
export type AreaDto = Static<typeof Area>;

export const Taxonomy = Type.Object({ cluster: Type.String(), areas: Type.Array(Area) });

export const AreaCreate = Type.Object(
  {
    code: Type.String({ maxLength: 80 }),
    parentCode: Type.Optional(Nullable(Type.String({ maxLength: 80 }))),
    labelIt: Type.String({ maxLength: 200 }),
    labelEn: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    synonymsIt: Type.Optional(Type.Array(Type.String({ maxLength: 80 }), { maxItems: 30 })),
    synonymsEn: Type.Optional(Type.Array(Type.String({ maxLength: 80 }), { maxItems: 30 })),
    concept: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
  },
  { additionalProperties: false },
);

export const AreaPatch = Type.Object(
  {
    parentCode: Type.Optional(Nullable(Type.String({ maxLength: 80 }))),
    labelIt: Type.Optional(Type.String({ maxLength: 200 })),
    labelEn: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    synonymsIt: Type.Optional(Type.Array(Type.String({ maxLength: 80 }), { maxItems: 30 })),
    synonymsEn: Type.Optional(Type.Array(Type.String({ maxLength: 80 }), { maxItems: 30 })),
    concept: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
    retired: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const Concept = Type.Object({
  code: Type.String(),
  label: Type.Object({ it: Type.String(), en: Nullable(Type.String()) }),
  areas: Type.Array(Type.String({ description: 'Area keys mapped to the concept' })),
});
export const ConceptCreate = Type.Object(
  { code: Type.String({ maxLength: 60 }), labelIt: Type.String({ maxLength: 200 }), labelEn: Type.Optional(Nullable(Type.String({ maxLength: 200 }))) },
  { additionalProperties: false },
);

export const Competence = Type.Object({
  id: Type.String({ format: 'uuid' }),
  area: Nullable(Type.Object({ key: Type.String(), code: Type.String(), cluster: Type.String(), label: Type.String(), retired: Type.Boolean() })),
  level: Type.Enum(COMPETENCE_LEVELS),
  description: Type.Object({ it: Nullable(Type.String()), en: Nullable(Type.String()) }),
});
export const CompetenceList = Type.Object({ items: Type.Array(Competence) });
export const CompetencesPut = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          area: Type.Optional(Nullable(Type.String({ maxLength: 120, description: '`cluster-slug:CODE`' }))),
          level: Type.Enum(COMPETENCE_LEVELS),
          descriptionIt: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
          descriptionEn: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
        },
        { additionalProperties: false },
      ),
      { maxItems: 200 },
    ),
  },
  { additionalProperties: false },
);

export const Facility = Type.Object({
  id: Type.String({ format: 'uuid' }),
  organisation: Type.Object({ id: Type.String({ format: 'uuid' }), url: Type.String() }),
  name: Type.String(),
  type: Type.Enum(FACILITY_TYPES),
  description: Type.Object({ it: Nullable(Type.String()), en: Nullable(Type.String()) }),
  accreditations: Type.Array(Type.String()),
  accessConditions: Type.Object({ it: Nullable(Type.String()), en: Nullable(Type.String()) }),
  city: Nullable(Type.String()),
  provinceCode: Nullable(Type.String()),
  countryCode: Type.String(),
  areas: Type.Array(Type.String({ description: 'Area keys' })),
  visibility: Type.Enum(VISIBILITIES),
  url: Type.String(),
});
export type FacilityDto = Static<typeof Facility>;
export const FacilityList = Type.Object({ items: Type.Array(Facility) });
export const FacilityBody = Type.Object(
  {
    name: Type.String({ maxLength: 200 }),
    type: Type.Enum(FACILITY_TYPES),
    descriptionIt: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
    descriptionEn: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
    accreditations: Type.Optional(Type.Array(Type.String({ maxLength: 80 }), { maxItems: 20 })),
    accessConditionsIt: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    accessConditionsEn: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    city: Type.Optional(Nullable(Type.String({ maxLength: 120 }))),
    provinceCode: Type.Optional(Nullable(Type.String({ maxLength: 2 }))),
    countryCode: Type.Optional(Type.String({ maxLength: 2 })),
    areas: Type.Optional(Type.Array(Type.String({ maxLength: 120 }), { maxItems: 30 })),
    visibility: Type.Enum(VISIBILITIES),
  },
  { additionalProperties: false },
);

export const Expertise = Type.Object({
  person: Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String(), url: Type.String() }),
  organisation: Nullable(Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String(), url: Type.String() })),
  headline: Nullable(Type.String()),
  summary: Type.Object({ it: Nullable(Type.String()), en: Nullable(Type.String()) }),
  keywords: Type.Array(Type.String()),
  areas: Type.Array(Type.String({ description: 'Area keys' })),
  orcid: Nullable(Type.String()),
  visibility: Type.Enum(VISIBILITIES),
});
export type ExpertiseDto = Static<typeof Expertise>;
export const ExpertiseBody = Type.Object(
  {
    organisationId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
    headline: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    summaryIt: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
    summaryEn: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
    keywords: Type.Optional(Type.Array(Type.String({ maxLength: 80 }), { maxItems: 30 })),
    areas: Type.Optional(Type.Array(Type.String({ maxLength: 120 }), { maxItems: 30 })),
    orcid: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
    visibility: Type.Enum(VISIBILITIES),
  },
  { additionalProperties: false },
);

export const CoverageRow = Type.Object({
  code: Type.String(),
  label: Type.Object({ it: Type.String(), en: Nullable(Type.String()) }),
  depth: Type.Integer(),
  retired: Type.Boolean(),
  core: Type.Integer(),
  experienced: Type.Integer(),
  emerging: Type.Integer(),
  members: Type.Integer({ description: 'Admitted members declaring the area or a sub-area (best level counted once)' }),
  network: Type.Integer({ description: 'Other organisations of the network declaring it' }),
  gap: Type.Boolean({ description: 'No member declares it' }),
});
export const Coverage = Type.Object({ cluster: Type.String(), members: Type.Integer(), areas: Type.Array(CoverageRow) });
