import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError, errorMessage } from '../../platform/errors.js';
import { Nullable } from '../../platform/schemas.js';
import { ErrorResponse } from '../../platform/schemas.js';
import type { AccountService } from '../accounts/service.js';
import { itemTitle } from '../offers/presenter.js';
import type { OfferService } from '../offers/service.js';
import { ItemMatchesPage, MatchPage } from './pages.js';
import { MATCH_LIMIT_MAX, type MatchingService, type MatchResult, type ProfileResult } from './service.js';

export interface MatchingRoutesOptions {
  matching: MatchingService;
  offers: OfferService;
  accounts: AccountService;
}

const ReasonSchema = Type.Object({
  type: Type.String({ description: 'concepts, terms, trl, complementarity, geography, collaboration or partner_type' }),
  text: Type.String({ description: 'The reason as a sentence in the caller’s language' }),
  concepts: Type.Optional(Type.Array(Type.Object({ id: Type.String(), label: Type.String() }))),
  terms: Type.Optional(Type.Array(Type.Object({ query: Type.String(), match: Type.String(), via: Type.String({ description: 'same, translation, cognate or similar' }) }))),
  fit: Type.Optional(Type.String()),
  trl: Type.Optional(Type.Integer()),
  min: Type.Optional(Nullable(Type.Integer())),
  max: Type.Optional(Nullable(Type.Integer())),
  from: Type.Optional(Type.String()),
  to: Type.Optional(Type.String()),
  scope: Type.Optional(Type.String()),
  province: Type.Optional(Nullable(Type.String())),
  count: Type.Optional(Type.Integer()),
  organisationType: Type.Optional(Type.String()),
});

const OrganisationRef = Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String(), externalRef: Nullable(Type.String()) });
const ItemRef = Type.Object({ id: Type.String({ format: 'uuid' }), title: Type.String(), externalRef: Nullable(Type.String()) });

const OfferResults = Type.Object({
  lang: Type.Optional(Type.Enum(['it', 'en'], { description: 'Language of the text, as given or detected' })),
  results: Type.Array(Type.Object({ score: Type.Number(), offer: ItemRef, organisation: OrganisationRef, reasons: Type.Array(ReasonSchema) })),
});
const ProfileResults = Type.Array(
  Type.Object({
    score: Type.Number(),
    kind: Type.Enum(['organisation', 'facility', 'person'], { description: 'An organisation, one of its facilities, or a person’s expertise' }),
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    url: Type.String(),
    organisation: OrganisationRef,
    competences: Type.Array(Type.String(), { description: 'Its declared competences the item shares (labels in the caller’s language)' }),
    reasons: Type.Array(ReasonSchema),
  }),
  { description: 'Organisations, facilities and experts of the whole network whose declared competences answer the item, with reasons (only what the caller may see)' },
);
const NeedOfferResults = Type.Object({
  results: Type.Array(Type.Object({ score: Type.Number(), offer: ItemRef, organisation: OrganisationRef, reasons: Type.Array(ReasonSchema) })),
  organisations: ProfileResults,
});
const NeedResults = Type.Object({
  results: Type.Array(Type.Object({ score: Type.Number(), need: ItemRef, organisation: OrganisationRef, reasons: Type.Array(ReasonSchema) })),
  organisations: ProfileResults,
});

function toApi(r: MatchResult) {
  const item = { id: r.item.id, title: r.item.title, externalRef: r.item.externalRef };
  return { score: r.score, [r.kind]: item, organisation: { id: r.organisation.id, name: r.organisation.name, externalRef: r.organisation.externalRef }, reasons: r.reasons };
}

function profileToApi(p: ProfileResult) {
  return { score: p.score, kind: p.kind, id: p.id, name: p.name, url: p.url, organisation: { id: p.organisation.id, name: p.organisation.name, externalRef: p.organisation.externalRef }, competences: p.competences, reasons: p.reasons };
}

const LimitQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MATCH_LIMIT_MAX, default: 10 })), lang: Type.Optional(Type.Enum(['it', 'en'])) }, { additionalProperties: false });

export const matchingRoutes: FastifyPluginAsyncTypebox<MatchingRoutesOptions> = async (app, opts) => {
  const { matching, offers, accounts } = opts;

  async function administered(principal: Principal | null) {
    if (!principal) return [];
    const grants = await accounts.repo.grantsOf(principal.personId);
    return grants.filter((g) => g.role === 'org_admin' && g.organisation_id).map((g) => ({ id: g.organisation_id!, name: g.organisation_name ?? '' }));
  }

  app.post(
    '/api/v1/match',
    {
      // A read-only query for machine clients over public offers only: it ignores any session, so
      // there is nothing for a forged cross-site request to act with (no CSRF token needed).
      config: { access: 'public', csrf: false },
      schema: {
        tags: ['matching'],
        summary: 'Rank the public technology offers of the whole network for a need written in Italian or English, with the reasons of each match',
        body: Type.Object(
          {
            text: Type.String({ maxLength: 100_000, description: 'The need, in Italian or English (up to 10,000 characters)' }),
            lang: Type.Optional(Type.String({ maxLength: 20, description: 'it or en; detected when absent' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MATCH_LIMIT_MAX, default: 10 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: OfferResults, 400: ErrorResponse },
      },
    },
    async (request) => {
      const viewer = await offers.viewerOf(null);
      const { lang, results } = await matching.matchText({ text: request.body.text, lang: request.body.lang, limit: request.body.limit }, viewer, request.lang);
      return { lang, results: results.map(toApi) } as never;
    },
  );

  for (const kind of ['need', 'offer'] as const) {
    const param = kind === 'offer' ? 'offerId' : 'needId';
    const Params = Type.Object({ [param]: Type.String({ format: 'uuid' }) });
    const idOf = (params: unknown) => (params as Record<string, string>)[param]!;
    app.get(
      `/api/v1/${kind}s/:${param}/matches`,
      {
        config: { access: 'public' },
        schema: {
          tags: ['matching'],
          summary:
            kind === 'need'
              ? 'The offers, and the organisations, facilities and experts, that best answer a need, with reasons (only what the caller may see)'
              : 'The needs, and the organisations likely to adopt it (potential adopters), that best match an offer, with reasons (only what the caller may see)',
          params: Params,
          querystring: LimitQuery,
          response: { 200: kind === 'need' ? NeedOfferResults : NeedResults, 404: ErrorResponse, 409: ErrorResponse },
        },
      },
      async (request) => {
        const viewer = await offers.viewerOf(request.principal);
        const { results, organisations } = await matching.matchesFor(kind, idOf(request.params), viewer, request.lang, { limit: request.query.limit ?? 10, principal: request.principal });
        return { results: results.map(toApi), organisations: organisations.map(profileToApi) } as never;
      },
    );

    app.get(
      `${kind === 'offer' ? '/offerte' : '/fabbisogni'}/:${param}/abbinamenti`,
      { config: { access: 'public' }, schema: { hide: true, params: Params, querystring: Type.Object({ lang: Type.Optional(Type.String()) }) } },
      async (request, reply) => {
        const viewer = await offers.viewerOf(request.principal);
        const { item, results, organisations } = await matching.matchesFor(kind, idOf(request.params), viewer, request.lang, { limit: 20, principal: request.principal });
        const mine = (await administered(request.principal)).filter((o) => o.id !== item.organisation_id);
        return reply.page(ItemMatchesPage({ ctx: reply.pageContext(), kind, item: { id: item.id, title: itemTitle(item, request.lang) }, results, interestFrom: mine, profiles: organisations }));
      },
    );
  }

  app.get(
    '/abbinamenti',
    {
      config: { access: 'public' },
      schema: { hide: true, querystring: Type.Object({ testo: Type.Optional(Type.String({ maxLength: 100_000 })), lingua: Type.Optional(Type.String({ maxLength: 20 })), lang: Type.Optional(Type.String()) }) },
    },
    async (request, reply) => {
      const text = request.query.testo ?? '';
      const langField = request.query.lingua ?? '';
      const interestFrom = await administered(request.principal);
      if (request.query.testo === undefined) return reply.page(MatchPage({ ctx: reply.pageContext(), view: { text: '', lang: '', interestFrom } }));
      try {
        const viewer = await offers.viewerOf(request.principal);
        const { lang, results } = await matching.matchText({ text, lang: langField || undefined, limit: 10 }, viewer, request.lang);
        return reply.page(MatchPage({ ctx: reply.pageContext(), view: { text, lang: langField, results, detected: lang, interestFrom } }));
      } catch (error) {
        if (!(error instanceof AppError) || !error.code.startsWith('match.')) throw error;
        return reply
          .status(400)
          .page(MatchPage({ ctx: reply.pageContext(), view: { text: text.slice(0, 4000), lang: '', error: errorMessage(error.code, request.lang, error.params), interestFrom } }));
      }
    },
  );
};
