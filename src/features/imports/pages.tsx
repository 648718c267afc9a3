import { fieldMessage } from '../../platform/field-errors.js';
import { PostForm } from '../../platform/forms.js';
import { t, type Lang } from '../../platform/i18n.js';
import { Layout, type PageContext } from '../../platform/layout.js';
import { columnDescription, IMPORT_COLUMNS } from './columns.js';
import { im, type ImportMessageKey } from './messages.js';
import { MAX_FILE_BYTES, MAX_ROWS } from './parse.js';
import type { ImportReport, RowProblem } from './service.js';

export interface ClusterRef {
  slug: string;
  name: string;
}

export interface ClassRef {
  code: string;
  name: string;
}

/** Row errors shown on the page; the count says how many more there are. */
export const MAX_SHOWN_ERRORS = 1000;

function crumbs(lang: Lang, cluster: ClusterRef, last: string, extra: { label: string; href: string }[] = []) {
  return [
    { label: t(lang, 'nav.home'), href: '/' },
    { label: im(lang, 'manageTitle'), href: '/gestione' },
    { label: cluster.name, href: `/cluster/${cluster.slug}/gestione` },
    ...extra,
    { label: last },
  ];
}

export function rowProblemMessage(lang: Lang, p: RowProblem): string {
  return p.code === 'extra_cells' ? im(lang, 'row.extra_cells') : fieldMessage(lang, p.code, p.params);
}

function UploadForm({ ctx, cluster, primary = true }: { ctx: PageContext; cluster: ClusterRef; primary?: boolean }) {
  const { lang } = ctx;
  return (
    <PostForm ctx={ctx} action={`/cluster/${cluster.slug}/gestione/importa`} enctype="multipart/form-data" id="import-upload">
      <input type="hidden" name="mode" value="preview" />
      <div class="mb-3">
        <label for="f-file" class="form-label">
          {im(lang, 'file')}
        </label>
        <input
          type="file"
          id="f-file"
          name="file"
          class="form-control"
          required
          aria-required="true"
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          aria-describedby="h-file"
        />
        <small id="h-file" class="form-text">
          {im(lang, 'fileHint')}
        </small>
      </div>
      <button type="submit" class={primary ? 'btn btn-primary' : 'btn btn-outline-primary'}>
        {im(lang, 'previewButton')}
      </button>
    </PostForm>
  );
}

function ColumnsTable({ lang }: { lang: Lang }) {
  return (
    <div class="table-responsive" tabindex={0}>
      <table class="table table-sm" data-testid="import-columns">
        <caption class="visually-hidden">{im(lang, 'columnsTitle')}</caption>
        <thead>
          <tr>
            <th scope="col">{im(lang, 'column')}</th>
            <th scope="col">{im(lang, 'required')}</th>
            <th scope="col">{im(lang, 'description')}</th>
            <th scope="col">{im(lang, 'example')}</th>
          </tr>
        </thead>
        <tbody>
          {IMPORT_COLUMNS.map((c) => (
            <tr>
              <th scope="row">
                <code>{c.name}</code>
              </th>
              <td>{c.required ? im(lang, 'yes') : im(lang, 'no')}</td>
              <td>{columnDescription(c, lang)}</td>
              <td>
                <code>{c.example}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ImportPage({
  ctx,
  cluster,
  classes,
  notice,
  error,
}: {
  ctx: PageContext;
  cluster: ClusterRef;
  classes: ClassRef[];
  notice?: string | undefined;
  error?: string | undefined;
}) {
  const { lang } = ctx;
  const title = im(lang, 'title', { cluster: cluster.name });
  const base = `/cluster/${cluster.slug}/gestione`;
  return (
    <Layout ctx={ctx} title={title} section="manage" breadcrumbs={crumbs(lang, cluster, im(lang, 'crumb'))}>
      <h1 class="mb-3">{title}</h1>
      {notice ? (
        <div class="alert alert-success" role="status" data-testid="import-done">
          <h2 class="h5">{im(lang, 'doneTitle')}</h2>
          <p class="mb-0">{notice}</p>
        </div>
      ) : null}
      {error ? (
        <div class="alert alert-danger" role="alert" tabIndex={-1} id="error-summary">
          {error}
        </div>
      ) : null}
      <div class="row">
        <div class="col-12 col-lg-8">
          <p class="lead">{im(lang, 'lead')}</p>
          <p>{im(lang, 'rules', { rows: MAX_ROWS.toLocaleString(lang === 'it' ? 'it-IT' : 'en-GB'), mb: MAX_FILE_BYTES / 1024 / 1024 })}</p>
          <h2 class="h4 mt-4">{im(lang, 'upload')}</h2>
          {classes.length === 0 ? (
            <p class="alert alert-warning">
              {im(lang, 'noClasses')} <a href={`${base}/classi`}>{im(lang, 'manageClasses')}</a>
            </p>
          ) : null}
          <UploadForm ctx={ctx} cluster={cluster} />
        </div>
        <div class="col-12 col-lg-4 mt-4 mt-lg-0">
          <h2 class="h4">{im(lang, 'templates')}</h2>
          <ul>
            <li>
              <a href={`${base}/modello.csv`} download>
                {im(lang, 'templateCsv')}
              </a>
            </li>
            <li>
              <a href={`${base}/modello.xlsx`} download>
                {im(lang, 'templateXlsx')}
              </a>
            </li>
          </ul>
          <p class="small text-secondary">{im(lang, 'templatesHint')}</p>
          <h2 class="h4 mt-4">{im(lang, 'export')}</h2>
          <ul>
            <li>
              <a href={`${base}/soci.csv`}>CSV</a>
            </li>
            <li>
              <a href={`${base}/soci.xlsx`}>XLSX</a>
            </li>
          </ul>
          <h2 class="h4 mt-4">{im(lang, 'classesTitle')}</h2>
          {classes.length === 0 ? (
            <p class="text-secondary">—</p>
          ) : (
            <ul data-testid="import-classes">
              {classes.map((c) => (
                <li>
                  <code>{c.code}</code> – {c.name}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
      <h2 class="h4 mt-5">{im(lang, 'columnsTitle')}</h2>
      <ColumnsTable lang={lang} />
    </Layout>
  );
}

export function PreviewPage({ ctx, cluster, report, token }: { ctx: PageContext; cluster: ClusterRef; report: ImportReport; token?: string | undefined }) {
  const { lang } = ctx;
  const title = im(lang, 'previewTitle', { cluster: cluster.name });
  const { counts } = report;
  const shown = report.rowProblems.slice(0, MAX_SHOWN_ERRORS);
  const action = `/cluster/${cluster.slug}/gestione/importa`;
  return (
    <Layout
      ctx={ctx}
      title={title}
      section="manage"
      breadcrumbs={crumbs(lang, cluster, im(lang, 'previewCrumb'), [{ label: im(lang, 'crumb'), href: action }])}
    >
      <h1 class="mb-3">{title}</h1>
      <dl class="ch-dl" data-testid="import-counts">
        <dt>{im(lang, 'fileName')}</dt>
        <dd>{report.fileName}</dd>
        <dt>{im(lang, 'rows')}</dt>
        <dd data-count="rows">{counts.rows}</dd>
        <dt>{im(lang, 'toCreate')}</dt>
        <dd data-count="create">{counts.create}</dd>
        <dt>{im(lang, 'toUpdate')}</dt>
        <dd data-count="update">{counts.update}</dd>
        <dt>{im(lang, 'unchanged')}</dt>
        <dd data-count="unchanged">{counts.unchanged}</dd>
        {counts.rowsWithErrors > 0 ? (
          <>
            <dt>{im(lang, 'withErrors')}</dt>
            <dd data-count="errors">{counts.rowsWithErrors}</dd>
          </>
        ) : null}
      </dl>

      {report.fileProblems.length > 0 ? (
        <div class="alert alert-danger" role="alert" tabIndex={-1} id="error-summary" data-testid="file-errors">
          <h2 class="h5">{im(lang, 'fileErrorsTitle')}</h2>
          <ul class="mb-0">
            {report.fileProblems.map((p) => (
              <li>{im(lang, `file.${p.code}` as ImportMessageKey, p.params)}</li>
            ))}
          </ul>
        </div>
      ) : null}

      {report.rowProblems.length > 0 ? (
        <>
          <div class="alert alert-danger" role="alert" tabIndex={-1} id="error-summary">
            <h2 class="h5 mb-0">
              {report.rowProblems.length === 1 ? im(lang, 'rowErrorsTitleOne') : im(lang, 'rowErrorsTitle', { count: report.rowProblems.length })}
            </h2>
            {shown.length < report.rowProblems.length ? <p class="mb-0 mt-2">{im(lang, 'moreErrors', { shown: shown.length, count: report.rowProblems.length })}</p> : null}
          </div>
          <div class="table-responsive" tabindex={0}>
            <table class="table table-sm" data-testid="row-errors">
              <caption class="visually-hidden">{im(lang, 'withErrors')}</caption>
              <thead>
                <tr>
                  <th scope="col">{im(lang, 'row')}</th>
                  <th scope="col">{im(lang, 'column')}</th>
                  <th scope="col">{im(lang, 'value')}</th>
                  <th scope="col">{im(lang, 'problem')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((p) => (
                  <tr>
                    <th scope="row">{p.row}</th>
                    <td>{p.column ? <code>{p.column}</code> : '—'}</td>
                    <td>{p.value}</td>
                    <td>{p.href ? <a href={p.href}>{rowProblemMessage(lang, p)}</a> : rowProblemMessage(lang, p)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}

      {report.ok && token ? (
        <section class="card card-bg shadow-sm mb-4" aria-labelledby="ready-title">
          <div class="card-body">
            <h2 class="h4" id="ready-title">
              {im(lang, 'readyTitle')}
            </h2>
            <p>{im(lang, 'ready')}</p>
            <PostForm ctx={ctx} action={action} enctype="multipart/form-data" id="import-confirm">
              <input type="hidden" name="mode" value="commit" />
              <input type="hidden" name="token" value={token} />
              <button type="submit" class="btn btn-primary">
                {im(lang, 'confirm')}
              </button>
            </PostForm>
          </div>
        </section>
      ) : null}

      <h2 class="h4 mt-4">{im(lang, 'uploadAgain')}</h2>
      <UploadForm ctx={ctx} cluster={cluster} primary={!report.ok} />
    </Layout>
  );
}
