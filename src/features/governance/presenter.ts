import type { MotionRow, SeatOnDay } from './repository.js';
import type { MeetingDetailDto, MotionSummaryDto, PublicBoardDto } from './schemas.js';
import type { GovernanceService } from './service.js';
import { romeDay } from './time.js';

type Composition = Awaited<ReturnType<GovernanceService['composition']>>;
type MeetingView = Awaited<ReturnType<GovernanceService['meetingView']>>;

/** What the public sees of a board: seats with their holders in office today, nothing more. */
export function presentPublicBoard(
  cluster: { slug: string; short_name: string },
  composition: Composition,
  summaries: { title: string; starts_at: Date; public_summary: string | null }[],
): PublicBoardDto {
  const seats = composition.seats.map((s: SeatOnDay) => ({
    constituency: { it: s.constituency_it, en: s.constituency_en },
    voting: s.voting,
    holder:
      s.holding_id && s.person_name && s.organisation_name && s.role && s.organisation_id && s.term_start && s.term_end
        ? { name: s.person_name, role: s.role, organisation: { id: s.organisation_id, name: s.organisation_name }, termStart: s.term_start, termEnd: s.ended_on ?? s.term_end }
        : null,
  }));
  return {
    cluster: { slug: cluster.slug, name: cluster.short_name },
    inOfficeSince: composition.board?.in_office_since ?? null,
    source: composition.board?.source_it ? { it: composition.board.source_it, en: composition.board.source_en } : null,
    membersPublished: seats.some((s) => s.holder),
    seats,
    summaries: summaries.filter((s) => s.public_summary).map((s) => ({ meetingTitle: s.title, date: romeDay(s.starts_at), summary: s.public_summary! })),
  };
}

export function presentMotion(m: MotionRow): MotionSummaryDto {
  return {
    id: m.id,
    agendaItemId: m.agenda_item_id,
    type: m.type,
    title: m.title,
    text: m.text,
    status: m.status,
    votingOpensAt: m.voting_opens_at?.toISOString() ?? null,
    votingClosesAt: m.voting_closes_at?.toISOString() ?? null,
    votesCast: Number(m.votes_cast ?? 0),
    outcome:
      m.result && m.decided_at && m.rule_version_id
        ? {
            result: m.result,
            votesFor: m.votes_for ?? 0,
            votesAgainst: m.votes_against ?? 0,
            abstentions: m.abstentions ?? 0,
            votingSeats: m.voting_seats ?? 0,
            presentSeats: m.present_seats ?? 0,
            quorumRequired: m.quorum_required ?? 0,
            majority: m.majority!,
            base: m.base ?? 0,
            requiredFor: m.required_for ?? 0,
            ruleVersionId: m.rule_version_id,
            decidedAt: m.decided_at.toISOString(),
          }
        : null,
  };
}

export function presentMeeting(slug: string, view: MeetingView): MeetingDetailDto {
  const { meeting } = view;
  return {
    id: meeting.id,
    title: meeting.title,
    startsAt: meeting.starts_at.toISOString(),
    endsAt: meeting.ends_at.toISOString(),
    place: meeting.place,
    videoUrl: meeting.video_url,
    status: meeting.status,
    agenda: view.agenda.map((a) => ({ id: a.id, position: a.position, title: a.title, description: a.description })),
    documents: view.documents.map((d) => ({ id: d.id, filename: d.filename, sizeBytes: d.size_bytes, url: `/cluster/${slug}/consiglio/riunioni/${meeting.id}/documenti/${d.id}` })),
    attendance: view.seats.map(({ seat, attendance }) => ({
      seatId: seat.seat_id,
      holder: seat.person_name ?? '',
      organisation: seat.organisation_name ?? '',
      role: seat.role!,
      voting: seat.voting,
      status: attendance?.status ?? null,
      proxySeatId: attendance?.proxy_seat_id ?? null,
    })),
    quorum: { votingSeats: view.quorum.votingSeats, present: view.quorum.present, represented: view.quorum.represented, required: view.quorum.required, reached: view.quorum.reached },
    rulesValidFrom: view.rules?.version.valid_from ?? null,
    motions: view.motions.map(presentMotion),
  };
}
