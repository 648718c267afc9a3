import { COLLABORATION_STATUSES, type CollaborationStatus } from '../../db/schema.js';
import { formatDate, formatDateTime } from '../../platform/dates.js';
import { ErrorSummary, PostForm, SelectField, TextArea, TextField, type Errors } from '../../platform/forms.js';
import { t, type Lang } from '../../platform/i18n.js';
import { HistoryTimeline } from '../../platform/history.js';
import { Layout, type PageContext } from '../../platform/layout.js';
import { itemTitle } from '../offers/presenter.js';
import { clm } from './messages.js';
import { allowedNext } from './service.js';

export interface InboxInterest {
  id: string;
  from_organisation_id: string;
  to_organisation_id: string;
  from_name: string;
  to_name: string;
  offer_id: string | null;
  need_id: string | null;
  offer_title_it: string | null;
  offer_title_en: string | null;
  need_title_it: string | null;
  need_title_en: string | null;
  message: string;
  status: string;
  created_at: Date;
  collaboration_id: string | null;
  collaboration_status: string | null;
}

function subject(i: InboxInterest, lang: Lang) {
  const title = itemTitle({ title_it: i.offer_title_it ?? i.need_title_it, title_en: i.offer_title_en ?? i.need_title_en }, lang) || clm(lang, 'untitled');
  const href = i.offer_id ? `/offerte/${i.offer_id}` : i.need_id ? `/fabbisogni/${i.need_id}` : null;
  return href ? <a href={href}>{title}</a> : <>{title}</>;
}

export function InboxPage({
  ctx,
  organisation,
  interests,
  canAct,
  digestEnabled,
  notice,
  errors = {},
}: {
  ctx: PageContext;
  organisation: { id: string; name: string };
  interests: InboxInterest[];
  canAct: boolean;
  digestEnabled: boolean;
  notice?: string | undefined;
  errors?: Errors;
}) {
  const { lang } = ctx;
  const title = clm(lang, 'inboxTitle', { organisation: organisation.name });
  const received = interests.filter((i) => i.to_organisation_id === organisation.id);
  const sent = interests.filter((i) => i.from_organisation_id === organisation.id);
  const collaborations = interests.filter((i) => i.collaboration_id);
  return (
    <Layout ctx={ctx} title={title} section="matching" breadcrumbs={[{ label: t(lang, 'nav.home'), href: '/' }, { label: organisation.name, href: `/organizzazioni/${organisation.id}` }, { label: title }]}>
      <h1 class="mb-3">{title}</h1>
      {notice ? (
        <div class="alert alert-success" role="status">
          {notice}
        </div>
      ) : null}
      <ErrorSummary lang={lang} errors={errors} labels={{ note: clm(lang, 'note') }} />
      <h2 class="h4 mt-4">{clm(lang, 'received')}</h2>
      {received.length === 0 ? (
        <p>{clm(lang, 'noneReceived')}</p>
      ) : (
        <ul class="list-unstyled" data-testid="interests-received">
          {received.map((i) => (
            <li class="card card-bg shadow-sm mb-3">
              <div class="card-body">
                <h3 class="h5 mb-1">
                  {clm(lang, 'from')}: {i.from_name}
                </h3>
                <p class="small text-secondary mb-2">
                  {clm(lang, 'about')}: {subject(i, lang)} · {formatDateTime(i.created_at, lang)} · <span data-testid="interest-status">{clm(lang, `interest.${i.status as 'sent'}`)}</span>
                </p>
                <blockquote class="mb-3" style="white-space: pre-line">
                  {i.message}
                </blockquote>
                {canAct && i.status === 'sent' ? (
                  <PostForm ctx={ctx} action={`/organizzazioni/${organisation.id}/interessi/${i.id}`}>
                    <TextField lang={lang} name="note" label={clm(lang, 'note')} maxLength={4000} />
                    <div class="d-flex gap-2">
                      <button type="submit" name="action" value="accept" class="btn btn-success">
                        {clm(lang, 'accept')}
                      </button>
                      <button type="submit" name="action" value="decline" class="btn btn-outline-danger">
                        {clm(lang, 'decline')}
                      </button>
                    </div>
                  </PostForm>
                ) : null}
                {i.collaboration_id ? (
                  <p class="mb-0">
                    <a href={`/collaborazioni/${i.collaboration_id}`}>{clm(lang, `status.${i.collaboration_status as 'exploring'}`)}</a>
                  </p>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}
      <h2 class="h4 mt-4">{clm(lang, 'sent')}</h2>
      {sent.length === 0 ? (
        <p>{clm(lang, 'noneSent')}</p>
      ) : (
        <div class="table-responsive" tabindex={0}>
          <table class="table" data-testid="interests-sent">
            <caption class="visually-hidden">{clm(lang, 'sent')}</caption>
            <thead>
              <tr>
                <th scope="col">{clm(lang, 'to')}</th>
                <th scope="col">{clm(lang, 'about')}</th>
                <th scope="col">{clm(lang, 'date')}</th>
                <th scope="col">{clm(lang, 'status')}</th>
              </tr>
            </thead>
            <tbody>
              {sent.map((i) => (
                <tr>
                  <th scope="row">{i.to_name}</th>
                  <td>{subject(i, lang)}</td>
                  <td>{formatDateTime(i.created_at, lang)}</td>
                  <td>{clm(lang, `interest.${i.status as 'sent'}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2 class="h4 mt-4">{clm(lang, 'collaborations')}</h2>
      {collaborations.length === 0 ? (
        <p>{clm(lang, 'noCollaborations')}</p>
      ) : (
        <ul>
          {collaborations.map((i) => (
            <li>
              <a href={`/collaborazioni/${i.collaboration_id}`}>
                {i.from_name} – {i.to_name}
              </a>
              : {clm(lang, `status.${i.collaboration_status as 'exploring'}`)}
            </li>
          ))}
        </ul>
      )}
      <section class="mt-4" aria-labelledby="digest-title">
        <h2 class="h4" id="digest-title">
          {clm(lang, 'digestTitle')}
        </h2>
        <p>{digestEnabled ? clm(lang, 'digestOn') : clm(lang, 'digestOff')}</p>
        {canAct ? (
          <PostForm ctx={ctx} action={`/organizzazioni/${organisation.id}/riepilogo`}>
            <input type="hidden" name="enabled" value={digestEnabled ? 'no' : 'yes'} />
            <button type="submit" class="btn btn-outline-primary btn-sm">
              {digestEnabled ? clm(lang, 'digestDisable') : clm(lang, 'digestEnable')}
            </button>
          </PostForm>
        ) : null}
      </section>
    </Layout>
  );
}

export interface CollaborationView {
  id: string;
  title: string;
  status: CollaborationStatus;
  initiator: { id: string; name: string };
  partner: { id: string; name: string };
  offerId: string | null;
  needId: string | null;
  createdAt: Date;
  events: { from_status: string | null; to_status: string; note: string | null; at: Date; actor_name: string | null }[];
}

export function CollaborationPage({ ctx, view, notice, errors = {} }: { ctx: PageContext; view: CollaborationView; notice?: string | undefined; errors?: Errors }) {
  const { lang } = ctx;
  const title = clm(lang, 'collaborationTitle', { title: view.title });
  const next = allowedNext(view.status);
  return (
    <Layout ctx={ctx} title={title} section="matching" breadcrumbs={[{ label: t(lang, 'nav.home'), href: '/' }, { label: title }]}>
      <h1 class="mb-3">{title}</h1>
      {notice ? (
        <div class="alert alert-success" role="status">
          {notice}
        </div>
      ) : null}
      <p>
        <span class="badge bg-primary" data-testid="collaboration-status">
          {clm(lang, `status.${view.status}`)}
        </span>{' '}
        {clm(lang, 'since', { date: formatDate(view.createdAt.toISOString().slice(0, 10), lang) })}
      </p>
      <div class="row">
        <div class="col-12 col-lg-7">
          <dl class="ch-dl">
            <dt>{clm(lang, 'parties')}</dt>
            <dd>
              <a href={`/organizzazioni/${view.initiator.id}`}>{view.initiator.name}</a>, <a href={`/organizzazioni/${view.partner.id}`}>{view.partner.name}</a>
            </dd>
            <dt>{clm(lang, 'about')}</dt>
            <dd>{view.offerId ? <a href={`/offerte/${view.offerId}`}>{view.title}</a> : view.needId ? <a href={`/fabbisogni/${view.needId}`}>{view.title}</a> : view.title}</dd>
          </dl>
          <h2 class="h4 mt-4">{clm(lang, 'history')}</h2>
          <HistoryTimeline
            lang={lang}
            entries={view.events.map((e) => ({ label: clm(lang, `status.${e.to_status as 'exploring'}`), at: e.at, actor: e.actor_name, note: e.note }))}
          />
        </div>
        <div class="col-12 col-lg-5">
          {next.length > 0 ? (
            <section class="card card-bg shadow-sm" aria-labelledby="move-title">
              <div class="card-body">
                <h2 class="h5" id="move-title">
                  {clm(lang, 'changeStatus')}
                </h2>
                <ErrorSummary lang={lang} errors={errors} labels={{ note: clm(lang, 'note'), status: clm(lang, 'newStatus') }} />
                <PostForm ctx={ctx} action={`/collaborazioni/${view.id}`}>
                  <SelectField lang={lang} name="status" label={clm(lang, 'newStatus')} options={next.map((s) => ({ value: s, label: clm(lang, `status.${s}`) }))} />
                  <TextArea lang={lang} name="note" label={clm(lang, 'note')} error={errors.note} rows={3} maxLength={4000} />
                  <button type="submit" class="btn btn-primary">
                    {clm(lang, 'update')}
                  </button>
                </PostForm>
              </div>
            </section>
          ) : null}
        </div>
      </div>
    </Layout>
  );
}

export interface PipelineRow {
  id: string;
  title: string;
  status: CollaborationStatus;
  created_at: Date;
  updated_at: Date;
  initiator_name: string;
  partner_name: string;
}

export function PipelinePage({
  ctx,
  cluster,
  rows,
  figures,
}: {
  ctx: PageContext;
  cluster: { slug: string; name: string };
  rows: PipelineRow[];
  figures: { interests: number; accepted: number; collaborations: number; projects: number; won: number; byStatus: Record<CollaborationStatus, number> };
}) {
  const { lang } = ctx;
  const title = clm(lang, 'pipelineTitle', { cluster: cluster.name });
  const manage = lang === 'it' ? 'Gestione' : 'Manage';
  return (
    <Layout
      ctx={ctx}
      title={title}
      section="manage"
      breadcrumbs={[
        { label: t(lang, 'nav.home'), href: '/' },
        { label: manage, href: '/gestione' },
        { label: cluster.name, href: `/cluster/${cluster.slug}/gestione` },
        { label: clm(lang, 'collaborations') },
      ]}
    >
      <h1 class="mb-2">{title}</h1>
      <p class="lead">{clm(lang, 'pipelineLead')}</p>
      <section aria-labelledby="figures-title" class="mb-4">
        <h2 class="h4" id="figures-title">
          {clm(lang, 'figuresTitle')}
        </h2>
        <dl class="row ch-figures" data-testid="pipeline-figures">
          {(
            [
              ['figInterests', figures.interests],
              ['figAccepted', figures.accepted],
              ['figCollaborations', figures.collaborations],
              ['figProjects', figures.projects],
              ['figWon', figures.won],
            ] as const
          ).map(([key, value]) => (
            <div class="col-6 col-md-4 col-lg mb-3">
              <dt class="small">{clm(lang, key)}</dt>
              <dd class="h3 mb-0">{value}</dd>
            </div>
          ))}
        </dl>
      </section>
      <div class="row ch-pipeline" data-testid="pipeline">
        {COLLABORATION_STATUSES.map((status) => {
          const items = rows.filter((r) => r.status === status);
          return (
            <section class="col-12 col-md-6 col-xl mb-3" aria-labelledby={`col-${status}`}>
              <h2 class="h6 ch-pipeline-title" id={`col-${status}`}>
                {clm(lang, `status.${status}`)} <span class="badge bg-secondary">{figures.byStatus[status]}</span>
              </h2>
              {items.length === 0 ? (
                <p class="small text-secondary">—</p>
              ) : (
                <ul class="list-unstyled">
                  {items.map((r) => (
                    <li class="card card-bg shadow-sm mb-2">
                      <div class="card-body p-3">
                        <p class="mb-1 fw-semibold">
                          <a href={`/collaborazioni/${r.id}`}>{r.title}</a>
                        </p>
                        <p class="small mb-1">
                          {r.initiator_name} – {r.partner_name}
                        </p>
                        <p class="small text-secondary mb-0">{clm(lang, 'updatedOn', { date: formatDate(r.updated_at.toISOString().slice(0, 10), lang) })}</p>
                      </div>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          );
        })}
      </div>
    </Layout>
  );
}
