import { Type, type Static } from 'typebox';
import { CLUSTER_ROLES, LEGAL_FORMS, ORGANISATION_TYPES, RECOGNITION_STEPS } from '../../db/schema.js';
import { IsoDate, LangQuery, LocalisedText, Nullable } from '../../platform/schemas.js';

const Step = Type.Enum(RECOGNITION_STEPS, {
  description: 'Recognition lifecycle step: costituito → presa_d_atto → riconosciuto → operativo (or sospeso, revocato)',
});

export const ClusterSummary = Type.Object(
  {
    slug: Type.String({ description: 'Stable identifier used in URLs' }),
    number: Type.Integer({ description: 'Number in the regional registry' }),
    name: LocalisedText,
    shortName: Type.String(),
    area: LocalisedText,
    managingBody: Type.String(),
    legalForm: Type.Enum(LEGAL_FORMS),
    website: Nullable(Type.String({ format: 'uri' })),
    status: Nullable(Step),
    statusSince: Nullable(IsoDate),
    url: Type.String({ description: 'Public page of the cluster' }),
  },
  { $id: 'ClusterSummary' },
);

export const RecognitionStepSchema = Type.Object({
  step: Step,
  date: IsoDate,
  actReference: Type.String({ description: 'The act that records the step (decree, resolution, deed)' }),
  note: Nullable(LocalisedText),
});

export const ClusterOrganisation = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  shortName: Nullable(Type.String()),
  type: Type.Enum(ORGANISATION_TYPES),
  city: Nullable(Type.String()),
  provinceCode: Nullable(Type.String()),
  website: Nullable(Type.String()),
  roles: Type.Array(Type.Enum(CLUSTER_ROLES)),
});

export const ClusterDetail = Type.Object(
  {
    ...ClusterSummary.properties,
    description: LocalisedText,
    territory: LocalisedText,
    recognition: Type.Array(RecognitionStepSchema),
    organisations: Type.Array(ClusterOrganisation, {
      description: 'Coordinator, founding members and partners, with their roles',
    }),
  },
  { $id: 'ClusterDetail' },
);

export const ClusterListQuery = Type.Object(
  {
    status: Type.Optional(Step),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 50, description: 'Page size (1–100)' }),
    offset: Type.Integer({ minimum: 0, default: 0, description: 'Items to skip' }),
    lang: LangQuery,
  },
  { additionalProperties: false },
);

export const ClusterList = Type.Object({
  items: Type.Array(ClusterSummary),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

export const ClusterSlugParams = Type.Object({
  slug: Type.String({ minLength: 1, maxLength: 80, description: 'Cluster slug, e.g. cosmetica' }),
});

export type ClusterSummaryDto = Static<typeof ClusterSummary>;
export type ClusterDetailDto = Static<typeof ClusterDetail>;
