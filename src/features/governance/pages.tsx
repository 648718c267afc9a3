import type { ComponentChildren } from 'preact';
import { BOARD_ROLES, MAJORITY_RULES, MOTION_TYPES, VOTE_CHOICES, type BoardRole, type MotionType, type VoteChoice } from '../../db/schema.js';
import { formatDate, formatDateTime } from '../../platform/dates.js';
import { CheckboxField, ErrorSummary, PostForm, SelectField, TextArea, TextField, type Errors } from '../../platform/forms.js';
import { t, type Lang } from '../../platform/i18n.js';
import { Layout, type Crumb, type PageContext } from '../../platform/layout.js';
import { DOCUMENT_MAX_BYTES } from './documents.js';
import { gm } from './messages.js';
import type { BoardPermissions } from './policy.js';
import type { MeetingDetailDto, MotionSummaryDto, PublicBoardDto } from './schemas.js';

type Values = Record<string, string | undefined>;

export interface ClusterRef {
  slug: string;
  name: string;
}

/** A refusal shown in the page (the stable code travels in a data attribute). */
export interface PageError {
  code: string;
  message: string;
}

function Notices({ notice, error }: { notice?: string | undefined; error?: PageError | undefined }) {
  return (
    <>
      {notice ? (
        <div class="alert alert-success" role="status">
          {notice}
        </div>
      ) : null}
      {error ? (
        <div class="alert alert-danger" role="alert" data-error-code={error.code} id="page-error" tabIndex={-1}>
          {error.message}
        </div>
      ) : null}
    </>
  );
}

function boardCrumbs(lang: Lang, cluster: ClusterRef, extra: Crumb[]): Crumb[] {
  return [
    { label: t(lang, 'nav.home'), href: '/' },
    { label: t(lang, 'nav.clusters'), href: '/cluster' },
    { label: cluster.name, href: `/cluster/${cluster.slug}` },
    { label: gm(lang, 'board'), href: `/cluster/${cluster.slug}/consiglio` },
    ...extra,
  ];
}

function Section({ id, title, children, level = 2 }: { id: string; title: string; children: ComponentChildren; level?: 2 | 3 }) {
  const H = level === 2 ? 'h2' : 'h3';
  return (
    <section aria-labelledby={id} class="mb-5">
      <H class={level === 2 ? 'h4 mb-3' : 'h5 mb-3'} id={id}>
        {title}
      </H>
      {children}
    </section>
  );
}

function Card({ title, id, children }: { title: string; id: string; children: ComponentChildren }) {
  return (
    <section aria-labelledby={id} class="card card-bg shadow-sm mb-4">
      <div class="card-body">
        <h2 class="h5" id={id}>
          {title}
        </h2>
        {children}
      </div>
    </section>
  );
}

/** Bootstrap Italia sets callout text in a serif face; the rest of the page is sans-serif. */
const SANS = "font-family: 'Titillium Web', Geneva, Tahoma, sans-serif";

const localised = (lang: Lang, v: { it: string; en: string | null }) => (lang === 'en' ? (v.en ?? v.it) : v.it);

// ---------------------------------------------------------------------------------------------
// Public board page

export function PublicBoardPage({ ctx, board, canEnter }: { ctx: PageContext; board: PublicBoardDto; canEnter: boolean }) {
  const { lang } = ctx;
  const cluster = { slug: board.cluster.slug, name: board.cluster.name };
  const title = gm(lang, 'publicTitle', { cluster: cluster.name });
  const holders = board.seats.filter((s) => s.holder);
  return (
    <Layout ctx={ctx} title={title} section="clusters" breadcrumbs={boardCrumbs(lang, cluster, []).slice(0, -1).concat({ label: gm(lang, 'board') })}>
      <h1 class="mb-3">{title}</h1>
      <p class="lead">{gm(lang, 'publicLead')}</p>
      {board.inOfficeSince ? (
        <p data-testid="in-office-since">
          <strong>{gm(lang, 'inOfficeSince', { date: formatDate(board.inOfficeSince, lang) })}</strong>
          {board.source ? <span class="d-block small text-secondary">{gm(lang, 'source', { source: localised(lang, board.source) })}</span> : null}
        </p>
      ) : null}
      <h2 class="h4 mt-4">{gm(lang, 'currentBoard')}</h2>
      {holders.length === 0 ? (
        <div class="callout note" data-testid="board-empty">
          <p class="mb-0" style={SANS}>{board.inOfficeSince ? gm(lang, 'membersNotPublic') : gm(lang, 'noBoard')}</p>
        </div>
      ) : (
        <div class="table-responsive" tabindex={0}>
          <table class="table" data-testid="board">
            <caption class="visually-hidden">{gm(lang, 'currentBoard')}</caption>
            <thead>
              <tr>
                <th scope="col">{gm(lang, 'holder')}</th>
                <th scope="col">{gm(lang, 'role')}</th>
                <th scope="col">{gm(lang, 'organisation')}</th>
                <th scope="col">{gm(lang, 'constituency')}</th>
                <th scope="col">{gm(lang, 'term')}</th>
              </tr>
            </thead>
            <tbody>
              {holders.map((s) => (
                <tr>
                  <th scope="row">{s.holder!.name}</th>
                  <td>
                    {gm(lang, `role.${s.holder!.role}`)}
                    {s.voting ? '' : ` (${gm(lang, 'nonVoting')})`}
                  </td>
                  <td>
                    <a href={`/organizzazioni/${s.holder!.organisation.id}`}>{s.holder!.organisation.name}</a>
                  </td>
                  <td>{localised(lang, s.constituency)}</td>
                  <td>{gm(lang, 'termUntil', { date: formatDate(s.holder!.termEnd, lang) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {board.summaries.length > 0 ? (
        <>
          <h2 class="h4 mt-5">{gm(lang, 'summaries')}</h2>
          <ul class="list-unstyled">
            {board.summaries.map((s) => (
              <li class="mb-3">
                <strong>{s.meetingTitle}</strong> — <time dateTime={s.date}>{formatDate(s.date, lang)}</time>
                <p class="mb-0" style="white-space: pre-line">
                  {s.summary}
                </p>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {canEnter ? (
        <p class="mt-4">
          <a class="btn btn-outline-primary" href={`/cluster/${cluster.slug}/consiglio/riunioni`}>
            {gm(lang, 'reservedArea')}
          </a>
        </p>
      ) : null}
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------
// Meetings

export interface MeetingListItem {
  id: string;
  title: string;
  startsAt: Date;
  status: 'convened' | 'closed' | 'cancelled';
  motions: number;
  minutesStatus: 'draft' | 'approved' | null;
}

function MeetingStatus({ lang, status }: { lang: Lang; status: 'convened' | 'closed' | 'cancelled' }) {
  const tone = status === 'convened' ? 'primary' : status === 'closed' ? 'secondary' : 'danger';
  return <span class={`badge bg-${tone}`}>{gm(lang, `meetingStatus.${status}`)}</span>;
}

export function MeetingsPage({ ctx, cluster, meetings, perms }: { ctx: PageContext; cluster: ClusterRef; meetings: MeetingListItem[]; perms: BoardPermissions }) {
  const { lang } = ctx;
  const title = gm(lang, 'meetingsTitle', { cluster: cluster.name });
  return (
    <Layout ctx={ctx} title={title} section="clusters" breadcrumbs={boardCrumbs(lang, cluster, [{ label: gm(lang, 'meetings') }])}>
      <h1 class="mb-4">{title}</h1>
      <p class="d-flex flex-wrap gap-2">
        {perms.compose ? (
          <a class="btn btn-primary" href={`/cluster/${cluster.slug}/consiglio/riunioni/nuova`}>
            {gm(lang, 'convene')}
          </a>
        ) : null}
        <a class="btn btn-outline-primary" href="/consiglio/calendario">
          {gm(lang, 'calendar')}
        </a>
        {perms.compose ? (
          <>
            <a class="btn btn-outline-primary" href={`/cluster/${cluster.slug}/gestione/consiglio`}>
              {gm(lang, 'manageBoard')}
            </a>
            <a class="btn btn-outline-primary" href={`/cluster/${cluster.slug}/gestione/consiglio/regole`}>
              {gm(lang, 'manageRules')}
            </a>
          </>
        ) : null}
      </p>
      {meetings.length === 0 ? (
        <p>{gm(lang, 'noMeetings')}</p>
      ) : (
        <div class="table-responsive" tabindex={0}>
          <table class="table" data-testid="meetings">
            <caption class="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{gm(lang, 'title')}</th>
                <th scope="col">{gm(lang, 'when')}</th>
                <th scope="col">{gm(lang, 'status')}</th>
                <th scope="col">{gm(lang, 'motions')}</th>
                <th scope="col">{gm(lang, 'minutes')}</th>
              </tr>
            </thead>
            <tbody>
              {meetings.map((m) => (
                <tr>
                  <th scope="row">
                    <a href={`/cluster/${cluster.slug}/consiglio/riunioni/${m.id}`}>{m.title}</a>
                  </th>
                  <td>{formatDateTime(m.startsAt, lang)}</td>
                  <td>
                    <MeetingStatus lang={lang} status={m.status} />
                  </td>
                  <td>{m.motions}</td>
                  <td>{m.minutesStatus ? gm(lang, m.minutesStatus === 'approved' ? 'approved' : 'draft') : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

function meetingLabels(lang: Lang): Record<string, string> {
  return {
    title: gm(lang, 'title'),
    date: gm(lang, 'date'),
    time: gm(lang, 'time'),
    endTime: gm(lang, 'endTime'),
    place: gm(lang, 'place'),
    videoUrl: gm(lang, 'videoUrl'),
    agenda: gm(lang, 'agendaField'),
  };
}

function MeetingFields({ lang, values, errors, withAgenda, prefix = '' }: { lang: Lang; values: Values; errors: Errors; withAgenda: boolean; prefix?: string }) {
  const n = (name: string) => `${prefix}${name}`;
  return (
    <>
      <TextField lang={lang} name={n('title')} label={gm(lang, 'title')} value={values.title} error={errors.title} required maxLength={200} />
      <div class="row">
        <div class="col-12 col-md-4">
          <TextField lang={lang} name={n('date')} type="date" label={gm(lang, 'date')} value={values.date} error={errors.date} required />
        </div>
        <div class="col-6 col-md-4">
          <TextField lang={lang} name={n('time')} label={gm(lang, 'time')} value={values.time} error={errors.time} required hint="HH:MM" maxLength={5} />
        </div>
        <div class="col-6 col-md-4">
          <TextField lang={lang} name={n('endTime')} label={gm(lang, 'endTime')} value={values.endTime} error={errors.endTime} required hint="HH:MM" maxLength={5} />
        </div>
      </div>
      <TextField lang={lang} name={n('place')} label={gm(lang, 'place')} value={values.place} error={errors.place} hint={gm(lang, 'placeHint')} maxLength={300} />
      <TextField lang={lang} name={n('videoUrl')} type="url" label={gm(lang, 'videoUrl')} value={values.videoUrl} error={errors.videoUrl} maxLength={500} />
      {withAgenda ? <TextArea lang={lang} name="agenda" label={gm(lang, 'agendaField')} value={values.agenda} error={errors.agenda} hint={gm(lang, 'agendaHint')} required rows={5} /> : null}
    </>
  );
}

export function ConvenePage({ ctx, cluster, values = {}, errors = {}, error }: { ctx: PageContext; cluster: ClusterRef; values?: Values; errors?: Errors; error?: PageError | undefined }) {
  const { lang } = ctx;
  const title = gm(lang, 'conveneTitle', { cluster: cluster.name });
  return (
    <Layout ctx={ctx} title={title} section="clusters" breadcrumbs={boardCrumbs(lang, cluster, [{ label: gm(lang, 'meetings'), href: `/cluster/${cluster.slug}/consiglio/riunioni` }, { label: gm(lang, 'convene') }])}>
      <div class="row">
        <div class="col-12 col-lg-8">
          <h1 class="mb-3">{title}</h1>
          <p class="lead">{gm(lang, 'conveneLead')}</p>
          <Notices error={error} />
          <ErrorSummary lang={lang} errors={errors} labels={meetingLabels(lang)} />
          <PostForm ctx={ctx} action={`/cluster/${cluster.slug}/consiglio/riunioni`} id="convene-form">
            <MeetingFields lang={lang} values={values} errors={errors} withAgenda />
            <button type="submit" class="btn btn-primary">
              {gm(lang, 'send')}
            </button>
          </PostForm>
        </div>
      </div>
    </Layout>
  );
}

export interface PendingApplication {
  id: string;
  name: string;
}

export interface MeetingPageProps {
  ctx: PageContext;
  cluster: ClusterRef;
  meeting: MeetingDetailDto;
  perms: BoardPermissions;
  /** For the motion form. */
  applications: PendingApplication[];
  classes: { id: string; name: string }[];
  draftMinutes: { id: string; label: string }[];
  values?: Values;
  errors?: Errors;
  notice?: string | undefined;
  error?: PageError | undefined;
}

function MotionBadge({ lang, motion }: { lang: Lang; motion: MotionSummaryDto }) {
  if (motion.outcome) {
    return <span class={`badge bg-${motion.outcome.result === 'passed' ? 'success' : 'danger'}`}>{gm(lang, `result.${motion.outcome.result}`)}</span>;
  }
  return <span class={`badge bg-${motion.status === 'voting' ? 'primary' : 'secondary'}`}>{gm(lang, `motionStatus.${motion.status}`)}</span>;
}

function QuorumBox({ lang, quorum, provisional, rulesFrom }: { lang: Lang; quorum: MeetingDetailDto['quorum']; provisional: boolean; rulesFrom: string | null }) {
  return (
    <div class={`callout ${quorum.reached ? 'success' : 'warning'} mb-4`} data-testid="quorum" style={SANS}>
      <div class="callout-title">{gm(lang, quorum.reached ? 'quorumReachedTitle' : 'quorumNotReachedTitle')}</div>
      <p class="mb-1" role="status" style={SANS}>
        {gm(lang, 'quorumLive', { present: quorum.present + quorum.represented, voting: quorum.votingSeats, required: quorum.required })}
      </p>
      <p class="small mb-0" style={SANS}>{provisional ? gm(lang, 'quorumProvisional') : gm(lang, 'rulesInForce', { date: formatDate(rulesFrom!, lang) })}</p>
    </div>
  );
}

function sizeLabel(lang: Lang, bytes: number): string {
  const fmt = (n: number) => new Intl.NumberFormat(lang === 'it' ? 'it-IT' : 'en-GB', { maximumFractionDigits: 1 }).format(n);
  return bytes >= 1024 * 1024 ? gm(lang, 'sizeMb', { size: fmt(bytes / (1024 * 1024)) }) : gm(lang, 'sizeKb', { size: fmt(Math.max(1, bytes / 1024)) });
}

export function MeetingPage(props: MeetingPageProps) {
  const { ctx, cluster, meeting, perms, applications, classes, draftMinutes, values = {}, errors = {}, notice, error } = props;
  const { lang } = ctx;
  const base = `/cluster/${cluster.slug}/consiglio/riunioni/${meeting.id}`;
  const open = meeting.status === 'convened';
  const starts = new Date(meeting.startsAt);
  const ends = new Date(meeting.endsAt);
  const rome = (d: Date) => new Intl.DateTimeFormat(lang === 'it' ? 'it-IT' : 'en-GB', { timeStyle: 'short', timeZone: 'Europe/Rome' }).format(d);
  const present = meeting.attendance.filter((a) => a.status === 'present');
  return (
    <Layout ctx={ctx} title={meeting.title} section="clusters" breadcrumbs={boardCrumbs(lang, cluster, [{ label: gm(lang, 'meetings'), href: `/cluster/${cluster.slug}/consiglio/riunioni` }, { label: meeting.title }])}>
      <p class="text-secondary mb-1">{gm(lang, 'boardOf', { cluster: cluster.name })}</p>
      <h1 class="mb-3">{meeting.title}</h1>
      <p>
        <MeetingStatus lang={lang} status={meeting.status} />
      </p>
      <Notices notice={notice} error={error} />
      <div class="row">
        <div class="col-12 col-lg-8">
          <dl class="ch-dl">
            <dt>{gm(lang, 'when')}</dt>
            <dd>
              <time dateTime={meeting.startsAt}>{formatDateTime(starts, lang)}</time> – <time dateTime={meeting.endsAt}>{rome(ends)}</time>
            </dd>
            <dt>{gm(lang, 'where')}</dt>
            <dd>
              {meeting.place ? <span class="d-block">{meeting.place}</span> : null}
              {meeting.videoUrl ? (
                <a href={meeting.videoUrl} rel="noopener noreferrer">
                  {gm(lang, 'videoUrl')}
                </a>
              ) : null}
            </dd>
          </dl>

          <Section id="agenda-title" title={gm(lang, 'agenda')}>
            <ol class="ps-3" data-testid="agenda">
              {meeting.agenda.map((item) => {
                const motions = meeting.motions.filter((m) => m.agendaItemId === item.id);
                return (
                  <li class="mb-3">
                    <strong>{item.title}</strong>
                    {item.description ? <p class="mb-1 small">{item.description}</p> : null}
                    {motions.length > 0 ? (
                      <ul class="list-unstyled mt-2 mb-0">
                        {motions.map((m) => (
                          <li class="mb-2">
                            {gm(lang, 'motion')}: <a href={`${base}/mozioni/${m.id}`}>{m.title}</a> <span class="small text-secondary">({gm(lang, `type.${m.type}`)})</span>{' '}
                            <MotionBadge lang={lang} motion={m} />
                            {m.outcome ? (
                              <span class="d-block small">
                                {gm(lang, 'countsLine', {
                                  for: m.outcome.votesFor,
                                  against: m.outcome.votesAgainst,
                                  abstain: m.outcome.abstentions,
                                  majority: gm(lang, `majority.${m.outcome.majority}`),
                                  required: m.outcome.requiredFor,
                                })}
                              </span>
                            ) : null}
                          </li>
                        ))}
                      </ul>
                    ) : null}
                  </li>
                );
              })}
            </ol>
          </Section>

          <Section id="attendance-title" title={gm(lang, 'attendance')}>
            <QuorumBox lang={lang} quorum={meeting.quorum} provisional={!meeting.rulesValidFrom} rulesFrom={meeting.rulesValidFrom} />
            {perms.conduct && open ? (
              <PostForm ctx={ctx} action={`${base}/presenze`} id="attendance-form">
                <AttendanceTable lang={lang} meeting={meeting} present={present} editable />
                <button type="submit" class="btn btn-outline-primary">
                  {gm(lang, 'recordAttendance')}
                </button>
              </PostForm>
            ) : (
              <AttendanceTable lang={lang} meeting={meeting} present={present} editable={false} />
            )}
          </Section>

          <Section id="documents-title" title={gm(lang, 'documents')}>
            {meeting.documents.length === 0 ? (
              <p>{gm(lang, 'noDocuments')}</p>
            ) : (
              <ul data-testid="documents">
                {meeting.documents.map((d) => (
                  <li>
                    <a href={d.url}>{d.filename}</a> <span class="small text-secondary">(PDF, {sizeLabel(lang, d.sizeBytes)})</span>
                  </li>
                ))}
              </ul>
            )}
          </Section>
        </div>
        <div class="col-12 col-lg-4">
          <div class="d-grid gap-2 mb-4">
            <a class="btn btn-primary" href={`${base}/verbale`}>
              {gm(lang, 'minutes')}
            </a>
          </div>
          {perms.conduct && open ? (
            <Card title={gm(lang, 'addMotion')} id="motion-title">
              <ErrorSummary
                lang={lang}
                errors={errors}
                labels={{ title: gm(lang, 'title'), text: gm(lang, 'motionText'), type: gm(lang, 'motionType'), agendaItemId: gm(lang, 'agendaItem'), memberships: gm(lang, 'applications'), minutesId: gm(lang, 'minutesToApprove') }}
              />
              <PostForm ctx={ctx} action={`${base}/mozioni`} id="motion-form">
                <SelectField lang={lang} name="agendaItemId" label={gm(lang, 'agendaItem')} value={values.agendaItemId} error={errors.agendaItemId} required options={meeting.agenda.map((a) => ({ value: a.id, label: `${a.position}. ${a.title}` }))} />
                <SelectField lang={lang} name="type" label={gm(lang, 'motionType')} value={values.type ?? 'ordinary'} error={errors.type} required options={MOTION_TYPES.map((type) => ({ value: type, label: gm(lang, `type.${type}`) }))} />
                <TextField lang={lang} name="title" label={gm(lang, 'title')} value={values.title} error={errors.title} required maxLength={300} />
                <TextArea lang={lang} name="text" label={gm(lang, 'motionText')} value={values.text} error={errors.text} required rows={4} />
                <fieldset class="mb-4">
                  <legend class="h6">{gm(lang, 'applications')}</legend>
                  <p class="small" id="h-memberships">
                    {gm(lang, 'applicationsHint')}
                  </p>
                  {errors.memberships ? (
                    <p class="invalid-feedback d-block" id="f-memberships">
                      {errors.memberships}
                    </p>
                  ) : null}
                  {applications.length === 0 ? (
                    <p class="small">{gm(lang, 'noApplications')}</p>
                  ) : (
                    applications.map((a) => (
                      <div class="mb-3">
                        <div class="form-check mb-1">
                          <input type="checkbox" id={`app-${a.id}`} name="membership" value={a.id} checked={values[`app-${a.id}`] === 'yes'} />
                          <label for={`app-${a.id}`}>{a.name}</label>
                        </div>
                        <SelectField lang={lang} name={`class.${a.id}`} label={`${gm(lang, 'memberClass')} – ${a.name}`} value={values[`class.${a.id}`]} empty="—" options={classes.map((c) => ({ value: c.id, label: c.name }))} />
                      </div>
                    ))
                  )}
                </fieldset>
                {draftMinutes.length > 0 ? (
                  <SelectField lang={lang} name="minutesId" label={gm(lang, 'minutesToApprove')} value={values.minutesId} error={errors.minutesId} empty="—" options={draftMinutes.map((d) => ({ value: d.id, label: d.label }))} />
                ) : null}
                <button type="submit" class="btn btn-primary">
                  {gm(lang, 'addMotion')}
                </button>
              </PostForm>
            </Card>
          ) : null}
          {perms.conduct && open ? (
            <Card title={gm(lang, 'uploadDocument')} id="upload-title">
              <PostForm ctx={ctx} action={`${base}/documenti`} enctype="multipart/form-data" id="upload-form">
                <div class="mb-3">
                  <label for="f-document" class="form-label fw-semibold">
                    {gm(lang, 'documentField')}
                  </label>
                  <input type="file" id="f-document" name="document" accept="application/pdf,.pdf" class="form-control" aria-describedby="h-document" required />
                  <small id="h-document" class="form-text d-block">
                    {gm(lang, 'documentHint', { max: DOCUMENT_MAX_BYTES / (1024 * 1024) })}
                  </small>
                </div>
                <SelectField lang={lang} name="docAgendaItemId" label={gm(lang, 'agendaItem')} empty="—" options={meeting.agenda.map((a) => ({ value: a.id, label: `${a.position}. ${a.title}` }))} />
                <button type="submit" class="btn btn-outline-primary">
                  {gm(lang, 'upload')}
                </button>
              </PostForm>
            </Card>
          ) : null}
          {perms.compose && open ? (
            <>
              <Card title={gm(lang, 'addAgendaItem')} id="item-title">
                <PostForm ctx={ctx} action={`${base}/punti`}>
                  <TextField lang={lang} name="itemTitle" label={gm(lang, 'agendaItemTitle')} required maxLength={300} />
                  <TextArea lang={lang} name="itemDescription" label={gm(lang, 'description')} rows={2} />
                  <button type="submit" class="btn btn-outline-primary">
                    {gm(lang, 'add')}
                  </button>
                </PostForm>
              </Card>
              <Card title={gm(lang, 'change')} id="change-title">
                <PostForm ctx={ctx} action={`${base}/modifica`}>
                  <MeetingFields
                    lang={lang}
                    values={{
                      title: meeting.title,
                      date: new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(starts),
                      time: new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Rome', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(starts),
                      endTime: new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Rome', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ends),
                      place: meeting.place ?? '',
                      videoUrl: meeting.videoUrl ?? '',
                    }}
                    errors={{}}
                    withAgenda={false}
                    prefix="change."
                  />
                  <button type="submit" class="btn btn-outline-primary">
                    {gm(lang, 'save')}
                  </button>
                </PostForm>
              </Card>
              <div class="d-grid gap-2">
                <PostForm ctx={ctx} action={`${base}/chiudi`} class="d-grid">
                  <button type="submit" class="btn btn-outline-primary">
                    {gm(lang, 'closeMeeting')}
                  </button>
                </PostForm>
                <PostForm ctx={ctx} action={`${base}/annulla`} class="d-grid">
                  <button type="submit" class="btn btn-outline-danger">
                    {gm(lang, 'cancelMeeting')}
                  </button>
                </PostForm>
              </div>
            </>
          ) : null}
        </div>
      </div>
    </Layout>
  );
}

function AttendanceTable({ lang, meeting, present, editable }: { lang: Lang; meeting: MeetingDetailDto; present: MeetingDetailDto['attendance']; editable: boolean }) {
  const nameOf = (seatId: string | null) => meeting.attendance.find((a) => a.seatId === seatId)?.holder ?? '—';
  return (
    <div class="table-responsive" tabindex={0}>
      <table class="table" data-testid="attendance">
        <caption class="visually-hidden">{gm(lang, 'attendance')}</caption>
        <thead>
          <tr>
            <th scope="col">{gm(lang, 'holder')}</th>
            <th scope="col">{gm(lang, 'role')}</th>
            <th scope="col">{gm(lang, 'attendance')}</th>
            {editable ? <th scope="col">{gm(lang, 'proxyTo')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {meeting.attendance.map((a) => (
            <tr>
              <th scope="row">
                {a.holder}
                <span class="d-block small text-secondary fw-normal">{a.organisation}</span>
              </th>
              <td>
                {gm(lang, `role.${a.role}`)}
                {a.voting ? '' : <span class="d-block small">{gm(lang, 'nonVoting')}</span>}
              </td>
              {editable ? (
                <>
                  <td>
                    <label class="visually-hidden" for={`att-${a.seatId}`}>
                      {gm(lang, 'attendance')} – {a.holder}
                    </label>
                    <select id={`att-${a.seatId}`} name={`att.${a.seatId}`} style="min-width: 9rem">
                      <option value="" selected={!a.status}>
                        {gm(lang, 'attendance.unknown')}
                      </option>
                      {(['present', 'proxy', 'absent'] as const).map((s) => (
                        <option value={s} selected={a.status === s}>
                          {gm(lang, `attendance.${s}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <label class="visually-hidden" for={`proxy-${a.seatId}`}>
                      {gm(lang, 'proxyTo')} – {a.holder}
                    </label>
                    <select id={`proxy-${a.seatId}`} name={`proxy.${a.seatId}`} style="min-width: 9rem">
                      <option value="">—</option>
                      {present
                        .filter((p) => p.seatId !== a.seatId)
                        .map((p) => (
                          <option value={p.seatId} selected={a.proxySeatId === p.seatId}>
                            {p.holder}
                          </option>
                        ))}
                    </select>
                  </td>
                </>
              ) : (
                <td>{a.status === 'proxy' ? gm(lang, 'attendance.proxyTo', { name: nameOf(a.proxySeatId) }) : gm(lang, `attendance.${a.status ?? 'unknown'}`)}</td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Motion and vote

export interface MotionPageProps {
  ctx: PageContext;
  cluster: ClusterRef;
  meeting: { id: string; title: string; status: string; startsAt: Date };
  motion: MotionSummaryDto;
  agendaItem: string | null;
  applications: { membershipId: string; name: string; className: string; status: string }[];
  minutesTitle: string | null;
  ballots: { seatId: string; via: 'online' | 'proxy'; holderName: string | null; blocked: 'absent' | 'not_voting' | null; vote: { choice: VoteChoice; at: Date } | null }[];
  isHolder: boolean;
  seats: { seatId: string; holder: string; voting: boolean; attendance: string | null; vote: VoteChoice | null }[];
  quorum: MeetingDetailDto['quorum'];
  ruleValidFrom: string | null;
  perms: BoardPermissions;
  notice?: string | undefined;
  error?: PageError | undefined;
  /** The moment the page shows (tells an open window from one that has ended); now by default. */
  now?: Date;
}

/**
 * When the motion was or is voted on, in the words of its state: open (until when), ended and
 * awaiting its close, closed with its outcome, lapsed, or withdrawn; null before the vote opens.
 */
export function votingWindowText(lang: Lang, motion: Pick<MotionSummaryDto, 'status' | 'votingOpensAt' | 'votingClosesAt' | 'outcome'>, now: Date): string | null {
  if (!motion.votingOpensAt) return null;
  const from = formatDateTime(new Date(motion.votingOpensAt), lang);
  const closes = motion.votingClosesAt ? new Date(motion.votingClosesAt) : null;
  const to = closes ? formatDateTime(closes, lang) : '—';
  switch (motion.status) {
    case 'voting':
      if (!closes) return gm(lang, 'votingWindow', { from });
      return closes.getTime() <= now.getTime() ? gm(lang, 'votingWindowEnded', { from, to }) : gm(lang, 'votingWindowUntil', { from, to });
    case 'decided':
      return motion.outcome ? gm(lang, `votingWindowDecided.${motion.outcome.result}`, { from, to }) : null;
    case 'lapsed':
      return gm(lang, 'votingWindowLapsed', { from, to });
    case 'withdrawn':
      return gm(lang, 'votingWindowWithdrawn', { from });
    default:
      return null;
  }
}

export function MotionPage(props: MotionPageProps) {
  const { ctx, cluster, meeting, motion, agendaItem, applications, ballots, isHolder, seats, quorum, ruleValidFrom, perms, notice, error } = props;
  const { lang } = ctx;
  const base = `/cluster/${cluster.slug}/consiglio/riunioni/${meeting.id}`;
  const voting = motion.status === 'voting';
  const open = meeting.status === 'convened';
  const votesCast = seats.filter((s) => s.vote).length;
  const votingSeats = seats.filter((s) => s.voting).length;
  const canRecord = seats.filter((s) => s.voting && !s.vote);
  const now = props.now ?? new Date();
  const windowText = votingWindowText(lang, motion, now);
  // Ended but not settled yet (the page settles it first, so only if that failed): no more ballots.
  const windowEnded = voting && !!motion.votingClosesAt && new Date(motion.votingClosesAt).getTime() <= now.getTime();
  return (
    <Layout
      ctx={ctx}
      title={motion.title}
      section="clusters"
      breadcrumbs={boardCrumbs(lang, cluster, [{ label: gm(lang, 'meetings'), href: `/cluster/${cluster.slug}/consiglio/riunioni` }, { label: meeting.title, href: base }, { label: motion.title }])}
    >
      <p class="text-secondary mb-1">
        {gm(lang, 'motion')} · {gm(lang, `type.${motion.type}`)}
      </p>
      <h1 class="mb-3">{motion.title}</h1>
      <p>
        <MotionBadge lang={lang} motion={motion} />
        {windowText ? (
          <span class="ms-2 text-secondary" data-testid="voting-window">
            {windowText}
          </span>
        ) : null}
      </p>
      <Notices notice={notice} error={error} />
      <div class="row">
        <div class="col-12 col-lg-7">
          <dl class="ch-dl">
            <dt>{gm(lang, 'agendaItem')}</dt>
            <dd>{agendaItem ?? '—'}</dd>
            <dt>{gm(lang, 'motionText')}</dt>
            <dd style="white-space: pre-line" data-testid="motion-text">
              {motion.text}
            </dd>
            {props.minutesTitle ? (
              <>
                <dt>{gm(lang, 'minutesToApprove')}</dt>
                <dd>{props.minutesTitle}</dd>
              </>
            ) : null}
          </dl>
          {applications.length > 0 ? (
            <Section id="applications-title" title={gm(lang, 'applications')}>
              <ul data-testid="motion-applications">
                {applications.map((a) => (
                  <li>
                    {perms.compose ? <a href={`/cluster/${cluster.slug}/gestione/domande/${a.membershipId}`}>{a.name}</a> : a.name} – {a.className}
                  </li>
                ))}
              </ul>
            </Section>
          ) : null}

          {motion.outcome ? (
            <section aria-labelledby="outcome-title" class={`callout ${motion.outcome.result === 'passed' ? 'success' : 'danger'} mb-5`} data-testid="outcome" style={SANS}>
              <h2 class="callout-title h5" id="outcome-title">
                {gm(lang, 'outcome')}: {gm(lang, `result.${motion.outcome.result}`)}
              </h2>
              <p class="mb-1" style={SANS}>
                {gm(lang, 'outcomeLine', { result: gm(lang, `result.${motion.outcome.result}`), for: motion.outcome.votesFor, against: motion.outcome.votesAgainst, abstain: motion.outcome.abstentions })}
              </p>
              <p class="small mb-0" style={SANS}>
                {gm(lang, 'outcomeRule', {
                  majority: gm(lang, `majority.${motion.outcome.majority}`),
                  base: motion.outcome.base,
                  required: motion.outcome.requiredFor,
                  present: motion.outcome.presentSeats,
                  voting: motion.outcome.votingSeats,
                  required_q: motion.outcome.quorumRequired,
                  validFrom: ruleValidFrom ? formatDate(ruleValidFrom, lang) : '—',
                })}
              </p>
              {motion.type === 'admission' ? <p class="small mb-0 mt-1" style={SANS}>{gm(lang, 'outcomeAdmission')}</p> : null}
            </section>
          ) : motion.status === 'lapsed' ? (
            <section aria-labelledby="outcome-title" class="callout warning mb-5" data-testid="lapsed" style={SANS}>
              <h2 class="callout-title h5" id="outcome-title">
                {gm(lang, 'lapsedTitle')}
              </h2>
              <p class="mb-1" style={SANS}>
                {gm(lang, 'lapsedLine', { at: motion.votingClosesAt ? formatDateTime(new Date(motion.votingClosesAt), lang) : '—' })}
              </p>
              {motion.type === 'admission' ? <p class="small mb-0 mt-1" style={SANS}>{gm(lang, 'lapsedAdmission')}</p> : null}
            </section>
          ) : (
            <QuorumBox lang={lang} quorum={quorum} provisional={!ruleValidFrom} rulesFrom={ruleValidFrom} />
          )}

          <Section id="votes-title" title={gm(lang, 'votes')}>
            <p data-testid="votes-cast">{gm(lang, 'votesCast', { count: votesCast, voting: votingSeats })}</p>
            {motion.outcome || perms.conduct ? (
              <div class="table-responsive" tabindex={0}>
                <table class="table" data-testid="votes">
                  <caption class="visually-hidden">{gm(lang, 'votes')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{gm(lang, 'holder')}</th>
                      <th scope="col">{gm(lang, 'attendance')}</th>
                      <th scope="col">{gm(lang, 'voteColumn')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {seats.map((s) => (
                      <tr>
                        <th scope="row">
                          {s.holder}
                          {s.voting ? null : <span class="d-block small fw-normal">{gm(lang, 'nonVoting')}</span>}
                        </th>
                        <td>{gm(lang, `attendance.${(s.attendance ?? 'unknown') as 'present'}`)}</td>
                        <td>{s.vote ? gm(lang, `choice.${s.vote}`) : '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
          </Section>
        </div>
        <div class="col-12 col-lg-5">
          <section aria-labelledby="ballot-title" class="card card-bg shadow-sm mb-4" data-testid="ballot">
            <div class="card-body">
              <h2 class="h5" id="ballot-title">
                {gm(lang, 'yourVote')}
              </h2>
              {!isHolder ? (
                <p class="mb-0">{gm(lang, 'notHolder')}</p>
              ) : (
                ballots.map((b) => (
                  <div class="mb-3">
                    {b.vote ? (
                      <p class="mb-0" data-testid="my-vote">
                        {b.via === 'proxy' ? `${gm(lang, 'voteFor', { name: b.holderName ?? '' })}: ` : ''}
                        {gm(lang, 'voted', { choice: gm(lang, `choice.${b.vote.choice}`), at: formatDateTime(b.vote.at, lang) })}
                      </p>
                    ) : b.blocked ? (
                      <p class="mb-0">{gm(lang, 'cannotVote', { reason: gm(lang, `blocked.${b.blocked}`) })}</p>
                    ) : voting && open && !windowEnded ? (
                      <PostForm ctx={ctx} action={`${base}/mozioni/${motion.id}/voto`}>
                        <input type="hidden" name="seatId" value={b.seatId} />
                        <fieldset>
                          <legend class="h6">{b.via === 'proxy' ? gm(lang, 'voteFor', { name: b.holderName ?? '' }) : gm(lang, 'yourChoice')}</legend>
                          {VOTE_CHOICES.map((c) => (
                            <div class="form-check">
                              <input type="radio" name="choice" value={c} id={`choice-${b.seatId}-${c}`} required />
                              <label for={`choice-${b.seatId}-${c}`}>{gm(lang, `choice.${c}`)}</label>
                            </div>
                          ))}
                        </fieldset>
                        <button type="submit" class="btn btn-primary mt-2">
                          {gm(lang, 'castVote')}
                        </button>
                      </PostForm>
                    ) : (
                      <p class="mb-0">{windowEnded ? windowText : gm(lang, `motionStatus.${motion.status}`)}</p>
                    )}
                  </div>
                ))
              )}
            </div>
          </section>

          {perms.conduct && open && motion.status === 'draft' ? (
            <Card title={gm(lang, 'openVoting')} id="open-title">
              <PostForm ctx={ctx} action={`${base}/mozioni/${motion.id}/apri`}>
                <p class="small mb-1">{gm(lang, 'closesAt')}</p>
                <p class="small text-secondary">{gm(lang, 'closesAtAuto')}</p>
                <TextField lang={lang} name="closesDate" type="date" label={gm(lang, 'closesDate')} />
                <TextField lang={lang} name="closesTime" label={gm(lang, 'closesTime')} hint="HH:MM" maxLength={5} />
                <button type="submit" class="btn btn-primary">
                  {gm(lang, 'openVoting')}
                </button>
              </PostForm>
            </Card>
          ) : null}
          {perms.conduct && open && voting && !windowEnded && canRecord.length > 0 ? (
            <Card title={gm(lang, 'recordVotes')} id="record-title">
              <PostForm ctx={ctx} action={`${base}/mozioni/${motion.id}/voti`}>
                {canRecord.map((s) => (
                  <SelectField lang={lang} name={`vote.${s.seatId}`} label={s.holder} empty={gm(lang, 'noVote')} options={VOTE_CHOICES.map((c) => ({ value: c, label: gm(lang, `choice.${c}`) }))} />
                ))}
                <button type="submit" class="btn btn-outline-primary">
                  {gm(lang, 'record')}
                </button>
              </PostForm>
            </Card>
          ) : null}
          {perms.conduct && open && voting ? (
            <PostForm ctx={ctx} action={`${base}/mozioni/${motion.id}/chiudi`} class="d-grid mb-2">
              <button type="submit" class="btn btn-success">
                {gm(lang, 'closeVoting')}
              </button>
            </PostForm>
          ) : null}
          {perms.conduct && open && (voting || motion.status === 'draft') ? (
            <PostForm ctx={ctx} action={`${base}/mozioni/${motion.id}/ritira`} class="d-grid">
              <button type="submit" class="btn btn-outline-danger">
                {gm(lang, 'withdraw')}
              </button>
            </PostForm>
          ) : null}
          <p class="mt-4">
            <a href={base}>{gm(lang, 'backToMeeting')}</a>
          </p>
        </div>
      </div>
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------
// Minutes

export interface MinutesView {
  id: string;
  kind: 'minutes' | 'amendment';
  body: string;
  status: 'draft' | 'approved';
  revision: number;
  approvedAt: Date | null;
  approvedBy: string | null;
  approvedByMotion: string | null;
}

export function MinutesPage({
  ctx,
  cluster,
  meeting,
  minutes,
  perms,
  notice,
  error,
  errors = {},
}: {
  ctx: PageContext;
  cluster: ClusterRef;
  meeting: { id: string; title: string; publicSummary: string | null };
  minutes: MinutesView[];
  perms: BoardPermissions;
  notice?: string | undefined;
  error?: PageError | undefined;
  errors?: Errors;
}) {
  const { lang } = ctx;
  const base = `/cluster/${cluster.slug}/consiglio/riunioni/${meeting.id}`;
  const title = gm(lang, 'minutesTitle', { title: meeting.title });
  const main = minutes.find((m) => m.kind === 'minutes');
  const amendments = minutes.filter((m) => m.kind === 'amendment');
  const Status = ({ m }: { m: MinutesView }) => (
    <p data-testid={`minutes-status-${m.id}`}>
      <span class={`badge bg-${m.status === 'approved' ? 'success' : 'secondary'}`} data-testid={m.kind === 'minutes' ? 'minutes-status' : undefined}>
        {gm(lang, m.status === 'approved' ? 'approved' : 'draft')}
      </span>{' '}
      <span class="text-secondary small">
        {m.status === 'approved' && m.approvedAt
          ? `${gm(lang, 'approvedOn', { date: formatDateTime(m.approvedAt, lang) })} ${m.approvedByMotion ? gm(lang, 'approvedByMotion', { title: m.approvedByMotion }) : m.approvedBy ? gm(lang, 'approvedBy', { name: m.approvedBy }) : ''}`
          : gm(lang, 'revision', { n: m.revision })}
      </span>
    </p>
  );
  const Editable = ({ m, name }: { m: MinutesView; name: string }) =>
    m.status === 'draft' && perms.conduct ? (
      <>
        <PostForm ctx={ctx} action={`${base}/verbale/${m.id}`} id={`edit-${m.id}`}>
          <TextArea lang={lang} name={name} label={gm(lang, 'minutesBody')} value={m.body} error={errors[name]} rows={18} />
          <button type="submit" class="btn btn-outline-primary">
            {gm(lang, 'saveMinutes')}
          </button>
        </PostForm>
        <PostForm ctx={ctx} action={`${base}/verbale/${m.id}/approva`} class="mt-3">
          <p class="small mb-2">{gm(lang, 'approveHint')}</p>
          <button type="submit" class="btn btn-success">
            {gm(lang, 'approveMinutes')}
          </button>
        </PostForm>
      </>
    ) : (
      <div class="ch-minutes border rounded p-3 mb-3" style="white-space: pre-wrap" data-testid={m.kind === 'minutes' ? 'minutes-body' : 'amendment-body'}>
        {m.body}
      </div>
    );
  return (
    <Layout ctx={ctx} title={title} section="clusters" breadcrumbs={boardCrumbs(lang, cluster, [{ label: gm(lang, 'meetings'), href: `/cluster/${cluster.slug}/consiglio/riunioni` }, { label: meeting.title, href: base }, { label: gm(lang, 'minutes') }])}>
      <h1 class="mb-3">{title}</h1>
      <Notices notice={notice} error={error} />
      <ErrorSummary lang={lang} errors={errors} labels={{ body: gm(lang, 'minutesBody'), amendment: gm(lang, 'amendmentField'), summary: gm(lang, 'publicSummary') }} />
      <div class="row">
        <div class="col-12 col-lg-8">
          {!main ? (
            <>
              <p>{gm(lang, 'noMinutes')}</p>
              {perms.conduct ? (
                <PostForm ctx={ctx} action={`${base}/verbale`}>
                  <button type="submit" class="btn btn-primary">
                    {gm(lang, 'draftMinutes')}
                  </button>
                </PostForm>
              ) : null}
            </>
          ) : (
            <>
              <Status m={main} />
              <Editable m={main} name="body" />
              {main.status === 'approved' ? (
                <p>
                  <a class="btn btn-outline-primary" href={`${base}/verbale.pdf`}>
                    {gm(lang, 'downloadPdf')}
                  </a>
                </p>
              ) : null}
              {amendments.map((a) => (
                <section aria-labelledby={`amend-${a.id}`} class="mt-4">
                  <h2 class="h4" id={`amend-${a.id}`}>
                    {gm(lang, 'amendmentOf')}
                  </h2>
                  <Status m={a} />
                  <Editable m={a} name="body" />
                </section>
              ))}
              {main.status === 'approved' && perms.conduct ? (
                <Card title={gm(lang, 'amend')} id="amend-title">
                  <PostForm ctx={ctx} action={`${base}/verbale/${main.id}/rettifica`}>
                    <TextArea lang={lang} name="amendment" label={gm(lang, 'amendmentField')} error={errors.amendment} rows={5} />
                    <button type="submit" class="btn btn-outline-primary">
                      {gm(lang, 'amend')}
                    </button>
                  </PostForm>
                </Card>
              ) : null}
            </>
          )}
        </div>
        <div class="col-12 col-lg-4">
          {perms.publish ? (
            <Card title={gm(lang, 'publicSummary')} id="summary-title">
              <PostForm ctx={ctx} action={`${base}/sintesi`}>
                <TextArea lang={lang} name="summary" label={gm(lang, 'publicSummary')} value={meeting.publicSummary ?? ''} hint={gm(lang, 'publicSummaryHint')} error={errors.summary} rows={5} />
                <button type="submit" class="btn btn-outline-primary">
                  {gm(lang, 'publish')}
                </button>
              </PostForm>
            </Card>
          ) : meeting.publicSummary ? (
            <Card title={gm(lang, 'publicSummary')} id="summary-title">
              <p style="white-space: pre-line">{meeting.publicSummary}</p>
            </Card>
          ) : null}
          <p>
            <a href={base}>{gm(lang, 'backToMeeting')}</a>
          </p>
        </div>
      </div>
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------
// Composition and rules (managers)

function manageCrumbs(lang: Lang, cluster: ClusterRef, last: string): Crumb[] {
  return [
    { label: t(lang, 'nav.home'), href: '/' },
    { label: t(lang, 'nav.manage'), href: '/gestione' },
    { label: cluster.name, href: `/cluster/${cluster.slug}/gestione` },
    { label: last },
  ];
}

export interface CompositionView {
  constituencies: { id: string; code: string; name: string; maxSeats: number; seats: number }[];
  seats: { id: string; constituency: string; voting: boolean; holder: string | null; organisation: string | null; role: BoardRole | null; termEnd: string | null; holdingId: string | null }[];
  history: { seat: number; constituency: string; person: string; organisation: string; role: BoardRole; termStart: string; termEnd: string; endedOn: string | null; endReason: string | null }[];
  organisations: { id: string; name: string }[];
}

export function CompositionPage({ ctx, cluster, view, notice, error, errors = {}, values = {} }: { ctx: PageContext; cluster: ClusterRef; view: CompositionView; notice?: string | undefined; error?: PageError | undefined; errors?: Errors; values?: Values }) {
  const { lang } = ctx;
  const title = gm(lang, 'compositionTitle', { cluster: cluster.name });
  const base = `/cluster/${cluster.slug}/gestione/consiglio`;
  return (
    <Layout ctx={ctx} title={title} section="manage" breadcrumbs={manageCrumbs(lang, cluster, gm(lang, 'manageBoard'))}>
      <h1 class="mb-4">{title}</h1>
      <Notices notice={notice} error={error} />
      <ErrorSummary
        lang={lang}
        errors={errors}
        labels={{ code: gm(lang, 'code'), nameIt: gm(lang, 'nameIt'), maxSeats: gm(lang, 'maxSeats'), email: gm(lang, 'email'), organisationId: gm(lang, 'organisation'), role: gm(lang, 'role'), termStart: gm(lang, 'termStart'), termEnd: gm(lang, 'termEnd'), endedOn: gm(lang, 'endedOn'), reason: gm(lang, 'reason') }}
      />
      <p>
        <a href={`/cluster/${cluster.slug}/consiglio`}>{gm(lang, 'board')}</a> · <a href={`${base}/regole`}>{gm(lang, 'rules')}</a> ·{' '}
        <a href={`/cluster/${cluster.slug}/consiglio/riunioni`}>{gm(lang, 'meetings')}</a>
      </p>
      <Section id="constituencies-title" title={gm(lang, 'constituencies')}>
        {view.constituencies.length === 0 ? (
          <p>{gm(lang, 'noConstituencies')}</p>
        ) : (
          <ul>
            {view.constituencies.map((c) => (
              <li>
                {c.name} <code>{c.code}</code> – {c.seats}/{c.maxSeats}
              </li>
            ))}
          </ul>
        )}
        <details class="mb-3">
          <summary>{gm(lang, 'addConstituency')}</summary>
          <PostForm ctx={ctx} action={`${base}/collegi`} class="mt-3 col-12 col-lg-6">
            <TextField lang={lang} name="code" label={gm(lang, 'code')} value={values.code} error={errors.code} required maxLength={40} hint="a-z, 0-9, _" />
            <TextField lang={lang} name="nameIt" label={gm(lang, 'nameIt')} value={values.nameIt} error={errors.nameIt} required />
            <TextField lang={lang} name="nameEn" label={gm(lang, 'nameEn')} value={values.nameEn} />
            <TextField lang={lang} name="maxSeats" label={gm(lang, 'maxSeats')} value={values.maxSeats} error={errors.maxSeats} required inputMode="numeric" />
            <button type="submit" class="btn btn-outline-primary">
              {gm(lang, 'addConstituency')}
            </button>
          </PostForm>
        </details>
      </Section>
      <Section id="seats-title" title={gm(lang, 'seats')}>
        {view.seats.length === 0 ? <p>{gm(lang, 'noSeats')}</p> : null}
        {view.seats.map((s, i) => (
          <section class="border rounded p-3 mb-3" aria-labelledby={`seat-${s.id}`}>
            <h3 class="h6" id={`seat-${s.id}`}>
              {gm(lang, 'seat')} {i + 1} · {s.constituency} · {s.voting ? gm(lang, 'voting') : gm(lang, 'nonVoting')}
            </h3>
            {s.holder ? (
              <p class="mb-2">
                {s.holder} ({s.organisation}) – {gm(lang, `role.${s.role!}`)}, {gm(lang, 'termUntil', { date: formatDate(s.termEnd!, lang) })}
              </p>
            ) : (
              <p class="mb-2 text-secondary">{gm(lang, 'vacant')}</p>
            )}
            <details>
              <summary>{gm(lang, 'appoint')}</summary>
              <PostForm ctx={ctx} action={`${base}/seggi/${s.id}/titolari`} class="mt-3">
                <TextField lang={lang} name="email" type="email" label={gm(lang, 'email')} required />
                <SelectField lang={lang} name="organisationId" label={gm(lang, 'organisation')} required empty="—" options={view.organisations.map((o) => ({ value: o.id, label: o.name }))} />
                <SelectField lang={lang} name="role" label={gm(lang, 'role')} required value="member" options={BOARD_ROLES.map((r) => ({ value: r, label: gm(lang, `role.${r}`) }))} />
                <div class="row">
                  <div class="col-6">
                    <TextField lang={lang} name="termStart" type="date" label={gm(lang, 'termStart')} required />
                  </div>
                  <div class="col-6">
                    <TextField lang={lang} name="termEnd" type="date" label={gm(lang, 'termEnd')} required />
                  </div>
                </div>
                <button type="submit" class="btn btn-outline-primary">
                  {gm(lang, 'appoint')}
                </button>
              </PostForm>
            </details>
            {s.holdingId ? (
              <details class="mt-2">
                <summary>{gm(lang, 'endHolding')}</summary>
                <PostForm ctx={ctx} action={`${base}/titolari/${s.holdingId}/termina`} class="mt-3">
                  <TextField lang={lang} name="endedOn" type="date" label={gm(lang, 'endedOn')} required />
                  <TextArea lang={lang} name="reason" label={gm(lang, 'reason')} required rows={2} />
                  <button type="submit" class="btn btn-outline-danger">
                    {gm(lang, 'endHolding')}
                  </button>
                </PostForm>
              </details>
            ) : null}
          </section>
        ))}
        {view.constituencies.length > 0 ? (
          <details>
            <summary>{gm(lang, 'addSeat')}</summary>
            <PostForm ctx={ctx} action={`${base}/seggi`} class="mt-3 col-12 col-lg-6">
              <SelectField lang={lang} name="constituencyId" label={gm(lang, 'constituency')} required options={view.constituencies.map((c) => ({ value: c.id, label: c.name }))} />
              <CheckboxField lang={lang} name="voting" label={gm(lang, 'voting')} checked />
              <button type="submit" class="btn btn-outline-primary">
                {gm(lang, 'addSeat')}
              </button>
            </PostForm>
          </details>
        ) : null}
      </Section>
      <Section id="history-title" title={gm(lang, 'history')}>
        <div class="table-responsive" tabindex={0}>
          <table class="table" data-testid="holders-history">
            <caption class="visually-hidden">{gm(lang, 'history')}</caption>
            <thead>
              <tr>
                <th scope="col">{gm(lang, 'holder')}</th>
                <th scope="col">{gm(lang, 'seat')}</th>
                <th scope="col">{gm(lang, 'role')}</th>
                <th scope="col">{gm(lang, 'term')}</th>
              </tr>
            </thead>
            <tbody>
              {view.history.map((h) => (
                <tr>
                  <th scope="row">
                    {h.person}
                    <span class="d-block small fw-normal">{h.organisation}</span>
                  </th>
                  <td>
                    {h.seat} · {h.constituency}
                  </td>
                  <td>{gm(lang, `role.${h.role}`)}</td>
                  <td>
                    {formatDate(h.termStart, lang)} – {formatDate(h.termEnd, lang)}
                    {h.endedOn ? <span class="d-block small">{gm(lang, 'endedEarly', { date: formatDate(h.endedOn, lang), reason: h.endReason ?? '' })}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
    </Layout>
  );
}

export interface RuleVersionView {
  validFrom: string;
  quorum: string;
  majorities: Record<MotionType, string>;
  abstentions: string;
  proxies: string;
  managerMayAdmit: boolean;
  actReference: string | null;
}

export function RulesPage({ ctx, cluster, versions, values = {}, errors = {}, error, notice }: { ctx: PageContext; cluster: ClusterRef; versions: RuleVersionView[]; values?: Values; errors?: Errors; error?: PageError | undefined; notice?: string | undefined }) {
  const { lang } = ctx;
  const title = gm(lang, 'rulesTitle', { cluster: cluster.name });
  const labels: Record<string, string> = {
    validFrom: gm(lang, 'validFrom'),
    quorumKind: gm(lang, 'quorumKind'),
    quorumFixed: gm(lang, 'quorumFixed'),
    abstentions: gm(lang, 'abstentions'),
    maxProxies: gm(lang, 'maxProxies'),
    actReference: gm(lang, 'actReference'),
    ...Object.fromEntries(MOTION_TYPES.map((type) => [`majority.${type}`, gm(lang, 'majorityFor', { type: gm(lang, `type.${type}`) })])),
  };
  return (
    <Layout ctx={ctx} title={title} section="manage" breadcrumbs={manageCrumbs(lang, cluster, gm(lang, 'manageRules'))}>
      <h1 class="mb-3">{title}</h1>
      <p class="lead">{gm(lang, 'rulesLead')}</p>
      <Notices notice={notice} error={error} />
      {versions.length === 0 ? <p>{gm(lang, 'noRules')}</p> : null}
      {versions.map((v) => (
        <section class="border rounded p-3 mb-3" aria-labelledby={`rules-${v.validFrom}`}>
          <h2 class="h5" id={`rules-${v.validFrom}`}>
            {gm(lang, 'rulesInForce', { date: formatDate(v.validFrom, lang) })}
          </h2>
          <dl class="ch-dl mb-0">
            <dt>{gm(lang, 'quorumKind')}</dt>
            <dd>{v.quorum}</dd>
            {MOTION_TYPES.map((type) => (
              <>
                <dt>{gm(lang, 'majorityFor', { type: gm(lang, `type.${type}`) })}</dt>
                <dd>{v.majorities[type]}</dd>
              </>
            ))}
            <dt>{gm(lang, 'abstentions')}</dt>
            <dd>{v.abstentions}</dd>
            <dt>{gm(lang, 'proxiesAllowed')}</dt>
            <dd>{v.proxies}</dd>
            <dt>{gm(lang, 'managerMayAdmit')}</dt>
            <dd>{v.managerMayAdmit ? gm(lang, 'admissionsByManager') : gm(lang, 'admissionsByBoard')}</dd>
            {v.actReference ? (
              <>
                <dt>{gm(lang, 'actReference')}</dt>
                <dd>{v.actReference}</dd>
              </>
            ) : null}
          </dl>
        </section>
      ))}
      <h2 class="h4 mt-5">{gm(lang, 'addRules')}</h2>
      <div class="col-12 col-lg-8">
        <ErrorSummary lang={lang} errors={errors} labels={labels} />
        <PostForm ctx={ctx} action={`/cluster/${cluster.slug}/gestione/consiglio/regole`} id="rules-form">
          <TextField lang={lang} name="validFrom" type="date" label={gm(lang, 'validFrom')} value={values.validFrom} error={errors.validFrom} required />
          <SelectField
            lang={lang}
            name="quorumKind"
            label={gm(lang, 'quorumKind')}
            value={values.quorumKind ?? 'majority_of_voting_seats'}
            error={errors.quorumKind}
            required
            options={(['majority_of_voting_seats', 'fixed'] as const).map((k) => ({ value: k, label: gm(lang, `quorum.${k}`) }))}
          />
          <TextField lang={lang} name="quorumFixed" label={gm(lang, 'quorumFixed')} value={values.quorumFixed} error={errors.quorumFixed} inputMode="numeric" />
          {MOTION_TYPES.map((type) => (
            <SelectField
              lang={lang}
              name={`majority.${type}`}
              label={gm(lang, 'majorityFor', { type: gm(lang, `type.${type}`) })}
              value={values[`majority.${type}`] ?? (type === 'statute' ? 'two_thirds' : 'simple')}
              error={errors[`majority.${type}`]}
              required
              options={MAJORITY_RULES.map((m) => ({ value: m, label: gm(lang, `majority.${m}`) }))}
            />
          ))}
          <SelectField
            lang={lang}
            name="abstentions"
            label={gm(lang, 'abstentions')}
            value={values.abstentions ?? 'excluded'}
            error={errors.abstentions}
            required
            options={(['excluded', 'counted'] as const).map((a) => ({ value: a, label: gm(lang, `abstentions.${a}`) }))}
          />
          <CheckboxField lang={lang} name="proxiesAllowed" label={gm(lang, 'proxiesAllowed')} checked={values.proxiesAllowed === 'yes'} />
          <TextField lang={lang} name="maxProxies" label={gm(lang, 'maxProxies')} value={values.maxProxies} error={errors.maxProxies} inputMode="numeric" />
          <CheckboxField lang={lang} name="managerMayAdmit" label={gm(lang, 'managerMayAdmit')} checked={values.managerMayAdmit === 'yes'} />
          <TextField lang={lang} name="actReference" label={gm(lang, 'actReference')} value={values.actReference} error={errors.actReference} maxLength={300} />
          <button type="submit" class="btn btn-primary">
            {gm(lang, 'addRules')}
          </button>
        </PostForm>
      </div>
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------
// Calendar feed

export function CalendarPage({ ctx, feedUrl, activeSince, notice }: { ctx: PageContext; feedUrl?: string | undefined; activeSince: Date | null; notice?: string | undefined }) {
  const { lang } = ctx;
  const title = gm(lang, 'calendarTitle');
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={[{ label: t(lang, 'nav.home'), href: '/' }, { label: t(lang, 'nav.profile'), href: '/profilo' }, { label: gm(lang, 'calendar') }]}>
      <div class="col-12 col-lg-8">
        <h1 class="mb-3">{title}</h1>
        <p class="lead">{gm(lang, 'calendarLead')}</p>
        <Notices notice={notice} />
        {feedUrl ? (
          <div class="callout success">
            <p class="mb-2" style={SANS}>{gm(lang, 'calendarNew')}</p>
            <label class="visually-hidden" for="feed-url">
              {gm(lang, 'calendar')}
            </label>
            <input id="feed-url" class="form-control" readOnly value={feedUrl} data-testid="feed-url" />
          </div>
        ) : activeSince ? (
          <p>{gm(lang, 'calendarActive', { date: formatDateTime(activeSince, lang) })}</p>
        ) : (
          <p>{gm(lang, 'calendarNone')}</p>
        )}
        <div class="d-flex flex-wrap gap-2">
          <PostForm ctx={ctx} action="/consiglio/calendario">
            <button type="submit" class="btn btn-primary">
              {activeSince || feedUrl ? gm(lang, 'calendarRotate') : gm(lang, 'calendarCreate')}
            </button>
          </PostForm>
          {activeSince || feedUrl ? (
            <PostForm ctx={ctx} action="/consiglio/calendario/revoca">
              <button type="submit" class="btn btn-outline-danger">
                {gm(lang, 'calendarRevoke')}
              </button>
            </PostForm>
          ) : null}
        </div>
      </div>
    </Layout>
  );
}
