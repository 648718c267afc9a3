import { t } from '../../platform/i18n.js';
import { Layout, type PageContext } from '../../platform/layout.js';

export interface OperationDoc {
  method: string;
  path: string;
  summary: string;
  tag: string;
  parameters: { name: string; in: string; required: boolean; description: string; schema: string }[];
  responses: { status: string; description: string }[];
}

export function ApiDocsPage({ ctx, operations, version }: { ctx: PageContext; operations: OperationDoc[]; version: string }) {
  const { lang } = ctx;
  const link = '/api/openapi.json';
  const [before, after] = t(lang, 'apiDocs.lead', { url: '\u0000' }).split('\u0000');
  // Summaries and descriptions come from the OpenAPI document, which is written in English.
  const docLang = lang === 'en' ? undefined : 'en';
  return (
    <Layout
      ctx={ctx}
      title={t(lang, 'apiDocs.title')}
      section="api"
      breadcrumbs={[{ label: t(lang, 'nav.home'), href: '/' }, { label: t(lang, 'apiDocs.title') }]}
    >
      <h1 class="mb-3">{t(lang, 'apiDocs.title')}</h1>
      <p class="lead">
        {before}
        <a href={link}>{link}</a>
        {after}
      </p>
      <p class="text-secondary">OpenAPI 3.1 · v{version}</p>
      {operations.map((op) => (
        <section class="mt-5" aria-labelledby={`op-${op.method}-${op.path}`}>
          <h2 class="h4" id={`op-${op.method}-${op.path}`}>
            <span class="badge bg-primary me-2">{op.method.toUpperCase()}</span>
            <code>{op.path}</code>
          </h2>
          <p lang={docLang}>{op.summary}</p>
          <h3 class="h6">{t(lang, 'apiDocs.parameters')}</h3>
          {op.parameters.length === 0 ? (
            <p class="text-secondary">{t(lang, 'apiDocs.none')}</p>
          ) : (
            <div class="table-responsive" tabindex={0}>
              <table class="table table-sm">
                <thead>
                  <tr>
                    <th scope="col">{t(lang, 'apiDocs.name')}</th>
                    <th scope="col">{t(lang, 'apiDocs.in')}</th>
                    <th scope="col">{t(lang, 'apiDocs.required')}</th>
                    <th scope="col">{t(lang, 'apiDocs.description')}</th>
                  </tr>
                </thead>
                <tbody>
                  {op.parameters.map((p) => (
                    <tr>
                      <th scope="row">
                        <code>{p.name}</code>
                      </th>
                      <td>{p.in}</td>
                      <td>{p.required ? t(lang, 'apiDocs.yes') : t(lang, 'apiDocs.no')}</td>
                      <td>
                        <span lang={docLang}>{p.description}</span> <code class="text-secondary">{p.schema}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h3 class="h6">{t(lang, 'apiDocs.responses')}</h3>
          <ul>
            {op.responses.map((r) => (
              <li>
                <code>{r.status}</code> <span lang={docLang}>{r.description}</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </Layout>
  );
}
