import type { ComponentChildren } from 'preact';
import { ORGANISATION_TYPES, SIZE_CLASSES } from '../../db/schema.js';
import { ErrorSummary, PostForm, SelectField, TextArea, TextField, type Errors } from '../../platform/forms.js';
import { pick, t, type Lang } from '../../platform/i18n.js';
import { LOMBARDY_PROVINCES } from '../../platform/identifiers/index.js';
import { Layout, type PageContext } from '../../platform/layout.js';
import { om, sizeKey } from './messages.js';
import type { OrganisationPermissions } from './policy.js';
import type { OrganisationPrivateDto, OrganisationPublicDto } from './schemas.js';

export interface DirectoryView {
  items: OrganisationPublicDto[];
  total: number;
  page: number;
  pageSize: number;
  filters: { cluster?: string | undefined; type?: string | undefined; province?: string | undefined; size?: string | undefined; q?: string | undefined; sort?: string | undefined };
  clusters: { slug: string; name: string }[];
  /** Set for a cluster's own member list. */
  cluster?: { slug: string; name: string } | undefined;
  canExport?: boolean;
  canonical?: string | undefined;
}

export function Location({ lang, o }: { lang: Lang; o: Pick<OrganisationPublicDto, 'city' | 'provinceCode' | 'countryCode'> }) {
  if (o.countryCode !== 'IT') return <>{[o.city, om(lang, 'abroad', { country: o.countryCode })].filter(Boolean).join(' · ')}</>;
  if (!o.city) return null;
  const lombard = LOMBARDY_PROVINCES.some((p) => p.sigla === o.provinceCode);
  return (
    <>
      {o.city}
      {o.provinceCode ? ` (${o.provinceCode})` : ''}
      {o.provinceCode && !lombard ? ` · ${om(lang, 'outsideLombardy')}` : ''}
    </>
  );
}

function directoryHref(base: string, filters: DirectoryView['filters'], page: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  if (page > 1) params.set('page', String(page));
  const qs = params.toString();
  return qs ? `${base}?${qs}` : base;
}

export function DirectoryPage({ ctx, view }: { ctx: PageContext; view: DirectoryView }) {
  const { lang } = ctx;
  const base = view.cluster ? `/cluster/${view.cluster.slug}/membri` : '/organizzazioni';
  const title = view.cluster ? om(lang, 'directoryClusterTitle', { cluster: view.cluster.name }) : om(lang, 'directoryTitle');
  const pages = Math.max(1, Math.ceil(view.total / view.pageSize));
  const crumbs = view.cluster
    ? [
        { label: t(lang, 'nav.home'), href: '/' },
        { label: t(lang, 'nav.clusters'), href: '/cluster' },
        { label: view.cluster.name, href: `/cluster/${view.cluster.slug}` },
        { label: title },
      ]
    : [{ label: t(lang, 'nav.home'), href: '/' }, { label: title }];
  return (
    <Layout ctx={ctx} title={title} description={om(lang, 'directoryLead')} section="organisations" breadcrumbs={crumbs} canonical={view.canonical}>
      <h1 class="mb-2">{title}</h1>
      <p class="lead">{om(lang, 'directoryLead')}</p>
      <div class="row">
        <div class="col-12 col-lg-3">
          <form method="get" action={base} class="mb-4" aria-labelledby="filters-title">
            <h2 class="h5" id="filters-title">
              {om(lang, 'filters')}
            </h2>
            <TextField lang={lang} name="q" type="search" label={om(lang, 'filterQ')} value={view.filters.q} />
            {view.cluster ? null : (
              <SelectField
                lang={lang}
                name="cluster"
                label={om(lang, 'filterCluster')}
                value={view.filters.cluster}
                empty={om(lang, 'any')}
                options={view.clusters.map((c) => ({ value: c.slug, label: c.name }))}
              />
            )}
            <SelectField
              lang={lang}
              name="type"
              label={om(lang, 'filterType')}
              value={view.filters.type}
              empty={om(lang, 'any')}
              options={ORGANISATION_TYPES.map((type) => ({ value: type, label: t(lang, `orgType.${type}`) }))}
            />
            <SelectField
              lang={lang}
              name="province"
              label={om(lang, 'filterProvince')}
              value={view.filters.province}
              empty={om(lang, 'any')}
              options={LOMBARDY_PROVINCES.map((p) => ({ value: p.sigla, label: `${p.name} (${p.sigla})` }))}
            />
            <SelectField
              lang={lang}
              name="size"
              label={om(lang, 'filterSize')}
              value={view.filters.size}
              empty={om(lang, 'any')}
              options={SIZE_CLASSES.map((s) => ({ value: s, label: om(lang, sizeKey(s)) }))}
            />
            <SelectField
              lang={lang}
              name="sort"
              label={om(lang, 'sort')}
              value={view.filters.sort ?? 'name'}
              options={[
                { value: 'name', label: om(lang, 'sortName') },
                { value: 'newest', label: om(lang, 'sortNewest') },
              ]}
            />
            <button type="submit" class="btn btn-primary me-2">
              {om(lang, 'apply')}
            </button>
            <a href={base} class="btn btn-outline-secondary">
              {om(lang, 'reset')}
            </a>
          </form>
        </div>
        <div class="col-12 col-lg-9">
          <p role="status" data-testid="result-count">
            {view.total === 1 ? om(lang, 'resultsOne') : om(lang, 'results', { count: view.total })}
            {view.canExport && view.cluster ? (
              <>
                {' · '}
                {om(lang, 'export')}: <a href={`/cluster/${view.cluster.slug}/gestione/soci.csv`}>CSV</a>,{' '}
                <a href={`/cluster/${view.cluster.slug}/gestione/soci.xlsx`}>XLSX</a>
              </>
            ) : null}
          </p>
          {view.items.length === 0 ? (
            <div class="callout note">
              <p class="mb-0">{om(lang, 'noResults')}</p>
            </div>
          ) : (
            <ul class="list-unstyled" data-testid="directory">
              {view.items.map((o) => (
                <li class="card card-bg shadow-sm mb-3">
                  <div class="card-body">
                    <h2 class="h5 card-title mb-1">
                      <a href={o.url}>{o.name}</a>
                    </h2>
                    <p class="mb-1 text-secondary small">
                      {t(lang, `orgType.${o.type}`)}
                      {o.sizeClass ? ` · ${om(lang, sizeKey(o.sizeClass))}` : ''}
                      {o.city ? ' · ' : ''}
                      <Location lang={lang} o={o} />
                    </p>
                    {o.clusters.length > 0 ? (
                      <p class="mb-0 small">
                        {om(lang, 'memberOf')}: {o.clusters.map((c) => c.name).join(', ')}
                      </p>
                    ) : null}
                  </div>
                </li>
              ))}
            </ul>
          )}
          {pages > 1 ? (
            <nav class="pagination-wrapper" aria-label={om(lang, 'pagination')}>
              <p class="small">{om(lang, 'page', { page: view.page, pages })}</p>
              <ul class="pagination">
                {view.page > 1 ? (
                  <li class="page-item">
                    <a class="page-link" href={directoryHref(base, view.filters, view.page - 1)} rel="prev">
                      {om(lang, 'prev')}
                    </a>
                  </li>
                ) : null}
                {view.page < pages ? (
                  <li class="page-item">
                    <a class="page-link" href={directoryHref(base, view.filters, view.page + 1)} rel="next">
                      {om(lang, 'next')}
                    </a>
                  </li>
                ) : null}
              </ul>
            </nav>
          ) : null}
        </div>
      </div>
    </Layout>
  );
}

export interface OrganisationPageView {
  org: OrganisationPublicDto | OrganisationPrivateDto;
  permissions: OrganisationPermissions;
  registryRoles: { slug: string; short_name: string; role: string }[];
  people: { display_name: string; email: string | null; role: string }[];
  notice?: string | undefined;
  errors?: Errors;
  inviteValues?: { email?: string; role?: string };
  /** Sections added by other features (competences and facilities). */
  extra?: ComponentChildren;
}

function euro(cents: number | null, lang: Lang): string | null {
  if (cents === null) return null;
  return new Intl.NumberFormat(lang === 'it' ? 'it-IT' : 'en-GB', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(cents / 100);
}

export function OrganisationPage({ ctx, view }: { ctx: PageContext; view: OrganisationPageView }) {
  const { lang } = ctx;
  const { org, permissions } = view;
  // Italian first; an organisation described only in English (e.g. imported spin-offs) shows that, marked as English.
  const description = org.description.it
    ? { ...pick(lang, org.description.it, org.description.en), textLang: 'it' as const }
    : org.description.en
      ? { text: org.description.en, fallback: lang === 'it', textLang: 'en' as const }
      : null;
  const priv = permissions.seePrivate ? (org as OrganisationPrivateDto) : null;
  const roleName = (role: string) => om(lang, role === 'coordinator' ? 'roleCoordinator' : role === 'founder' ? 'roleFounder' : 'rolePartner');
  const jsonLd = {
    '@context': 'https://schema.org',
    '@type': 'Organization',
    name: org.name,
    ...(org.shortName ? { alternateName: org.shortName } : {}),
    ...(org.website ? { url: org.website } : {}),
    ...(org.vatNumber ? { vatID: `IT${org.vatNumber}` } : {}),
    ...(org.city ? { address: { '@type': 'PostalAddress', addressLocality: org.city, addressCountry: org.countryCode } } : {}),
    ...(description ? { description: description.text } : {}),
  };
  return (
    <Layout
      ctx={ctx}
      title={org.name}
      description={description?.text}
      section="organisations"
      breadcrumbs={[
        { label: t(lang, 'nav.home'), href: '/' },
        { label: om(lang, 'directoryTitle'), href: '/organizzazioni' },
        { label: org.shortName ?? org.name },
      ]}
    >
      <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: JSON.stringify(jsonLd).replace(/</g, '\\u003c') }} />
      {view.notice ? (
        <div class="alert alert-success" role="status">
          {view.notice}
        </div>
      ) : null}
      <div class="d-flex align-items-center mb-3">
        {org.logoUrl ? <img src={org.logoUrl} alt={om(lang, 'logoAlt', { name: org.name })} class="me-3" style="max-height:72px;max-width:160px" /> : null}
        <div>
          <p class="text-secondary mb-1">
            {t(lang, `orgType.${org.type}`)}
            {org.sizeClass ? ` · ${om(lang, sizeKey(org.sizeClass))}` : ''}
          </p>
          <h1 class="mb-0">{org.name}</h1>
        </div>
      </div>
      {permissions.edit ? (
        <p>
          <a class="btn btn-outline-primary btn-sm" href={`/organizzazioni/${org.id}/modifica`}>
            {om(lang, 'edit')}
          </a>
        </p>
      ) : null}
      <div class="row">
        <div class="col-12 col-lg-8">
          <h2 class="h4">{om(lang, 'description')}</h2>
          {description ? (
            <>
              <p lang={description.fallback ? description.textLang : undefined}>{description.text}</p>
              {description.fallback ? <p class="ch-fallback-note">{om(lang, description.textLang === 'it' ? 'fallbackNote' : 'fallbackNoteEn')}</p> : null}
            </>
          ) : (
            <p class="text-secondary">{om(lang, 'notSet')}</p>
          )}
          <h2 class="h4 mt-4">{om(lang, 'memberOf')}</h2>
          {org.clusters.length === 0 ? (
            <p class="text-secondary">{om(lang, 'noClusters')}</p>
          ) : (
            <ul data-testid="member-of">
              {org.clusters.map((c) => (
                <li>
                  <a href={`/cluster/${c.slug}`}>{c.name}</a>
                  {c.memberClass ? ` – ${c.memberClass}` : ''}
                </li>
              ))}
            </ul>
          )}
          {view.registryRoles.length > 0 ? (
            <>
              <h2 class="h4 mt-4">{om(lang, 'registryRoles')}</h2>
              <ul>
                {view.registryRoles.map((r) => (
                  <li>
                    <a href={`/cluster/${r.slug}`}>{r.short_name}</a>: {roleName(r.role)}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {view.extra ?? null}
          {permissions.invite ? (
            <section class="mt-5" aria-labelledby="people-title">
              <h2 class="h4" id="people-title">
                {om(lang, 'people')}
              </h2>
              <ul>
                {view.people.map((p) => (
                  <li>
                    {p.display_name} ({p.email}) – {p.role === 'org_admin' ? om(lang, 'roleAdmin') : om(lang, 'roleMember')}
                  </li>
                ))}
              </ul>
              <h3 class="h5 mt-3">{om(lang, 'invite')}</h3>
              <ErrorSummary lang={lang} errors={view.errors ?? {}} labels={{ email: om(lang, 'inviteEmail'), role: om(lang, 'inviteRole') }} />
              <PostForm ctx={ctx} action={`/organizzazioni/${org.id}/inviti`}>
                <TextField lang={lang} name="email" type="email" label={om(lang, 'inviteEmail')} value={view.inviteValues?.email} error={view.errors?.email} required />
                <SelectField
                  lang={lang}
                  name="role"
                  label={om(lang, 'inviteRole')}
                  value={view.inviteValues?.role ?? 'org_member'}
                  required
                  options={[
                    { value: 'org_member', label: om(lang, 'roleMember') },
                    { value: 'org_admin', label: om(lang, 'roleAdmin') },
                  ]}
                />
                <button type="submit" class="btn btn-primary">
                  {om(lang, 'sendInvite')}
                </button>
              </PostForm>
            </section>
          ) : null}
        </div>
        <div class="col-12 col-lg-4">
          {org.city || org.website || org.vatNumber || org.pec || org.atecoCodes.length > 0 || org.sizeClass || org.sizeClassDeclared ? (
          <div class="card card-bg shadow-sm">
            <div class="card-body">
              <dl class="ch-dl mb-0">
                {org.city ? (
                  <>
                    <dt>{om(lang, 'seat')}</dt>
                    <dd>
                      <Location lang={lang} o={org} />
                    </dd>
                  </>
                ) : null}
                {org.website ? (
                  <>
                    <dt>{om(lang, 'website')}</dt>
                    <dd>
                      <a href={org.website} rel="noopener">
                        {org.website.replace(/^https?:\/\/(www\.)?/, '')}
                      </a>
                    </dd>
                  </>
                ) : null}
                {org.vatNumber ? (
                  <>
                    <dt>{om(lang, 'vat')}</dt>
                    <dd>{org.vatNumber}</dd>
                  </>
                ) : null}
                {org.pec ? (
                  <>
                    <dt>{om(lang, 'pec')}</dt>
                    <dd>{org.pec}</dd>
                  </>
                ) : null}
                {org.atecoCodes.length > 0 ? (
                  <>
                    <dt>{om(lang, 'ateco')}</dt>
                    <dd>{org.atecoCodes.join(', ')}</dd>
                  </>
                ) : null}
                {org.sizeClass ? (
                  <>
                    <dt>{om(lang, 'sizeComputed')}</dt>
                    <dd>{org.sizeClass ? om(lang, sizeKey(org.sizeClass)) : om(lang, 'notSet')}</dd>
                  </>
                ) : null}
                {org.sizeClassDeclared ? (
                  <>
                    <dt>{om(lang, 'sizeDeclared')}</dt>
                    <dd>{om(lang, sizeKey(org.sizeClassDeclared))}</dd>
                  </>
                ) : null}
              </dl>
            </div>
          </div>
          ) : null}
          {priv ? (
            <div class="card card-bg shadow-sm mt-3" data-testid="private-data">
              <div class="card-body">
                <h2 class="h5">{om(lang, 'privateData')}</h2>
                <p class="small text-secondary">{om(lang, 'privateNote')}</p>
                <dl class="ch-dl mb-0">
                  <dt>{om(lang, 'taxCode')}</dt>
                  <dd>{priv.taxCode ?? om(lang, 'notSet')}</dd>
                  <dt>{om(lang, 'email')}</dt>
                  <dd>{priv.email ?? om(lang, 'notSet')}</dd>
                  <dt>{om(lang, 'address')}</dt>
                  <dd>{[priv.address, priv.postcode].filter(Boolean).join(' – ') || om(lang, 'notSet')}</dd>
                  <dt>{om(lang, 'employees')}</dt>
                  <dd>{priv.employees ?? om(lang, 'notSet')}</dd>
                  <dt>{om(lang, 'turnover')}</dt>
                  <dd>{euro(priv.turnoverCents, lang) ?? om(lang, 'notSet')}</dd>
                  <dt>{om(lang, 'balanceSheet')}</dt>
                  <dd>{euro(priv.balanceSheetCents, lang) ?? om(lang, 'notSet')}</dd>
                </dl>
              </div>
            </div>
          ) : null}
        </div>
      </div>
    </Layout>
  );
}

/** Labels of the profile fields, for error summaries and import reports. */
export function organisationLabels(lang: Lang): Record<string, string> {
  return {
    legalName: om(lang, 'legalName'),
    shortName: om(lang, 'shortName'),
    type: om(lang, 'type'),
    vatNumber: om(lang, 'vat'),
    taxCode: om(lang, 'taxCode'),
    atecoCodes: om(lang, 'ateco'),
    employees: om(lang, 'employees'),
    turnover: om(lang, 'turnover'),
    balanceSheet: om(lang, 'balanceSheet'),
    sizeClassDeclared: om(lang, 'sizeDeclared'),
    countryCode: om(lang, 'countryCode'),
    comuneIstat: om(lang, 'comuneIstat'),
    city: om(lang, 'city'),
    address: om(lang, 'address'),
    postcode: om(lang, 'postcode'),
    pec: om(lang, 'pec'),
    email: om(lang, 'email'),
    website: om(lang, 'website'),
    descriptionIt: om(lang, 'descriptionIt'),
    descriptionEn: om(lang, 'descriptionEn'),
    logo: om(lang, 'logo'),
  };
}

export type OrganisationFormValues = Record<string, string | undefined>;

/** The profile fields, shared by the edit page and the membership application form. */
export function OrganisationFields({ lang, values, errors, prefix = '' }: { lang: Lang; values: OrganisationFormValues; errors: Errors; prefix?: string }) {
  const n = (name: string) => `${prefix}${name}`;
  const v = (name: string) => values[n(name)];
  const e = (name: string) => errors[n(name)];
  return (
    <>
      <TextField lang={lang} name={n('legalName')} label={om(lang, 'legalName')} value={v('legalName')} error={e('legalName')} required maxLength={200} autocomplete="organization" />
      <TextField lang={lang} name={n('shortName')} label={om(lang, 'shortName')} value={v('shortName')} error={e('shortName')} maxLength={80} />
      <SelectField
        lang={lang}
        name={n('type')}
        label={om(lang, 'type')}
        value={v('type')}
        error={e('type')}
        required
        empty="—"
        options={ORGANISATION_TYPES.map((type) => ({ value: type, label: t(lang, `orgType.${type}`) }))}
      />
      <TextField lang={lang} name={n('vatNumber')} label={om(lang, 'vat')} value={v('vatNumber')} error={e('vatNumber')} hint={om(lang, 'vatHint')} inputMode="numeric" maxLength={16} />
      <TextField lang={lang} name={n('taxCode')} label={om(lang, 'taxCode')} value={v('taxCode')} error={e('taxCode')} maxLength={16} />
      <TextField lang={lang} name={n('atecoCodes')} label={om(lang, 'ateco')} value={v('atecoCodes')} error={e('atecoCodes')} hint={om(lang, 'atecoHint')} />
      <TextField lang={lang} name={n('countryCode')} label={om(lang, 'countryCode')} value={v('countryCode') ?? 'IT'} error={e('countryCode')} maxLength={2} />
      <TextField lang={lang} name={n('comuneIstat')} label={om(lang, 'comuneIstat')} value={v('comuneIstat')} error={e('comuneIstat')} hint={om(lang, 'comuneHint')} inputMode="numeric" maxLength={6} />
      <TextField lang={lang} name={n('city')} label={om(lang, 'city')} value={v('city')} error={e('city')} maxLength={120} />
      <TextField lang={lang} name={n('address')} label={om(lang, 'address')} value={v('address')} error={e('address')} maxLength={200} autocomplete="street-address" />
      <TextField lang={lang} name={n('postcode')} label={om(lang, 'postcode')} value={v('postcode')} error={e('postcode')} maxLength={12} autocomplete="postal-code" />
      <TextField lang={lang} name={n('pec')} type="email" label={om(lang, 'pec')} value={v('pec')} error={e('pec')} />
      <TextField lang={lang} name={n('email')} type="email" label={om(lang, 'email')} value={v('email')} error={e('email')} />
      <TextField lang={lang} name={n('website')} type="url" label={om(lang, 'website')} value={v('website')} error={e('website')} />
      <TextField lang={lang} name={n('employees')} label={om(lang, 'employees')} value={v('employees')} error={e('employees')} hint={om(lang, 'figuresHint')} inputMode="numeric" />
      <TextField lang={lang} name={n('turnover')} label={om(lang, 'turnover')} value={v('turnover')} error={e('turnover')} inputMode="decimal" />
      <TextField lang={lang} name={n('balanceSheet')} label={om(lang, 'balanceSheet')} value={v('balanceSheet')} error={e('balanceSheet')} inputMode="decimal" />
      <SelectField
        lang={lang}
        name={n('sizeClassDeclared')}
        label={om(lang, 'sizeDeclaredField')}
        value={v('sizeClassDeclared')}
        error={e('sizeClassDeclared')}
        empty="—"
        options={SIZE_CLASSES.map((s) => ({ value: s, label: om(lang, sizeKey(s)) }))}
      />
      <TextArea lang={lang} name={n('descriptionIt')} label={om(lang, 'descriptionIt')} value={v('descriptionIt')} error={e('descriptionIt')} required maxLength={5000} />
      <TextArea lang={lang} name={n('descriptionEn')} label={om(lang, 'descriptionEn')} value={v('descriptionEn')} error={e('descriptionEn')} maxLength={5000} />
    </>
  );
}

export function EditOrganisationPage({
  ctx,
  id,
  name,
  values,
  errors = {},
  logoErrors = {},
}: {
  ctx: PageContext;
  id: string;
  name: string;
  values: OrganisationFormValues;
  errors?: Errors;
  logoErrors?: Errors;
}) {
  const { lang } = ctx;
  const title = om(lang, 'editTitle', { name });
  return (
    <Layout
      ctx={ctx}
      title={title}
      section="organisations"
      breadcrumbs={[
        { label: t(lang, 'nav.home'), href: '/' },
        { label: om(lang, 'directoryTitle'), href: '/organizzazioni' },
        { label: name, href: `/organizzazioni/${id}` },
        { label: om(lang, 'edit') },
      ]}
    >
      <h1 class="mb-4">{title}</h1>
      <div class="row">
        <div class="col-12 col-lg-8">
          <ErrorSummary lang={lang} errors={errors} labels={organisationLabels(lang)} />
          <PostForm ctx={ctx} action={`/organizzazioni/${id}/modifica`}>
            <OrganisationFields lang={lang} values={values} errors={errors} />
            <button type="submit" class="btn btn-primary">
              {om(lang, 'save')}
            </button>
          </PostForm>
        </div>
        <div class="col-12 col-lg-4 mt-5 mt-lg-0">
          <h2 class="h4">{om(lang, 'logo')}</h2>
          <ErrorSummary lang={lang} errors={logoErrors} labels={organisationLabels(lang)} />
          <PostForm ctx={ctx} action={`/organizzazioni/${id}/logo`} enctype="multipart/form-data">
            <div class="mb-3">
              <label for="f-logo" class="form-label">
                {om(lang, 'logo')}
              </label>
              <input
                type="file"
                id="f-logo"
                name="logo"
                class="form-control"
                accept="image/png,image/jpeg,image/webp"
                aria-describedby={logoErrors.logo ? 'h-logo e-logo' : 'h-logo'}
                aria-invalid={logoErrors.logo ? 'true' : undefined}
              />
              <small id="h-logo" class="form-text">
                {om(lang, 'logoHint')}
              </small>
              {logoErrors.logo ? (
                <div id="e-logo" class="invalid-feedback d-block">
                  {logoErrors.logo}
                </div>
              ) : null}
            </div>
            <button type="submit" class="btn btn-outline-primary">
              {om(lang, 'uploadLogo')}
            </button>
          </PostForm>
        </div>
      </div>
    </Layout>
  );
}
