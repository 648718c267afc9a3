import type { Kysely, Transaction } from 'kysely';
import type { DB, MembershipStatus } from '../../db/schema.js';
import type { Actor } from '../../platform/audit.js';
import { TIME_ZONE } from '../../platform/dates.js';
import { FieldErrors, type FieldCode } from '../../platform/field-errors.js';
import { computeSizeClass } from '../../platform/identifiers/index.js';
import type { ClusterService } from '../clusters/service.js';
import type { MembershipService } from '../memberships/service.js';
import { validateOrganisation, type OrganisationInput, type OrganisationValues } from '../organisations/validation.js';
import { columnOfField, IMPORT_COLUMNS, type ColumnName } from './columns.js';
import { parseMemberFile, type FileProblem, type ParsedFile } from './parse.js';
import {
  ImportRepository,
  ORGANISATION_FIELDS,
  type AuditRow,
  type ExistingMembership,
  type ExistingOrganisation,
  type MembershipUpdate,
  type NewEvent,
  type NewMembership,
} from './repository.js';

export interface UploadedMemberFile {
  filename: string;
  data: Buffer;
}

/** One problem in one cell: the row as the spreadsheet numbers it, the column, the reason. */
export interface RowProblem {
  row: number;
  column: string;
  value: string;
  /** A reason of the field catalogue, or `extra_cells` (imports/messages.ts). */
  code: FieldCode | 'extra_cells';
  params?: Record<string, string | number>;
  href?: string;
}

export interface ImportCounts {
  rows: number;
  create: number;
  update: number;
  unchanged: number;
  rowsWithErrors: number;
}

export interface ImportReport {
  fileName: string;
  format: 'csv' | 'xlsx';
  fileProblems: FileProblem[];
  rowProblems: RowProblem[];
  counts: ImportCounts;
  /** No problem at all: the file may be committed. */
  ok: boolean;
  /** The rows were written (commit only). */
  committed: boolean;
}

const OPEN: readonly MembershipStatus[] = ['applied', 'under_review', 'admitted', 'suspended'];

/** Which organisation profile fields each column sets, when its cell is not empty. */
const FIELDS_OF_COLUMN: Partial<Record<ColumnName, (keyof OrganisationValues)[]>> = {
  legal_name: ['legal_name'],
  short_name: ['short_name'],
  type: ['type'],
  vat_number: ['vat_number'],
  tax_code: ['tax_code'],
  ateco_codes: ['ateco_codes'],
  country_code: ['country_code'],
  comune_istat: ['comune_istat', 'city', 'province_code'],
  city: ['city'],
  address: ['address'],
  postcode: ['postcode'],
  pec: ['pec'],
  email: ['email'],
  website: ['website'],
  employees: ['employees'],
  turnover_eur: ['turnover_cents'],
  balance_sheet_eur: ['balance_sheet_cents'],
  size_class_declared: ['size_class_declared'],
  description_it: ['description_it'],
  description_en: ['description_en'],
};

interface PlannedRow {
  row: number;
  ref: string;
  orgRef: string;
  classId: string;
  /** Admission date given in the file (noon UTC: the same day in Europe/Rome). */
  admittedOn: Date | null;
  values: OrganisationValues;
  /** Profile fields whose cell has a value; the others keep what is stored. */
  provided: Set<keyof OrganisationValues>;
  /** The P.IVA cell as written, for error reports. */
  vatCell: string;
  existing: ExistingOrganisation | undefined;
  orgChange: 'create' | 'update' | 'none';
  diff: { before: Record<string, unknown>; after: Record<string, unknown> } | undefined;
  membership: ExistingMembership | undefined;
  membershipChange: 'create' | 'update' | 'none';
  membershipUpdate: MembershipUpdate | undefined;
}

interface ImportContext {
  clusterId: string;
  clusterSlug: string;
  /** Member class ids by code. */
  classes: Map<string, string>;
}

interface Analysis {
  report: ImportReport;
  plan: PlannedRow[];
  /** Memberships that hold a reference the import gives to another membership. */
  releaseIds: string[];
}

/**
 * Member imports: preview validates every row without writing; commit validates again and writes
 * every row in one transaction, in batches. Organisations are matched by `import:<cluster>:<ref>`,
 * so the same file imported twice changes nothing.
 */
export class ImportService {
  readonly repo: ImportRepository;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clusters: ClusterService,
    private readonly memberships: MembershipService,
  ) {
    this.repo = new ImportRepository(db);
  }

  /** The organisation reference an import stores for a manager's own member code. */
  static organisationRef(clusterSlug: string, externalRef: string): string {
    return `import:${clusterSlug}:${externalRef}`;
  }

  async preview(clusterId: string, file: UploadedMemberFile): Promise<ImportReport> {
    const parsed = await parseMemberFile(file.filename, file.data);
    return (await this.analyse(await this.context(clusterId), file.filename, parsed, this.db)).report;
  }

  /** Validate again and, when every row is right, write them all in one transaction. */
  async commit(clusterId: string, file: UploadedMemberFile, actor: Actor): Promise<ImportReport> {
    const parsed = await parseMemberFile(file.filename, file.data);
    // Read through other features' services before the transaction takes the connection.
    const context = await this.context(clusterId);
    if (parsed.problems.length > 0) return (await this.analyse(context, file.filename, parsed, this.db)).report;
    return this.db.transaction().execute(async (trx) => {
      await this.repo.lockCluster(trx, clusterId);
      const analysis = await this.analyse(context, file.filename, parsed, trx);
      if (!analysis.report.ok) return analysis.report;
      await this.write(trx, clusterId, file.filename, analysis, actor);
      return { ...analysis.report, committed: true };
    });
  }

  private async context(clusterId: string): Promise<ImportContext> {
    const { cluster } = await this.clusters.getById(clusterId);
    const classes = new Map((await this.memberships.classes(clusterId)).map((c) => [c.code, c.id]));
    return { clusterId, clusterSlug: cluster.slug, classes };
  }

  private async analyse(context: ImportContext, fileName: string, parsed: ParsedFile, conn: Kysely<DB> | Transaction<DB>): Promise<Analysis> {
    const { clusterId, classes } = context;
    const counts: ImportCounts = { rows: parsed.rows.length, create: 0, update: 0, unchanged: 0, rowsWithErrors: 0 };
    const report: ImportReport = { fileName, format: parsed.format, fileProblems: parsed.problems, rowProblems: [], counts, ok: false, committed: false };
    if (parsed.problems.length > 0) return { report, plan: [], releaseIds: [] };

    const problems: RowProblem[] = [];
    const badRows = new Set<number>();
    const add = (row: number, column: string, value: string, code: RowProblem['code'], params?: RowProblem['params'], href?: string) => {
      problems.push({ row, column, value: value.length > 120 ? `${value.slice(0, 119)}…` : value, code, ...(params ? { params } : {}), ...(href ? { href } : {}) });
      badRows.add(row);
    };

    // 1. Each row on its own: the organisation rules, the reference, the class, the date.
    const candidates: Omit<PlannedRow, 'existing' | 'orgChange' | 'diff' | 'membership' | 'membershipChange' | 'membershipUpdate'>[] = [];
    const firstRowOfRef = new Map<string, number>();
    const firstRowOfVat = new Map<string, number>();
    for (const { row, cells, extraCells } of parsed.rows) {
      const cell = (c: ColumnName) => cells[c] ?? '';
      const errors = new FieldErrors();
      const input: Record<string, string> = {};
      for (const column of IMPORT_COLUMNS) if ('field' in column) input[column.field] = cell(column.name);
      const values = validateOrganisation(input as OrganisationInput, errors, { requireDescription: false });
      for (const p of errors.problems) {
        const column = columnOfField(p.field);
        add(row, column, cell(column as ColumnName), p.code, p.params, p.href);
      }

      const ref = cell('external_ref');
      if (!ref) add(row, 'external_ref', ref, 'required');
      else if (ref.length > 100) add(row, 'external_ref', ref, 'too_long', { max: 100 });
      else if (firstRowOfRef.has(ref)) add(row, 'external_ref', ref, 'duplicate_in_file', { row: firstRowOfRef.get(ref)! });
      else firstRowOfRef.set(ref, row);

      if (values.vat_number) {
        const first = firstRowOfVat.get(values.vat_number);
        if (first !== undefined) add(row, 'vat_number', cell('vat_number'), 'duplicate_in_file', { row: first });
        else firstRowOfVat.set(values.vat_number, row);
      }

      const classCode = cell('member_class').toLowerCase();
      const classId = classes.get(classCode);
      if (!classCode) add(row, 'member_class', '', 'required');
      else if (!classId) add(row, 'member_class', cell('member_class'), 'member_class_unknown', { code: cell('member_class') });

      const admittedRaw = cell('admitted_on');
      let admittedOn: Date | null = null;
      if (admittedRaw) {
        admittedOn = parseIsoDate(admittedRaw);
        if (!admittedOn) add(row, 'admitted_on', admittedRaw, 'date');
      }
      if (extraCells) add(row, '', '', 'extra_cells');

      if (!badRows.has(row)) {
        candidates.push({
          row,
          ref,
          orgRef: ImportService.organisationRef(context.clusterSlug, ref),
          classId: classId!,
          admittedOn,
          values,
          provided: providedFields(cells),
          vatCell: cell('vat_number'),
        });
      }
    }

    // 2. Against the database, in bulk: which organisations exist, whose P.IVA is taken.
    const existingByRef = new Map((await this.repo.organisationsByRef(candidates.map((c) => c.orgRef), conn)).map((o) => [o.external_ref!, o]));
    const vats = candidates.map((c) => c.values.vat_number).filter((v): v is string => !!v);
    const vatOwners = new Map((await this.repo.organisationsByVat(vats, conn)).map((o) => [o.vat_number!, o]));
    const allMemberships = await this.repo.membershipsOf(clusterId, conn);
    const openByOrg = new Map(allMemberships.filter((m) => OPEN.includes(m.status)).map((m) => [m.organisation_id, m]));
    const holderOfRef = new Map(allMemberships.filter((m) => m.external_ref).map((m) => [m.external_ref!, m]));

    const plan: PlannedRow[] = [];
    const releaseIds: string[] = [];
    const now = new Date();
    for (const c of candidates) {
      const existing = existingByRef.get(c.orgRef);
      const owner = c.values.vat_number ? vatOwners.get(c.values.vat_number) : undefined;
      if (owner && owner.id !== existing?.id) {
        add(c.row, 'vat_number', c.vatCell, 'vat_taken', { name: owner.legal_name }, `/organizzazioni/${owner.id}`);
        continue;
      }
      const values = existing ? merge(existing, c.values, c.provided) : c.values;
      const diff = existing ? changes(existing, values) : undefined;
      const orgChange = !existing ? 'create' : diff ? 'update' : 'none';

      const membership = existing ? openByOrg.get(existing.id) : undefined;
      let membershipChange: PlannedRow['membershipChange'] = 'create';
      let membershipUpdate: MembershipUpdate | undefined;
      if (membership) {
        // The import admits pending applications; a suspension stays until a manager lifts it.
        const status: MembershipStatus = membership.status === 'applied' || membership.status === 'under_review' ? 'admitted' : membership.status;
        const admittedAt =
          c.admittedOn && (!membership.admitted_at || romeDate(membership.admitted_at) !== romeDate(c.admittedOn))
            ? c.admittedOn
            : status !== membership.status && !membership.admitted_at
              ? now
              : null;
        const changed = status !== membership.status || c.classId !== membership.member_class_id || c.ref !== membership.external_ref || admittedAt !== null;
        membershipChange = changed ? 'update' : 'none';
        if (changed) membershipUpdate = { id: membership.id, status, member_class_id: c.classId, external_ref: c.ref, admitted_at: admittedAt };
      }
      const holder = holderOfRef.get(c.ref);
      if (holder && holder.id !== membership?.id) releaseIds.push(holder.id);

      plan.push({ ...c, values, existing, orgChange, diff, membership, membershipChange, membershipUpdate });
      if (orgChange === 'create') counts.create++;
      else if (orgChange === 'update' || membershipChange !== 'none') counts.update++;
      else counts.unchanged++;
    }

    problems.sort((a, b) => a.row - b.row);
    report.rowProblems = problems;
    counts.rowsWithErrors = badRows.size;
    report.ok = problems.length === 0 && parsed.rows.length > 0;
    if (parsed.rows.length === 0) report.fileProblems = [{ code: 'empty' }];
    return { report, plan, releaseIds };
  }

  private async write(trx: Transaction<DB>, clusterId: string, fileName: string, analysis: Analysis, actor: Actor): Promise<void> {
    const { plan, report } = analysis;
    const now = new Date();
    const upserts = plan.filter((p) => p.orgChange !== 'none');
    const orgIds = await this.repo.upsertOrganisations(
      trx,
      upserts.map((p) => ({ ...p.values, external_ref: p.orgRef })),
    );
    const orgIdOf = (p: PlannedRow) => p.existing?.id ?? orgIds.get(p.orgRef)!;

    if (analysis.releaseIds.length > 0) await this.repo.releaseRefs(trx, analysis.releaseIds);
    const toCreate: (NewMembership & { p: PlannedRow })[] = plan
      .filter((p) => p.membershipChange === 'create')
      .map((p) => ({ organisation_id: orgIdOf(p), member_class_id: p.classId, external_ref: p.ref, admitted_at: p.admittedOn ?? now, p }));
    const newMembershipIds = await this.repo.insertMemberships(trx, clusterId, toCreate);
    const updates = plan.filter((p) => p.membershipUpdate).map((p) => p.membershipUpdate!);
    await this.repo.updateMemberships(trx, updates);

    const events: NewEvent[] = [
      ...toCreate.map((m) => ({ membership_id: newMembershipIds.get(m.organisation_id)!, from_status: null, to_status: 'admitted' as const })),
      ...plan
        .filter((p) => p.membershipUpdate)
        .map((p) => ({ membership_id: p.membership!.id, from_status: p.membership!.status, to_status: p.membershipUpdate!.status })),
    ];
    await this.repo.insertEvents(trx, events, fileName, actor.personId);

    const entries: AuditRow[] = [
      {
        action: 'members.imported',
        entityType: 'cluster',
        entityId: clusterId,
        clusterId,
        organisationId: null,
        after: { fileName, format: report.format, rows: report.counts.rows, created: report.counts.create, updated: report.counts.update, unchanged: report.counts.unchanged },
      },
    ];
    // One entry per organisation the import changed: its profile and its membership together.
    for (const p of plan) {
      if (p.orgChange === 'none' && p.membershipChange === 'none') continue;
      const organisationId = orgIdOf(p);
      const m = p.membership;
      const membershipBefore = m ? { status: m.status, memberClassId: m.member_class_id, externalRef: m.external_ref } : null;
      const membershipAfter = {
        id: p.membershipChange === 'create' ? newMembershipIds.get(organisationId)! : m!.id,
        status: p.membershipUpdate?.status ?? m?.status ?? 'admitted',
        memberClassId: p.classId,
        externalRef: p.ref,
        ...(p.membershipUpdate?.admitted_at ? { admittedAt: p.membershipUpdate.admitted_at.toISOString() } : {}),
      };
      const common = { entityType: 'organisation', entityId: organisationId, clusterId, organisationId };
      if (p.orgChange === 'create') {
        entries.push({ ...common, action: 'organisation.created', after: { ...p.values, externalRef: p.orgRef, source: 'import', membership: membershipAfter } });
      } else if (p.orgChange === 'update') {
        entries.push({
          ...common,
          action: 'organisation.updated',
          before: { ...p.diff!.before, ...(p.membershipChange !== 'none' ? { membership: membershipBefore } : {}) },
          after: { ...p.diff!.after, source: 'import', ...(p.membershipChange !== 'none' ? { membership: membershipAfter } : {}) },
        });
      } else {
        entries.push({ ...common, action: 'membership.imported', before: { membership: membershipBefore }, after: { source: 'import', membership: membershipAfter } });
      }
    }
    await this.repo.insertAudit(trx, actor, entries);
  }
}

/** Only cells with a value count: an empty cell (or a missing column) keeps what is stored. */
function providedFields(cells: Partial<Record<ColumnName, string>>): Set<keyof OrganisationValues> {
  const provided = new Set<keyof OrganisationValues>();
  for (const [column, fields] of Object.entries(FIELDS_OF_COLUMN) as [ColumnName, (keyof OrganisationValues)[]][]) {
    if ((cells[column] ?? '') !== '') for (const f of fields) provided.add(f);
  }
  return provided;
}

/** The stored profile with the provided fields replaced; the size class recomputed from the result. */
function merge(existing: ExistingOrganisation, incoming: OrganisationValues, provided: Set<keyof OrganisationValues>): OrganisationValues {
  const out: Record<string, unknown> = {};
  for (const f of ORGANISATION_FIELDS) out[f] = provided.has(f) ? incoming[f] : (existing[f] ?? null);
  const merged = out as unknown as OrganisationValues;
  // bigint columns may arrive as strings depending on the driver.
  merged.turnover_cents = merged.turnover_cents === null ? null : Number(merged.turnover_cents);
  merged.balance_sheet_cents = merged.balance_sheet_cents === null ? null : Number(merged.balance_sheet_cents);
  merged.size_class_computed =
    merged.employees === null
      ? null
      : computeSizeClass({
          employees: merged.employees,
          turnoverCents: merged.turnover_cents ?? undefined,
          balanceSheetCents: merged.balance_sheet_cents ?? undefined,
        }).sizeClass;
  return merged;
}

function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a === 'number' || typeof b === 'number' || typeof a === 'bigint' || typeof b === 'bigint') return Number(a) === Number(b);
  return a === b;
}

/** The fields that differ, before and after; undefined when nothing changes. */
function changes(existing: ExistingOrganisation, values: OrganisationValues) {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const f of ORGANISATION_FIELDS) {
    if (!same(existing[f], values[f])) {
      before[f] = existing[f] ?? null;
      after[f] = values[f];
    }
  }
  return Object.keys(after).length > 0 ? { before, after } : undefined;
}

/** A calendar date YYYY-MM-DD as noon UTC (the same day in Europe/Rome), or null when invalid. */
export function parseIsoDate(raw: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw.trim());
  if (!match) return null;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 12));
  return date.toISOString().slice(0, 10) === raw.trim() ? date : null;
}

const romeDay = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar day of an instant in Europe/Rome, YYYY-MM-DD. */
export function romeDate(instant: Date): string {
  return romeDay.format(instant);
}
