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

export interface SeedRunTable {
  key: string;
  applied_at: Timestamp;
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
