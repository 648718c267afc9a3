import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { MOTION_TYPES, type MotionType } from '../../db/schema.js';
import { actorOf } from '../../platform/audit.js';
import { AppError, errorMessage } from '../../platform/errors.js';
import { fieldErrorMap, FormError } from '../../platform/field-errors.js';
import { field, FormBody } from '../../platform/form-body.js';
import type { Errors } from '../../platform/forms.js';
import type { Lang } from '../../platform/i18n.js';
import { ErrorResponse } from '../../platform/schemas.js';
import { multipartField, uploadedFile } from '../../platform/uploads.js';
import type { ClusterService } from '../clusters/service.js';
import type { MembershipService } from '../memberships/service.js';
import { gm } from './messages.js';
import {
  CalendarPage,
  CompositionPage,
  ConvenePage,
  MeetingPage,
  MeetingsPage,
  MinutesPage,
  MotionPage,
  PublicBoardPage,
  RulesPage,
  type ClusterRef,
  type PageError,
} from './pages.js';
import { renderMinutesPdf } from './pdf.js';
import { requirePermission } from './policy.js';
import { presentMeeting, presentMotion, presentPublicBoard } from './presenter.js';
import { ApiMotionParams, CastVoteBody, CastVoteResult, MeetingDetail, MeetingParams, MeetingSummary, MotionParams, PublicBoard, SlugParams } from './schemas.js';
import type { GovernanceService, MeetingInput } from './service.js';
import { romeDay } from './time.js';

export interface GovernanceRoutesOptions {
  governance: GovernanceService;
  clusters: ClusterService;
  memberships: MembershipService;
  baseUrl: string;
}

const PageQuery = Type.Object({ lang: Type.Optional(Type.String()), done: Type.Optional(Type.String({ maxLength: 40 })) });
const MinutesParams = Type.Object({ ...MeetingParams.properties, minutesId: Type.String({ format: 'uuid' }) });
const DocumentParams = Type.Object({ ...MeetingParams.properties, documentId: Type.String({ format: 'uuid' }) });
const SeatParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 80 }), seatId: Type.String({ format: 'uuid' }) });
const HoldingParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 80 }), holdingId: Type.String({ format: 'uuid' }) });
const TokenParams = Type.Object({ token: Type.String({ minLength: 20, maxLength: 100 }) });

/** Refusals shown inside the page they come from, rather than on an error page. */
function pageRefusal(error: unknown, lang: Lang): { status: number; error?: PageError; errors?: Errors } | null {
  if (error instanceof FormError) return { status: 400, errors: fieldErrorMap(error.problems, lang) };
  if (error instanceof AppError && error.code !== 'governance.not_found' && (error.code.startsWith('governance.') || error.code.startsWith('membership.'))) {
    return { status: error.status, error: { code: error.code, message: errorMessage(error.code, lang, error.params) } };
  }
  return null;
}

const DONE: Record<string, Parameters<typeof gm>[1]> = { saved: 'saved', revoked: 'calendarRevoked' };

export const governanceRoutes: FastifyPluginAsyncTypebox<GovernanceRoutesOptions> = async (app, opts) => {
  const { governance, clusters, memberships, baseUrl } = opts;
  const board = { config: { access: 'board_member' as const } };
  const manager = { config: { access: 'cluster_manager' as const } };

  async function clusterOf(request: FastifyRequest): Promise<ClusterRef & { id: string }> {
    const { cluster } = await clusters.getById(request.scopeClusterId!);
    return { id: cluster.id, slug: cluster.slug, name: cluster.short_name };
  }
  const notice = (request: FastifyRequest) => {
    const done = (request.query as { done?: string }).done;
    return done && DONE[done] ? gm(request.lang, DONE[done]) : undefined;
  };
  const actor = (request: FastifyRequest) => actorOf(request.principal, request.id);

  /** Run a page action; on a refusal, render the page again with the message and the status. */
  async function act(request: FastifyRequest, reply: FastifyReply, action: () => Promise<string>, render: (refusal: { error?: PageError; errors?: Errors }) => Promise<VNode>) {
    try {
      return reply.redirect(await action(), 303);
    } catch (error) {
      const refusal = pageRefusal(error, request.lang);
      if (!refusal) throw error;
      return reply.status(refusal.status).page(await render(refusal));
    }
  }

  // --- public ------------------------------------------------------------------------------------

  async function publicBoard(slug: string) {
    const { cluster } = await clusters.get(slug);
    const [composition, summaries] = await Promise.all([governance.composition(cluster.id), governance.publicSummaries(cluster.id)]);
    return presentPublicBoard(cluster, composition, summaries);
  }

  app.get('/cluster/:slug/consiglio', { config: { access: 'public' }, schema: { hide: true, params: SlugParams, querystring: PageQuery } }, async (request, reply) => {
    const dto = await publicBoard(request.params.slug);
    const clusterId = (await clusters.idBySlug(request.params.slug))!;
    const perms = await governance.permissions(clusterId, request.principal);
    return reply.page(PublicBoardPage({ ctx: reply.pageContext(), board: dto, canEnter: perms.view }));
  });

  app.get(
    '/api/v1/clusters/:slug/board',
    {
      config: { access: 'public' },
      schema: {
        tags: ['governance'],
        summary: 'The current board of a cluster: seats and holders in office today, and published meeting summaries',
        params: SlugParams,
        response: { 200: PublicBoard, 404: ErrorResponse },
      },
    },
    async (request) => publicBoard(request.params.slug),
  );

  app.get('/calendario/:token/consiglio.ics', { config: { access: 'public' }, schema: { hide: true, params: TokenParams } }, async (request, reply) => {
    const ics = await governance.feed(request.params.token);
    return reply
      .type('text/calendar; charset=utf-8')
      .header('cache-control', 'private, no-store')
      .header('content-disposition', 'inline; filename="consiglio.ics"')
      .header('x-content-type-options', 'nosniff')
      .send(ics);
  });

  // --- personal calendar feed ----------------------------------------------------------------------

  const signedIn = { config: { access: 'authenticated' as const } };
  app.get('/consiglio/calendario', { ...signedIn, schema: { hide: true, querystring: PageQuery } }, async (request, reply) => {
    const active = await governance.activeFeedToken(request.principal!.personId);
    return reply.page(CalendarPage({ ctx: reply.pageContext(), activeSince: active?.created_at ?? null, notice: notice(request) }));
  });
  app.post('/consiglio/calendario', { ...signedIn, schema: { hide: true, body: FormBody } }, async (request, reply) => {
    const token = await governance.createFeedToken(request.principal!.personId, actor(request));
    reply.header('cache-control', 'no-store');
    return reply.page(CalendarPage({ ctx: reply.pageContext(), feedUrl: `${baseUrl}/calendario/${token}/consiglio.ics`, activeSince: new Date() }));
  });
  app.post('/consiglio/calendario/revoca', { ...signedIn, schema: { hide: true, body: FormBody } }, async (request, reply) => {
    await governance.revokeFeedToken(request.principal!.personId, actor(request));
    return reply.redirect('/consiglio/calendario?done=revoked', 303);
  });

  // --- meetings ----------------------------------------------------------------------------------

  app.get('/cluster/:slug/consiglio/riunioni', { ...board, schema: { hide: true, params: SlugParams, querystring: PageQuery } }, async (request, reply) => {
    const cluster = await clusterOf(request);
    const [meetings, perms] = await Promise.all([governance.meetings(cluster.id), governance.permissions(cluster.id, request.principal)]);
    return reply.page(
      MeetingsPage({
        ctx: reply.pageContext(),
        cluster,
        perms,
        meetings: meetings.map((m) => ({ id: m.id, title: m.title, startsAt: m.starts_at, status: m.status, motions: Number(m.motions ?? 0), minutesStatus: m.minutes_status ?? null })),
      }),
    );
  });

  app.get('/cluster/:slug/consiglio/riunioni/nuova', { ...board, schema: { hide: true, params: SlugParams, querystring: PageQuery } }, async (request, reply) => {
    const cluster = await clusterOf(request);
    requirePermission((await governance.permissions(cluster.id, request.principal)).compose);
    return reply.page(ConvenePage({ ctx: reply.pageContext(), cluster }));
  });

  const meetingInput = (body: FormBody, prefix = ''): MeetingInput => ({
    title: field(body, `${prefix}title`),
    date: field(body, `${prefix}date`),
    time: field(body, `${prefix}time`),
    endTime: field(body, `${prefix}endTime`),
    place: field(body, `${prefix}place`),
    videoUrl: field(body, `${prefix}videoUrl`),
    agenda: field(body, `${prefix}agenda`),
  });

  app.post('/cluster/:slug/consiglio/riunioni', { ...board, schema: { hide: true, params: SlugParams, body: FormBody } }, async (request, reply) => {
    const cluster = await clusterOf(request);
    requirePermission((await governance.permissions(cluster.id, request.principal)).compose);
    const input = meetingInput(request.body);
    return act(
      request,
      reply,
      async () => `/cluster/${cluster.slug}/consiglio/riunioni/${await governance.convene(cluster.id, input, actor(request))}`,
      async (refusal) => ConvenePage({ ctx: reply.pageContext(), cluster, values: { ...input }, ...refusal }),
    );
  });

  /**
   * Close on read: a vote whose online window has ended is settled before a page or the API shows
   * it (the close_voting_windows job would within a minute), through the same path as the job.
   */
  async function settleEnded(request: FastifyRequest, clusterId: string, meetingId: string) {
    const { failed } = await governance.closeEndedVotes(new Date(), { clusterId, meetingId });
    for (const f of failed) request.log.error({ err: f.error, motionId: f.motionId }, 'voting window not closed');
  }

  async function meetingPage(request: FastifyRequest, reply: FastifyReply, cluster: ClusterRef & { id: string }, meetingId: string, extra: { error?: PageError; errors?: Errors; values?: Record<string, string> } = {}) {
    await settleEnded(request, cluster.id, meetingId);
    const [view, perms] = await Promise.all([governance.meetingView(cluster.id, meetingId), governance.permissions(cluster.id, request.principal)]);
    const lang = request.lang;
    const [queue, classes, drafts] = perms.conduct
      ? await Promise.all([memberships.queue(cluster.id), memberships.classes(cluster.id), governance.repo.draftMinutes(cluster.id)])
      : [[], [], []];
    return MeetingPage({
      ctx: reply.pageContext(),
      cluster,
      meeting: presentMeeting(cluster.slug, view),
      perms,
      applications: queue.map((q) => ({ id: q.id, name: q.legal_name })),
      classes: classes.map((c) => ({ id: c.id, name: lang === 'en' ? (c.name_en ?? c.name_it) : c.name_it })),
      draftMinutes: drafts.map((d) => ({ id: d.id, label: `${d.title} (${new Intl.DateTimeFormat(lang === 'it' ? 'it-IT' : 'en-GB', { dateStyle: 'medium', timeZone: 'Europe/Rome' }).format(d.starts_at)})` })),
      notice: notice(request),
      ...extra,
    });
  }

  app.get('/cluster/:slug/consiglio/riunioni/:meetingId', { ...board, schema: { hide: true, params: MeetingParams, querystring: PageQuery } }, async (request, reply) => {
    const cluster = await clusterOf(request);
    return reply.page(await meetingPage(request, reply, cluster, request.params.meetingId));
  });

  /** A meeting action that needs `perm`, then redirects back to the meeting page (or shows the refusal there). */
  function meetingAction(path: string, perm: 'compose' | 'conduct', run: (request: FastifyRequest<{ Params: { slug: string; meetingId: string }; Body: FormBody }>, clusterId: string) => Promise<unknown>) {
    app.post(`/cluster/:slug/consiglio/riunioni/:meetingId/${path}`, { ...board, schema: { hide: true, params: MeetingParams, body: FormBody } }, async (request, reply) => {
      const cluster = await clusterOf(request);
      requirePermission((await governance.permissions(cluster.id, request.principal))[perm]);
      await governance.meeting(cluster.id, request.params.meetingId);
      return act(
        request,
        reply,
        async () => {
          await run(request, cluster.id);
          return `/cluster/${cluster.slug}/consiglio/riunioni/${request.params.meetingId}?done=saved`;
        },
        (refusal) => meetingPage(request, reply, cluster, request.params.meetingId, { ...refusal, values: { ...request.body } }),
      );
    });
  }

  meetingAction('modifica', 'compose', (r, c) => governance.reschedule(c, r.params.meetingId, meetingInput(r.body, 'change.'), actor(r)));
  meetingAction('annulla', 'compose', (r, c) => governance.cancel(c, r.params.meetingId, actor(r)));
  meetingAction('chiudi', 'compose', (r, c) => governance.closeMeeting(c, r.params.meetingId, actor(r)));
  meetingAction('punti', 'compose', (r, c) => governance.addAgendaItem(c, r.params.meetingId, { title: field(r.body, 'itemTitle'), description: field(r.body, 'itemDescription') }, actor(r)));
  meetingAction('presenze', 'conduct', (r, c) => {
    const entries = Object.keys(r.body)
      .filter((k) => k.startsWith('att.'))
      .map((k) => ({ seatId: k.slice(4), status: field(r.body, k), proxySeatId: field(r.body, `proxy.${k.slice(4)}`) || undefined }));
    return governance.recordAttendance(c, r.params.meetingId, entries, actor(r));
  });

  app.post('/cluster/:slug/consiglio/riunioni/:meetingId/mozioni', { ...board, schema: { hide: true, params: MeetingParams, body: FormBody } }, async (request, reply) => {
    const cluster = await clusterOf(request);
    requirePermission((await governance.permissions(cluster.id, request.principal)).conduct);
    await governance.meeting(cluster.id, request.params.meetingId);
    const body = request.body;
    // Checked boxes arrive as `membership` (one or many); the class of each as `class.<id>`.
    const raw = (body as Record<string, unknown>).membership;
    const selected = (Array.isArray(raw) ? raw : raw ? [raw] : []).map(String);
    const type = field(body, 'type');
    const values: Record<string, string> = { ...body };
    for (const id of selected) values[`app-${id}`] = 'yes';
    return act(
      request,
      reply,
      async () => {
        const id = await governance.addMotion(
          cluster.id,
          request.params.meetingId,
          {
            agendaItemId: field(body, 'agendaItemId'),
            type,
            title: field(body, 'title'),
            text: field(body, 'text'),
            memberships: selected.map((membershipId) => ({ membershipId, memberClassId: field(body, `class.${membershipId}`) })),
            minutesId: (MOTION_TYPES as readonly string[]).includes(type) && (type as MotionType) === 'minutes_approval' ? field(body, 'minutesId') : undefined,
          },
          actor(request),
        );
        return `/cluster/${cluster.slug}/consiglio/riunioni/${request.params.meetingId}/mozioni/${id}`;
      },
      (refusal) => meetingPage(request, reply, cluster, request.params.meetingId, { ...refusal, values }),
    );
  });

  app.post('/cluster/:slug/consiglio/riunioni/:meetingId/documenti', { ...board, schema: { hide: true, params: MeetingParams } }, async (request, reply) => {
    const cluster = await clusterOf(request);
    requirePermission((await governance.permissions(cluster.id, request.principal)).conduct);
    await governance.meeting(cluster.id, request.params.meetingId);
    return act(
      request,
      reply,
      async () => {
        const file = await uploadedFile(request, 'document');
        if (!file) throw new FormError([{ field: 'document', code: 'required' }]);
        await governance.addDocument(cluster.id, request.params.meetingId, { ...file, agendaItemId: multipartField(request, 'docAgendaItemId') || undefined }, actor(request));
        return `/cluster/${cluster.slug}/consiglio/riunioni/${request.params.meetingId}?done=saved`;
      },
      (refusal) => meetingPage(request, reply, cluster, request.params.meetingId, refusal),
    );
  });

  app.get('/cluster/:slug/consiglio/riunioni/:meetingId/documenti/:documentId', { ...board, schema: { hide: true, params: DocumentParams } }, async (request, reply) => {
    const cluster = await clusterOf(request);
    const { doc, data } = await governance.document(cluster.id, request.params.meetingId, request.params.documentId);
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="${doc.filename.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(doc.filename)}`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .header('content-security-policy', "default-src 'none'")
      .send(data);
  });

  // --- motions and votes ------------------------------------------------------------------------

  async function motionPage(request: FastifyRequest, reply: FastifyReply, cluster: ClusterRef & { id: string }, motionId: string, extra: { error?: PageError } = {}) {
    const motion = await governance.motion(cluster.id, motionId);
    await settleEnded(request, cluster.id, motion.meeting_id);
    const [view, perms] = await Promise.all([governance.motionView(cluster.id, motionId, request.principal), governance.permissions(cluster.id, request.principal)]);
    const lang = request.lang;
    const motionRow = (await governance.repo.motions(view.meeting.id)).find((m) => m.id === motionId)!;
    const votesBySeat = new Map(view.votes.map((v) => [v.seat_id, v]));
    const minutes = view.motion.minutes_id ? await governance.repo.findMinutes(view.motion.minutes_id) : undefined;
    const minutesMeeting = minutes ? await governance.repo.findMeeting(minutes.meeting_id) : undefined;
    return MotionPage({
      ctx: reply.pageContext(),
      cluster,
      meeting: { id: view.meeting.id, title: view.meeting.title, status: view.meeting.status, startsAt: view.meeting.starts_at },
      motion: presentMotion(motionRow),
      agendaItem: view.agendaItem ? `${view.agendaItem.position}. ${view.agendaItem.title}` : null,
      applications: view.applications.map((a) => ({ membershipId: a.membership_id, name: a.legal_name, className: (lang === 'en' ? (a.class_en ?? a.class_it) : a.class_it) ?? '', status: a.status })),
      minutesTitle: minutesMeeting ? minutesMeeting.title : null,
      ballots: view.ballots.map((b) => {
        const vote = votesBySeat.get(b.seatId);
        return { seatId: b.seatId, via: b.via, holderName: b.holderName, blocked: b.blocked, vote: vote ? { choice: vote.choice, at: vote.cast_at } : null };
      }),
      isHolder: view.ballots.length > 0,
      seats: view.seats.map(({ seat, attendance }) => ({ seatId: seat.seat_id, holder: seat.person_name ?? '', voting: seat.voting, attendance: attendance?.status ?? null, vote: votesBySeat.get(seat.seat_id)?.choice ?? null })),
      quorum: { votingSeats: view.quorum.votingSeats, present: view.quorum.present, represented: view.quorum.represented, required: view.quorum.required, reached: view.quorum.reached },
      ruleValidFrom: view.ruleVersion?.valid_from ?? null,
      perms,
      notice: notice(request),
      ...extra,
    });
  }

  app.get('/cluster/:slug/consiglio/riunioni/:meetingId/mozioni/:motionId', { ...board, schema: { hide: true, params: MotionParams, querystring: PageQuery } }, async (request, reply) => {
    const cluster = await clusterOf(request);
    const motion = await governance.motion(cluster.id, request.params.motionId);
    if (motion.meeting_id !== request.params.meetingId) throw new AppError('governance.not_found');
    return reply.page(await motionPage(request, reply, cluster, request.params.motionId));
  });

  function motionAction(path: string, perm: 'conduct' | null, run: (request: FastifyRequest<{ Params: { slug: string; meetingId: string; motionId: string }; Body: FormBody }>, clusterId: string) => Promise<unknown>) {
    app.post(`/cluster/:slug/consiglio/riunioni/:meetingId/mozioni/:motionId/${path}`, { ...board, schema: { hide: true, params: MotionParams, body: FormBody } }, async (request, reply) => {
      const cluster = await clusterOf(request);
      if (perm) requirePermission((await governance.permissions(cluster.id, request.principal))[perm]);
      const motion = await governance.motion(cluster.id, request.params.motionId);
      if (motion.meeting_id !== request.params.meetingId) throw new AppError('governance.not_found');
      return act(
        request,
        reply,
        async () => {
          await run(request, cluster.id);
          return `/cluster/${cluster.slug}/consiglio/riunioni/${request.params.meetingId}/mozioni/${request.params.motionId}?done=saved`;
        },
        (refusal) => motionPage(request, reply, cluster, request.params.motionId, refusal),
      );
    });
  }

  motionAction('apri', 'conduct', (r, c) => governance.openVoting(c, r.params.motionId, { closesDate: field(r.body, 'closesDate'), closesTime: field(r.body, 'closesTime') }, actor(r)));
  motionAction('voto', null, (r, c) => governance.castVote(c, r.params.motionId, { choice: field(r.body, 'choice'), seatId: field(r.body, 'seatId') || undefined }, r.principal!, actor(r)));
  motionAction('voti', 'conduct', (r, c) =>
    governance.recordVotes(
      c,
      r.params.motionId,
      Object.keys(r.body)
        .filter((k) => k.startsWith('vote.'))
        .map((k) => ({ seatId: k.slice(5), choice: field(r.body, k) })),
      actor(r),
    ),
  );
  motionAction('chiudi', 'conduct', (r, c) => governance.closeVoting(c, r.params.motionId, actor(r)));
  motionAction('ritira', 'conduct', (r, c) => governance.withdrawMotion(c, r.params.motionId, actor(r)));

  // --- minutes -----------------------------------------------------------------------------------

  async function minutesPage(request: FastifyRequest, reply: FastifyReply, cluster: ClusterRef & { id: string }, meetingId: string, extra: { error?: PageError; errors?: Errors } = {}) {
    const meeting = await governance.meeting(cluster.id, meetingId);
    const [minutes, perms, motions] = await Promise.all([governance.repo.minutesOf(meetingId), governance.permissions(cluster.id, request.principal), governance.repo.motions(meetingId)]);
    const motionTitles = new Map<string, string>();
    for (const m of minutes) {
      if (m.approved_by_motion_id) motionTitles.set(m.approved_by_motion_id, (await governance.repo.findMotion(m.approved_by_motion_id))?.title ?? '');
    }
    void motions;
    return MinutesPage({
      ctx: reply.pageContext(),
      cluster,
      meeting: { id: meeting.id, title: meeting.title, publicSummary: meeting.public_summary },
      minutes: minutes.map((m) => ({
        id: m.id,
        kind: m.kind,
        body: m.body,
        status: m.status,
        revision: m.revision,
        approvedAt: m.approved_at,
        approvedBy: m.approved_by_name ?? null,
        approvedByMotion: m.approved_by_motion_id ? (motionTitles.get(m.approved_by_motion_id) ?? null) : null,
      })),
      perms,
      notice: notice(request),
      ...extra,
    });
  }

  app.get('/cluster/:slug/consiglio/riunioni/:meetingId/verbale', { ...board, schema: { hide: true, params: MeetingParams, querystring: PageQuery } }, async (request, reply) => {
    const cluster = await clusterOf(request);
    return reply.page(await minutesPage(request, reply, cluster, request.params.meetingId));
  });

  function minutesAction(
    path: string,
    perm: 'conduct' | 'publish',
    params: typeof MeetingParams | typeof MinutesParams,
    run: (request: FastifyRequest<{ Params: { slug: string; meetingId: string; minutesId?: string }; Body: FormBody }>, clusterId: string) => Promise<unknown>,
  ) {
    app.post(`/cluster/:slug/consiglio/riunioni/:meetingId/${path}`, { ...board, schema: { hide: true, params, body: FormBody } }, async (request, reply) => {
      const cluster = await clusterOf(request);
      requirePermission((await governance.permissions(cluster.id, request.principal))[perm]);
      await governance.meeting(cluster.id, request.params.meetingId);
      return act(
        request,
        reply,
        async () => {
          await run(request as never, cluster.id);
          return `/cluster/${cluster.slug}/consiglio/riunioni/${request.params.meetingId}/verbale?done=saved`;
        },
        (refusal) => minutesPage(request, reply, cluster, request.params.meetingId, refusal),
      );
    });
  }

  minutesAction('verbale', 'conduct', MeetingParams, (r, c) => governance.draftMinutes(c, r.params.meetingId, r.lang, actor(r)));
  minutesAction('verbale/:minutesId', 'conduct', MinutesParams, (r, c) => governance.editMinutes(c, r.params.meetingId, r.params.minutesId!, field(r.body, 'body'), actor(r)));
  minutesAction('verbale/:minutesId/approva', 'conduct', MinutesParams, (r, c) => governance.approveMinutes(c, r.params.meetingId, r.params.minutesId!, actor(r)));
  minutesAction('verbale/:minutesId/rettifica', 'conduct', MinutesParams, (r, c) => governance.amendMinutes(c, r.params.meetingId, r.params.minutesId!, field(r.body, 'amendment'), actor(r)));
  minutesAction('sintesi', 'publish', MeetingParams, (r, c) => governance.publishSummary(c, r.params.meetingId, field(r.body, 'summary'), actor(r)));

  app.get('/cluster/:slug/consiglio/riunioni/:meetingId/verbale.pdf', { ...board, schema: { hide: true, params: MeetingParams, querystring: PageQuery } }, async (request, reply) => {
    const cluster = await clusterOf(request);
    const meeting = await governance.meeting(cluster.id, request.params.meetingId);
    const minutes = await governance.repo.minutesOf(meeting.id);
    const approved = minutes.filter((m) => m.status === 'approved');
    if (!approved.some((m) => m.kind === 'minutes')) throw new AppError('governance.not_found');
    const lang = request.lang;
    const pdf = await renderMinutesPdf({
      lang,
      cluster: cluster.name,
      meetingTitle: meeting.title,
      startsAt: meeting.starts_at,
      parts: approved.map((m) => ({
        heading: m.kind === 'minutes' ? gm(lang, 'minutes') : gm(lang, 'amendmentOf'),
        status: gm(lang, 'approvedOn', { date: new Intl.DateTimeFormat(lang === 'it' ? 'it-IT' : 'en-GB', { dateStyle: 'long', timeZone: 'Europe/Rome' }).format(m.approved_at!) }),
        body: m.body,
      })),
    });
    return reply
      .type('application/pdf')
      .header('content-disposition', `inline; filename="verbale-${romeDay(meeting.starts_at)}.pdf"`)
      .header('cache-control', 'private, no-store')
      .send(pdf);
  });

  // --- composition and rules (managers) --------------------------------------------------------------

  async function compositionPage(request: FastifyRequest, reply: FastifyReply, cluster: ClusterRef & { id: string }, extra: { error?: PageError; errors?: Errors; values?: Record<string, string> } = {}) {
    const lang = request.lang;
    const [composition, history, members, detail] = await Promise.all([governance.composition(cluster.id), governance.history(cluster.id), memberships.admittedOrganisations(cluster.id), clusters.getById(cluster.id)]);
    const name = (c: { constituency_it: string; constituency_en: string | null }) => (lang === 'en' ? (c.constituency_en ?? c.constituency_it) : c.constituency_it);
    const seatNumbers = new Map(composition.seats.map((s, i) => [s.seat_id, i + 1]));
    const organisations = new Map<string, string>();
    for (const o of detail.organisations.filter((o) => o.role === 'coordinator')) organisations.set(o.organisation_id, o.legal_name);
    for (const o of members) organisations.set(o.id, o.legal_name);
    return CompositionPage({
      ctx: reply.pageContext(),
      cluster,
      view: {
        constituencies: composition.constituencies.map((c) => ({
          id: c.id,
          code: c.code,
          name: lang === 'en' ? (c.name_en ?? c.name_it) : c.name_it,
          maxSeats: c.max_seats,
          seats: composition.seats.filter((s) => s.constituency_id === c.id).length,
        })),
        seats: composition.seats.map((s) => ({
          id: s.seat_id,
          constituency: name(s),
          voting: s.voting,
          holder: s.person_name,
          organisation: s.organisation_name,
          role: s.role,
          termEnd: s.ended_on ?? s.term_end,
          holdingId: s.holding_id,
        })),
        history: history.map((h) => ({
          seat: seatNumbers.get(h.seat_id) ?? 0,
          constituency: name(h),
          person: h.person_name,
          organisation: h.organisation_name,
          role: h.role,
          termStart: h.term_start,
          termEnd: h.term_end,
          endedOn: h.ended_on,
          endReason: h.end_reason,
        })),
        organisations: [...organisations.entries()].map(([id, n]) => ({ id, name: n })).sort((a, b) => a.name.localeCompare(b.name)),
      },
      notice: notice(request),
      ...extra,
    });
  }

  app.get('/cluster/:slug/gestione/consiglio', { ...manager, schema: { hide: true, params: SlugParams, querystring: PageQuery } }, async (request, reply) => {
    return reply.page(await compositionPage(request, reply, await clusterOf(request)));
  });

  function compositionAction<P extends typeof SlugParams | typeof SeatParams | typeof HoldingParams>(path: string, params: P, run: (request: FastifyRequest<{ Params: Record<string, string>; Body: FormBody }>, clusterId: string) => Promise<unknown>) {
    app.post(`/cluster/:slug/gestione/consiglio/${path}`, { ...manager, schema: { hide: true, params, body: FormBody } }, async (request, reply) => {
      const cluster = await clusterOf(request);
      return act(
        request,
        reply,
        async () => {
          await run(request as never, cluster.id);
          return `/cluster/${cluster.slug}/gestione/consiglio?done=saved`;
        },
        (refusal) => compositionPage(request, reply, cluster, { ...refusal, values: { ...(request.body as Record<string, string>) } }),
      );
    });
  }

  compositionAction('collegi', SlugParams, (r, c) =>
    governance.addConstituency(c, { code: field(r.body, 'code'), nameIt: field(r.body, 'nameIt'), nameEn: field(r.body, 'nameEn'), maxSeats: field(r.body, 'maxSeats') }, actor(r)),
  );
  compositionAction('seggi', SlugParams, (r, c) => governance.addSeat(c, { constituencyId: field(r.body, 'constituencyId'), voting: field(r.body, 'voting') === 'yes' }, actor(r)));
  compositionAction('seggi/:seatId/titolari', SeatParams, (r, c) =>
    governance.appoint(
      c,
      r.params.seatId!,
      { email: field(r.body, 'email'), organisationId: field(r.body, 'organisationId'), role: field(r.body, 'role'), termStart: field(r.body, 'termStart'), termEnd: field(r.body, 'termEnd') },
      actor(r),
    ),
  );
  compositionAction('titolari/:holdingId/termina', HoldingParams, (r, c) => governance.endHolding(c, r.params.holdingId!, { endedOn: field(r.body, 'endedOn'), reason: field(r.body, 'reason') }, actor(r)));

  async function rulesPage(request: FastifyRequest, reply: FastifyReply, cluster: ClusterRef & { id: string }, extra: { error?: PageError; errors?: Errors; values?: Record<string, string> } = {}) {
    const lang = request.lang;
    const versions = await governance.ruleVersions(cluster.id);
    return RulesPage({
      ctx: reply.pageContext(),
      cluster,
      versions: versions.map((v) => ({
        validFrom: v.valid_from,
        quorum: v.quorum_kind === 'fixed' ? `${gm(lang, 'quorum.fixed')}: ${v.quorum_fixed}` : gm(lang, 'quorum.majority_of_voting_seats'),
        majorities: {
          ordinary: gm(lang, `majority.${v.majority_ordinary}`),
          admission: gm(lang, `majority.${v.majority_admission}`),
          minutes_approval: gm(lang, `majority.${v.majority_minutes}`),
          budget: gm(lang, `majority.${v.majority_budget}`),
          statute: gm(lang, `majority.${v.majority_statute}`),
        },
        abstentions: gm(lang, `abstentions.${v.abstentions}`),
        proxies: v.proxies_allowed ? `${gm(lang, 'yes')} (${gm(lang, 'maxProxies').toLowerCase()}: ${v.max_proxies_per_holder})` : gm(lang, 'no'),
        managerMayAdmit: v.manager_may_admit,
        actReference: v.act_reference,
      })),
      notice: notice(request),
      ...extra,
    });
  }

  app.get('/cluster/:slug/gestione/consiglio/regole', { ...manager, schema: { hide: true, params: SlugParams, querystring: PageQuery } }, async (request, reply) => {
    return reply.page(await rulesPage(request, reply, await clusterOf(request)));
  });

  app.post('/cluster/:slug/gestione/consiglio/regole', { ...manager, schema: { hide: true, params: SlugParams, body: FormBody } }, async (request, reply) => {
    const cluster = await clusterOf(request);
    const b = request.body;
    return act(
      request,
      reply,
      async () => {
        await governance.addRuleVersion(
          cluster.id,
          {
            validFrom: field(b, 'validFrom'),
            quorumKind: field(b, 'quorumKind'),
            quorumFixed: field(b, 'quorumFixed'),
            majorities: Object.fromEntries(MOTION_TYPES.map((type) => [type, field(b, `majority.${type}`)])) as Record<MotionType, string>,
            abstentions: field(b, 'abstentions'),
            proxiesAllowed: field(b, 'proxiesAllowed') === 'yes',
            maxProxies: field(b, 'maxProxies'),
            managerMayAdmit: field(b, 'managerMayAdmit') === 'yes',
            actReference: field(b, 'actReference'),
          },
          actor(request),
        );
        return `/cluster/${cluster.slug}/gestione/consiglio/regole?done=saved`;
      },
      (refusal) => rulesPage(request, reply, cluster, { ...refusal, values: { ...b } }),
    );
  });

  // --- JSON API (board members) -------------------------------------------------------------------

  app.get(
    '/api/v1/clusters/:slug/meetings',
    {
      ...board,
      schema: {
        tags: ['governance'],
        summary: 'Board meetings of a cluster, newest first (board members, managers, Region)',
        params: SlugParams,
        response: { 200: Type.Object({ items: Type.Array(MeetingSummary) }), 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const meetings = await governance.meetings(request.scopeClusterId!);
      return {
        items: meetings.map((m) => ({ id: m.id, title: m.title, startsAt: m.starts_at.toISOString(), endsAt: m.ends_at.toISOString(), place: m.place, videoUrl: m.video_url, status: m.status })),
      };
    },
  );

  app.get(
    '/api/v1/clusters/:slug/meetings/:meetingId',
    {
      ...board,
      schema: {
        tags: ['governance'],
        summary: 'One board meeting: agenda, documents, attendance, live quorum, motions with outcomes',
        params: MeetingParams,
        response: { 200: MeetingDetail, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const { cluster } = await clusters.getById(request.scopeClusterId!);
      await settleEnded(request, cluster.id, request.params.meetingId);
      return presentMeeting(cluster.slug, await governance.meetingView(cluster.id, request.params.meetingId));
    },
  );

  app.post(
    '/api/v1/clusters/:slug/motions/:motionId/votes',
    {
      ...board,
      schema: {
        tags: ['governance'],
        summary: 'Cast an online vote on a motion whose vote is open: for your own voting seat, or for a seat whose proxy you carry. Each seat votes once.',
        params: ApiMotionParams,
        body: CastVoteBody,
        response: { 201: CastVoteResult, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
      },
    },
    async (request, reply) => {
      const result = await governance.castVote(request.scopeClusterId!, request.params.motionId, request.body, request.principal!, actor(request));
      return reply.status(201).send(result);
    },
  );
};
