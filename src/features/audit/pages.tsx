import { formatDateTime } from '../../platform/dates.js';
import { ErrorSummary, SelectField, TextField, type Errors } from '../../platform/forms.js';
import { t, type Lang } from '../../platform/i18n.js';
import { Layout, type Crumb, type PageContext } from '../../platform/layout.js';
import type { OutboxEntry, OutboxMessage } from '../../platform/mail/mailer.js';
import { RETRY_DELAYS_MINUTES, type UndeliveredMail } from '../../platform/mail/queue.js';
import { actorLabel, au, entityTypeLabel } from './messages.js';
import type { AuditChange, AuditEntryView, AuditPage } from './service.js';

/** The filter values as typed (query string), echoed back into the form and the page links. */
export interface AuditFilterValues {
  action: string;
  entityType: string;
  from: string;
  to: string;
}

const VALUE_MAX = 300;

function formatValue(lang: Lang, value: unknown): string {
  if (value === undefined) return au(lang, 'absent');
  if (value === null || value === '') return '—';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > VALUE_MAX ? `${text.slice(0, VALUE_MAX)}…` : text;
}

/** Only what changed: `key: before → after` (a creation shows the new value alone). */
function Changes({ lang, changes }: { lang: Lang; changes: AuditChange[] }) {
  if (changes.length === 0) return <span class="text-secondary small">{au(lang, 'noChanges')}</span>;
  return (
    <ul class="list-unstyled mb-0 small">
      {changes.map((c) => (
        <li class="mb-1" style="overflow-wrap: anywhere">
          {c.key ? <code>{c.key}</code> : null}
          {c.key ? ': ' : null}
          {c.before === undefined ? null : (
            <>
              <del class="text-secondary">{formatValue(lang, c.before)}</del>{' '}
              <span aria-hidden="true">→</span>
              <span class="visually-hidden">{au(lang, 'becomes')}</span>{' '}
            </>
          )}
          <ins style="text-decoration: none">
            <strong>{formatValue(lang, c.after)}</strong>
          </ins>
        </li>
      ))}
    </ul>
  );
}

function Entity({ lang, entry }: { lang: Lang; entry: AuditEntryView }) {
  return (
    <>
      <div>{entityTypeLabel(lang, entry.entity.type)}</div>
      {entry.organisation ? (
        <div class="small">
          <a href={`/organizzazioni/${entry.organisation.id}`}>{entry.organisation.name}</a>
        </div>
      ) : null}
      {entry.entity.id && entry.entity.id !== entry.organisation?.id ? (
        <div class="small text-secondary">
          <code>{entry.entity.id}</code>
        </div>
      ) : null}
    </>
  );
}

function queryString(values: AuditFilterValues, cursor?: number): string {
  const params = new URLSearchParams();
  if (values.action) params.set('action', values.action);
  if (values.entityType) params.set('entityType', values.entityType);
  if (values.from) params.set('from', values.from);
  if (values.to) params.set('to', values.to);
  if (cursor !== undefined) params.set('cursor', String(cursor));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export interface AuditLogPageProps {
  ctx: PageContext;
  title: string;
  lead: string;
  breadcrumbs: Crumb[];
  /** The page's own path: the filter form and the page links go back to it. */
  path: string;
  values: AuditFilterValues;
  errors: Errors;
  entityTypes: string[];
  page: AuditPage;
  /** Whether this page follows a cursor (shows the link back to the newest entries). */
  paged: boolean;
  /** The Region's view spans every cluster: show which one each entry belongs to. */
  showCluster: boolean;
}

export function AuditLogPage(props: AuditLogPageProps) {
  const { ctx, title, lead, breadcrumbs, path, values, errors, entityTypes, page, paged, showCluster } = props;
  const { lang } = ctx;
  const labels = { action: au(lang, 'actionPrefix'), entityType: au(lang, 'entityType'), from: au(lang, 'from'), to: au(lang, 'to') };
  return (
    <Layout ctx={ctx} title={title} section="manage" breadcrumbs={breadcrumbs}>
      <h1 class="mb-3">{title}</h1>
      <p class="lead">{lead}</p>
      <section aria-labelledby="audit-filters" class="mb-4">
        <h2 class="h5" id="audit-filters">
          {au(lang, 'filters')}
        </h2>
        <ErrorSummary lang={lang} errors={errors} labels={labels} />
        <form method="get" action={path} class="row g-3 align-items-end" role="search" aria-labelledby="audit-filters">
          <div class="col-12 col-md-6 col-lg-3">
            <TextField lang={lang} name="action" label={labels.action} value={values.action} error={errors.action} hint={au(lang, 'actionPrefixHint')} maxLength={80} />
          </div>
          <div class="col-12 col-md-6 col-lg-3">
            <SelectField
              lang={lang}
              name="entityType"
              label={labels.entityType}
              value={values.entityType}
              error={errors.entityType}
              empty={au(lang, 'allEntityTypes')}
              options={entityTypes.map((type) => ({ value: type, label: entityTypeLabel(lang, type) }))}
            />
          </div>
          <div class="col-6 col-lg-2">
            <TextField lang={lang} name="from" type="date" label={labels.from} value={values.from} error={errors.from} />
          </div>
          <div class="col-6 col-lg-2">
            <TextField lang={lang} name="to" type="date" label={labels.to} value={values.to} error={errors.to} />
          </div>
          <div class="col-12 col-lg-2 mb-4 d-flex flex-column gap-2">
            <button type="submit" class="btn btn-primary">
              {au(lang, 'apply')}
            </button>
            <a href={path} class="btn btn-outline-secondary">
              {au(lang, 'reset')}
            </a>
          </div>
        </form>
      </section>
      {page.entries.length === 0 ? (
        <p data-testid="audit-empty">{au(lang, 'empty')}</p>
      ) : (
        <div class="table-responsive" tabindex={0}>
          <table class="table" data-testid="audit-log">
            <caption class="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{au(lang, 'when')}</th>
                <th scope="col">{au(lang, 'who')}</th>
                <th scope="col">{au(lang, 'action')}</th>
                {showCluster ? <th scope="col">{au(lang, 'cluster')}</th> : null}
                <th scope="col">{au(lang, 'entity')}</th>
                <th scope="col">{au(lang, 'changes')}</th>
              </tr>
            </thead>
            <tbody>
              {page.entries.map((entry) => (
                <tr data-audit-id={String(entry.id)}>
                  <td class="text-nowrap">
                    <time dateTime={entry.at.toISOString()}>{formatDateTime(entry.at, lang)}</time>
                  </td>
                  <td style="overflow-wrap: anywhere">{actorLabel(lang, entry.actor.label)}</td>
                  <td>
                    <code>{entry.action}</code>
                  </td>
                  {showCluster ? <td>{entry.cluster ? <a href={`/cluster/${entry.cluster.slug}`}>{entry.cluster.name}</a> : '—'}</td> : null}
                  <td>
                    <Entity lang={lang} entry={entry} />
                  </td>
                  <td>
                    <Changes lang={lang} changes={entry.changes} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page.nextCursor !== null || paged ? (
        <nav aria-label={au(lang, 'pagination')} class="d-flex gap-3 mt-3">
          {paged ? <a href={`${path}${queryString(values)}`}>{au(lang, 'newest')}</a> : null}
          {page.nextCursor !== null ? (
            <a href={`${path}${queryString(values, page.nextCursor)}`} rel="next">
              {au(lang, 'older')}
            </a>
          ) : null}
        </nav>
      ) : null}
    </Layout>
  );
}

/** Breadcrumbs of the Region's pages: Home / Manage / (page). */
export function regionCrumbs(lang: Lang, last: string, extra: Crumb[] = []): Crumb[] {
  return [{ label: t(lang, 'nav.home'), href: '/' }, { label: t(lang, 'nav.manage'), href: '/gestione' }, ...extra, { label: last }];
}

export function OutboxPage({
  ctx,
  transport,
  entries,
  limit,
  undelivered,
  undeliveredLimit,
}: {
  ctx: PageContext;
  transport: 'smtp' | 'outbox';
  entries: OutboxEntry[];
  limit: number;
  undelivered: UndeliveredMail[];
  undeliveredLimit: number;
}) {
  const { lang } = ctx;
  const title = au(lang, 'outboxTitle');
  return (
    <Layout ctx={ctx} title={title} section="manage" breadcrumbs={regionCrumbs(lang, title)}>
      <h1 class="mb-3">{title}</h1>
      <h2 class="h4 mt-4">{au(lang, 'deliveryTitle')}</h2>
      {undelivered.length === 0 ? (
        <p data-testid="delivery-ok">{au(lang, 'deliveryAllSent')}</p>
      ) : (
        <>
          <p>{au(lang, 'deliveryLead', { delays: listOf(RETRY_DELAYS_MINUTES.map(String), lang) })}</p>
          {undelivered.length >= undeliveredLimit ? <p class="text-secondary">{au(lang, 'deliveryShown', { count: undeliveredLimit })}</p> : null}
          <div class="table-responsive" tabindex={0}>
            <table class="table" data-testid="undelivered">
              <caption class="visually-hidden">{au(lang, 'deliveryTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{au(lang, 'created')}</th>
                  <th scope="col">{au(lang, 'recipient')}</th>
                  <th scope="col">{au(lang, 'subject')}</th>
                  <th scope="col">{au(lang, 'attempts')}</th>
                  <th scope="col">{au(lang, 'nextAttempt')}</th>
                  <th scope="col">{au(lang, 'lastError')}</th>
                </tr>
              </thead>
              <tbody>
                {undelivered.map((m) => (
                  <tr>
                    <td class="text-nowrap">
                      <time dateTime={m.createdAt.toISOString()}>{formatDateTime(m.createdAt, lang)}</time>
                    </td>
                    <td style="overflow-wrap: anywhere">{m.to}</td>
                    <td>{m.subject || au(lang, 'noSubject')}</td>
                    <td>{m.attempts}</td>
                    <td class="text-nowrap">
                      {m.nextAttemptAt ? (
                        <time dateTime={m.nextAttemptAt.toISOString()}>{formatDateTime(m.nextAttemptAt, lang)}</time>
                      ) : (
                        <strong>{au(lang, 'givenUp', { date: formatDateTime(m.failedAt!, lang) })}</strong>
                      )}
                    </td>
                    <td style="overflow-wrap: anywhere">{m.lastError ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <h2 class="h4 mt-4">{au(lang, 'devOutboxTitle')}</h2>
      {transport === 'smtp' ? (
        <div class="alert alert-info" role="status" data-testid="outbox-smtp">
          {au(lang, 'outboxSmtp')}
        </div>
      ) : (
        <>
          <p class="lead">{au(lang, 'outboxLead')}</p>
          {entries.length === 0 ? (
            <p>{au(lang, 'outboxEmpty')}</p>
          ) : (
            <>
              {entries.length >= limit ? <p class="text-secondary">{au(lang, 'outboxShown', { count: limit })}</p> : null}
              <div class="table-responsive" tabindex={0}>
                <table class="table" data-testid="outbox">
                  <caption class="visually-hidden">{au(lang, 'devOutboxTitle')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{au(lang, 'date')}</th>
                      <th scope="col">{au(lang, 'recipient')}</th>
                      <th scope="col">{au(lang, 'subject')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {entries.map((e) => (
                      <tr>
                        <td class="text-nowrap">
                          <time dateTime={e.date.toISOString()}>{formatDateTime(e.date, lang)}</time>
                        </td>
                        <td style="overflow-wrap: anywhere">{e.to}</td>
                        <td>
                          <a href={`/regione/posta/${encodeURIComponent(e.file)}`}>{e.subject || au(lang, 'noSubject')}</a>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </>
      )}
    </Layout>
  );
}

export function OutboxMessagePage({ ctx, message }: { ctx: PageContext; message: OutboxMessage }) {
  const { lang } = ctx;
  const title = message.subject || au(lang, 'noSubject');
  return (
    <Layout ctx={ctx} title={title} section="manage" breadcrumbs={regionCrumbs(lang, title, [{ label: au(lang, 'outboxTitle'), href: '/regione/posta' }])}>
      <h1 class="mb-3">{title}</h1>
      <dl class="ch-dl">
        <dt>{au(lang, 'date')}</dt>
        <dd>
          <time dateTime={message.date.toISOString()}>{formatDateTime(message.date, lang)}</time>
        </dd>
        <dt>{au(lang, 'recipient')}</dt>
        <dd>{message.to}</dd>
        <dt>{au(lang, 'file')}</dt>
        <dd>
          <code>{message.file}</code>
        </dd>
      </dl>
      <h2 class="h4 mt-4">{au(lang, 'raw')}</h2>
      <p class="small text-secondary">{au(lang, 'rawHint')}</p>
      <pre class="border p-3 bg-light" style="white-space: pre-wrap; overflow-wrap: anywhere" tabIndex={0} data-testid="outbox-raw">
        {message.raw}
      </pre>
      <p class="mt-3">
        <a href="/regione/posta">{au(lang, 'backToOutbox')}</a>
      </p>
    </Layout>
  );
}

/** "1, 5 e 15" / "1, 5 and 15". */
function listOf(items: string[], lang: Lang): string {
  return new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(items);
}
