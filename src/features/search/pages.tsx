import type { ComponentChildren } from 'preact';
import { SelectField } from '../../platform/forms.js';
import { t, type Lang } from '../../platform/i18n.js';
import { LOMBARDY_PROVINCES } from '../../platform/identifiers/index.js';
import { Layout, type PageContext } from '../../platform/layout.js';
import { om, sizeKey } from '../organisations/messages.js';
import { detectLanguage } from '../matching/text.js';
import { sm } from './messages.js';
import { COUNT_CAP } from './repository.js';
import { MAP_HEIGHT, MAP_WIDTH, PROVINCE_SHAPES } from './lombardy-provinces.js';
import { searchQueryString } from './presenter.js';
import type { SearchResponseDto } from './schemas.js';

export type SearchParams = Partial<Record<'q' | 'kind' | 'cluster' | 'type' | 'province' | 'competence' | 'size' | 'cursor', string>>;

const FACETS = [
  ['kind', 'facetKind'],
  ['cluster', 'facetCluster'],
  ['competence', 'facetCompetence'],
  ['type', 'facetType'],
  ['province', 'facetProvince'],
  ['size', 'facetSize'],
] as const;

/** Text with its matching words in <mark>. */
function Marked({ text, ranges }: { text: string; ranges: number[][] }) {
  const parts: ComponentChildren[] = [];
  let at = 0;
  for (const [start, end] of ranges as [number, number][]) {
    if (start < at) continue;
    if (start > at) parts.push(text.slice(at, start));
    parts.push(<mark>{text.slice(start, end)}</mark>);
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}

function place(lang: Lang, item: { city: string | null; provinceCode: string | null; countryCode: string | null }): string {
  if (item.countryCode && item.countryCode !== 'IT') return [item.city, sm(lang, 'abroad', { country: item.countryCode })].filter(Boolean).join(' · ');
  if (!item.city && !item.provinceCode) return '';
  const lombard = LOMBARDY_PROVINCES.some((p) => p.sigla === item.provinceCode);
  return `${item.city ?? ''}${item.provinceCode ? ` (${item.provinceCode})` : ''}${item.provinceCode && !lombard ? ` · ${om(lang, 'outsideLombardy')}` : ''}`.trim();
}

function filterLabel(lang: Lang, name: string, value: string, facets: SearchResponseDto['facets']): string {
  const known = (facets as Record<string, { value: string; label: string }[]>)[name]?.find((f) => f.value === value);
  if (known) return known.label;
  if (name === 'type') return t(lang, `orgType.${value}` as Parameters<typeof t>[1]);
  if (name === 'size') return om(lang, sizeKey(value));
  if (name === 'kind') return sm(lang, `kind_${value}` as 'kind_organisation');
  if (name === 'province') return LOMBARDY_PROVINCES.find((p) => p.sigla === value)?.name ?? value;
  return value;
}

export interface SearchPageView {
  params: SearchParams;
  result: SearchResponseDto;
  canonical: string;
}

export function SearchPage({ ctx, view }: { ctx: PageContext; view: SearchPageView }) {
  const { lang } = ctx;
  const { params, result } = view;
  const title = sm(lang, 'title');
  const hasQuery = !!params.q?.trim();
  const active = FACETS.filter(([name]) => params[name]);
  const withParams = (changes: SearchParams) => `/cerca${searchQueryString({ ...params, cursor: undefined, ...changes })}`;
  const count = result.totalApproximate
    ? hasQuery
      ? sm(lang, 'resultsAtLeastFor', { count: result.total, q: params.q!.trim() })
      : sm(lang, 'resultsAtLeast', { count: result.total })
    : hasQuery
    ? result.total === 1
      ? sm(lang, 'resultsOneFor', { q: params.q!.trim() })
      : sm(lang, 'resultsFor', { count: result.total, q: params.q!.trim() })
    : result.total === 1
      ? sm(lang, 'resultsOne')
      : sm(lang, 'results', { count: result.total });
  return (
    <Layout ctx={ctx} title={hasQuery ? `${params.q!.trim()} – ${title}` : title} description={sm(lang, 'lead')} section="search" canonical={view.canonical} breadcrumbs={[{ label: t(lang, 'nav.home'), href: '/' }, { label: title }]}>
      <h1 class="mb-2">{title}</h1>
      <p class="lead">{sm(lang, 'lead')}</p>
      <form method="get" action="/cerca" role="search" class="mb-4 ch-search-form">
        <div class="form-group mb-2">
          <label for="f-q" class="active">
            {sm(lang, 'queryLabel')}
          </label>
          <div class="d-flex gap-2">
            <input type="search" id="f-q" name="q" class="form-control" value={params.q ?? ''} maxLength={200} aria-describedby="h-q" autoComplete="off" />
            <button type="submit" class="btn btn-primary">
              {sm(lang, 'submit')}
            </button>
          </div>
          <small id="h-q" class="form-text">
            {sm(lang, 'queryHint')}
          </small>
        </div>
        {FACETS.filter(([name]) => params[name]).map(([name]) => (
          <input type="hidden" name={name} value={params[name]} />
        ))}
      </form>
      <div class="row">
        <div class="col-12 col-lg-3">
          <nav aria-labelledby="facets-title" data-testid="facets">
            <h2 class={`h5${result.total === 0 && active.length === 0 ? ' visually-hidden' : ''}`} id="facets-title">
              {sm(lang, 'refine')}
            </h2>
            {active.length > 0 ? (
              <div class="mb-3">
                <h3 class="h6">{sm(lang, 'activeFilters')}</h3>
                <ul class="list-unstyled" data-testid="active-filters">
                  {active.map(([name, key]) => {
                    const label = `${sm(lang, key)}: ${filterLabel(lang, name, params[name]!, result.facets)}`;
                    return (
                      <li class="mb-1">
                        <a href={withParams({ [name]: undefined })} class="ch-chip" aria-label={sm(lang, 'removeFilter', { label })}>
                          {label} <span aria-hidden="true">×</span>
                        </a>
                      </li>
                    );
                  })}
                </ul>
                {active.length > 1 ? (
                  <a href={`/cerca${searchQueryString({ q: params.q })}`} class="small">
                    {sm(lang, 'removeAll')}
                  </a>
                ) : null}
              </div>
            ) : null}
            {FACETS.map(([name, key]) => {
              const values = (result.facets as Record<string, { value: string; label: string; count: number }[]>)[name] ?? [];
              if (values.length === 0) return null;
              return (
                <section class="mb-3 ch-facet" aria-labelledby={`facet-${name}`}>
                  <h3 class="h6" id={`facet-${name}`}>
                    {sm(lang, key)}
                  </h3>
                  <ul class="list-unstyled mb-0" data-facet={name}>
                    {values.slice(0, 12).map((f) => {
                      const current = params[name] === f.value;
                      return (
                        <li>
                          <a
                            href={withParams({ [name]: current ? undefined : f.value })}
                            aria-current={current ? 'true' : undefined}
                            class={current ? 'fw-bold' : undefined}
                            data-value={f.value}
                          >
                            {f.label}
                          </a>{' '}
                          <span class="ch-count" data-count={f.count} data-approximate={result.approximate ? 'true' : undefined}>
                            {result.approximate ? `≥ ${f.count}` : f.count}
                          </span>
                        </li>
                      );
                    })}
                  </ul>
                </section>
              );
            })}
            <p class="mt-4">
              <a href={`/mappa${searchQueryString({ cluster: params.cluster, competence: params.competence })}`}>{sm(lang, 'seeMap')}</a>
            </p>
          </nav>
        </div>
        <div class="col-12 col-lg-9">
          <p role="status" data-testid="result-count" class="fw-semibold">
            {count}
          </p>
          {result.corrections.length > 0 ? <p class="small">{sm(lang, 'corrected', { words: result.corrections.map((c) => sm(lang, 'quoted', { word: c.to })).join(', ') })}</p> : null}
          {result.expandedAreas.length > 0 ? <p class="small text-secondary-emphasis">{sm(lang, 'expanded', { areas: result.expandedAreas.map((a) => a.label).join(', ') })}</p> : null}
          {result.approximate ? (
            <p class="small" data-testid="approximate">
              {sm(lang, result.totalApproximate ? 'approximate' : 'approximateFacets', { read: COUNT_CAP })}
            </p>
          ) : null}
          {result.relaxed ? <p class="small">{sm(lang, 'relaxed')}</p> : null}
          {result.ignored.length > 0 && result.total > 0 ? <p class="small">{sm(lang, 'ignored', { words: result.ignored.join(', ') })}</p> : null}
          {result.items.length === 0 ? (
            <div class="callout note" data-testid="no-results">
              <div class="callout-title">{sm(lang, 'emptyTitle')}</div>
              <p>{sm(lang, 'emptyLead')}</p>
              <ul>
                {result.suggestions.map((s) => (
                  <li>
                    <a href={s.url}>
                      {s.kind === 'correction'
                        ? sm(lang, 'tryCorrection', { q: s.label })
                        : s.kind === 'remove_filters'
                          ? sm(lang, 'tryRemoveFilters')
                          : sm(lang, 'tryArea', { label: s.label })}
                    </a>
                  </li>
                ))}
                <li>{sm(lang, 'tryOther')}</li>
              </ul>
            </div>
          ) : (
            <ol class="list-unstyled" data-testid="results">
              {result.items.map((item) => {
                const where = place(lang, item);
                const highlights = item.highlights.filter((h) => h.field !== 'name');
                return (
                  <li class="card card-bg shadow-sm mb-3" data-kind={item.kind}>
                    <div class="card-body">
                      <p class="small text-secondary mb-1">
                        <span class="ch-kind">{sm(lang, `kindOne_${item.kind}`)}</span>
                        {item.orgType ? ` · ${t(lang, `orgType.${item.orgType}`)}` : ''}
                        {where ? ` · ${where}` : ''}
                      </p>
                      <h2 class="h5 card-title mb-1">
                        <a href={item.url}>
                          {(() => {
                            const name = item.highlights.find((h) => h.field === 'name');
                            return name ? <Marked text={name.text} ranges={name.ranges} /> : item.title;
                          })()}
                        </a>
                      </h2>
                      {item.organisation ? (
                        <p class="small mb-1">
                          <a href={item.organisation.url}>{sm(lang, 'of', { name: item.organisation.name })}</a>
                        </p>
                      ) : null}
                      {highlights.length > 0 ? (
                        <dl class="ch-hits mb-1">
                          {highlights.slice(0, 3).map((h) => (
                            <>
                              <dt class="visually-hidden">{sm(lang, `field_${h.field}`)}</dt>
                              <dd class="mb-1">
                                <span class="ch-hit-field">{sm(lang, `field_${h.field}`)}:</span>{' '}
                                <span lang={otherLanguage(h.text, lang)}>
                                  <Marked text={h.text} ranges={h.ranges} />
                                </span>
                              </dd>
                            </>
                          ))}
                        </dl>
                      ) : item.description ? (
                        <p class="mb-1" lang={otherLanguage(item.description, lang)}>
                          {item.description.length > 220 ? `${item.description.slice(0, 220)}…` : item.description}
                        </p>
                      ) : null}
                      {item.matchedCompetences.length > 0 ? (
                        <p class="mb-0 small">
                          {sm(lang, 'matched')}:{' '}
                          {item.matchedCompetences.slice(0, 5).map((c, i) => (
                            <>
                              {i > 0 ? ', ' : ''}
                              <span class="ch-tag">{c}</span>
                            </>
                          ))}
                        </p>
                      ) : null}
                      {item.clusters.length > 0 ? <p class="mb-0 small text-secondary">{om(lang, 'memberOf')}: {item.clusters.map((c) => c.name).join(', ')}</p> : null}
                    </div>
                  </li>
                );
              })}
            </ol>
          )}
          {result.nextCursor || params.cursor ? (
            <nav class="pagination-wrapper" aria-label={sm(lang, 'pagination')}>
              <ul class="pagination">
                {params.cursor ? (
                  <li class="page-item">
                    <a class="page-link" href={withParams({})}>
                      {sm(lang, 'first')}
                    </a>
                  </li>
                ) : null}
                {result.nextCursor ? (
                  <li class="page-item">
                    <a class="page-link" href={`/cerca${searchQueryString({ ...params, cursor: result.nextCursor })}`} rel="next">
                      {sm(lang, 'next')}
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

// ---------------------------------------------------------------------------- the map

/** Light to dark; text is dark on the first three and white on the last two (contrast ≥ 4.5:1). */
export const COLOURS = ['#f2f2f2', '#d4e5f6', '#9cc3ea', '#2f6ea8', '#123f6e'];

/** The colour of a province's label on a province of class `cls`. */
export function labelColour(cls: number): string {
  return cls >= 3 ? '#ffffff' : '#1a1a1a';
}

export function colourClasses(counts: number[]): { from: number; to: number }[] {
  const max = Math.max(0, ...counts);
  if (max === 0) return [];
  const step = Math.max(1, Math.ceil(max / 4));
  const out: { from: number; to: number }[] = [];
  for (let from = 1; from <= max; from += step) out.push({ from, to: Math.min(max, from + step - 1) });
  return out;
}

function classOf(count: number, classes: { from: number; to: number }[]): number {
  if (count === 0) return 0;
  const i = classes.findIndex((c) => count >= c.from && count <= c.to);
  return Math.min(COLOURS.length - 1, (i === -1 ? classes.length - 1 : i) + 1);
}

export interface MapView {
  total: number;
  provinces: { code: string; name: string; nuts3: string; count: number }[];
  outside: { total: number; items: { id: string; name: string; city: string | null; provinceCode: string | null; countryCode: string | null; url: string }[] };
  filters: { cluster?: string | undefined; competence?: string | undefined };
  clusters: { slug: string; name: string }[];
  competences: { value: string; label: string; group: string }[];
  canonical: string;
}

export function MapPage({ ctx, view }: { ctx: PageContext; view: MapView }) {
  const { lang } = ctx;
  const title = sm(lang, 'mapTitle');
  const classes = colourClasses(view.provinces.map((p) => p.count));
  const searchHref = (province: string) =>
    `/cerca${searchQueryString({ kind: 'organisation', province, cluster: view.filters.cluster, competence: view.filters.competence })}`;
  const lombardyTotal = view.provinces.reduce((sum, p) => sum + p.count, 0);
  const groups = [...new Set(view.competences.map((c) => c.group))];
  return (
    <Layout ctx={ctx} title={title} description={sm(lang, 'mapLead')} section="search" canonical={view.canonical} breadcrumbs={[{ label: t(lang, 'nav.home'), href: '/' }, { label: sm(lang, 'title'), href: '/cerca' }, { label: title }]}>
      <h1 class="mb-2">{title}</h1>
      <p class="lead">{sm(lang, 'mapLead')}</p>
      <form method="get" action="/mappa" class="row g-3 align-items-end mb-4" aria-labelledby="map-filters">
        <h2 class="visually-hidden" id="map-filters">
          {sm(lang, 'mapFilters')}
        </h2>
        <div class="col-12 col-md-4">
          <SelectField lang={lang} name="cluster" label={sm(lang, 'mapCluster')} value={view.filters.cluster} empty={sm(lang, 'mapAll')} options={view.clusters.map((c) => ({ value: c.slug, label: c.name }))} />
        </div>
        <div class="col-12 col-md-4">
          <div class="select-wrapper mb-4">
            <label for="f-competence">{sm(lang, 'mapCompetence')}</label>
            <select id="f-competence" name="competence">
              <option value="">{sm(lang, 'mapAll')}</option>
              {groups.map((g) => (
                <optgroup label={g}>
                  {view.competences
                    .filter((c) => c.group === g)
                    .map((c) => (
                      <option value={c.value} selected={c.value === view.filters.competence}>
                        {c.label}
                      </option>
                    ))}
                </optgroup>
              ))}
            </select>
          </div>
        </div>
        <div class="col-12 col-md-4 mb-4 d-flex flex-wrap gap-2">
          <button type="submit" class="btn btn-primary">
            {sm(lang, 'mapApply')}
          </button>
          <a href="/mappa" class="btn btn-outline-secondary">
            {sm(lang, 'mapReset')}
          </a>
        </div>
      </form>
      <div class="row">
        <div class="col-12 col-xl-8">
          <figure class="ch-map mb-4" data-testid="map">
            <svg viewBox={`0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`} role="group" aria-labelledby="map-svg-title map-svg-desc" class="ch-map-svg" xmlns="http://www.w3.org/2000/svg">
              <title id="map-svg-title">{sm(lang, 'mapSvgTitle')}</title>
              <desc id="map-svg-desc">{sm(lang, 'mapSvgDesc')}</desc>
              {view.provinces.map((p) => {
                const shape = PROVINCE_SHAPES[p.code];
                if (!shape) return null;
                const cls = classOf(p.count, classes);
                return (
                  <a
                    href={searchHref(p.code)}
                    aria-label={p.count === 1 ? sm(lang, 'mapProvinceOne', { name: p.name }) : sm(lang, 'mapProvince', { name: p.name, count: p.count })}
                    class="ch-map-province"
                    data-province={p.code}
                    data-count={p.count}
                  >
                    <path d={shape.d} fill={COLOURS[cls]} stroke="#5c6f82" stroke-width={1} stroke-linejoin="round" fill-rule="evenodd" />
                  </a>
                );
              })}
              {/* Drawn after every province, so that no neighbour covers a label. Outside the links: a
                  link's name says it all; these are for sighted readers. The halo in the province's own
                  colour keeps the label on its fill (the contrast map.test.ts checks) where it overhangs. */}
              <g aria-hidden="true" class="ch-map-label">
                {view.provinces.map((p) => {
                  const shape = PROVINCE_SHAPES[p.code];
                  if (!shape) return null;
                  const cls = classOf(p.count, classes);
                  return (
                    <g data-province={p.code} fill={labelColour(cls)} stroke={COLOURS[cls]}>
                      <text x={shape.label.x} y={shape.label.y - 2} text-anchor="middle" class="ch-map-code">
                        {p.code}
                      </text>
                      <text x={shape.label.x} y={shape.label.y + 13} text-anchor="middle" class="ch-map-count">
                        {p.count}
                      </text>
                    </g>
                  );
                })}
              </g>
            </svg>
            <figcaption class="small mt-2">
              {sm(lang, 'mapCaption')}{' '}
              <span data-testid="map-attribution">
                {sm(lang, 'mapAttribution')}{' '}
                <a href={sm(lang, 'mapLicenceUrl')} rel="license">
                  {sm(lang, 'mapLicence')}
                </a>
              </span>
            </figcaption>
          </figure>
        </div>
        <div class="col-12 col-xl-4">
          <h2 class="h5">{sm(lang, 'legend')}</h2>
          <ul class="list-unstyled ch-legend" data-testid="legend">
            <li>
              <span class="ch-swatch" style={`background:${COLOURS[0]}`} aria-hidden="true" /> {sm(lang, 'legendNone')}
            </li>
            {classes.map((c, i) => (
              <li>
                <span class="ch-swatch" style={`background:${COLOURS[Math.min(COLOURS.length - 1, i + 1)]}`} aria-hidden="true" />{' '}
                {c.from === c.to ? (c.from === 1 ? sm(lang, 'legendOne', { from: c.from }) : sm(lang, 'legendFrom', { from: c.from })) : sm(lang, 'legendRange', { from: c.from, to: c.to })}
              </li>
            ))}
          </ul>
        </div>
      </div>
      <h2 class="h4 mt-2" id="map-table-title">
        {sm(lang, 'tableTitle')}
      </h2>
      <div class="table-responsive" tabindex={0}>
        <table class="table table-sm" data-testid="map-table" aria-labelledby="map-table-title">
          <thead>
            <tr>
              <th scope="col">{sm(lang, 'tableProvince')}</th>
              <th scope="col">{sm(lang, 'tableNuts')}</th>
              <th scope="col" class="text-end">
                {sm(lang, 'tableMembers')}
              </th>
            </tr>
          </thead>
          <tbody>
            {view.provinces.map((p) => (
              <tr data-province={p.code}>
                <th scope="row">
                  <a href={searchHref(p.code)} aria-label={sm(lang, 'searchMembers', { name: p.name })}>
                    {p.name} ({p.code})
                  </a>
                </th>
                <td>{p.nuts3}</td>
                <td class="text-end">{p.count}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={2}>
                {sm(lang, 'tableTotal')}
              </th>
              <td class="text-end">{lombardyTotal}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      <section aria-labelledby="outside-title" class="mt-4" data-testid="outside">
        <h2 class="h4" id="outside-title">
          {sm(lang, 'outsideTitle')}
        </h2>
        {view.outside.total === 0 ? (
          <p>{sm(lang, 'outsideNone')}</p>
        ) : (
          <>
            <p>
              {sm(lang, 'outsideLead', { count: view.outside.total })}
              {view.outside.total > view.outside.items.length ? ` ${sm(lang, 'outsideMore', { shown: view.outside.items.length })}` : ''}
            </p>
            <ul>
              {view.outside.items.map((o) => (
                <li>
                  <a href={o.url}>{o.name}</a> –{' '}
                  {o.countryCode && o.countryCode !== 'IT'
                    ? [o.city, sm(lang, 'abroad', { country: o.countryCode })].filter(Boolean).join(', ')
                    : o.provinceCode
                      ? [o.city, sm(lang, 'otherProvince', { code: o.provinceCode })].filter(Boolean).join(', ')
                      : (o.city ?? sm(lang, 'unknownPlace'))}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </Layout>
  );
}

/**
 * The language of a result's text when it is not the page's (WCAG 3.1.2: screen readers then read
 * it with the right voice). Documents hold Italian and English text side by side and a snippet does
 * not say which it came from, so it is told from its function words (Italian when it cannot tell).
 */
function otherLanguage(text: string, lang: Lang): Lang | undefined {
  const detected = detectLanguage(text);
  return detected === lang ? undefined : detected;
}
