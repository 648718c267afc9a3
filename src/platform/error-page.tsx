import type { ErrorCode, FieldError } from './errors.js';
import { t } from './i18n.js';
import { Layout, type PageContext } from './layout.js';

export interface ErrorPageProps {
  ctx: PageContext;
  status: number;
  code: ErrorCode;
  message: string;
  fields: FieldError[];
  requestId: string;
}

export function ErrorPage({ ctx, status, code, message, fields, requestId }: ErrorPageProps) {
  const { lang } = ctx;
  const title =
    status === 404
      ? t(lang, 'error.notFoundTitle')
      : status >= 500
        ? t(lang, 'error.serverTitle')
        : status === 400
          ? t(lang, 'error.badRequestTitle')
          : t(lang, 'error.title');
  // A server error says only that something failed, unless its code has a message written for the
  // reader (e.g. a stored document that no longer matches what was uploaded).
  const lead = status === 404 ? t(lang, 'error.notFoundLead') : status >= 500 && (code === 'internal' || !message) ? t(lang, 'error.serverLead') : message;
  return (
    <Layout ctx={ctx} title={title}>
      <div class="row">
        <div class="col-12 col-lg-8">
          <p class="text-secondary mb-1">
            {t(lang, 'error.title')} {status}
          </p>
          <h1 class="mb-3">{title}</h1>
          <p class="lead" data-error-code={code}>
            {lead}
          </p>
          {status === 404 && message ? <p class="small text-secondary">{message}</p> : null}
          {fields.length > 0 ? (
            <ul>
              {fields.map((f) => (
                <li>
                  <strong>{f.field}</strong>: {f.message}
                </li>
              ))}
            </ul>
          ) : null}
          {status >= 500 ? <p class="small">{t(lang, 'error.requestId', { id: requestId })}</p> : null}
          <p class="mt-4">
            <a class="btn btn-primary" href="/">
              {t(lang, 'error.backHome')}
            </a>
          </p>
        </div>
      </div>
    </Layout>
  );
}
