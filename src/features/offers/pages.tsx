import { COLLABORATION_TYPES, IP_STATUSES, ITEM_VISIBILITIES, ORGANISATION_TYPES } from '../../db/schema.js';
import { formatDate } from '../../platform/dates.js';
import { CheckboxField, ErrorSummary, PostForm, SelectField, TextArea, TextField, type Errors } from '../../platform/forms.js';
import { t, type Lang } from '../../platform/i18n.js';
import { Layout, type PageContext } from '../../platform/layout.js';
import { ofm } from './messages.js';
import type { ItemKind } from './repository.js';
import type { NeedDto, OfferDto } from './schemas.js';
import { ITEM_ACTIONS, nextItemStatus } from './service.js';

type Values = Record<string, string | undefined>;

export const base = (kind: ItemKind) => (kind === 'offer' ? '/offerte' : '/fabbisogni');

export function pickText(text: { it: string | null; en: string | null }, lang: Lang): { text: string; lang: Lang } | null {
  const first = lang === 'en' ? text.en : text.it;
  if (first) return { text: first, lang };
  const other: Lang = lang === 'en' ? 'it' : 'en';
  const second = other === 'en' ? text.en : text.it;
  return second ? { text: second, lang: other } : null;
}

/** Text in the reader's language or the other one, marked with its language for screen readers. */
export function Localised({ text, lang, as = 'span', class: className }: { text: { it: string | null; en: string | null }; lang: Lang; as?: 'span' | 'p' | 'div'; class?: string }) {
  const picked = pickText(text, lang);
  if (!picked) return null;
  const Tag = as;
  return (
    <Tag class={className} lang={picked.lang !== lang ? picked.lang : undefined} style={as !== 'span' ? 'white-space: pre-line' : undefined}>
      {picked.text}
    </Tag>
  );
}

export function StatusBadges({ item, lang }: { item: OfferDto | NeedDto; lang: Lang }) {
  return (
    <span class="d-inline-flex gap-1 flex-wrap" data-testid="item-status">
      {item.status !== 'published' ? <span class="badge bg-secondary">{ofm(lang, `status.${item.status}`)}</span> : null}
      {item.status === 'published' && !item.active ? <span class="badge bg-danger">{ofm(lang, 'expired')}</span> : null}
      {item.visibility !== 'public' ? <span class="badge bg-primary">{ofm(lang, `visibility.${item.visibility}`)}</span> : null}
    </span>
  );
}

export interface ListView {
  kind: ItemKind;
  items: (OfferDto | NeedDto)[];
  total: number;
  q: string;
  /** This page (from 1) and the number of pages. */
  page: number;
  pages: number;
  /** Organisations the reader administers: a "new" link for each. */
  ownOrganisations: { id: string; name: string }[];
}

export function ItemListPage({ ctx, view }: { ctx: PageContext; view: ListView }) {
  const { lang } = ctx;
  const title = view.kind === 'offer' ? ofm(lang, 'offersTitle') : ofm(lang, 'needsTitle');
  return (
    <Layout ctx={ctx} title={title} section="matching" breadcrumbs={[{ label: t(lang, 'nav.home'), href: '/' }, { label: title }]}>
      <h1 class="mb-2">{title}</h1>
      <p class="lead">{view.kind === 'offer' ? ofm(lang, 'offersLead') : ofm(lang, 'needsLead')}</p>
      {view.ownOrganisations.length > 0 ? (
        <ul class="list-inline">
          {view.ownOrganisations.map((o) => (
            <li class="list-inline-item mb-2">
              <a class="btn btn-outline-primary btn-sm" href={`/organizzazioni/${o.id}/${view.kind === 'offer' ? 'offerte' : 'fabbisogni'}/nuovo`}>
                {view.kind === 'offer' ? ofm(lang, 'newOffer') : ofm(lang, 'newNeed')} – {o.name}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      <form method="get" action={base(view.kind)} class="row g-2 align-items-end mb-4" role="search">
        <div class="col-12 col-md-8">
          <TextField lang={lang} name="q" type="search" label={ofm(lang, 'search')} value={view.q} />
        </div>
        <div class="col-12 col-md-4 mb-4">
          <button type="submit" class="btn btn-primary">
            {ofm(lang, 'searchButton')}
          </button>
        </div>
      </form>
      <p role="status">{view.total === 1 ? ofm(lang, 'resultsOne') : ofm(lang, 'results', { count: view.total })}</p>
      {view.items.length === 0 ? (
        <p>{ofm(lang, 'none')}</p>
      ) : (
        <ul class="list-unstyled" data-testid="item-list">
          {view.items.map((item) => (
            <li class="card card-bg shadow-sm mb-3">
              <div class="card-body">
                <h2 class="h5 card-title mb-1">
                  <a href={item.url}>
                    <Localised text={item.title} lang={lang} />
                  </a>
                </h2>
                <p class="small text-secondary mb-1">
                  {item.organisation.name}
                  {'trl' in item && item.trl ? ` · TRL ${item.trl}` : ''} <StatusBadges item={item} lang={lang} />
                </p>
                {'summary' in item ? <Localised text={item.summary} lang={lang} as="p" class="mb-0 small ch-clamp" /> : <Localised text={item.description} lang={lang} as="p" class="mb-0 small ch-clamp" />}
              </div>
            </li>
          ))}
        </ul>
      )}
      {view.pages > 1 ? (
        <nav aria-label={ofm(lang, 'pagination')} class="d-flex flex-wrap gap-3 align-items-center mt-3" data-testid="item-pages">
          {view.page > 1 ? (
            <a href={listUrl(view.kind, view.q, view.page - 1)} rel="prev">
              {ofm(lang, 'previousPage')}
            </a>
          ) : null}
          <span aria-current="page">{ofm(lang, 'pageOf', { page: view.page, pages: view.pages })}</span>
          {view.page < view.pages ? (
            <a href={listUrl(view.kind, view.q, view.page + 1)} rel="next">
              {ofm(lang, 'nextPage')}
            </a>
          ) : null}
        </nav>
      ) : null}
    </Layout>
  );
}

/** A page of the public list, keeping the search words. */
function listUrl(kind: ItemKind, q: string, page: number): string {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `${base(kind)}?${query}` : base(kind);
}

export interface ItemView {
  kind: ItemKind;
  item: OfferDto | NeedDto;
  editable: boolean;
  /** Spin-off of… (imported offers). */
  related: { id: string; name: string }[];
  notice?: string | undefined;
  /** A problem with the last form sent from this page (e.g. an empty message of interest). */
  problem?: string | undefined;
  /** The reader's organisations that may express interest (administered, not the owner). */
  interestFrom: { id: string; name: string }[];
  interestErrors?: Errors;
  interestValues?: Values;
}

function list(values: string[]): string {
  return values.join(', ');
}

export function ItemPage({ ctx, view }: { ctx: PageContext; view: ItemView }) {
  const { lang } = ctx;
  const { item, kind } = view;
  const heading = pickText(item.title, lang)?.text ?? '';
  const listTitle = kind === 'offer' ? ofm(lang, 'offersTitle') : ofm(lang, 'needsTitle');
  const offer = kind === 'offer' ? (item as OfferDto) : null;
  const need = kind === 'need' ? (item as NeedDto) : null;
  const money = (cents: number | null) =>
    cents === null ? null : new Intl.NumberFormat(lang === 'it' ? 'it-IT' : 'en-GB', { style: 'currency', currency: need?.budget.currency ?? 'EUR', maximumFractionDigits: 0 }).format(cents / 100);
  const actions = ITEM_ACTIONS.filter((a) => nextItemStatus(item.status, a));
  return (
    <Layout ctx={ctx} title={heading} section="matching" breadcrumbs={[{ label: t(lang, 'nav.home'), href: '/' }, { label: listTitle, href: base(kind) }, { label: heading }]}>
      <p class="text-secondary mb-1">{kind === 'offer' ? ofm(lang, 'offer') : ofm(lang, 'need')}</p>
      <h1 class="mb-2">
        <Localised text={item.title} lang={lang} />
      </h1>
      <p class="mb-3">
        <a href={`/organizzazioni/${item.organisation.id}`}>{item.organisation.name}</a> <StatusBadges item={item} lang={lang} />
      </p>
      {view.notice ? (
        <div class="alert alert-success" role="status">
          {view.notice}
        </div>
      ) : null}
      {view.problem ? (
        <div class="alert alert-danger" role="alert">
          {view.problem}
        </div>
      ) : null}
      <div class="row">
        <div class="col-12 col-lg-8">
          {offer ? <Localised text={offer.summary} lang={lang} as="p" class="lead" /> : null}
          <Localised text={item.description} lang={lang} as="div" class="mb-4" />
          <dl class="ch-dl">
            {offer?.trl ? (
              <>
                <dt>{ofm(lang, 'trl')}</dt>
                <dd>TRL {offer.trl}</dd>
              </>
            ) : null}
            {need && (need.trlMin || need.trlMax) ? (
              <>
                <dt>{ofm(lang, 'trlWindow')}</dt>
                <dd>
                  {need.trlMin ?? 1}–{need.trlMax ?? 9}
                </dd>
              </>
            ) : null}
            {need && (need.budget.minCents !== null || need.budget.maxCents !== null) ? (
              <>
                <dt>{ofm(lang, 'budget')}</dt>
                <dd>{[money(need.budget.minCents) && ofm(lang, 'from', { value: money(need.budget.minCents)! }), money(need.budget.maxCents) && ofm(lang, 'to', { value: money(need.budget.maxCents)! })].filter(Boolean).join(' ')}</dd>
              </>
            ) : null}
            {need?.deadline ? (
              <>
                <dt>{ofm(lang, 'deadline')}</dt>
                <dd>{formatDate(need.deadline, lang)}</dd>
              </>
            ) : null}
            {need && need.partnerTypes.length > 0 ? (
              <>
                <dt>{ofm(lang, 'partnerTypes')}</dt>
                <dd>{need.partnerTypes.map((p) => t(lang, `orgType.${p as 'company'}`)).join(', ')}</dd>
              </>
            ) : null}
            {offer?.ipStatus ? (
              <>
                <dt>{ofm(lang, 'ipStatus')}</dt>
                <dd>
                  {ofm(lang, `ip.${offer.ipStatus}`)}
                  {offer.patentNumber ? ` ${offer.patentNumber}` : ''}
                </dd>
              </>
            ) : null}
            {offer && offer.collaborationTypes.length > 0 ? (
              <>
                <dt>{ofm(lang, 'collaborationTypes')}</dt>
                <dd>{offer.collaborationTypes.map((c) => ofm(lang, `collab.${c as 'licence'}`)).join(', ')}</dd>
              </>
            ) : null}
            {offer && offer.categories.length > 0 ? (
              <>
                <dt>{ofm(lang, 'categories')}</dt>
                <dd lang="en">{list(offer.categories)}</dd>
              </>
            ) : null}
            {offer && offer.tags.length > 0 ? (
              <>
                <dt>{ofm(lang, 'tags')}</dt>
                <dd lang="en">{list(offer.tags)}</dd>
              </>
            ) : null}
            {offer && offer.lookingFor.length > 0 ? (
              <>
                <dt>{ofm(lang, 'lookingFor')}</dt>
                <dd lang="en">{list(offer.lookingFor)}</dd>
              </>
            ) : null}
            {item.taxonomyCodes.length > 0 ? (
              <>
                <dt>{ofm(lang, 'taxonomyCodes')}</dt>
                <dd>{list(item.taxonomyCodes)}</dd>
              </>
            ) : null}
            {view.related.length > 0 ? (
              <>
                <dt>{lang === 'it' ? 'Spin-off di' : 'Spin-off of'}</dt>
                <dd>
                  {view.related.map((r, i) => (
                    <>
                      {i > 0 ? ', ' : ''}
                      <a href={`/organizzazioni/${r.id}`}>{r.name}</a>
                    </>
                  ))}
                </dd>
              </>
            ) : null}
            {item.expiresOn ? (
              <>
                <dt>{ofm(lang, 'expiresOn')}</dt>
                <dd>{formatDate(item.expiresOn, lang)}</dd>
              </>
            ) : null}
            {item.externalRef ? (
              <>
                <dt>{ofm(lang, 'source')}</dt>
                <dd>
                  <code>{item.externalRef}</code>
                </dd>
              </>
            ) : null}
          </dl>
        </div>
        <div class="col-12 col-lg-4">
          {item.active ? (
            <p>
              <a class="btn btn-primary" href={`${base(kind)}/${item.id}/abbinamenti`}>
                {ofm(lang, 'seeMatches')}
              </a>
            </p>
          ) : null}
          {view.editable ? (
            <section class="card card-bg shadow-sm mb-4" aria-labelledby="manage-title">
              <div class="card-body">
                <h2 class="h5" id="manage-title">
                  {ofm(lang, 'manage')}
                </h2>
                <p>
                  <a href={`${base(kind)}/${item.id}/modifica`}>{kind === 'offer' ? ofm(lang, 'editOffer') : ofm(lang, 'editNeed')}</a>
                </p>
                <PostForm ctx={ctx} action={`${base(kind)}/${item.id}/stato`}>
                  <div class="d-flex flex-wrap gap-2">
                    {actions.map((a) => (
                      <button type="submit" name="action" value={a} class={`btn btn-sm ${a === 'publish' || a === 'renew' ? 'btn-success' : 'btn-outline-primary'}`}>
                        {ofm(lang, `action.${a}`)}
                      </button>
                    ))}
                  </div>
                </PostForm>
              </div>
            </section>
          ) : null}
          {view.interestFrom.length > 0 && item.active ? <InterestForm ctx={ctx} kind={kind} itemId={item.id} title={heading} from={view.interestFrom} errors={view.interestErrors} values={view.interestValues} /> : null}
        </div>
      </div>
    </Layout>
  );
}

/** "Express interest": the reader's organisation writes to the owner. Shared with the match pages. */
export function InterestForm({
  ctx,
  kind,
  itemId,
  title,
  from,
  errors = {},
  values = {},
  compact = false,
}: {
  ctx: PageContext;
  kind: ItemKind;
  itemId: string;
  title: string;
  from: { id: string; name: string }[];
  errors?: Errors | undefined;
  values?: Values | undefined;
  compact?: boolean;
}) {
  const { lang } = ctx;
  const m = (key: 'expressInterest' | 'expressInterestFor' | 'interestMessage' | 'interestHint' | 'asOrganisation' | 'send') =>
    ({
      it: { expressInterest: 'Manifesta interesse', expressInterestFor: `Manifesta interesse per «${title}»`, interestMessage: 'Messaggio all’altra organizzazione', interestHint: 'Presentatevi e spiegate che cosa vi interessa: il messaggio arriva agli amministratori dell’altra organizzazione.', asOrganisation: 'Per conto di', send: 'Invia' },
      en: { expressInterest: 'Express interest', expressInterestFor: `Express interest in “${title}”`, interestMessage: 'Message to the other organisation', interestHint: 'Introduce yourselves and say what interests you: the message goes to the other organisation’s administrators.', asOrganisation: 'On behalf of', send: 'Send' },
    })[lang][key];
  const suffix = compact ? `-${itemId}` : '';
  const form = (
    <PostForm ctx={ctx} action="/interessi" class="ch-interest-form">
      <input type="hidden" name={kind === 'offer' ? 'offerId' : 'needId'} value={itemId} />
      {from.length > 1 ? (
        <SelectField lang={lang} name={`organisationId${suffix}`} label={m('asOrganisation')} value={values.organisationId} options={from.map((o) => ({ value: o.id, label: o.name }))} />
      ) : (
        <input type="hidden" name={`organisationId${suffix}`} value={from[0]!.id} />
      )}
      <TextArea lang={lang} name={`message${suffix}`} label={m('interestMessage')} hint={m('interestHint')} value={values.message} error={errors.message} required rows={4} maxLength={4000} />
      <button type="submit" class="btn btn-primary">
        {m('send')}
      </button>
    </PostForm>
  );
  if (compact) {
    return (
      <details class="mt-2">
        <summary class="btn btn-outline-primary btn-sm">{m('expressInterest')}</summary>
        <div class="mt-3">{form}</div>
      </details>
    );
  }
  return (
    <section class="card card-bg shadow-sm" aria-labelledby="interest-title">
      <div class="card-body">
        <h2 class="h5" id="interest-title">
          {m('expressInterestFor')}
        </h2>
        <ErrorSummary lang={lang} errors={errors} labels={{ message: m('interestMessage') }} />
        {form}
      </div>
    </section>
  );
}

export function itemLabels(kind: ItemKind, lang: Lang): Record<string, string> {
  const keys = ['titleIt', 'titleEn', 'descriptionIt', 'descriptionEn', 'taxonomyCodes', 'visibility', 'clusters', 'expiresOn'] as const;
  const extra = kind === 'offer' ? (['summaryIt', 'summaryEn', 'trl', 'ipStatus', 'patentNumber', 'categories', 'tags', 'lookingFor'] as const) : (['trlMin', 'trlMax', 'budgetMin', 'budgetMax', 'deadline', 'partnerTypes'] as const);
  return Object.fromEntries([...keys, ...extra].map((k) => [k, ofm(lang, k)]));
}

export function ItemFormPage({ ctx, kind, action, organisation, values, errors = {}, editing }: { ctx: PageContext; kind: ItemKind; action: string; organisation: { id: string; name: string }; values: Values; errors?: Errors; editing: boolean }) {
  const { lang } = ctx;
  const title = editing ? (kind === 'offer' ? ofm(lang, 'editOffer') : ofm(lang, 'editNeed')) : kind === 'offer' ? ofm(lang, 'newOffer') : ofm(lang, 'newNeed');
  const listTitle = kind === 'offer' ? ofm(lang, 'offersTitle') : ofm(lang, 'needsTitle');
  const f = (name: string, props: { hint?: string; type?: 'text' | 'date' | 'number'; inputMode?: string; maxLength?: number } = {}) => (
    <TextField lang={lang} name={name} label={ofm(lang, name as 'trl')} value={values[name]} error={errors[name]} hint={props.hint} type={props.type} inputMode={props.inputMode} maxLength={props.maxLength} />
  );
  return (
    <Layout ctx={ctx} title={title} section="matching" breadcrumbs={[{ label: t(lang, 'nav.home'), href: '/' }, { label: listTitle, href: base(kind) }, { label: title }]}>
      <h1 class="mb-1">{title}</h1>
      <p class="lead">{organisation.name}</p>
      <div class="row">
        <div class="col-12 col-lg-8">
          <ErrorSummary lang={lang} errors={errors} labels={itemLabels(kind, lang)} />
          <PostForm ctx={ctx} action={action} id="item-form">
            <fieldset class="ch-fieldset mb-4">
              <legend>{kind === 'offer' ? ofm(lang, 'offer') : ofm(lang, 'need')}</legend>
              {f('titleIt', { maxLength: 200 })}
              {f('titleEn', { maxLength: 200 })}
              {kind === 'offer' ? (
                <>
                  <TextArea lang={lang} name="summaryIt" label={ofm(lang, 'summaryIt')} value={values.summaryIt} error={errors.summaryIt} rows={2} maxLength={1000} />
                  <TextArea lang={lang} name="summaryEn" label={ofm(lang, 'summaryEn')} value={values.summaryEn} error={errors.summaryEn} rows={2} maxLength={1000} />
                </>
              ) : null}
              <TextArea lang={lang} name="descriptionIt" label={ofm(lang, 'descriptionIt')} value={values.descriptionIt} error={errors.descriptionIt} hint={ofm(lang, 'descriptionHint')} rows={6} maxLength={10000} />
              <TextArea lang={lang} name="descriptionEn" label={ofm(lang, 'descriptionEn')} value={values.descriptionEn} error={errors.descriptionEn} rows={6} maxLength={10000} />
              {f('taxonomyCodes', { hint: ofm(lang, 'taxonomyHint') })}
            </fieldset>
            <fieldset class="ch-fieldset mb-4">
              <legend>{ofm(lang, 'trl')}</legend>
              {kind === 'offer' ? (
                <>
                  {f('trl', { hint: ofm(lang, 'trlHint'), inputMode: 'numeric', maxLength: 2 })}
                  <SelectField lang={lang} name="ipStatus" label={ofm(lang, 'ipStatus')} value={values.ipStatus} error={errors.ipStatus} empty="—" options={IP_STATUSES.map((s) => ({ value: s, label: ofm(lang, `ip.${s}`) }))} />
                  {f('patentNumber', { maxLength: 60 })}
                  <fieldset class="mb-4">
                    <legend class="h6">{ofm(lang, 'collaborationTypes')}</legend>
                    {COLLABORATION_TYPES.map((c) => (
                      <CheckboxField lang={lang} name={`collab_${c}`} label={ofm(lang, `collab.${c}`)} checked={values[`collab_${c}`] === 'yes'} />
                    ))}
                  </fieldset>
                  {f('categories', { hint: ofm(lang, 'listHint') })}
                  {f('tags', { hint: ofm(lang, 'listHint') })}
                  {f('lookingFor', { hint: ofm(lang, 'listHint') })}
                </>
              ) : (
                <>
                  {f('trlMin', { hint: ofm(lang, 'trlHint'), inputMode: 'numeric', maxLength: 2 })}
                  {f('trlMax', { inputMode: 'numeric', maxLength: 2 })}
                  {f('budgetMin', { inputMode: 'decimal' })}
                  {f('budgetMax', { inputMode: 'decimal' })}
                  {f('deadline', { type: 'date' })}
                  <fieldset class="mb-4">
                    <legend class="h6">{ofm(lang, 'partnerTypes')}</legend>
                    {ORGANISATION_TYPES.map((p) => (
                      <CheckboxField lang={lang} name={`partner_${p}`} label={t(lang, `orgType.${p}`)} checked={values[`partner_${p}`] === 'yes'} />
                    ))}
                  </fieldset>
                </>
              )}
            </fieldset>
            <fieldset class="ch-fieldset mb-4">
              <legend>{ofm(lang, 'visibility')}</legend>
              <SelectField lang={lang} name="visibility" label={ofm(lang, 'visibility')} value={values.visibility ?? 'public'} error={errors.visibility} options={ITEM_VISIBILITIES.map((v) => ({ value: v, label: ofm(lang, `visibility.${v}`) }))} />
              {f('clusters', { hint: ofm(lang, 'clustersHint') })}
              {f('expiresOn', { type: 'date', hint: ofm(lang, 'expiresHint') })}
            </fieldset>
            <button type="submit" class="btn btn-primary">
              {editing ? ofm(lang, 'saveChanges') : ofm(lang, 'save')}
            </button>
          </PostForm>
        </div>
      </div>
    </Layout>
  );
}

/** The offers and needs of an organisation, on its profile page (and, for its people, the contacts page). */
export function OrganisationTradeSection({ lang, orgId, items, member }: { lang: Lang; orgId: string; items: { kind: ItemKind; id: string; title: string; active: boolean }[]; member: boolean }) {
  if (items.length === 0 && !member) return null;
  const offers = items.filter((i) => i.kind === 'offer');
  const needs = items.filter((i) => i.kind === 'need');
  const list = (rows: typeof items) => (
    <ul>
      {rows.map((i) => (
        <li>
          <a href={`${base(i.kind)}/${i.id}`}>{i.title}</a>
          {i.active ? '' : ` (${ofm(lang, 'status.draft').toLowerCase()} / ${ofm(lang, 'expired').toLowerCase()})`}
        </li>
      ))}
    </ul>
  );
  return (
    <section class="mt-4" aria-labelledby="trade-title" data-testid="organisation-trade">
      <h2 class="h4" id="trade-title">
        {ofm(lang, 'offersTitle')} · {ofm(lang, 'needsTitle')}
      </h2>
      {offers.length > 0 ? list(offers) : null}
      {needs.length > 0 ? list(needs) : null}
      {member ? (
        <p>
          <a href={`/organizzazioni/${orgId}/contatti`}>{lang === 'it' ? 'Contatti, manifestazioni di interesse e collaborazioni' : 'Contacts, expressions of interest and collaborations'}</a>
          {' · '}
          <a href={`/organizzazioni/${orgId}/offerte/nuovo`}>{ofm(lang, 'newOffer')}</a>
          {' · '}
          <a href={`/organizzazioni/${orgId}/fabbisogni/nuovo`}>{ofm(lang, 'newNeed')}</a>
        </p>
      ) : null}
    </section>
  );
}
