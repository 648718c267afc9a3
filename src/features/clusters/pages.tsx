import { formatDate } from '../../platform/dates.js';
import { pick, t, type Lang } from '../../platform/i18n.js';
import { Layout, type PageContext } from '../../platform/layout.js';
import type { ClusterDetailDto, ClusterSummaryDto } from './schemas.js';

function Localised({ lang, value }: { lang: Lang; value: { it: string; en: string | null } }) {
  const { text, fallback } = pick(lang, value.it, value.en);
  return fallback ? <span lang="it">{text}</span> : <>{text}</>;
}

export function StatusBadge({ lang, cluster }: { lang: Lang; cluster: ClusterSummaryDto }) {
  if (!cluster.status) return null;
  const tone = cluster.status === 'sospeso' || cluster.status === 'revocato' ? 'danger' : cluster.status === 'presa_d_atto' || cluster.status === 'costituito' ? 'warning' : 'success';
  return (
    <span class={`badge bg-${tone}`}>
      {t(lang, `step.${cluster.status}`)}
    </span>
  );
}

export function ClusterCards({ lang, clusters, headingLevel = 3 }: { lang: Lang; clusters: ClusterSummaryDto[]; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <ul class="row list-unstyled ch-card-grid" data-testid="cluster-list">
      {clusters.map((c) => {
        const name = lang === 'it' ? c.name.it : (c.name.en ?? c.name.it);
        return (
          <li class="col-12 col-md-6 col-lg-4 mb-4">
            <div class="card card-bg shadow-sm">
              <div class="card-body">
                <p class="text-secondary small mb-1 ch-cluster-number">
                  {t(lang, 'cluster.number', { number: c.number })} · <Localised lang={lang} value={c.area} />
                </p>
                <Heading class="card-title h5">
                  <a href={c.url} class="text-decoration-none">
                    {name}
                  </a>
                </Heading>
                {/* The managing body is often the cluster itself: say it once. */}
                {c.managingBody !== name ? (
                  <p class="card-text mb-2" lang={lang === 'it' ? undefined : 'it'}>
                    {c.managingBody}
                  </p>
                ) : null}
                <StatusBadge lang={lang} cluster={c} />
              </div>
            </div>
          </li>
        );
      })}
    </ul>
  );
}

export function ClusterIndexPage({ ctx, clusters }: { ctx: PageContext; clusters: ClusterSummaryDto[] }) {
  const { lang } = ctx;
  return (
    <Layout
      ctx={ctx}
      title={t(lang, 'home.clustersTitle')}
      section="clusters"
      breadcrumbs={[{ label: t(lang, 'nav.home'), href: '/' }, { label: t(lang, 'nav.clusters') }]}
    >
      <h1 class="mb-4">{t(lang, 'home.clustersTitle')}</h1>
      <p class="lead">{t(lang, 'home.clustersCount', { count: clusters.length })}</p>
      <ClusterCards lang={lang} clusters={clusters} headingLevel={2} />
    </Layout>
  );
}

function OrganisationList({ lang, items, testId }: { lang: Lang; items: ClusterDetailDto['organisations']; testId: string }) {
  if (items.length === 0) return <p class="text-secondary" data-testid={testId}>{t(lang, 'cluster.noOrganisations')}</p>;
  return (
    <ul class="list-unstyled" data-testid={testId}>
      {items.map((o) => (
        <li class="mb-2">
          <strong>
            <a href={`/organizzazioni/${o.id}`}>{o.name}</a>
          </strong>
          <span class="text-secondary">
            {' '}
            · {t(lang, `orgType.${o.type}`)}
            {o.city ? ` · ${o.city}${o.provinceCode ? ` (${o.provinceCode})` : ''}` : ''}
          </span>
          {o.website ? (
            <>
              {' · '}
              <a href={o.website} rel="noopener">
                {new URL(o.website).hostname.replace(/^www\./, '')}
              </a>
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

export function ClusterPage({ ctx, cluster }: { ctx: PageContext; cluster: ClusterDetailDto }) {
  const { lang } = ctx;
  const name = lang === 'it' ? cluster.name.it : (cluster.name.en ?? cluster.name.it);
  const coordinators = cluster.organisations.filter((o) => o.roles.includes('coordinator'));
  const founders = cluster.organisations.filter((o) => o.roles.includes('founder'));
  const partners = cluster.organisations.filter((o) => o.roles.includes('partner'));
  const description = pick(lang, cluster.description.it, cluster.description.en);
  const current = cluster.recognition.at(-1);
  return (
    <Layout
      ctx={ctx}
      title={name}
      description={description.text}
      section="clusters"
      breadcrumbs={[
        { label: t(lang, 'nav.home'), href: '/' },
        { label: t(lang, 'nav.clusters'), href: '/cluster' },
        { label: cluster.shortName },
      ]}
    >
      <p class="text-secondary mb-1">
        {t(lang, 'cluster.number', { number: cluster.number })} · <Localised lang={lang} value={cluster.area} />
      </p>
      <h1 class="mb-3">{name}</h1>
      <p class="mb-4">
        <StatusBadge lang={lang} cluster={cluster} />
        {cluster.statusSince ? (
          <span class="ms-2 text-secondary">{t(lang, 'cluster.statusSince', { date: formatDate(cluster.statusSince, lang) })}</span>
        ) : null}
      </p>
      <div class="row">
        <div class="col-12 col-lg-8">
          <p class="lead" lang={description.fallback ? 'it' : undefined}>
            {description.text}
          </p>

          <h2 class="h4 mt-5">{t(lang, 'cluster.recognition')}</h2>
          <ol class="ch-timeline mt-3" data-testid="recognition-timeline">
            {cluster.recognition.map((s) => (
              <li class={s === current ? 'ch-current' : undefined}>
                <p class="mb-1">
                  <strong>{t(lang, `step.${s.step}`)}</strong> — <time dateTime={s.date}>{formatDate(s.date, lang)}</time>
                </p>
                <p class="mb-1 small">
                  {t(lang, 'cluster.recognitionAct')}: <span lang={lang === 'it' ? undefined : 'it'}>{s.actReference}</span>
                </p>
                {s.note ? <p class="mb-0 small text-secondary"><Localised lang={lang} value={s.note} /></p> : null}
              </li>
            ))}
          </ol>

          <h2 class="h4 mt-5">{t(lang, 'cluster.coordinator')}</h2>
          <OrganisationList lang={lang} items={coordinators} testId="coordinators" />
          <h2 class="h4 mt-4">{t(lang, 'cluster.founders')}</h2>
          <OrganisationList lang={lang} items={founders} testId="founders" />
          <h2 class="h4 mt-4">{t(lang, 'cluster.partners')}</h2>
          <OrganisationList lang={lang} items={partners} testId="partners" />
        </div>
        <div class="col-12 col-lg-4">
          <div class="mb-4 d-grid gap-2">
            <a class="btn btn-primary" href={`/cluster/${cluster.slug}/aderisci`}>
              {t(lang, 'cluster.apply')}
            </a>
            <a class="btn btn-outline-primary" href={`/cluster/${cluster.slug}/membri`}>
              {t(lang, 'cluster.members')}
            </a>
            <a class="btn btn-outline-primary" href={`/cluster/${cluster.slug}/consiglio`}>
              {t(lang, 'cluster.board')}
            </a>
          </div>
          <div class="card card-bg shadow-sm ch-cluster-profile">
            <div class="card-body">
              <h2 class="h5">{t(lang, 'cluster.details')}</h2>
              <dl class="ch-dl mb-0">
                <dt>{t(lang, 'cluster.area')}</dt>
                <dd>
                  <Localised lang={lang} value={cluster.area} />
                </dd>
                <dt>{t(lang, 'cluster.managingBody')}</dt>
                <dd lang={lang === 'it' ? undefined : 'it'}>{cluster.managingBody}</dd>
                <dt>{t(lang, 'cluster.legalForm')}</dt>
                <dd>{t(lang, `legalForm.${cluster.legalForm}`)}</dd>
                <dt>{t(lang, 'cluster.territory')}</dt>
                <dd>
                  <Localised lang={lang} value={cluster.territory} />
                </dd>
                <dt>{t(lang, 'cluster.website')}</dt>
                <dd>
                  {cluster.website ? (
                    <a href={cluster.website} rel="noopener">
                      {new URL(cluster.website).hostname}
                    </a>
                  ) : (
                    t(lang, 'cluster.websiteNone')
                  )}
                </dd>
              </dl>
            </div>
          </div>
        </div>
      </div>
    </Layout>
  );
}
