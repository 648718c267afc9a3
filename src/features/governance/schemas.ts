import { Type, type Static } from 'typebox';
import { BOARD_ROLES, MAJORITY_RULES, MOTION_TYPES, VOTE_CHOICES } from '../../db/schema.js';
import { IsoDate, Nullable } from '../../platform/schemas.js';

export const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 80 }) });
export const MeetingParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 80 }), meetingId: Type.String({ format: 'uuid' }) });
export const MotionParams = Type.Object({ ...MeetingParams.properties, motionId: Type.String({ format: 'uuid' }) });
export const ApiMotionParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 80 }), motionId: Type.String({ format: 'uuid' }) });

const Localised = Type.Object({ it: Type.String(), en: Nullable(Type.String()) });

export const BoardSeat = Type.Object({
  constituency: Localised,
  voting: Type.Boolean(),
  holder: Nullable(
    Type.Object({
      name: Type.String(),
      role: Type.Enum(BOARD_ROLES),
      organisation: Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() }),
      termStart: IsoDate,
      termEnd: IsoDate,
    }),
  ),
});

export const PublicBoard = Type.Object({
  cluster: Type.Object({ slug: Type.String(), name: Type.String() }),
  inOfficeSince: Nullable(IsoDate),
  source: Nullable(Localised),
  /** False when the board exists but its members are not recorded here: an honest empty list. */
  membersPublished: Type.Boolean(),
  seats: Type.Array(BoardSeat),
  summaries: Type.Array(Type.Object({ meetingTitle: Type.String(), date: IsoDate, summary: Type.String() })),
});

export const Quorum = Type.Object({
  votingSeats: Type.Integer(),
  present: Type.Integer(),
  represented: Type.Integer({ description: 'Voting seats represented by a valid proxy' }),
  required: Type.Integer(),
  reached: Type.Boolean(),
});

export const Outcome = Type.Object({
  result: Type.Enum(['passed', 'rejected']),
  votesFor: Type.Integer(),
  votesAgainst: Type.Integer(),
  abstentions: Type.Integer(),
  votingSeats: Type.Integer(),
  presentSeats: Type.Integer(),
  quorumRequired: Type.Integer(),
  majority: Type.Enum(MAJORITY_RULES),
  base: Type.Integer(),
  requiredFor: Type.Integer(),
  ruleVersionId: Type.String({ format: 'uuid' }),
  decidedAt: Type.String({ format: 'date-time' }),
});

export const MotionSummary = Type.Object({
  id: Type.String({ format: 'uuid' }),
  agendaItemId: Type.String({ format: 'uuid' }),
  type: Type.Enum(MOTION_TYPES),
  title: Type.String(),
  text: Type.String(),
  status: Type.Enum(['draft', 'voting', 'decided', 'withdrawn', 'lapsed']),
  votingOpensAt: Nullable(Type.String({ format: 'date-time' })),
  votingClosesAt: Nullable(Type.String({ format: 'date-time' })),
  votesCast: Type.Integer(),
  outcome: Nullable(Outcome),
});

export const MeetingSummary = Type.Object({
  id: Type.String({ format: 'uuid' }),
  title: Type.String(),
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Type.String({ format: 'date-time' }),
  place: Nullable(Type.String()),
  videoUrl: Nullable(Type.String()),
  status: Type.Enum(['convened', 'closed', 'cancelled']),
});

export const MeetingDetail = Type.Object({
  ...MeetingSummary.properties,
  agenda: Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), position: Type.Integer(), title: Type.String(), description: Nullable(Type.String()) })),
  documents: Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), filename: Type.String(), sizeBytes: Type.Integer(), url: Type.String() })),
  attendance: Type.Array(
    Type.Object({
      seatId: Type.String({ format: 'uuid' }),
      holder: Type.String(),
      organisation: Type.String(),
      role: Type.Enum(BOARD_ROLES),
      voting: Type.Boolean(),
      status: Nullable(Type.Enum(['present', 'proxy', 'absent'])),
      proxySeatId: Nullable(Type.String({ format: 'uuid' })),
    }),
  ),
  quorum: Quorum,
  rulesValidFrom: Nullable(IsoDate),
  motions: Type.Array(MotionSummary),
});

export const CastVoteBody = Type.Object(
  {
    choice: Type.Enum(VOTE_CHOICES),
    seatId: Type.Optional(Type.String({ format: 'uuid', description: 'The seat voted for, when carrying its proxy; by default your own seat' })),
  },
  { additionalProperties: false },
);

export const CastVoteResult = Type.Object({ voteId: Type.String({ format: 'uuid' }), seatId: Type.String({ format: 'uuid' }), choice: Type.Enum(VOTE_CHOICES) });

export type PublicBoardDto = Static<typeof PublicBoard>;
export type MeetingDetailDto = Static<typeof MeetingDetail>;
export type MotionSummaryDto = Static<typeof MotionSummary>;
