import { Type, type Static } from 'typebox';
import { COLLABORATION_TYPES, IP_STATUSES, ITEM_STATUSES, ITEM_VISIBILITIES, ORGANISATION_TYPES } from '../../db/schema.js';
import { Nullable } from '../../platform/schemas.js';
import { DESCRIPTION_MAX, SUMMARY_MAX, TITLE_MAX } from './validation.js';

const Text = Type.Object({ it: Nullable(Type.String()), en: Nullable(Type.String()) });
const OrganisationRef = Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String(), externalRef: Nullable(Type.String()) });

const CommonOut = {
  id: Type.String({ format: 'uuid' }),
  externalRef: Nullable(Type.String({ description: 'Identifier in the source system, e.g. ks:7524' })),
  status: Type.Enum(ITEM_STATUSES),
  active: Type.Boolean({ description: 'Published and not expired' }),
  title: Text,
  description: Text,
  taxonomyCodes: Type.Array(Type.String()),
  visibility: Type.Enum(ITEM_VISIBILITIES),
  clusters: Type.Array(Type.String({ description: 'Cluster slug' })),
  expiresOn: Nullable(Type.String({ format: 'date' })),
  publishedAt: Nullable(Type.String({ format: 'date-time' })),
  organisation: OrganisationRef,
  url: Type.String(),
};

export const OfferOut = Type.Object(
  {
    ...CommonOut,
    summary: Text,
    trl: Nullable(Type.Integer({ minimum: 1, maximum: 9 })),
    ipStatus: Nullable(Type.Enum(IP_STATUSES)),
    patentNumber: Nullable(Type.String()),
    collaborationTypes: Type.Array(Type.String()),
    categories: Type.Array(Type.String()),
    tags: Type.Array(Type.String()),
    lookingFor: Type.Array(Type.String()),
  },
  { $id: 'TechnologyOffer' },
);

export const NeedOut = Type.Object(
  {
    ...CommonOut,
    trlMin: Nullable(Type.Integer()),
    trlMax: Nullable(Type.Integer()),
    budget: Type.Object({ minCents: Nullable(Type.Integer()), maxCents: Nullable(Type.Integer()), currency: Type.String() }),
    deadline: Nullable(Type.String({ format: 'date' })),
    partnerTypes: Type.Array(Type.String()),
  },
  { $id: 'TechnologyNeed' },
);

const Strings = (max: number, maxItems = 20) => Type.Array(Type.String({ maxLength: max }), { maxItems });

const CommonIn = {
  titleIt: Type.Optional(Nullable(Type.String({ maxLength: TITLE_MAX }))),
  titleEn: Type.Optional(Nullable(Type.String({ maxLength: TITLE_MAX }))),
  descriptionIt: Type.Optional(Nullable(Type.String({ maxLength: DESCRIPTION_MAX }))),
  descriptionEn: Type.Optional(Nullable(Type.String({ maxLength: DESCRIPTION_MAX }))),
  taxonomyCodes: Type.Optional(Strings(80, 30)),
  visibility: Type.Optional(Type.Enum(ITEM_VISIBILITIES)),
  clusters: Type.Optional(Strings(80)),
  expiresOn: Type.Optional(Nullable(Type.String({ format: 'date' }))),
};

export const OfferIn = Type.Object(
  {
    organisationId: Type.String({ format: 'uuid', description: 'The owner organisation (you must administer it)' }),
    ...CommonIn,
    summaryIt: Type.Optional(Nullable(Type.String({ maxLength: SUMMARY_MAX }))),
    summaryEn: Type.Optional(Nullable(Type.String({ maxLength: SUMMARY_MAX }))),
    trl: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 9 }))),
    ipStatus: Type.Optional(Nullable(Type.Enum(IP_STATUSES))),
    patentNumber: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
    collaborationTypes: Type.Optional(Type.Array(Type.Enum(COLLABORATION_TYPES), { maxItems: 6 })),
    categories: Type.Optional(Strings(120)),
    tags: Type.Optional(Strings(80, 40)),
    lookingFor: Type.Optional(Strings(120)),
    publish: Type.Optional(Type.Boolean({ description: 'Publish at once instead of saving a draft' })),
  },
  { additionalProperties: false },
);

export const NeedIn = Type.Object(
  {
    organisationId: Type.String({ format: 'uuid', description: 'The owner organisation (you must administer it)' }),
    ...CommonIn,
    trlMin: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 9 }))),
    trlMax: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 9 }))),
    budgetMinCents: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
    budgetMaxCents: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
    deadline: Type.Optional(Nullable(Type.String({ format: 'date' }))),
    partnerTypes: Type.Optional(Type.Array(Type.Enum(ORGANISATION_TYPES), { maxItems: 10 })),
    publish: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** PATCH: the same fields, all optional, plus a lifecycle action. */
export const OfferPatch = Type.Object(
  {
    ...Type.Omit(OfferIn, ['organisationId', 'publish']).properties,
    action: Type.Optional(Type.Enum(['publish', 'archive', 'renew', 'reopen'])),
  },
  { additionalProperties: false },
);
export const NeedPatch = Type.Object(
  {
    ...Type.Omit(NeedIn, ['organisationId', 'publish']).properties,
    action: Type.Optional(Type.Enum(['publish', 'archive', 'renew', 'reopen'])),
  },
  { additionalProperties: false },
);

export const ItemListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    organisation: Type.Optional(Type.String({ format: 'uuid' })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    lang: Type.Optional(Type.Enum(['it', 'en'])),
  },
  { additionalProperties: false },
);

export const OfferList = Type.Object({ items: Type.Array(OfferOut), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });
export const NeedList = Type.Object({ items: Type.Array(NeedOut), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });

export type OfferDto = Static<typeof OfferOut>;
export type NeedDto = Static<typeof NeedOut>;
