import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Kysely table types. Keep in step with src/db/migrations (snake_case, as in SQL). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** `date` columns are read as ISO strings (yyyy-mm-dd), see database.ts type parsers. */
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
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface ClusterRecognitionStepTable {
  id: Generated<string>;
  cluster_id: string;
  step: RecognitionStep;
  occurred_on: DateOnly;
  act_reference: string;
  note_it: string | null;
  note_en: string | null;
  created_at: Generated<Timestamp>;
}

export interface OrganisationTable {
  id: Generated<string>;
  external_ref: string | null;
  legal_name: string;
  short_name: string | null;
  type: OrganisationType;
  website: string | null;
  city: string | null;
  province_code: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface ClusterOrganisationRoleTable {
  cluster_id: string;
  organisation_id: string;
  role: ClusterRole;
  note_it: string | null;
  note_en: string | null;
  created_at: Generated<Timestamp>;
}

export interface SeedRunTable {
  key: string;
  applied_at: Generated<Timestamp>;
}

export interface DB {
  clusters: ClusterTable;
  cluster_recognition_steps: ClusterRecognitionStepTable;
  organisations: OrganisationTable;
  cluster_organisation_roles: ClusterOrganisationRoleTable;
  seed_runs: SeedRunTable;
}

export type ClusterRow = Selectable<ClusterTable>;
export type NewCluster = Insertable<ClusterTable>;
export type ClusterUpdate = Updateable<ClusterTable>;
export type RecognitionStepRow = Selectable<ClusterRecognitionStepTable>;
export type OrganisationRow = Selectable<OrganisationTable>;
