import { Type, type Static, type TSchema } from 'typebox';
import { COMPETENCE_LEVELS, FACILITY_TYPES, ORGANISATION_TYPES, SEARCH_KINDS, SIZE_CLASSES } from '../../db/schema.js';
import { Nullable } from '../../platform/schemas.js';

export const SLUG_PATTERN = '^[a-z0-9]+(-[a-z0-9]+)*$';
/** `FOR.SKIN`, `cosmetica:FOR.SKIN` or `concept:green-chemistry`. */
export const COMPETENCE_PATTERN = '^((([a-z0-9]+(-[a-z0-9]+)*):)?[A-Z0-9]{1,12}(\\.[A-Z0-9]{1,12}){0,4}|concept:[a-z0-9]+(-[a-z0-9]+)*)$';

/** The fields a result's highlights come from (each has a label on the search page). */
export const HIGHLIGHT_FIELDS = ['name', 'description', 'competences', 'facilities', 'offers', 'accreditations', 'access', 'headline', 'keywords'] as const;
export type HighlightField = (typeof HIGHLIGHT_FIELDS)[number];

const filters = {
  cluster: Type.Optional(Type.String({ maxLength: 80, pattern: SLUG_PATTERN, description: 'Cluster slug, e.g. `cosmetica` (an unknown cluster gives no results)' })),
  type: Type.Optional(Type.Enum(ORGANISATION_TYPES, { description: 'Type of the organisation (of its owner, for facilities and people)' })),
  province: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$', description: 'Province code, e.g. CR' })),
  competence: Type.Optional(
    Type.String({ maxLength: 120, pattern: COMPETENCE_PATTERN, description: 'Competence area: `cosmetica:FOR.SKIN`, a bare code `FOR.SKIN` (any cluster) or `concept:<code>`; sub-areas included' }),
  ),
  size: Type.Optional(Type.Enum(SIZE_CLASSES, { description: 'EU size class' })),
  kind: Type.Optional(Type.Enum(SEARCH_KINDS, { description: 'Only organisations, facilities or people' })),
};

export const SearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Words, in Italian or English; accents and typos tolerated. Empty: browse in name order' })),
    lang: Type.Optional(Type.Enum(['it', 'en'], { description: 'Language of labels and messages' })),
    ...filters,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20, description: 'Results per page (1–50)' })),
    cursor: Type.Optional(Type.String({ maxLength: 400, description: 'The `nextCursor` of the previous page' })),
  },
  { additionalProperties: false },
);
export type SearchQueryDto = Static<typeof SearchQuery>;

/** The page takes the same parameters, but an HTML form sends empty fields as empty strings. */
const orEmpty = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Literal('')]));
export const SearchPageQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    lang: Type.Optional(Type.String({ maxLength: 5 })),
    cluster: orEmpty(Type.String({ maxLength: 80, pattern: SLUG_PATTERN })),
    type: orEmpty(Type.Enum(ORGANISATION_TYPES)),
    province: orEmpty(Type.String({ pattern: '^[A-Za-z]{2}$' })),
    competence: orEmpty(Type.String({ maxLength: 120, pattern: COMPETENCE_PATTERN })),
    size: orEmpty(Type.Enum(SIZE_CLASSES)),
    kind: orEmpty(Type.Enum(SEARCH_KINDS)),
    cursor: Type.Optional(Type.String({ maxLength: 400 })),
  },
  { additionalProperties: false },
);

export const MapQuery = Type.Object(
  {
    lang: Type.Optional(Type.Enum(['it', 'en'])),
    cluster: filters.cluster,
    competence: filters.competence,
  },
  { additionalProperties: false },
);

export const MapPageQuery = Type.Object(
  {
    lang: Type.Optional(Type.String({ maxLength: 5 })),
    cluster: orEmpty(Type.String({ maxLength: 80, pattern: SLUG_PATTERN })),
    competence: orEmpty(Type.String({ maxLength: 120, pattern: COMPETENCE_PATTERN })),
  },
  { additionalProperties: false },
);

const FacetValue = Type.Object({ value: Type.String(), label: Type.String(), count: Type.Integer() });

export const SearchItem = Type.Object({
  kind: Type.Enum(SEARCH_KINDS),
  id: Type.String({ format: 'uuid' }),
  title: Type.String(),
  url: Type.String({ description: 'Page of the organisation, facility or person' }),
  organisation: Nullable(Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String(), url: Type.String() })),
  orgType: Nullable(Type.Enum(ORGANISATION_TYPES)),
  city: Nullable(Type.String()),
  provinceCode: Nullable(Type.String()),
  countryCode: Nullable(Type.String()),
  sizeClass: Nullable(Type.Enum(SIZE_CLASSES)),
  clusters: Type.Array(Type.Object({ slug: Type.String(), name: Type.String() })),
  description: Nullable(Type.String({ description: 'In the reader’s language when available' })),
  competences: Type.Array(Type.Object({ key: Type.String(), label: Type.String(), level: Nullable(Type.Enum(COMPETENCE_LEVELS)) })),
  matchedCompetences: Type.Array(Type.String({ description: 'Competences the query matched, in the reader’s language' })),
  facility: Type.Optional(Type.Object({ type: Type.Enum(FACILITY_TYPES), accreditations: Type.Array(Type.String()) })),
  person: Type.Optional(Type.Object({ headline: Nullable(Type.String()), orcid: Nullable(Type.String()) })),
  score: Type.Number({ description: 'Relevance (0 when browsing)' }),
  highlights: Type.Array(
    Type.Object({
      field: Type.Enum(HIGHLIGHT_FIELDS, { description: 'The field of the result the text comes from' }),
      text: Type.String(),
      ranges: Type.Array(Type.Array(Type.Integer(), { minItems: 2, maxItems: 2 }), { description: '[start, end) of each matching word in text' }),
    }),
  ),
});

export const SearchResponse = Type.Object({
  q: Type.String(),
  total: Type.Integer({ description: 'Results matching the query and every filter (a lower bound when `totalApproximate`)' }),
  items: Type.Array(SearchItem),
  facets: Type.Object(
    {
      kind: Type.Array(FacetValue),
      cluster: Type.Array(FacetValue),
      type: Type.Array(FacetValue),
      province: Type.Array(FacetValue),
      size: Type.Array(FacetValue),
      competence: Type.Array(FacetValue),
    },
    { description: 'Counts per value with every other filter applied: choosing a value gives exactly that many results (at least that many when `approximate`)' },
  ),
  approximate: Type.Boolean({
    description:
      'True when more documents matched than a search reads (1,000): the facet counts are then counted over those read, so each is a lower bound (“at least”). False: every count is exact.',
  }),
  totalApproximate: Type.Boolean({
    description:
      'True when `total` is a lower bound too. With filters, up to 1,000 documents passing them are read apart from the others: their total can be exact while the facet counts are not.',
  }),
  nextCursor: Nullable(Type.String()),
  relaxed: Type.Boolean({ description: 'True when no result had every word and these have some of them' }),
  corrections: Type.Array(Type.Object({ from: Type.String(), to: Type.String() })),
  expandedAreas: Type.Array(Type.Object({ key: Type.String(), label: Type.String() })),
  ignored: Type.Array(Type.String()),
  suggestions: Type.Array(Type.Object({ kind: Type.String(), label: Type.String(), url: Type.String() })),
});
export type SearchResponseDto = Static<typeof SearchResponse>;

export const MapResponse = Type.Object({
  total: Type.Integer({ description: 'Member organisations matching the filters, everywhere' }),
  provinces: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), nuts3: Type.String(), count: Type.Integer() })),
  outside: Type.Object({
    total: Type.Integer(),
    items: Type.Array(
      Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String(), city: Nullable(Type.String()), provinceCode: Nullable(Type.String()), countryCode: Nullable(Type.String()), url: Type.String() }),
    ),
  }),
});
