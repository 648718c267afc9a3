import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Kysely table types. Keep in step with src/db/migrations (snake_case, as in SQL). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** `date` columns are read as ISO strings (yyyy-mm-dd), see database.ts type parsers. */
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type DateOnly = ColumnType<string, string, string>;

export const RECOGNITION_STEPS = [
  'costituito',
  'presa_d_atto',
  'riconosciuto',
  'operativo',
  'sospeso',
  'revocato',
] as const;
export type RecognitionStep = (typeof RECOGNITION_STEPS)[number];

export const LEGAL_FORMS = ['recognised_association', 'association', 'foundation'] as const;
export type LegalForm = (typeof LEGAL_FORMS)[number];

export const ORGANISATION_TYPES = [
  'company',
  'university',
  'research_centre',
  'its_academy',
  'school',
  'public_body',
  'chamber_of_commerce',
  'association',
  'spin_off',
  'other',
] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

export const CLUSTER_ROLES = ['coordinator', 'founder', 'partner'] as const;
export type ClusterRole = (typeof CLUSTER_ROLES)[number];

export interface ClusterTable {
  id: Generated<string>;
  slug: string;
  number: number;
  name_it: string;
  name_en: string;
  short_name: string;
  area_it: string;
  area_en: string;
  managing_body: string;
  legal_form: LegalForm;
  website: string | null;
  description_it: string;
  description_en: string | null;
  territory_it: string;
  territory_en: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ClusterRecognitionStepTable {
  id: Generated<string>;
  cluster_id: string;
  step: RecognitionStep;
  occurred_on: DateOnly;
  act_reference: string;
  note_it: string | null;
  note_en: string | null;
  created_at: Timestamp;
}

export const SIZE_CLASSES = ['micro', 'small', 'medium', 'large'] as const;
export type SizeClass = (typeof SIZE_CLASSES)[number];

/** bigint columns: read as numbers (see database.ts), written as numbers. */
type BigIntColumn = ColumnType<number, number | bigint | string, number | bigint | string>;

export interface OrganisationTable {
  id: Generated<string>;
  external_ref: string | null;
  legal_name: string;
  short_name: string | null;
  type: OrganisationType;
  website: string | null;
  city: string | null;
  province_code: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  vat_number: string | null;
  tax_code: string | null;
  ateco_codes: Generated<string[]>;
  employees: number | null;
  turnover_cents: BigIntColumn | null;
  balance_sheet_cents: BigIntColumn | null;
  size_class_declared: SizeClass | null;
  size_class_computed: SizeClass | null;
  country_code: Generated<string>;
  comune_istat: string | null;
  address: string | null;
  postcode: string | null;
  pec: string | null;
  email: string | null;
  description_it: string | null;
  description_en: string | null;
  logo: Buffer | null;
  logo_mime: 'image/png' | 'image/jpeg' | 'image/webp' | null;
  logo_updated_at: NullableTimestamp;
}

export const ROLES = ['region_admin', 'cluster_manager', 'board_member', 'org_admin', 'org_member'] as const;
export type Role = (typeof ROLES)[number];

export const MEMBERSHIP_STATUSES = [
  'applied',
  'under_review',
  'admitted',
  'rejected',
  'withdrawn',
  'suspended',
  'ended',
] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];

export interface PersonTable {
  id: Generated<string>;
  email: string | null;
  email_verified_at: NullableTimestamp;
  password_hash: string | null;
  display_name: string;
  preferred_lang: Generated<'it' | 'en'>;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: NullableTimestamp;
}

export interface PersonIdentityTable {
  provider: string;
  subject: string;
  person_id: string;
  created_at: Timestamp;
}

export interface SessionTable {
  id_hash: string;
  person_id: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export type AuthTokenPurpose = 'verify_email' | 'reset_password' | 'invitation';

export interface AuthTokenTable {
  token_hash: string;
  purpose: AuthTokenPurpose;
  person_id: string | null;
  email: string;
  payload: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface LoginAttemptTable {
  id: Generated<number>;
  email: string;
  ip: string;
  succeeded: boolean;
  at: Timestamp;
}

export interface RoleGrantTable {
  id: Generated<string>;
  person_id: string;
  role: Role;
  cluster_id: string | null;
  organisation_id: string | null;
  granted_by: string | null;
  created_at: Timestamp;
}

export interface MemberClassTable {
  id: Generated<string>;
  cluster_id: string;
  code: string;
  name_it: string;
  name_en: string | null;
  voting: boolean;
  annual_fee_cents: number | null;
  currency: Generated<string>;
  position: Generated<number>;
  created_at: Timestamp;
}

export interface MembershipTable {
  id: Generated<string>;
  cluster_id: string;
  organisation_id: string;
  member_class_id: string | null;
  status: MembershipStatus;
  motivation: string | null;
  applicant_person_id: string | null;
  application_verified_at: NullableTimestamp;
  external_ref: string | null;
  applied_at: Timestamp;
  admitted_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MembershipEventTable {
  id: Generated<string>;
  membership_id: string;
  action: string;
  from_status: MembershipStatus | null;
  to_status: MembershipStatus;
  reason: string | null;
  actor_person_id: string | null;
  at: Timestamp;
}

export interface ConsentTable {
  id: Generated<string>;
  person_id: string;
  kind: string;
  version: string;
  given_at: Timestamp;
}

type Json = ColumnType<unknown, string | null, string | null>;

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_person_id: string | null;
  actor_label: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  cluster_id: string | null;
  organisation_id: string | null;
  before: Json | null;
  after: Json | null;
  request_id: string | null;
}

export interface ClusterOrganisationRoleTable {
  cluster_id: string;
  organisation_id: string;
  role: ClusterRole;
  note_it: string | null;
  note_en: string | null;
  created_at: Timestamp;
}

export const COMPETENCE_LEVELS = ['core', 'experienced', 'emerging'] as const;
export type CompetenceLevel = (typeof COMPETENCE_LEVELS)[number];

export const VISIBILITIES = ['public', 'members', 'private'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const FACILITY_TYPES = ['laboratory', 'pilot_plant', 'instrument', 'testing_service', 'other'] as const;
export type FacilityType = (typeof FACILITY_TYPES)[number];

export const SEARCH_KINDS = ['organisation', 'facility', 'person'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export interface NetworkConceptTable {
  id: Generated<string>;
  code: string;
  label_it: string;
  label_en: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CompetenceAreaTable {
  id: Generated<string>;
  cluster_id: string;
  code: string;
  parent_id: string | null;
  label_it: string;
  label_en: string | null;
  synonyms_it: Generated<string[]>;
  synonyms_en: Generated<string[]>;
  concept_id: string | null;
  position: Generated<number>;
  retired_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OrganisationCompetenceTable {
  id: Generated<string>;
  organisation_id: string;
  area_id: string | null;
  level: CompetenceLevel;
  description_it: string | null;
  description_en: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface FacilityTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  type: FacilityType;
  description_it: string | null;
  description_en: string | null;
  accreditations: Generated<string[]>;
  access_conditions_it: string | null;
  access_conditions_en: string | null;
  city: string | null;
  province_code: string | null;
  country_code: Generated<string>;
  area_ids: Generated<string[]>;
  visibility: Generated<Visibility>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PersonExpertiseTable {
  person_id: string;
  organisation_id: string | null;
  headline: string | null;
  summary_it: string | null;
  summary_en: string | null;
  keywords: Generated<string[]>;
  area_ids: Generated<string[]>;
  orcid: string | null;
  visibility: Generated<Visibility>;
  opted_in_at: Timestamp;
  updated_at: Timestamp;
}

export interface SearchDocumentTable {
  id: string;
  kind: SearchKind;
  organisation_id: string | null;
  person_id: string | null;
  title: string;
  sort_key: string;
  org_type: string | null;
  province_code: string | null;
  country_code: string | null;
  size_class: string | null;
  cluster_ids: Generated<string[]>;
  listed: Generated<boolean>;
  area_keys: Generated<string[]>;
  area_top: Generated<string[]>;
  visibility: Visibility;
  /** Written through SQL expressions (to_tsvector), read only by the database. */
  tsv: ColumnType<string, unknown, unknown>;
  trgm_text: string;
  payload: ColumnType<unknown, string, string>;
  updated_at: Timestamp;
}

export interface SeedRunTable {
  key: string;
  applied_at: Timestamp;
}

export const ITEM_STATUSES = ['draft', 'published', 'archived'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];
export const ITEM_VISIBILITIES = ['public', 'members', 'clusters'] as const;
export type ItemVisibility = (typeof ITEM_VISIBILITIES)[number];
export const IP_STATUSES = ['patent', 'know_how', 'open'] as const;
export type IpStatus = (typeof IP_STATUSES)[number];
export const COLLABORATION_TYPES = ['licence', 'contract_research', 'joint_project', 'supply', 'investment', 'testing_service'] as const;
export type CollaborationType = (typeof COLLABORATION_TYPES)[number];
export const INTEREST_STATUSES = ['sent', 'accepted', 'declined', 'withdrawn'] as const;
export type InterestStatus = (typeof INTEREST_STATUSES)[number];
export const COLLABORATION_STATUSES = ['exploring', 'agreement', 'project', 'closed_won', 'closed_lost'] as const;
export type CollaborationStatus = (typeof COLLABORATION_STATUSES)[number];

type NullableDateOnly = ColumnType<string | null, string | null | undefined, string | null>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export interface TechnologyOfferTable {
  id: Generated<string>;
  organisation_id: string;
  external_ref: string | null;
  status: ColumnType<ItemStatus, ItemStatus | undefined, ItemStatus>;
  title_it: string | null;
  title_en: string | null;
  summary_it: string | null;
  summary_en: string | null;
  description_it: string | null;
  description_en: string | null;
  taxonomy_codes: TextArray;
  trl: number | null;
  ip_status: IpStatus | null;
  patent_number: string | null;
  collaboration_types: TextArray;
  categories: TextArray;
  tags: TextArray;
  looking_for: TextArray;
  visibility: ColumnType<ItemVisibility, ItemVisibility | undefined, ItemVisibility>;
  expires_on: NullableDateOnly;
  published_at: NullableTimestamp;
  archived_at: NullableTimestamp;
  renewal_reminded_at: NullableTimestamp;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TechnologyNeedTable {
  id: Generated<string>;
  organisation_id: string;
  external_ref: string | null;
  status: ColumnType<ItemStatus, ItemStatus | undefined, ItemStatus>;
  title_it: string | null;
  title_en: string | null;
  description_it: string | null;
  description_en: string | null;
  taxonomy_codes: TextArray;
  trl_min: number | null;
  trl_max: number | null;
  budget_min_cents: BigIntColumn | null;
  budget_max_cents: BigIntColumn | null;
  currency: Generated<string>;
  deadline: NullableDateOnly;
  partner_types: TextArray;
  visibility: ColumnType<ItemVisibility, ItemVisibility | undefined, ItemVisibility>;
  expires_on: NullableDateOnly;
  published_at: NullableTimestamp;
  archived_at: NullableTimestamp;
  renewal_reminded_at: NullableTimestamp;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export const MATCH_KINDS = ['offer', 'need', 'profile'] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];

export interface MatchDocumentTable {
  /** Offers and needs, and the profiles (organisations, facilities, expertise) of the search. */
  kind: MatchKind;
  item_id: string;
  /** Small stable id for the postings (match_postings). */
  doc_id: Generated<number>;
  /** What a result shows and is filtered by (read for every candidate). */
  meta: ColumnType<unknown, string | null, string | null> | null;
  /** Each ranker's bag length: stems, concepts, cognates, fuzzy. */
  lengths: number[] | null;
  organisation_id: string;
  active: boolean;
  analyzer_version: number;
  revision: ColumnType<number, undefined, never>;
  payload: ColumnType<unknown, string, string>;
  updated_at: Timestamp;
}

export interface InterestTable {
  id: Generated<string>;
  from_organisation_id: string;
  to_organisation_id: string;
  offer_id: string | null;
  need_id: string | null;
  message: string;
  status: ColumnType<InterestStatus, InterestStatus | undefined, InterestStatus>;
  created_by: string | null;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  decision_note: string | null;
  created_at: Timestamp;
}

export interface CollaborationTable {
  id: Generated<string>;
  interest_id: string;
  offer_id: string | null;
  need_id: string | null;
  initiator_organisation_id: string;
  partner_organisation_id: string;
  title: string;
  status: ColumnType<CollaborationStatus, CollaborationStatus | undefined, CollaborationStatus>;
  created_at: Timestamp;
  updated_at: Timestamp;
  closed_at: NullableTimestamp;
}

export interface CollaborationEventTable {
  id: Generated<string>;
  collaboration_id: string;
  from_status: CollaborationStatus | null;
  to_status: CollaborationStatus;
  note: string | null;
  actor_person_id: string | null;
  at: Timestamp;
}

export interface ScheduledJobTable {
  name: string;
  next_run_at: Timestamp;
  locked_until: NullableTimestamp;
  last_started_at: NullableTimestamp;
  last_finished_at: NullableTimestamp;
  last_error: string | null;
}

/** A mail stored before it is sent, until the mail server takes it (see platform/mail/queue.ts). */
export interface MailQueueTable {
  id: string;
  message: Json;
  created_at: Timestamp;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  locked_until: NullableTimestamp;
  failed_at: NullableTimestamp;
  last_error: string | null;
}

export interface DigestRunTable {
  organisation_id: string;
  week_start: DateOnly;
  status: 'pending' | 'sent' | 'empty' | 'opted_out' | 'failed';
  covered_from: NullableTimestamp;
  covered_until: Timestamp;
  items: Generated<number>;
  recipients: Generated<number>;
  created_at: Timestamp;
  finished_at: NullableTimestamp;
}

export interface DigestPreferenceTable {
  organisation_id: string;
  opted_out: boolean;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface DB {
  clusters: ClusterTable;
  cluster_recognition_steps: ClusterRecognitionStepTable;
  organisations: OrganisationTable;
  cluster_organisation_roles: ClusterOrganisationRoleTable;
  seed_runs: SeedRunTable;
  app_settings: { key: string; value: string; created_at: Timestamp };
  people: PersonTable;
  person_identities: PersonIdentityTable;
  sessions: SessionTable;
  auth_tokens: AuthTokenTable;
  login_attempts: LoginAttemptTable;
  role_grants: RoleGrantTable;
  member_classes: MemberClassTable;
  memberships: MembershipTable;
  membership_events: MembershipEventTable;
  consents: ConsentTable;
  audit_log: AuditLogTable;
  organisation_relations: { organisation_id: string; related_organisation_id: string; relation: 'spin_off_of'; created_at: Timestamp };
  technology_offers: TechnologyOfferTable;
  technology_needs: TechnologyNeedTable;
  technology_offer_clusters: { offer_id: string; cluster_id: string };
  technology_need_clusters: { need_id: string; cluster_id: string };
  match_documents: MatchDocumentTable;
  interests: InterestTable;
  collaborations: CollaborationTable;
  collaboration_events: CollaborationEventTable;
  collaboration_clusters: { collaboration_id: string; cluster_id: string };
  scheduled_jobs: ScheduledJobTable;
  mail_queue: MailQueueTable;
  digest_runs: DigestRunTable;
  digest_preferences: DigestPreferenceTable;
  network_concepts: NetworkConceptTable;
  competence_areas: CompetenceAreaTable;
  organisation_competences: OrganisationCompetenceTable;
  facilities: FacilityTable;
  person_expertise: PersonExpertiseTable;
  search_documents: SearchDocumentTable;
  search_vocabulary: { word: string };
  search_reindex_queue: { kind: 'organisation' | 'person'; entity_id: string; queued_at: Timestamp };
  search_state: { id: number; version: BigIntColumn; taxonomy_version: BigIntColumn };
  deferred_indexes: { name: string; definition: string; deferred_at: Generated<Timestamp> };
  boards: BoardTable;
  board_constituencies: BoardConstituencyTable;
  board_seats: BoardSeatTable;
  board_seat_holdings: BoardSeatHoldingTable;
  statute_rule_versions: StatuteRuleVersionTable;
  board_meetings: BoardMeetingTable;
  board_agenda_items: BoardAgendaItemTable;
  board_documents: BoardDocumentTable;
  board_attendance: BoardAttendanceTable;
  board_motions: BoardMotionTable;
  board_motion_memberships: BoardMotionMembershipTable;
  board_votes: BoardVoteTable;
  board_motion_outcomes: BoardMotionOutcomeTable;
  board_minutes: BoardMinutesTable;
  calendar_feed_tokens: CalendarFeedTokenTable;
}

export type ClusterRow = Selectable<ClusterTable>;
export type NewCluster = Insertable<ClusterTable>;
export type ClusterUpdate = Updateable<ClusterTable>;
export type RecognitionStepRow = Selectable<ClusterRecognitionStepTable>;
export type OrganisationRow = Selectable<OrganisationTable>;
export type PersonRow = Selectable<PersonTable>;
export type RoleGrantRow = Selectable<RoleGrantTable>;
export type MembershipRow = Selectable<MembershipTable>;
export type MemberClassRow = Selectable<MemberClassTable>;

// Governance (2026-11-25T1300-governance): the board, its rules, meetings, votes and minutes.

export const BOARD_ROLES = ['president', 'vice_president', 'secretary', 'member'] as const;
export type BoardRole = (typeof BOARD_ROLES)[number];
export const MOTION_TYPES = ['ordinary', 'admission', 'minutes_approval', 'budget', 'statute'] as const;
export type MotionType = (typeof MOTION_TYPES)[number];
export const MAJORITY_RULES = ['simple', 'absolute', 'two_thirds'] as const;
export type MajorityRule = (typeof MAJORITY_RULES)[number];
export const VOTE_CHOICES = ['for', 'against', 'abstain'] as const;
export type VoteChoice = (typeof VOTE_CHOICES)[number];
export const ATTENDANCE_STATUSES = ['present', 'proxy', 'absent'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];
export type MeetingStatus = 'convened' | 'closed' | 'cancelled';
export type MotionStatus = 'draft' | 'voting' | 'decided' | 'withdrawn' | 'lapsed';

export interface BoardTable {
  cluster_id: string;
  in_office_since: DateOnly | null;
  source_it: string | null;
  source_en: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface BoardConstituencyTable {
  id: Generated<string>;
  cluster_id: string;
  code: string;
  name_it: string;
  name_en: string | null;
  max_seats: number;
  position: Generated<number>;
  created_at: Timestamp;
}

export interface BoardSeatTable {
  id: Generated<string>;
  cluster_id: string;
  constituency_id: string;
  voting: boolean;
  position: Generated<number>;
  created_at: Timestamp;
  abolished_at: NullableTimestamp;
}

export interface BoardSeatHoldingTable {
  id: Generated<string>;
  seat_id: string;
  cluster_id: string;
  person_id: string;
  organisation_id: string;
  role: BoardRole;
  term_start: DateOnly;
  term_end: DateOnly;
  ended_on: DateOnly | null;
  end_reason: string | null;
  created_at: Timestamp;
}

export interface StatuteRuleVersionTable {
  id: Generated<string>;
  cluster_id: string;
  valid_from: DateOnly;
  quorum_kind: 'majority_of_voting_seats' | 'fixed';
  quorum_fixed: number | null;
  majority_ordinary: MajorityRule;
  majority_admission: MajorityRule;
  majority_minutes: MajorityRule;
  majority_budget: MajorityRule;
  majority_statute: MajorityRule;
  abstentions: 'excluded' | 'counted';
  proxies_allowed: boolean;
  max_proxies_per_holder: Generated<number>;
  manager_may_admit: boolean;
  act_reference: string | null;
  created_by: string | null;
  created_at: Timestamp;
}

export interface BoardMeetingTable {
  id: Generated<string>;
  cluster_id: string;
  title: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  place: string | null;
  video_url: string | null;
  status: MeetingStatus;
  sequence: Generated<number>;
  public_summary: string | null;
  summary_published_at: NullableTimestamp;
  convened_by: string | null;
  closed_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface BoardAgendaItemTable {
  id: Generated<string>;
  meeting_id: string;
  position: number;
  title: string;
  description: string | null;
  created_at: Timestamp;
}

export interface BoardDocumentTable {
  id: Generated<string>;
  meeting_id: string;
  agenda_item_id: string | null;
  filename: string;
  storage_key: string;
  mime: 'application/pdf';
  size_bytes: number;
  sha256: string;
  uploaded_by: string | null;
  uploaded_at: Timestamp;
}

export interface BoardAttendanceTable {
  meeting_id: string;
  seat_id: string;
  holding_id: string;
  status: AttendanceStatus;
  proxy_seat_id: string | null;
  via: 'in_person' | 'online' | 'secretary';
  recorded_by: string | null;
  recorded_at: Timestamp;
}

export interface BoardMotionTable {
  id: Generated<string>;
  meeting_id: string;
  agenda_item_id: string;
  cluster_id: string;
  type: MotionType;
  title: string;
  text: string;
  status: MotionStatus;
  minutes_id: string | null;
  voting_opens_at: NullableTimestamp;
  voting_closes_at: NullableTimestamp;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface BoardMotionMembershipTable {
  motion_id: string;
  membership_id: string;
  member_class_id: string;
}

export interface BoardVoteTable {
  id: Generated<string>;
  motion_id: string;
  seat_id: string;
  holding_id: string;
  choice: VoteChoice;
  via: 'online' | 'proxy' | 'secretary';
  cast_by: string | null;
  cast_at: Timestamp;
}

export interface BoardMotionOutcomeTable {
  motion_id: string;
  rule_version_id: string;
  result: 'passed' | 'rejected';
  votes_for: number;
  votes_against: number;
  abstentions: number;
  voting_seats: number;
  present_seats: number;
  quorum_required: number;
  majority: MajorityRule;
  base: number;
  required_for: number;
  attendance: ColumnType<unknown, string, never>;
  decided_by: string | null;
  decided_at: Timestamp;
}

export interface BoardMinutesTable {
  id: Generated<string>;
  meeting_id: string;
  kind: 'minutes' | 'amendment';
  amends_id: string | null;
  body: string;
  status: 'draft' | 'approved';
  revision: Generated<number>;
  approved_at: NullableTimestamp;
  approved_by: string | null;
  approved_by_motion_id: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CalendarFeedTokenTable {
  id: Generated<string>;
  person_id: string;
  token_hash: string;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}
export type TechnologyOfferRow = Selectable<TechnologyOfferTable>;
export type TechnologyNeedRow = Selectable<TechnologyNeedTable>;
export type InterestRow = Selectable<InterestTable>;
export type CollaborationRow = Selectable<CollaborationTable>;
