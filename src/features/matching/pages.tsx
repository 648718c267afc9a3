import { TextArea, SelectField } from '../../platform/forms.js';
import { t, type Lang } from '../../platform/i18n.js';
import { Layout, type PageContext } from '../../platform/layout.js';
import { InterestForm } from '../offers/pages.js';
import type { ItemKind } from '../offers/repository.js';
import { mtm } from './messages.js';
import { MATCH_TEXT_MAX, type MatchResult, type ProfileResult, type Reason } from './service.js';

const PAGE_TEXT_MAX = 4000;

function ReasonList({ reasons, lang }: { reasons: Reason[]; lang: Lang }) {
  return (
    <ul class="ch-reasons mb-0" aria-label={mtm(lang, 'why')}>
      {reasons.map((r) => (
        <li data-reason={r.type}>{r.text}</li>
      ))}
    </ul>
  );
}

export function ResultList({
  ctx,
  results,
  interestFrom = [],
}: {
  ctx: PageContext;
  results: MatchResult[];
  /** The reader's organisations that may express interest from the results. */
  interestFrom?: { id: string; name: string }[];
}) {
  const { lang } = ctx;
  return (
    <ol class="list-unstyled ch-results" data-testid="match-results">
      {results.map((r, i) => (
        <li class="card card-bg shadow-sm mb-3">
          <div class="card-body">
            <div class="d-flex justify-content-between align-items-start gap-3">
              <h3 class="h5 card-title mb-1">
                <span class="visually-hidden">{i + 1}. </span>
                <a href={r.item.url}>{r.item.title}</a>
              </h3>
              <span class="badge bg-primary ch-score">
                {mtm(lang, 'score')} {Math.round(Math.min(r.score, 1) * 100)}%
              </span>
            </div>
            <p class="small text-secondary mb-2">
              {r.kind === 'offer' ? `${mtm(lang, 'offeredBy')} ` : ''}
              <a href={`/organizzazioni/${r.organisation.id}`}>{r.organisation.name}</a> · {t(lang, `orgType.${r.organisation.type as 'company'}`)}
              {r.organisation.provinceCode ? ` (${r.organisation.provinceCode})` : ''}
              {r.item.trl ? ` · TRL ${r.item.trl}` : ''}
            </p>
            <h4 class="h6 mb-1">{mtm(lang, 'why')}</h4>
            <ReasonList reasons={r.reasons} lang={lang} />
            {interestFrom.filter((o) => o.id !== r.organisation.id).length > 0 ? (
              <InterestForm ctx={ctx} kind={r.kind as ItemKind} itemId={r.item.id} title={r.item.title} from={interestFrom.filter((o) => o.id !== r.organisation.id)} compact />
            ) : null}
          </div>
        </li>
      ))}
    </ol>
  );
}

export interface MatchPageView {
  text: string;
  lang: string;
  /** Set once a query ran. */
  results?: MatchResult[];
  detected?: 'it' | 'en';
  error?: string | undefined;
  interestFrom: { id: string; name: string }[];
}

export function MatchPage({ ctx, view }: { ctx: PageContext; view: MatchPageView }) {
  const { lang } = ctx;
  const title = mtm(lang, 'pageTitle');
  return (
    <Layout ctx={ctx} title={title} section="matching" breadcrumbs={[{ label: t(lang, 'nav.home'), href: '/' }, { label: t(lang, 'nav.matching') }]}>
      <h1 class="mb-2">{title}</h1>
      <p class="lead">{mtm(lang, 'pageLead')}</p>
      <div class="row">
        <div class="col-12 col-lg-8">
          <form method="get" action="/abbinamenti" role="search" aria-label={mtm(lang, 'submit')}>
            {view.error ? (
              <div class="alert alert-danger" role="alert" id="error-summary" tabIndex={-1}>
                <a href="#f-testo">{mtm(lang, 'textLabel')}</a>: {view.error}
              </div>
            ) : null}
            <TextArea lang={lang} name="testo" label={mtm(lang, 'textLabel')} hint={mtm(lang, 'textHint', { max: PAGE_TEXT_MAX })} value={view.text} error={view.error} rows={5} maxLength={PAGE_TEXT_MAX} required />
            <SelectField
              lang={lang}
              name="lingua"
              label={mtm(lang, 'langLabel')}
              value={view.lang}
              options={[
                { value: '', label: mtm(lang, 'langAuto') },
                { value: 'it', label: mtm(lang, 'lang_it') },
                { value: 'en', label: mtm(lang, 'lang_en') },
              ]}
            />
            <button type="submit" class="btn btn-primary mb-4">
              {mtm(lang, 'submit')}
            </button>
          </form>
        </div>
      </div>
      {view.results ? (
        <section aria-labelledby="results-title">
          <h2 class="h3" id="results-title">
            {mtm(lang, 'resultsTitle')}
          </h2>
          <p role="status" data-testid="match-count">
            {view.results.length === 0 ? mtm(lang, 'noResults') : mtm(lang, 'resultsCount', { count: view.results.length })}
            {view.detected && !view.lang ? ` ${mtm(lang, 'detected', { lang: mtm(lang, `lang_${view.detected}`) })}` : ''}
          </p>
          {!ctx.user && view.results.length > 0 ? <p class="small">{mtm(lang, 'signInToAct')}</p> : null}
          <ResultList ctx={ctx} results={view.results} interestFrom={view.interestFrom} />
        </section>
      ) : null}
    </Layout>
  );
}

/** Organisations, facilities and experts matched by their declared competences, with the reasons. */
export function ProfileList({ ctx, profiles }: { ctx: PageContext; profiles: ProfileResult[] }) {
  const { lang } = ctx;
  return (
    <ol class="list-unstyled ch-results" data-testid="profile-matches">
      {profiles.map((p, i) => (
        <li class="card card-bg shadow-sm mb-3" data-kind={p.kind}>
          <div class="card-body">
            <div class="d-flex justify-content-between align-items-start gap-3">
              <h3 class="h5 card-title mb-1">
                <span class="visually-hidden">{i + 1}. </span>
                <a href={p.url}>{p.name}</a>
              </h3>
              <span class="badge bg-primary ch-score">
                {mtm(lang, 'score')} {Math.round(Math.min(p.score, 1) * 100)}%
              </span>
            </div>
            <p class="small text-secondary mb-2">
              {mtm(lang, `profile.${p.kind}`)}
              {p.kind !== 'organisation' ? (
                <>
                  {' '}
                  {mtm(lang, 'profile.of', { name: '' }).trim()} <a href={`/organizzazioni/${p.organisation.id}`}>{p.organisation.name}</a>
                </>
              ) : null}
              {p.organisation.type ? ` · ${t(lang, `orgType.${p.organisation.type as 'company'}`)}` : ''}
              {p.organisation.provinceCode ? ` (${p.organisation.provinceCode})` : ''}
            </p>
            {p.competences.length > 0 ? <p class="small mb-2">{mtm(lang, 'profile.competences', { list: p.competences.join(', ') })}</p> : null}
            <h4 class="h6 mb-1">{mtm(lang, 'why')}</h4>
            <ReasonList reasons={p.reasons} lang={lang} />
          </div>
        </li>
      ))}
    </ol>
  );
}

export function ItemMatchesPage({
  ctx,
  kind,
  item,
  results,
  interestFrom,
  profiles = [],
}: {
  ctx: PageContext;
  kind: ItemKind;
  item: { id: string; title: string };
  results: MatchResult[];
  interestFrom: { id: string; name: string }[];
  profiles?: ProfileResult[];
}) {
  const { lang } = ctx;
  const title = kind === 'need' ? mtm(lang, 'needMatchesTitle', { title: item.title }) : mtm(lang, 'offerMatchesTitle', { title: item.title });
  const base = kind === 'offer' ? '/offerte' : '/fabbisogni';
  return (
    <Layout
      ctx={ctx}
      title={title}
      section="matching"
      breadcrumbs={[{ label: t(lang, 'nav.home'), href: '/' }, { label: item.title, href: `${base}/${item.id}` }, { label: t(lang, 'nav.matching') }]}
    >
      <h1 class="mb-3">{title}</h1>
      <p role="status" data-testid="match-count">
        {results.length === 0 ? mtm(lang, 'noResults') : mtm(lang, kind === 'need' ? 'resultsCount' : 'resultsCountNeeds', { count: results.length })}
      </p>
      <ResultList ctx={ctx} results={results} interestFrom={interestFrom} />
      {profiles.length > 0 ? (
        <section aria-labelledby="profiles-title" class="mt-4">
          <h2 class="h4" id="profiles-title">
            {mtm(lang, kind === 'need' ? 'competencesTitle' : 'adoptersTitle')}
          </h2>
          <ProfileList ctx={ctx} profiles={profiles} />
        </section>
      ) : null}
    </Layout>
  );
}

export { MATCH_TEXT_MAX };
