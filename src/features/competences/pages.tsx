import type { CompetenceLevel, FacilityType, Visibility } from '../../db/schema.js';
import { COMPETENCE_LEVELS, FACILITY_TYPES, VISIBILITIES } from '../../db/schema.js';
import { ErrorSummary, PostForm, SelectField, TextArea, TextField, type Errors } from '../../platform/forms.js';
import { pick, t, type Lang } from '../../platform/i18n.js';
import { Layout, type Crumb, type PageContext } from '../../platform/layout.js';
import { cm } from './messages.js';

export type Values = Record<string, string | undefined>;

export interface ClusterRef {
  slug: string;
  name: string;
}

/** An area in a picker: key, label, depth, group (cluster) and whether retired. */
export interface AreaOption {
  key: string;
  code: string;
  label: string;
  depth: number;
  group: string;
  retired: boolean;
}

function manageCrumbs(lang: Lang, cluster: ClusterRef, last: string, extra: Crumb[] = []): Crumb[] {
  return [
    { label: t(lang, 'nav.home'), href: '/' },
    { label: t(lang, 'nav.manage'), href: '/gestione' },
    { label: cluster.name, href: `/cluster/${cluster.slug}/gestione` },
    ...extra,
    { label: last },
  ];
}

function Notice({ text }: { text?: string | undefined }) {
  return text ? (
    <div class="alert alert-success" role="status">
      {text}
    </div>
  ) : null;
}

const levelLabel = (lang: Lang, level: CompetenceLevel) => cm(lang, `level_${level}`);
const typeLabel = (lang: Lang, type: FacilityType) => cm(lang, `type_${type}`);
const visibilityLabel = (lang: Lang, v: Visibility, person = false) => (person && v === 'private' ? cm(lang, 'visibilityPerson_private') : cm(lang, `visibility_${v}`));

// ---------------------------------------------------------------------------- taxonomy

export interface TaxonomyRowView {
  code: string;
  labelIt: string;
  labelEn: string | null;
  synonyms: number;
  concept: string | null;
  retired: boolean;
  depth: number;
}

function areaLabels(lang: Lang): Record<string, string> {
  return {
    code: cm(lang, 'code'),
    labelIt: cm(lang, 'labelIt'),
    labelEn: cm(lang, 'labelEn'),
    synonymsIt: cm(lang, 'synonymsIt'),
    synonymsEn: cm(lang, 'synonymsEn'),
    parentCode: cm(lang, 'parent'),
    conceptCode: cm(lang, 'concept'),
  };
}

function AreaFields({
  lang,
  values,
  errors,
  parents,
  concepts,
  withCode,
}: {
  lang: Lang;
  values: Values;
  errors: Errors;
  parents: { code: string; label: string }[];
  concepts: { code: string; label: string }[];
  withCode: boolean;
}) {
  return (
    <>
      {withCode ? <TextField lang={lang} name="code" label={cm(lang, 'code')} value={values.code} error={errors.code} hint={cm(lang, 'codeHint')} required maxLength={80} /> : null}
      <TextField lang={lang} name="labelIt" label={cm(lang, 'labelIt')} value={values.labelIt} error={errors.labelIt} required maxLength={200} />
      <TextField lang={lang} name="labelEn" label={cm(lang, 'labelEn')} value={values.labelEn} error={errors.labelEn} maxLength={200} />
      <TextArea lang={lang} name="synonymsIt" label={cm(lang, 'synonymsIt')} value={values.synonymsIt} error={errors.synonymsIt} hint={cm(lang, 'synonymsHint')} rows={2} />
      <TextArea lang={lang} name="synonymsEn" label={cm(lang, 'synonymsEn')} value={values.synonymsEn} error={errors.synonymsEn} hint={cm(lang, 'synonymsHint')} rows={2} />
      <SelectField lang={lang} name="parentCode" label={cm(lang, 'parent')} value={values.parentCode} error={errors.parentCode} empty={cm(lang, 'parentNone')} options={parents.map((p) => ({ value: p.code, label: `${p.code} – ${p.label}` }))} />
      <SelectField
        lang={lang}
        name="conceptCode"
        label={cm(lang, 'concept')}
        value={values.conceptCode}
        error={errors.conceptCode}
        hint={cm(lang, 'conceptHint')}
        empty={cm(lang, 'conceptNone')}
        options={concepts.map((c) => ({ value: c.code, label: c.label }))}
      />
    </>
  );
}

export function TaxonomyPage({
  ctx,
  cluster,
  rows,
  parents,
  concepts,
  values = {},
  errors = {},
  notice,
}: {
  ctx: PageContext;
  cluster: ClusterRef;
  rows: TaxonomyRowView[];
  parents: { code: string; label: string }[];
  concepts: { code: string; label: string }[];
  values?: Values;
  errors?: Errors;
  notice?: string | undefined;
}) {
  const { lang } = ctx;
  const title = cm(lang, 'taxonomyTitle', { cluster: cluster.name });
  return (
    <Layout ctx={ctx} title={title} section="manage" breadcrumbs={manageCrumbs(lang, cluster, cm(lang, 'manageTaxonomy'))}>
      <h1 class="mb-2">{title}</h1>
      <p class="lead">{cm(lang, 'taxonomyLead')}</p>
      <Notice text={notice} />
      <p>
        <a href={`/cluster/${cluster.slug}/gestione/copertura`}>{cm(lang, 'coverage')}</a>
      </p>
      {rows.length === 0 ? (
        <p class="callout note">{cm(lang, 'taxonomyEmpty')}</p>
      ) : (
        <div class="table-responsive" tabindex={0}>
          <table class="table table-sm" data-testid="taxonomy">
            <caption class="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{cm(lang, 'code')}</th>
                <th scope="col">{cm(lang, 'area')}</th>
                <th scope="col">{cm(lang, 'synonymsIt')} / EN</th>
                <th scope="col">{cm(lang, 'concept')}</th>
                <th scope="col">{cm(lang, 'status')}</th>
                <th scope="col">
                  <span class="visually-hidden">{cm(lang, 'edit')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr class={r.retired ? 'text-secondary' : undefined}>
                  <td>
                    <code>{r.code}</code>
                  </td>
                  <th scope="row" style={`padding-left:${0.5 + r.depth * 1.25}rem`} class={r.depth === 0 ? 'fw-bold' : 'fw-normal'}>
                    {lang === 'en' ? (r.labelEn ?? r.labelIt) : r.labelIt}
                  </th>
                  <td>{r.synonyms}</td>
                  <td>{r.concept ?? '—'}</td>
                  <td>{r.retired ? cm(lang, 'retired') : cm(lang, 'active')}</td>
                  <td>
                    <a href={`/cluster/${cluster.slug}/gestione/tassonomia/${encodeURIComponent(r.code)}`} aria-label={cm(lang, 'editArea', { code: r.code })}>
                      {cm(lang, 'edit')}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2 class="h4 mt-4">{cm(lang, 'addArea')}</h2>
      <div class="col-12 col-lg-7">
        <ErrorSummary lang={lang} errors={errors} labels={areaLabels(lang)} />
        <PostForm ctx={ctx} action={`/cluster/${cluster.slug}/gestione/tassonomia`}>
          <AreaFields lang={lang} values={values} errors={errors} parents={parents} concepts={concepts} withCode />
          <button type="submit" class="btn btn-primary">
            {cm(lang, 'addArea')}
          </button>
        </PostForm>
      </div>
    </Layout>
  );
}

export function AreaEditPage({
  ctx,
  cluster,
  code,
  retired,
  values,
  parents,
  concepts,
  errors = {},
}: {
  ctx: PageContext;
  cluster: ClusterRef;
  code: string;
  retired: boolean;
  values: Values;
  parents: { code: string; label: string }[];
  concepts: { code: string; label: string }[];
  errors?: Errors;
}) {
  const { lang } = ctx;
  const title = cm(lang, 'editArea', { code });
  const action = `/cluster/${cluster.slug}/gestione/tassonomia/${encodeURIComponent(code)}`;
  return (
    <Layout ctx={ctx} title={title} section="manage" breadcrumbs={manageCrumbs(lang, cluster, code, [{ label: cm(lang, 'manageTaxonomy'), href: `/cluster/${cluster.slug}/gestione/tassonomia` }])}>
      <h1 class="mb-4">{title}</h1>
      {retired ? <p class="callout warning">{cm(lang, 'retiredNote')}</p> : null}
      <div class="col-12 col-lg-7">
        <ErrorSummary lang={lang} errors={errors} labels={areaLabels(lang)} />
        <PostForm ctx={ctx} action={action}>
          <input type="hidden" name="action" value="save" />
          <AreaFields lang={lang} values={values} errors={errors} parents={parents} concepts={concepts} withCode={false} />
          <button type="submit" class="btn btn-primary">
            {cm(lang, 'save')}
          </button>
        </PostForm>
        <PostForm ctx={ctx} action={action} class="mt-4">
          <input type="hidden" name="action" value={retired ? 'restore' : 'retire'} />
          <button type="submit" class={`btn ${retired ? 'btn-outline-primary' : 'btn-outline-danger'}`}>
            {retired ? cm(lang, 'restore') : cm(lang, 'retire')}
          </button>
        </PostForm>
      </div>
    </Layout>
  );
}

export function ConceptsPage({
  ctx,
  concepts,
  values = {},
  errors = {},
  notice,
}: {
  ctx: PageContext;
  concepts: { code: string; label: string; areas: string[] }[];
  values?: Values;
  errors?: Errors;
  notice?: string | undefined;
}) {
  const { lang } = ctx;
  const title = cm(lang, 'conceptsTitle');
  return (
    <Layout ctx={ctx} title={title} section="manage" breadcrumbs={[{ label: t(lang, 'nav.home'), href: '/' }, { label: t(lang, 'nav.manage'), href: '/gestione' }, { label: title }]}>
      <h1 class="mb-2">{title}</h1>
      <p class="lead">{cm(lang, 'conceptsLead')}</p>
      <Notice text={notice} />
      {concepts.length === 0 ? (
        <p>{cm(lang, 'noConcepts')}</p>
      ) : (
        <table class="table table-sm">
          <caption class="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{cm(lang, 'conceptCode')}</th>
              <th scope="col">{cm(lang, 'area')}</th>
              <th scope="col">{cm(lang, 'conceptAreas')}</th>
            </tr>
          </thead>
          <tbody>
            {concepts.map((c) => (
              <tr>
                <td>
                  <code>{c.code}</code>
                </td>
                <th scope="row">{c.label}</th>
                <td>{c.areas.join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 class="h4 mt-4">{cm(lang, 'addConcept')}</h2>
      <div class="col-12 col-lg-6">
        <ErrorSummary lang={lang} errors={errors} labels={{ code: cm(lang, 'conceptCode'), labelIt: cm(lang, 'labelIt'), labelEn: cm(lang, 'labelEn') }} />
        <PostForm ctx={ctx} action="/gestione/concetti">
          <TextField lang={lang} name="code" label={cm(lang, 'conceptCode')} value={values.code} error={errors.code} hint={cm(lang, 'conceptCodeHint')} required maxLength={60} />
          <TextField lang={lang} name="labelIt" label={cm(lang, 'labelIt')} value={values.labelIt} error={errors.labelIt} required />
          <TextField lang={lang} name="labelEn" label={cm(lang, 'labelEn')} value={values.labelEn} error={errors.labelEn} />
          <button type="submit" class="btn btn-primary">
            {cm(lang, 'addConcept')}
          </button>
        </PostForm>
      </div>
    </Layout>
  );
}

// ---------------------------------------------------------------------------- coverage

export interface CoverageRowView {
  code: string;
  label: string;
  depth: number;
  retired: boolean;
  core: number;
  experienced: number;
  emerging: number;
  members: number;
  network: number;
  gap: boolean;
}

export function CoveragePage({ ctx, cluster, rows, members }: { ctx: PageContext; cluster: ClusterRef; rows: CoverageRowView[]; members: number }) {
  const { lang } = ctx;
  const title = cm(lang, 'coverageTitle', { cluster: cluster.name });
  const active = rows.filter((r) => !r.retired);
  const gaps = active.filter((r) => r.gap).length;
  return (
    <Layout ctx={ctx} title={title} section="manage" breadcrumbs={manageCrumbs(lang, cluster, cm(lang, 'coverage'))}>
      <h1 class="mb-2">{title}</h1>
      <p class="lead">{cm(lang, 'coverageLead')}</p>
      <ul class="list-inline" data-testid="coverage-summary">
        <li class="list-inline-item me-4">{cm(lang, 'coverageMembers', { count: members })}</li>
        <li class="list-inline-item me-4">{cm(lang, 'coverageGaps', { count: gaps, total: active.length })}</li>
        <li class="list-inline-item">
          <a href={`/cluster/${cluster.slug}/gestione/copertura.csv${lang === 'en' ? '?lang=en' : ''}`} download>
            {cm(lang, 'coverageCsv')}
          </a>
        </li>
      </ul>
      {rows.length === 0 ? (
        <p class="callout note">{cm(lang, 'taxonomyEmpty')}</p>
      ) : (
        <div class="table-responsive" tabindex={0}>
          <table class="table table-sm ch-coverage" data-testid="coverage">
            <caption class="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{cm(lang, 'code')}</th>
                <th scope="col">{cm(lang, 'area')}</th>
                <th scope="col" class="text-end">
                  {cm(lang, 'level_core')}
                </th>
                <th scope="col" class="text-end">
                  {cm(lang, 'level_experienced')}
                </th>
                <th scope="col" class="text-end">
                  {cm(lang, 'level_emerging')}
                </th>
                <th scope="col" class="text-end">
                  {cm(lang, 'membersTotal')}
                </th>
                <th scope="col" class="text-end">
                  {cm(lang, 'networkOthers')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr class={r.gap && !r.retired ? 'ch-gap' : undefined} data-code={r.code}>
                  <td>
                    <code>{r.code}</code>
                  </td>
                  <th scope="row" style={`padding-left:${0.5 + r.depth * 1.25}rem`} class={r.depth === 0 ? 'fw-bold' : 'fw-normal'}>
                    {r.label}
                    {r.retired ? ` (${cm(lang, 'retired')})` : ''}
                    {r.gap && !r.retired ? <span class="badge ch-gap-badge ms-2">{cm(lang, 'gapLabel')}</span> : null}
                  </th>
                  <td class="text-end">{r.core}</td>
                  <td class="text-end">{r.experienced}</td>
                  <td class="text-end">{r.emerging}</td>
                  <td class="text-end fw-semibold">{r.members}</td>
                  <td class="text-end">{r.network}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="small text-secondary">{cm(lang, 'csvNote')}</p>
      <p>
        <a href={`/cluster/${cluster.slug}/gestione/tassonomia`}>{cm(lang, 'manageTaxonomy')}</a>
      </p>
    </Layout>
  );
}

// ---------------------------------------------------------------------------- organisation

export interface CompetenceView {
  id: string;
  label: string;
  code: string | null;
  cluster: string | null;
  level: CompetenceLevel;
  description: string | null;
  retired: boolean;
}

export interface FacilityView {
  id: string;
  name: string;
  type: FacilityType;
  accreditations: string[];
  visibility: Visibility;
}

function AreaSelect({ lang, name, value, error, areas }: { lang: Lang; name: string; value: string | undefined; error: string | undefined; areas: AreaOption[] }) {
  const groups = [...new Set(areas.map((a) => a.group))];
  return (
    <div class="select-wrapper mb-4">
      <label for={`f-${name}`}>{cm(lang, 'areaPick')}</label>
      <select id={`f-${name}`} name={name} class={error ? 'is-invalid' : undefined} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `e-${name}` : undefined}>
        <option value="">{cm(lang, 'areaNone')}</option>
        {groups.map((g) => (
          <optgroup label={g}>
            {areas
              .filter((a) => a.group === g && !a.retired)
              .map((a) => (
                <option value={a.key} selected={a.key === value}>
                  {`${'– '.repeat(a.depth)}${a.label} (${a.code})`}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
      {error ? (
        <div id={`e-${name}`} class="invalid-feedback d-block">
          {error}
        </div>
      ) : null}
    </div>
  );
}

/** Checkboxes per top-level area (a multiple select cannot post through our form bodies). */
function AreaChecklist({ lang, selected, areas, error }: { lang: Lang; selected: Set<string>; areas: AreaOption[]; error?: string | undefined }) {
  const groups = [...new Set(areas.map((a) => a.group))];
  return (
    <fieldset class="mb-4 ch-fieldset-plain" aria-describedby={error ? 'e-areas' : undefined}>
      <legend class="h6">{cm(lang, 'areas')}</legend>
      {error ? (
        <div id="e-areas" class="invalid-feedback d-block">
          {error}
        </div>
      ) : null}
      {groups.map((g) => {
        const items = areas.filter((a) => a.group === g && (!a.retired || selected.has(a.key)));
        const open = items.some((a) => selected.has(a.key));
        return (
          <details class="mb-2" open={open}>
            <summary>{g}</summary>
            <ul class="list-unstyled ms-3 mt-2">
              {items.map((a) => {
                const id = `area-${a.key.replace(/[^a-zA-Z0-9]/g, '-')}`;
                return (
                  <li class="form-check" style={`margin-left:${a.depth * 1.25}rem`}>
                    <input type="checkbox" id={id} name={`area:${a.key}`} value="yes" checked={selected.has(a.key)} />
                    <label for={id}>
                      {a.label} <span class="text-secondary">({a.code})</span>
                    </label>
                  </li>
                );
              })}
            </ul>
          </details>
        );
      })}
    </fieldset>
  );
}

function visibilityOptions(lang: Lang, person = false) {
  return VISIBILITIES.map((v) => ({ value: v, label: visibilityLabel(lang, v, person) }));
}

function facilityLabels(lang: Lang): Record<string, string> {
  return {
    name: cm(lang, 'facilityName'),
    type: cm(lang, 'facilityType'),
    descriptionIt: cm(lang, 'descriptionIt'),
    descriptionEn: cm(lang, 'descriptionEn'),
    accreditations: cm(lang, 'accreditations'),
    accessIt: cm(lang, 'accessIt'),
    accessEn: cm(lang, 'accessEn'),
    city: cm(lang, 'city'),
    provinceCode: cm(lang, 'province'),
    countryCode: cm(lang, 'country'),
    areas: cm(lang, 'areas'),
    visibility: cm(lang, 'visibility'),
  };
}

function FacilityFields({ lang, values, errors, areas, selected }: { lang: Lang; values: Values; errors: Errors; areas: AreaOption[]; selected: Set<string> }) {
  return (
    <>
      <TextField lang={lang} name="name" label={cm(lang, 'facilityName')} value={values.name} error={errors.name} required maxLength={200} />
      <SelectField lang={lang} name="type" label={cm(lang, 'facilityType')} value={values.type ?? 'laboratory'} error={errors.type} required options={FACILITY_TYPES.map((ty) => ({ value: ty, label: typeLabel(lang, ty) }))} />
      <TextArea lang={lang} name="descriptionIt" label={cm(lang, 'descriptionIt')} value={values.descriptionIt} error={errors.descriptionIt} rows={3} maxLength={4000} />
      <TextArea lang={lang} name="descriptionEn" label={cm(lang, 'descriptionEn')} value={values.descriptionEn} error={errors.descriptionEn} rows={3} maxLength={4000} />
      <TextField lang={lang} name="accreditations" label={cm(lang, 'accreditations')} value={values.accreditations} error={errors.accreditations} hint={cm(lang, 'accreditationsHint')} />
      <TextArea lang={lang} name="accessIt" label={cm(lang, 'accessIt')} value={values.accessIt} error={errors.accessIt} rows={2} maxLength={2000} />
      <TextArea lang={lang} name="accessEn" label={cm(lang, 'accessEn')} value={values.accessEn} error={errors.accessEn} rows={2} maxLength={2000} />
      <div class="row">
        <div class="col-12 col-md-6">
          <TextField lang={lang} name="city" label={cm(lang, 'city')} value={values.city} error={errors.city} maxLength={120} />
        </div>
        <div class="col-6 col-md-3">
          <TextField lang={lang} name="provinceCode" label={cm(lang, 'province')} value={values.provinceCode} error={errors.provinceCode} maxLength={2} />
        </div>
        <div class="col-6 col-md-3">
          <TextField lang={lang} name="countryCode" label={cm(lang, 'country')} value={values.countryCode ?? 'IT'} error={errors.countryCode} maxLength={2} />
        </div>
      </div>
      <AreaChecklist lang={lang} selected={selected} areas={areas} error={errors.areas} />
      <SelectField lang={lang} name="visibility" label={cm(lang, 'visibility')} value={values.visibility ?? 'public'} error={errors.visibility} required options={visibilityOptions(lang)} />
    </>
  );
}

export interface OrgCompetencesView {
  org: { id: string; name: string };
  competences: CompetenceView[];
  facilities: FacilityView[];
  areas: AreaOption[];
  competenceValues?: Values;
  competenceErrors?: Errors;
  facilityValues?: Values;
  facilityErrors?: Errors;
  facilityAreas?: Set<string>;
  notice?: string | undefined;
}

export function OrgCompetencesPage({ ctx, view }: { ctx: PageContext; view: OrgCompetencesView }) {
  const { lang } = ctx;
  const { org } = view;
  const title = cm(lang, 'orgCompetencesTitle', { name: org.name });
  const ce = view.competenceErrors ?? {};
  const cv = view.competenceValues ?? {};
  const fe = view.facilityErrors ?? {};
  return (
    <Layout
      ctx={ctx}
      title={title}
      section="organisations"
      breadcrumbs={[{ label: t(lang, 'nav.home'), href: '/' }, { label: t(lang, 'nav.organisations'), href: '/organizzazioni' }, { label: org.name, href: `/organizzazioni/${org.id}` }, { label: cm(lang, 'manageCompetences') }]}
    >
      <h1 class="mb-2">{title}</h1>
      <p class="lead">{cm(lang, 'orgCompetencesLead')}</p>
      <Notice text={view.notice} />
      <section aria-labelledby="competences-title" class="mb-5">
        <h2 class="h4" id="competences-title">
          {cm(lang, 'competences')}
        </h2>
        {view.competences.length === 0 ? (
          <p>{cm(lang, 'noCompetences')}</p>
        ) : (
          <ul class="list-unstyled" data-testid="competences">
            {view.competences.map((c) => (
              <li class="d-flex flex-wrap align-items-center gap-2 mb-2 border-bottom pb-2">
                <span class="flex-grow-1">
                  <strong>{c.label}</strong>
                  {c.code ? <span class="text-secondary"> ({c.cluster}:{c.code})</span> : null}
                  {c.retired ? <span class="text-secondary"> – {cm(lang, 'retired')}</span> : null} · {levelLabel(lang, c.level)}
                  {c.description ? <span class="d-block small">{c.description}</span> : null}
                </span>
                <PostForm ctx={ctx} action={`/organizzazioni/${org.id}/competenze`} class="d-inline">
                  <input type="hidden" name="action" value="remove" />
                  <input type="hidden" name="competenceId" value={c.id} />
                  <button type="submit" class="btn btn-outline-danger btn-sm" aria-label={cm(lang, 'removeCompetence', { name: c.label })}>
                    {cm(lang, 'remove')}
                  </button>
                </PostForm>
              </li>
            ))}
          </ul>
        )}
        <h3 class="h5 mt-4">{cm(lang, 'addCompetence')}</h3>
        <div class="col-12 col-lg-8">
          <ErrorSummary lang={lang} errors={ce} labels={{ area: cm(lang, 'areaPick'), level: cm(lang, 'level'), descriptionIt: cm(lang, 'descriptionIt'), descriptionEn: cm(lang, 'descriptionEn') }} />
          <PostForm ctx={ctx} action={`/organizzazioni/${org.id}/competenze`}>
            <input type="hidden" name="action" value="add" />
            <AreaSelect lang={lang} name="area" value={cv.area} error={ce.area} areas={view.areas} />
            <SelectField lang={lang} name="level" label={cm(lang, 'level')} value={cv.level ?? 'core'} error={ce.level} required options={COMPETENCE_LEVELS.map((l) => ({ value: l, label: levelLabel(lang, l) }))} />
            <TextArea lang={lang} name="descriptionIt" label={cm(lang, 'descriptionIt')} value={cv.descriptionIt} error={ce.descriptionIt} hint={cm(lang, 'competenceDescriptionHint')} rows={2} maxLength={1000} />
            <TextArea lang={lang} name="descriptionEn" label={cm(lang, 'descriptionEn')} value={cv.descriptionEn} error={ce.descriptionEn} rows={2} maxLength={1000} />
            <button type="submit" class="btn btn-primary">
              {cm(lang, 'save')}
            </button>
          </PostForm>
        </div>
      </section>
      <section aria-labelledby="facilities-title">
        <h2 class="h4" id="facilities-title">
          {cm(lang, 'facilities')}
        </h2>
        {view.facilities.length === 0 ? (
          <p>{cm(lang, 'noFacilities')}</p>
        ) : (
          <ul data-testid="facilities">
            {view.facilities.map((f) => (
              <li class="mb-1">
                <a href={`/organizzazioni/${org.id}/strutture/${f.id}`} aria-label={cm(lang, 'editFacility', { name: f.name })}>
                  {f.name}
                </a>{' '}
                – {typeLabel(lang, f.type)}
                {f.accreditations.length > 0 ? ` · ${f.accreditations.join(', ')}` : ''} · {cm(lang, 'visibleTo')}: {visibilityLabel(lang, f.visibility)}
              </li>
            ))}
          </ul>
        )}
        <h3 class="h5 mt-4">{cm(lang, 'addFacility')}</h3>
        <div class="col-12 col-lg-8">
          <ErrorSummary lang={lang} errors={fe} labels={facilityLabels(lang)} />
          <PostForm ctx={ctx} action={`/organizzazioni/${org.id}/strutture`}>
            <FacilityFields lang={lang} values={view.facilityValues ?? {}} errors={fe} areas={view.areas} selected={view.facilityAreas ?? new Set()} />
            <button type="submit" class="btn btn-primary">
              {cm(lang, 'addFacility')}
            </button>
          </PostForm>
        </div>
      </section>
      <p class="mt-4">
        <a href={`/organizzazioni/${org.id}`}>{cm(lang, 'backToOrganisation')}</a>
      </p>
    </Layout>
  );
}

export function FacilityEditPage({
  ctx,
  org,
  facilityId,
  values,
  selected,
  areas,
  errors = {},
}: {
  ctx: PageContext;
  org: { id: string; name: string };
  facilityId: string;
  values: Values;
  selected: Set<string>;
  areas: AreaOption[];
  errors?: Errors;
}) {
  const { lang } = ctx;
  const title = cm(lang, 'editFacility', { name: values.name ?? '' });
  const action = `/organizzazioni/${org.id}/strutture/${facilityId}`;
  return (
    <Layout
      ctx={ctx}
      title={title}
      section="organisations"
      breadcrumbs={[
        { label: t(lang, 'nav.home'), href: '/' },
        { label: org.name, href: `/organizzazioni/${org.id}` },
        { label: cm(lang, 'manageCompetences'), href: `/organizzazioni/${org.id}/competenze` },
        { label: values.name ?? '' },
      ]}
    >
      <h1 class="mb-4">{title}</h1>
      <div class="col-12 col-lg-8">
        <ErrorSummary lang={lang} errors={errors} labels={facilityLabels(lang)} />
        <PostForm ctx={ctx} action={action}>
          <input type="hidden" name="action" value="save" />
          <FacilityFields lang={lang} values={values} errors={errors} areas={areas} selected={selected} />
          <button type="submit" class="btn btn-primary">
            {cm(lang, 'save')}
          </button>
        </PostForm>
        <PostForm ctx={ctx} action={action} class="mt-4">
          <input type="hidden" name="action" value="delete" />
          <button type="submit" class="btn btn-outline-danger">
            {cm(lang, 'deleteFacility')}
          </button>
        </PostForm>
      </div>
    </Layout>
  );
}

// ---------------------------------------------------------------------------- public pages

export interface FacilityPageView {
  id: string;
  name: string;
  type: FacilityType;
  organisation: { id: string; name: string };
  descriptionIt: string | null;
  descriptionEn: string | null;
  accessIt: string | null;
  accessEn: string | null;
  accreditations: string[];
  place: string | null;
  areas: string[];
  visibility: Visibility;
  canEdit: boolean;
}

function Localised({ lang, it, en }: { lang: Lang; it: string | null; en: string | null }) {
  if (!it && !en) return null;
  const chosen = it ? pick(lang, it, en) : { text: en!, fallback: lang === 'it' };
  return <p lang={chosen.fallback ? (lang === 'it' ? 'en' : 'it') : undefined}>{chosen.text}</p>;
}

export function FacilityPage({ ctx, view, canonical }: { ctx: PageContext; view: FacilityPageView; canonical: string }) {
  const { lang } = ctx;
  return (
    <Layout
      ctx={ctx}
      title={view.name}
      canonical={view.visibility === 'public' ? canonical : undefined}
      section="organisations"
      breadcrumbs={[{ label: t(lang, 'nav.home'), href: '/' }, { label: view.organisation.name, href: `/organizzazioni/${view.organisation.id}` }, { label: view.name }]}
    >
      <p class="text-secondary mb-1">
        {typeLabel(lang, view.type)} · <a href={`/organizzazioni/${view.organisation.id}`}>{cm(lang, 'facilityOf', { name: view.organisation.name })}</a>
      </p>
      <h1 class="mb-4">{view.name}</h1>
      {view.canEdit ? (
        <p>
          <a class="btn btn-outline-primary btn-sm" href={`/organizzazioni/${view.organisation.id}/strutture/${view.id}`}>
            {cm(lang, 'edit')}
          </a>
        </p>
      ) : null}
      <div class="row">
        <div class="col-12 col-lg-8">
          <h2 class="h4">{cm(lang, 'description')}</h2>
          <Localised lang={lang} it={view.descriptionIt} en={view.descriptionEn} />
          {view.accessIt || view.accessEn ? (
            <>
              <h2 class="h4 mt-4">{cm(lang, 'access')}</h2>
              <Localised lang={lang} it={view.accessIt} en={view.accessEn} />
            </>
          ) : null}
          {view.areas.length > 0 ? (
            <>
              <h2 class="h4 mt-4">{cm(lang, 'areas')}</h2>
              <ul>
                {view.areas.map((a) => (
                  <li>{a}</li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
        <div class="col-12 col-lg-4">
          <dl class="ch-dl card card-bg shadow-sm card-body">
            <dt>{cm(lang, 'accreditations')}</dt>
            <dd>{view.accreditations.length > 0 ? view.accreditations.join(', ') : '—'}</dd>
            <dt>{cm(lang, 'location')}</dt>
            <dd>{view.place ?? '—'}</dd>
            <dt>{cm(lang, 'visibleTo')}</dt>
            <dd>{visibilityLabel(lang, view.visibility)}</dd>
          </dl>
        </div>
      </div>
    </Layout>
  );
}

export interface PersonPageView {
  id: string;
  name: string;
  headline: string | null;
  organisation: { id: string; name: string } | null;
  summaryIt: string | null;
  summaryEn: string | null;
  keywords: string[];
  areas: string[];
  orcid: string | null;
  visibility: Visibility;
  own: boolean;
}

export function PersonPage({ ctx, view, canonical }: { ctx: PageContext; view: PersonPageView; canonical: string }) {
  const { lang } = ctx;
  return (
    <Layout ctx={ctx} title={view.name} canonical={view.visibility === 'public' ? canonical : undefined} breadcrumbs={[{ label: t(lang, 'nav.home'), href: '/' }, { label: view.name }]}>
      <h1 class="mb-1">{view.name}</h1>
      <p class="lead mb-1">{view.headline}</p>
      {view.organisation ? (
        <p>
          <a href={`/organizzazioni/${view.organisation.id}`}>{cm(lang, 'personOf', { name: view.organisation.name })}</a>
        </p>
      ) : null}
      {view.own ? (
        <p>
          <a class="btn btn-outline-primary btn-sm" href="/profilo/competenze">
            {cm(lang, 'edit')}
          </a>
        </p>
      ) : null}
      <Localised lang={lang} it={view.summaryIt} en={view.summaryEn} />
      <dl class="ch-dl">
        {view.keywords.length > 0 ? (
          <>
            <dt>{cm(lang, 'keywords')}</dt>
            <dd>{view.keywords.join(', ')}</dd>
          </>
        ) : null}
        {view.areas.length > 0 ? (
          <>
            <dt>{cm(lang, 'areas')}</dt>
            <dd>{view.areas.join(', ')}</dd>
          </>
        ) : null}
        {view.orcid ? (
          <>
            <dt>ORCID</dt>
            <dd>
              <a href={`https://orcid.org/${view.orcid}`} rel="noopener">
                {view.orcid}
              </a>
            </dd>
          </>
        ) : null}
        <dt>{cm(lang, 'visibleTo')}</dt>
        <dd>{visibilityLabel(lang, view.visibility, true)}</dd>
      </dl>
    </Layout>
  );
}

export function ExpertisePage({
  ctx,
  published,
  values,
  selected,
  areas,
  affiliations,
  errors = {},
  notice,
}: {
  ctx: PageContext;
  published: boolean;
  values: Values;
  selected: Set<string>;
  areas: AreaOption[];
  affiliations: { id: string; legal_name: string }[];
  errors?: Errors;
  notice?: string | undefined;
}) {
  const { lang } = ctx;
  const title = cm(lang, 'expertiseTitle');
  const labels = {
    organisationId: cm(lang, 'affiliation'),
    headline: cm(lang, 'headline'),
    summaryIt: cm(lang, 'summaryIt'),
    summaryEn: cm(lang, 'summaryEn'),
    keywords: cm(lang, 'keywords'),
    areas: cm(lang, 'areas'),
    orcid: cm(lang, 'orcid'),
    visibility: cm(lang, 'visibility'),
  };
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={[{ label: t(lang, 'nav.home'), href: '/' }, { label: t(lang, 'nav.profile'), href: '/profilo' }, { label: title }]}>
      <h1 class="mb-2">{title}</h1>
      <p class="lead">{cm(lang, 'expertiseLead')}</p>
      <Notice text={notice} />
      {!published ? <p class="callout note">{cm(lang, 'expertiseNone')}</p> : null}
      <div class="col-12 col-lg-8">
        <ErrorSummary lang={lang} errors={errors} labels={labels} />
        <PostForm ctx={ctx} action="/profilo/competenze">
          <input type="hidden" name="action" value="save" />
          <SelectField lang={lang} name="organisationId" label={labels.organisationId} value={values.organisationId} error={errors.organisationId} empty={cm(lang, 'affiliationNone')} options={affiliations.map((a) => ({ value: a.id, label: a.legal_name }))} />
          <TextField lang={lang} name="headline" label={labels.headline} value={values.headline} error={errors.headline} maxLength={200} />
          <TextArea lang={lang} name="summaryIt" label={labels.summaryIt} value={values.summaryIt} error={errors.summaryIt} rows={3} maxLength={4000} />
          <TextArea lang={lang} name="summaryEn" label={labels.summaryEn} value={values.summaryEn} error={errors.summaryEn} rows={3} maxLength={4000} />
          <TextField lang={lang} name="keywords" label={labels.keywords} value={values.keywords} error={errors.keywords} hint={cm(lang, 'keywordsHint')} />
          <AreaChecklist lang={lang} selected={selected} areas={areas} error={errors.areas} />
          <TextField lang={lang} name="orcid" label={labels.orcid} value={values.orcid} error={errors.orcid} hint={cm(lang, 'orcidHint')} maxLength={60} />
          <SelectField lang={lang} name="visibility" label={labels.visibility} value={values.visibility ?? 'members'} error={errors.visibility} required options={visibilityOptions(lang, true)} />
          <button type="submit" class="btn btn-primary">
            {published ? cm(lang, 'update') : cm(lang, 'publish')}
          </button>
        </PostForm>
        {published ? (
          <PostForm ctx={ctx} action="/profilo/competenze" class="mt-4">
            <input type="hidden" name="action" value="withdraw" />
            <button type="submit" class="btn btn-outline-danger">
              {cm(lang, 'withdraw')}
            </button>
          </PostForm>
        ) : null}
      </div>
    </Layout>
  );
}

/** The competences and visible facilities on an organisation's own page. */
export function OrganisationCompetenceSections({
  lang,
  orgId,
  competences,
  facilities,
  canEdit,
}: {
  lang: Lang;
  orgId: string;
  competences: CompetenceView[];
  facilities: FacilityView[];
  canEdit: boolean;
}) {
  if (competences.length === 0 && facilities.length === 0 && !canEdit) return null;
  return (
    <>
      <h2 class="h4 mt-4">{cm(lang, 'competencesOf')}</h2>
      {competences.length === 0 ? (
        <p class="text-secondary">{cm(lang, 'noCompetences')}</p>
      ) : (
        <ul data-testid="org-competences">
          {competences.map((c) => (
            <li>
              {c.label} <span class="text-secondary">– {cm(lang, `levelShort_${c.level}`)}</span>
              {c.description ? <span class="d-block small">{c.description}</span> : null}
            </li>
          ))}
        </ul>
      )}
      {facilities.length > 0 ? (
        <>
          <h2 class="h4 mt-4">{cm(lang, 'facilitiesOf')}</h2>
          <ul data-testid="org-facilities">
            {facilities.map((f) => (
              <li>
                <a href={`/strutture/${f.id}`}>{f.name}</a> – {typeLabel(lang, f.type)}
                {f.accreditations.length > 0 ? ` · ${f.accreditations.join(', ')}` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {canEdit ? (
        <p>
          <a class="btn btn-outline-primary btn-sm" href={`/organizzazioni/${orgId}/competenze`}>
            {cm(lang, 'manageCompetences')}
          </a>
        </p>
      ) : null}
    </>
  );
}
