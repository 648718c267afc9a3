import { formatDate, formatDateTime } from '../../platform/dates.js';
import { CheckboxField, ErrorSummary, PostForm, SelectField, TextArea, TextField, type Errors } from '../../platform/forms.js';
import { t, type Lang } from '../../platform/i18n.js';
import { HistoryTimeline } from '../../platform/history.js';
import { Layout, type PageContext } from '../../platform/layout.js';
import { AccountFields, accountLabels } from '../accounts/pages.js';
import { OrganisationFields, organisationLabels } from '../organisations/pages.js';
import { allowedActions, APPLICANT_ACTIONS, REASON_REQUIRED, type MembershipAction } from './lifecycle.js';
import { mm } from './messages.js';
import { cm } from '../competences/messages.js';

type Values = Record<string, string | undefined>;

export interface ClusterRef {
  slug: string;
  name: string;
}

function manageCrumbs(lang: Lang, cluster: ClusterRef, last: string, extra: { label: string; href: string }[] = []) {
  return [
    { label: t(lang, 'nav.home'), href: '/' },
    { label: mm(lang, 'manageTitle'), href: '/gestione' },
    { label: cluster.name, href: `/cluster/${cluster.slug}/gestione` },
    ...extra,
    { label: last },
  ];
}

export function applicationLabels(lang: Lang): Record<string, string> {
  const org = organisationLabels(lang);
  return {
    ...Object.fromEntries(Object.entries(org).map(([k, v]) => [`org.${k}`, v])),
    ...accountLabels(lang),
    motivation: mm(lang, 'motivation'),
    organisationId: mm(lang, 'existingOrganisation'),
  };
}

export function ApplicationPage({
  ctx,
  cluster,
  values = {},
  errors = {},
  ownOrganisations = [],
}: {
  ctx: PageContext;
  cluster: ClusterRef;
  values?: Values;
  errors?: Errors;
  ownOrganisations?: { id: string; name: string }[];
}) {
  const { lang } = ctx;
  const title = mm(lang, 'applyTitle', { cluster: cluster.name });
  return (
    <Layout
      ctx={ctx}
      title={title}
      section="clusters"
      breadcrumbs={[
        { label: t(lang, 'nav.home'), href: '/' },
        { label: t(lang, 'nav.clusters'), href: '/cluster' },
        { label: cluster.name, href: `/cluster/${cluster.slug}` },
        { label: mm(lang, 'applyCta') },
      ]}
    >
      <div class="row">
        <div class="col-12 col-lg-8">
          <h1 class="mb-3">{title}</h1>
          <p class="lead">{mm(lang, 'applyLead')}</p>
          <ErrorSummary lang={lang} errors={errors} labels={applicationLabels(lang)} />
          <PostForm ctx={ctx} action={`/cluster/${cluster.slug}/aderisci`} id="application-form">
            <fieldset class="mb-4 ch-fieldset">
              <legend class="h4">{mm(lang, 'sectionOrganisation')}</legend>
              {ownOrganisations.length > 0 ? (
                <SelectField
                  lang={lang}
                  name="organisationId"
                  label={mm(lang, 'existingOrganisation')}
                  value={values.organisationId ?? ''}
                  error={errors.organisationId}
                  options={[{ value: '', label: mm(lang, 'newOrganisation') }, ...ownOrganisations.map((o) => ({ value: o.id, label: o.name }))]}
                />
              ) : null}
              <OrganisationFields lang={lang} values={values} errors={errors} prefix="org." />
            </fieldset>
            {ctx.user ? null : (
              <fieldset class="mb-4 ch-fieldset">
                <legend class="h4">{mm(lang, 'sectionApplicant')}</legend>
                <AccountFields ctx={ctx} values={values} errors={errors} />
              </fieldset>
            )}
            <fieldset class="mb-4 ch-fieldset">
              <legend class="h4">{mm(lang, 'sectionMotivation')}</legend>
              <TextArea lang={lang} name="motivation" label={mm(lang, 'motivation')} value={values.motivation} error={errors.motivation} required rows={5} maxLength={4000} />
            </fieldset>
            <button type="submit" class="btn btn-primary">
              {mm(lang, 'submit')}
            </button>
          </PostForm>
        </div>
      </div>
    </Layout>
  );
}

export function ManageHomePage({ ctx, clusters }: { ctx: PageContext; clusters: ClusterRef[] }) {
  const { lang } = ctx;
  const region = ctx.user?.grants.some((g) => g.role === 'region_admin') ?? false;
  return (
    <Layout ctx={ctx} title={mm(lang, 'manageTitle')} section="manage" breadcrumbs={[{ label: t(lang, 'nav.home'), href: '/' }, { label: mm(lang, 'manageTitle') }]}>
      <h1 class="mb-3">{mm(lang, 'manageTitle')}</h1>
      {clusters.length === 0 ? <p>{mm(lang, 'manageNothing')}</p> : <p class="lead">{mm(lang, 'manageLead')}</p>}
      <ul>
        {clusters.map((c) => (
          <li>
            <a href={`/cluster/${c.slug}/gestione`}>{c.name}</a>
          </li>
        ))}
      </ul>
      {region ? (
        <>
          <h2 class="h4 mt-4">{mm(lang, 'regionTitle')}</h2>
          <ul>
            <li>
              <a href="/regione/registro">{mm(lang, 'auditLog')}</a>
            </li>
            <li>
              <a href="/regione/posta">{mm(lang, 'outbox')}</a>
            </li>
            <li>
              <a href="/gestione/concetti">{cm(lang, 'conceptsTitle')}</a>
            </li>
          </ul>
        </>
      ) : null}
    </Layout>
  );
}

export function ManageClusterPage({ ctx, cluster, pending }: { ctx: PageContext; cluster: ClusterRef; pending: number }) {
  const { lang } = ctx;
  const title = mm(lang, 'manageCluster', { cluster: cluster.name });
  const base = `/cluster/${cluster.slug}`;
  return (
    <Layout
      ctx={ctx}
      title={title}
      section="manage"
      breadcrumbs={[{ label: t(lang, 'nav.home'), href: '/' }, { label: mm(lang, 'manageTitle'), href: '/gestione' }, { label: cluster.name }]}
    >
      <h1 class="mb-4">{title}</h1>
      <ul class="list-unstyled">
        <li class="mb-2">
          <a href={`${base}/gestione/domande`}>{mm(lang, 'applications')}</a> <span class="badge bg-primary">{pending}</span>
        </li>
        <li class="mb-2">
          <a href={`${base}/membri`}>{mm(lang, 'members')}</a>
        </li>
        <li class="mb-2">
          <a href={`${base}/gestione/classi`}>{mm(lang, 'manageClasses')}</a>
        </li>
        <li class="mb-2">
          <a href={`${base}/gestione/collaborazioni`}>{lang === 'it' ? 'Collaborazioni nate dagli abbinamenti' : 'Collaborations born from matches'}</a>
        </li>
        <li class="mb-2">
          <a href={`${base}/gestione/tassonomia`}>{cm(lang, 'manageTaxonomy')}</a>
        </li>
        <li class="mb-2">
          <a href={`${base}/gestione/copertura`}>{cm(lang, 'coverage')}</a>
        </li>
        <li class="mb-2">
          <a href={`${base}/gestione/importa`}>{mm(lang, 'importMembers')}</a>
        </li>
        <li class="mb-2">
          {mm(lang, 'exportMembers')}: <a href={`${base}/gestione/soci.csv`}>CSV</a>, <a href={`${base}/gestione/soci.xlsx`}>XLSX</a>
        </li>
        <li class="mb-2">
          <a href={`${base}/gestione/registro`}>{mm(lang, 'auditLog')}</a>
        </li>
        <li class="mb-2">
          <a href={`${base}/consiglio/riunioni`}>{mm(lang, 'board')}</a>
        </li>
        <li class="mb-2">
          <a href={`${base}/gestione/consiglio`}>{mm(lang, 'boardComposition')}</a>
        </li>
      </ul>
    </Layout>
  );
}

export interface QueueItem {
  id: string;
  status: string;
  applied_at: Date;
  legal_name: string;
  type: string;
  city: string | null;
  province_code: string | null;
}

export function QueuePage({ ctx, cluster, items, unverified }: { ctx: PageContext; cluster: ClusterRef; items: QueueItem[]; unverified: number }) {
  const { lang } = ctx;
  const title = mm(lang, 'queueTitle', { cluster: cluster.name });
  return (
    <Layout ctx={ctx} title={title} section="manage" breadcrumbs={manageCrumbs(lang, cluster, mm(lang, 'applications'))}>
      <h1 class="mb-4">{title}</h1>
      {unverified > 0 ? <p class="text-secondary">{mm(lang, 'queueUnverified', { count: unverified })}</p> : null}
      {items.length === 0 ? (
        <p>{mm(lang, 'queueEmpty')}</p>
      ) : (
        <div class="table-responsive" tabindex={0}>
          <table class="table" data-testid="queue">
            <caption class="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{mm(lang, 'sectionOrganisation')}</th>
                <th scope="col">{mm(lang, 'appliedAt')}</th>
                <th scope="col">{mm(lang, 'status')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr>
                  <th scope="row">
                    <a href={`/cluster/${cluster.slug}/gestione/domande/${i.id}`}>{i.legal_name}</a>
                    <div class="small text-secondary">
                      {t(lang, `orgType.${i.type as 'company'}`)}
                      {i.city ? ` · ${i.city}${i.province_code ? ` (${i.province_code})` : ''}` : ''}
                    </div>
                  </th>
                  <td>{formatDateTime(i.applied_at, lang)}</td>
                  <td>{mm(lang, `status.${i.status as 'applied'}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

export interface ReviewView {
  id: string;
  status: string;
  organisationId: string;
  organisationName: string;
  motivation: string | null;
  applicant: { name: string | null; email: string | null };
  appliedAt: Date;
  verified: boolean;
  memberClass: string | null;
  events: { action: string; to_status: string; reason: string | null; at: Date; actor_name: string | null }[];
  classes: { id: string; code: string; name: string; voting: boolean }[];
}

export function ReviewPage({ ctx, cluster, view, errors = {}, values = {}, notice }: { ctx: PageContext; cluster: ClusterRef; view: ReviewView; errors?: Errors; values?: Values; notice?: string | undefined }) {
  const { lang } = ctx;
  const title = mm(lang, 'reviewTitle', { organisation: view.organisationName });
  const actions = allowedActions(view.status as 'applied').filter((a) => !APPLICANT_ACTIONS.has(a));
  const decidable = (a: MembershipAction) => view.verified || !['admit', 'reject'].includes(a);
  return (
    <Layout
      ctx={ctx}
      title={title}
      section="manage"
      breadcrumbs={manageCrumbs(lang, cluster, view.organisationName, [{ label: mm(lang, 'applications'), href: `/cluster/${cluster.slug}/gestione/domande` }])}
    >
      <h1 class="mb-3">{title}</h1>
      {notice ? (
        <div class="alert alert-success" role="status">
          {notice}
        </div>
      ) : null}
      <p>
        <span class="badge bg-primary" data-testid="membership-status">
          {mm(lang, `status.${view.status as 'applied'}`)}
        </span>
        {view.memberClass ? <span class="ms-2">{view.memberClass}</span> : null}
      </p>
      <div class="row">
        <div class="col-12 col-lg-7">
          <dl class="ch-dl">
            <dt>{mm(lang, 'sectionOrganisation')}</dt>
            <dd>
              <a href={`/organizzazioni/${view.organisationId}`}>{view.organisationName}</a>
            </dd>
            <dt>{mm(lang, 'applicant')}</dt>
            <dd>
              {view.applicant.name ?? '—'} {view.applicant.email ? `(${view.applicant.email})` : ''}
            </dd>
            <dt>{mm(lang, 'appliedAt')}</dt>
            <dd>{formatDateTime(view.appliedAt, lang)}</dd>
            <dt>{mm(lang, 'sectionMotivation')}</dt>
            <dd style="white-space: pre-line">{view.motivation ?? '—'}</dd>
          </dl>
          <h2 class="h4 mt-4">{mm(lang, 'history')}</h2>
          <HistoryTimeline
            lang={lang}
            entries={view.events.map((e) => ({ label: mm(lang, `status.${e.to_status as 'applied'}`), at: e.at, actor: e.actor_name, note: e.reason }))}
          />
        </div>
        <div class="col-12 col-lg-5">
          {actions.length > 0 ? (
            <section aria-labelledby="decide-title" class="card card-bg shadow-sm">
              <div class="card-body">
                <h2 class="h4" id="decide-title">
                  {mm(lang, 'decide')}
                </h2>
                <ErrorSummary lang={lang} errors={errors} labels={{ reason: mm(lang, 'reason'), memberClassId: mm(lang, 'memberClass') }} />
                <PostForm ctx={ctx} action={`/cluster/${cluster.slug}/gestione/domande/${view.id}`}>
                  {actions.includes('admit') ? (
                    view.classes.length === 0 ? (
                      <p class="small">
                        {mm(lang, 'noClasses')} <a href={`/cluster/${cluster.slug}/gestione/classi`}>{mm(lang, 'manageClasses')}</a>
                      </p>
                    ) : (
                      <SelectField
                        lang={lang}
                        name="memberClassId"
                        label={mm(lang, 'memberClass')}
                        value={values.memberClassId}
                        error={errors.memberClassId}
                        empty="—"
                        options={view.classes.map((c) => ({ value: c.id, label: c.name }))}
                      />
                    )
                  ) : null}
                  <TextArea lang={lang} name="reason" label={mm(lang, 'reason')} value={values.reason} error={errors.reason} hint={mm(lang, 'reasonHint')} rows={3} maxLength={4000} />
                  <div class="d-flex flex-wrap gap-2">
                    {actions.filter(decidable).map((a) => (
                      <button
                        type="submit"
                        name="action"
                        value={a}
                        class={`btn ${a === 'admit' ? 'btn-success' : a === 'reject' || a === 'end' ? 'btn-danger' : 'btn-outline-primary'}`}
                        data-reason-required={REASON_REQUIRED.has(a) ? 'true' : undefined}
                      >
                        {mm(lang, `action.${a}`)}
                      </button>
                    ))}
                  </div>
                </PostForm>
              </div>
            </section>
          ) : null}
        </div>
      </div>
    </Layout>
  );
}

export interface ClassView {
  code: string;
  name: string;
  voting: boolean;
  feeCents: number | null;
}

export function ClassesPage({ ctx, cluster, classes, values = {}, errors = {}, notice }: { ctx: PageContext; cluster: ClusterRef; classes: ClassView[]; values?: Values; errors?: Errors; notice?: string | undefined }) {
  const { lang } = ctx;
  const title = mm(lang, 'classesTitle', { cluster: cluster.name });
  const fee = (cents: number | null) =>
    cents === null ? mm(lang, 'feeNotSet') : new Intl.NumberFormat(lang === 'it' ? 'it-IT' : 'en-GB', { style: 'currency', currency: 'EUR' }).format(cents / 100);
  return (
    <Layout ctx={ctx} title={title} section="manage" breadcrumbs={manageCrumbs(lang, cluster, mm(lang, 'manageClasses'))}>
      <h1 class="mb-4">{title}</h1>
      {notice ? (
        <div class="alert alert-success" role="status">
          {notice}
        </div>
      ) : null}
      <div class="table-responsive" tabindex={0}>
        <table class="table" data-testid="classes">
          <caption class="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{mm(lang, 'classCode')}</th>
              <th scope="col">{mm(lang, 'className')}</th>
              <th scope="col">{mm(lang, 'classVoting')}</th>
              <th scope="col">{mm(lang, 'classFee')}</th>
            </tr>
          </thead>
          <tbody>
            {classes.map((c) => (
              <tr>
                <td>
                  <code>{c.code}</code>
                </td>
                <th scope="row">{c.name}</th>
                <td>{c.voting ? mm(lang, 'yes') : mm(lang, 'no')}</td>
                <td>{fee(c.feeCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2 class="h4 mt-4">{mm(lang, 'addClass')}</h2>
      <div class="col-12 col-lg-6">
        <ErrorSummary
          lang={lang}
          errors={errors}
          labels={{ code: mm(lang, 'classCode'), nameIt: mm(lang, 'className'), nameEn: mm(lang, 'classNameEn'), fee: mm(lang, 'classFee') }}
        />
        <PostForm ctx={ctx} action={`/cluster/${cluster.slug}/gestione/classi`}>
          <TextField lang={lang} name="code" label={mm(lang, 'classCode')} value={values.code} error={errors.code} required maxLength={40} />
          <TextField lang={lang} name="nameIt" label={mm(lang, 'className')} value={values.nameIt} error={errors.nameIt} required />
          <TextField lang={lang} name="nameEn" label={mm(lang, 'classNameEn')} value={values.nameEn} error={errors.nameEn} />
          <CheckboxField lang={lang} name="voting" label={mm(lang, 'classVoting')} checked={values.voting === 'yes'} />
          <TextField lang={lang} name="fee" label={mm(lang, 'classFee')} value={values.fee} error={errors.fee} hint={mm(lang, 'classFeeHint')} inputMode="decimal" />
          <button type="submit" class="btn btn-primary">
            {mm(lang, 'addClass')}
          </button>
        </PostForm>
      </div>
    </Layout>
  );
}

export { formatDate };
