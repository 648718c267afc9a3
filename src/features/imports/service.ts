import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DatabaseMode } from '../../db/database.js';
import type { DB, MembershipStatus } from '../../db/schema.js';
import type { Actor } from '../../platform/audit.js';
import { TIME_ZONE } from '../../platform/dates.js';
import { FieldErrors, type FieldCode } from '../../platform/field-errors.js';
import { computeSizeClass, validatePartitaIva } from '../../platform/identifiers/index.js';
import { nextTurn } from '../../platform/turns.js';
import type { ClusterService } from '../clusters/service.js';
import type { MembershipService } from '../memberships/service.js';
import { validateOrganisation, type OrganisationInput, type OrganisationValues } from '../organisations/validation.js';
import { columnOfField, IMPORT_COLUMNS, type ColumnName } from './columns.js';
import { parseMemberFile, type FileProblem, type ParsedFile } from './parse.js';
import {
  CHUNK,
  ImportRepository,
  ORGANISATION_FIELDS,
  StatementPipeline,
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

/** FIELDS_OF_COLUMN as a list, walked for every row that updates a stored organisation. */
const PROVIDING_COLUMNS = Object.entries(FIELDS_OF_COLUMN) as [ColumnName, (keyof OrganisationValues)[]][];

/** The validation input field each column fills, worked out once rather than for every row. */
const INPUT_COLUMNS = IMPORT_COLUMNS.flatMap((column) => ('field' in column ? [[column.field, column.name] as const] : []));

interface PlannedRow {
  row: number;
  ref: string;
  orgRef: string;
  classId: string;
  /** Admission date given in the file (noon UTC: the same day in Europe/Rome). */
  admittedOn: Date | null;
  values: OrganisationValues;
  /** The row's cells: those with a value set their profile fields, the others keep what is stored. */
  cells: Partial<Record<ColumnName, string>>;
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

/**
 * The writes of one commit, made while the file is still being read: each chunk of rows is written
 * as soon as it is planned, while the rows after it are validated. Nothing of it stays if the file
 * turns out wrong further down: the transaction is rolled back (ImportService.commit).
 */
interface Writes {
  /** Before the first chunk: take references away from the memberships that give them up. */
  begin(releaseIds: readonly string[]): Promise<void>;
  chunk(rows: readonly PlannedRow[]): Promise<void>;
  /** After the last chunk, with the file's counts: the import's summary, then every statement done. */
  finish(report: ImportReport): Promise<void>;
  /** Before a rollback: nothing queued is sent any more, and the statement running has ended. */
  abandon(): Promise<void>;
}

/** Thrown inside the transaction to roll back what a file found wrong had already written. */
class RolledBack extends Error {
  constructor(readonly report: ImportReport) {
    super('import rolled back');
  }
}

/**
 * Rows validated and planned before their writes are queued. On PostgreSQL a chunk: the server
 * writes it while Node validates the next. PGlite runs on Node's thread, so there is nothing to
 * overlap: every row is validated first, as interleaving the two cost 10-20% more CPU there.
 */
export function writeChunk(mode: DatabaseMode): number {
  return mode === 'pglite' ? Number.POSITIVE_INFINITY : CHUNK;
}

/** Rows validated between two turns of the event loop (a chunk's statements go out meanwhile). */
const ROWS_PER_TURN = 200;

/**
 * Member imports: preview validates every row without writing; commit validates again and writes
 * every row in one transaction, a few set-based statements per chunk of rows (docs/decisions/007-performance.md,
 * "Member import"). Organisations are matched by `import:<cluster>:<ref>`, so the same file imported
 * twice changes nothing.
 */
export class ImportService {
  readonly repo: ImportRepository;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clusters: ClusterService,
    private readonly memberships: MembershipService,
    /** Rows validated and planned before their writes are queued (writeChunk; smaller in tests). */
    private readonly chunkSize = CHUNK,
  ) {
    this.repo = new ImportRepository(db);
  }

  /** The organisation reference an import stores for a manager's own member code. */
  static organisationRef(clusterSlug: string, externalRef: string): string {
    return `import:${clusterSlug}:${externalRef}`;
  }

  async preview(clusterId: string, file: UploadedMemberFile): Promise<ImportReport> {
    const parsed = await parseMemberFile(file.filename, file.data);
    return this.analyse(await this.context(clusterId), file.filename, parsed, this.db);
  }

  /** Validate again and, when every row is right, write them all in one transaction. */
  async commit(clusterId: string, file: UploadedMemberFile, actor: Actor): Promise<ImportReport> {
    const parsed = await parseMemberFile(file.filename, file.data);
    // Read through other features' services before the transaction takes the connection.
    const context = await this.context(clusterId);
    if (parsed.problems.length > 0) return this.analyse(context, file.filename, parsed, this.db);
    try {
      return await this.db.transaction().execute(async (trx) => {
        await this.repo.lockCluster(trx, clusterId);
        const writes = this.writes(trx, clusterId, file.filename, actor);
        try {
          const report = await this.analyse(context, file.filename, parsed, trx, writes);
          if (!report.ok) throw new RolledBack(report);
          await writes.finish(report);
          return { ...report, committed: true };
        } catch (error) {
          // Nothing queued may run after the rollback, outside the transaction.
          await writes.abandon();
          throw error;
        }
      });
    } catch (error) {
      if (error instanceof RolledBack) return error.report;
      throw error;
    }
  }

  private async context(clusterId: string): Promise<ImportContext> {
    const { cluster } = await this.clusters.getById(clusterId);
    const classes = new Map((await this.memberships.classes(clusterId)).map((c) => [c.code, c.id]));
    return { clusterId, clusterSlug: cluster.slug, classes };
  }

  /**
   * Every row checked on its own (the organisation rules, the reference, the class, the date) and
   * against the database (which organisations exist, whose P.IVA is taken, which memberships the
   * cluster has), chunk by chunk. The database is read once, for all the rows, before any write,
   * so a commit's own writes never change the answers. With `writes`, each chunk is written as
   * soon as it is planned, as long as no row so far has a problem.
   */
  private async analyse(context: ImportContext, fileName: string, parsed: ParsedFile, conn: Kysely<DB> | Transaction<DB>, writes?: Writes): Promise<ImportReport> {
    const { clusterId, clusterSlug, classes } = context;
    const counts: ImportCounts = { rows: parsed.rows.length, create: 0, update: 0, unchanged: 0, rowsWithErrors: 0 };
    const report: ImportReport = { fileName, format: parsed.format, fileProblems: parsed.problems, rowProblems: [], counts, ok: false, committed: false };
    if (parsed.problems.length > 0) return report;
    if (parsed.rows.length === 0) {
      report.fileProblems = [{ code: 'empty' }];
      return report;
    }

    const problems: RowProblem[] = [];
    const badRows = new Set<number>();
    const add = (row: number, column: string, value: string, code: RowProblem['code'], params?: RowProblem['params'], href?: string) => {
      problems.push({ row, column, value: value.length > 120 ? `${value.slice(0, 119)}…` : value, code, ...(params ? { params } : {}), ...(href ? { href } : {}) });
      badRows.add(row);
    };

    // The database, read once for every row of the file: the organisations of its references, the
    // owners of its P.IVAs (normalised as validation will), the cluster's memberships.
    const refOf = (cells: ParsedFile['rows'][number]['cells']) => cells.external_ref ?? '';
    const fileRefs: string[] = [];
    const fileVats: string[] = [];
    for (const { cells } of parsed.rows) {
      fileRefs.push(ImportService.organisationRef(clusterSlug, refOf(cells)));
      const vat = validatePartitaIva((cells.vat_number ?? '').trim());
      if (vat.ok) fileVats.push(vat.value);
    }
    const existingByRef = new Map((await this.repo.organisationsByRef(fileRefs, conn)).map((o) => [o.external_ref!, o]));
    const vatOwners = new Map((await this.repo.organisationsByVat(fileVats, conn)).map((o) => [o.vat_number!, o]));
    const allMemberships = await this.repo.membershipsOf(clusterId, conn);
    const openByOrg = new Map(allMemberships.filter((m) => OPEN.includes(m.status)).map((m) => [m.organisation_id, m]));
    const holderOfRef = new Map(allMemberships.filter((m) => m.external_ref).map((m) => [m.external_ref!, m]));

    if (writes) {
      // A reference the file gives to one membership is taken from any other that holds it, before
      // any membership of the file is written (a membership can give up one reference and take
      // another). Worked out from the cells, as for rows without problems: with any, nothing stays.
      const releaseIds: string[] = [];
      for (const { cells } of parsed.rows) {
        const ref = refOf(cells);
        const holder = ref ? holderOfRef.get(ref) : undefined;
        if (!holder) continue;
        const existing = existingByRef.get(ImportService.organisationRef(clusterSlug, ref));
        if (holder.id !== (existing ? openByOrg.get(existing.id) : undefined)?.id) releaseIds.push(holder.id);
      }
      await writes.begin(releaseIds);
    }

    const firstRowOfRef = new Map<string, number>();
    const firstRowOfVat = new Map<string, number>();
    // A file repeats a few admission dates thousands of times: each is parsed once.
    const dates = new Map<string, Date | null>();
    const now = new Date();
    // The calendar day in Rome of the few instants a file and a cluster's memberships repeat.
    const days = new Map<number, string>();
    const dayOf = (instant: Date) => {
      let day = days.get(instant.getTime());
      if (day === undefined) days.set(instant.getTime(), (day = romeDate(instant)));
      return day;
    };

    for (let start = 0; start < parsed.rows.length; start += this.chunkSize) {
      // 1. Each row on its own: the organisation rules, the reference, the class, the date.
      const candidates: PlannedRow[] = [];
      const end = Math.min(start + this.chunkSize, parsed.rows.length);
      for (let i = start; i < end; i++) {
        // Let the statements of the chunk before go out (and other requests in) now and then.
        if (i > start && (i - start) % ROWS_PER_TURN === 0) await nextTurn();
        const { row, cells, extraCells } = parsed.rows[i]!;
        const cell = (c: ColumnName) => cells[c] ?? '';
        const errors = new FieldErrors();
        const input: Record<string, string> = {};
        for (const [field, name] of INPUT_COLUMNS) input[field] = cell(name);
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
          if (!dates.has(admittedRaw)) dates.set(admittedRaw, parseIsoDate(admittedRaw));
          admittedOn = dates.get(admittedRaw)!;
          if (!admittedOn) add(row, 'admitted_on', admittedRaw, 'date');
        }
        if (extraCells) add(row, '', '', 'extra_cells');

        if (!badRows.has(row)) {
          candidates.push({
            row,
            ref,
            orgRef: ImportService.organisationRef(clusterSlug, ref),
            classId: classId!,
            admittedOn,
            values,
            cells,
            vatCell: cell('vat_number'),
            existing: undefined,
            orgChange: 'create',
            diff: undefined,
            membership: undefined,
            membershipChange: 'create',
            membershipUpdate: undefined,
          });
        }
      }

      // 2. Against what the database held: which organisations exist, whose P.IVA is taken.
      const planned: PlannedRow[] = [];
      for (const c of candidates) {
        const existing = existingByRef.get(c.orgRef);
        const owner = c.values.vat_number ? vatOwners.get(c.values.vat_number) : undefined;
        if (owner && owner.id !== existing?.id) {
          add(c.row, 'vat_number', c.vatCell, 'vat_taken', { name: owner.legal_name }, `/organizzazioni/${owner.id}`);
          continue;
        }
        const values = existing ? merge(existing, c.values, providedFields(c.cells)) : c.values;
        const diff = existing ? changes(existing, values) : undefined;
        const orgChange = !existing ? 'create' : diff ? 'update' : 'none';

        const membership = existing ? openByOrg.get(existing.id) : undefined;
        let membershipChange: PlannedRow['membershipChange'] = 'create';
        let membershipUpdate: MembershipUpdate | undefined;
        if (membership) {
          // The import admits pending applications; a suspension stays until a manager lifts it.
          const status: MembershipStatus = membership.status === 'applied' || membership.status === 'under_review' ? 'admitted' : membership.status;
          const admittedAt =
            c.admittedOn && (!membership.admitted_at || dayOf(membership.admitted_at) !== dayOf(c.admittedOn))
              ? c.admittedOn
              : status !== membership.status && !membership.admitted_at
                ? now
                : null;
          const changed = status !== membership.status || c.classId !== membership.member_class_id || c.ref !== membership.external_ref || admittedAt !== null;
          membershipChange = changed ? 'update' : 'none';
          if (changed) membershipUpdate = { id: membership.id, status, member_class_id: c.classId, external_ref: c.ref, admitted_at: admittedAt };
        }

        // The candidate becomes the planned row (no copy of 10,000 objects).
        c.values = values;
        c.existing = existing;
        c.orgChange = orgChange;
        c.diff = diff;
        c.membership = membership;
        c.membershipChange = membershipChange;
        c.membershipUpdate = membershipUpdate;
        planned.push(c);
        if (orgChange === 'create') counts.create++;
        else if (orgChange === 'update' || membershipChange !== 'none') counts.update++;
        else counts.unchanged++;
      }
      if (writes && problems.length === 0) await writes.chunk(planned);
    }

    problems.sort((a, b) => a.row - b.row);
    report.rowProblems = problems;
    counts.rowsWithErrors = badRows.size;
    report.ok = problems.length === 0;
    return report;
  }

  /**
   * Set-based writes, a few statements per chunk of rows, queued while the next chunk is validated
   * (StatementPipeline). New organisations and memberships get their ids here, so every later row
   * (memberships, events, audit entries) can name them without reading anything back.
   */
  private writes(trx: Transaction<DB>, clusterId: string, fileName: string, actor: Actor): Writes {
    const out = new StatementPipeline(trx);
    const repo = this.repo;
    const now = new Date();
    return {
      async begin(releaseIds) {
        if (releaseIds.length > 0) await repo.releaseRefs(out, releaseIds);
      },

      async chunk(plan) {
        const orgIds = new Map<PlannedRow, string>();
        const created: (OrganisationValues & { id: string; external_ref: string })[] = [];
        const updated: (OrganisationValues & { id: string })[] = [];
        for (const p of plan) {
          if (p.existing) {
            orgIds.set(p, p.existing.id);
            if (p.orgChange === 'update') updated.push({ ...p.values, id: p.existing.id });
          } else {
            const id = randomUUID();
            orgIds.set(p, id);
            created.push({ ...p.values, id, external_ref: p.orgRef });
          }
        }
        await repo.insertOrganisations(out, created);
        await repo.updateOrganisations(out, updated);

        const membershipIds = new Map<PlannedRow, string>();
        const toCreate: NewMembership[] = [];
        const updates: MembershipUpdate[] = [];
        const updateEvents: NewEvent[] = [];
        for (const p of plan) {
          if (p.membershipChange === 'create') {
            const id = randomUUID();
            membershipIds.set(p, id);
            toCreate.push({ id, organisation_id: orgIds.get(p)!, member_class_id: p.classId, external_ref: p.ref, admitted_at: p.admittedOn ?? now });
          } else if (p.membership) {
            membershipIds.set(p, p.membership.id);
            if (p.membershipUpdate) {
              updates.push(p.membershipUpdate);
              updateEvents.push({ membership_id: p.membership.id, from_status: p.membership.status, to_status: p.membershipUpdate.status });
            }
          }
        }
        await repo.insertMemberships(out, clusterId, toCreate);
        await repo.updateMemberships(out, updates);

        const events: NewEvent[] = [...toCreate.map((m) => ({ membership_id: m.id, from_status: null, to_status: 'admitted' as const })), ...updateEvents];
        await repo.insertEvents(out, events, fileName, actor.personId);

        // One entry per organisation the import changed: its profile and its membership together.
        const entries: AuditRow[] = [];
        for (const p of plan) {
          if (p.orgChange === 'none' && p.membershipChange === 'none') continue;
          const organisationId = orgIds.get(p)!;
          const m = p.membership;
          const membershipBefore = m ? { status: m.status, memberClassId: m.member_class_id, externalRef: m.external_ref } : null;
          const membershipAfter = {
            id: membershipIds.get(p)!,
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
        await repo.insertAudit(out, actor, entries);
      },

      async finish(report) {
        const { counts } = report;
        await repo.insertAudit(out, actor, [
          {
            action: 'members.imported',
            entityType: 'cluster',
            entityId: clusterId,
            clusterId,
            organisationId: null,
            after: { fileName, format: report.format, rows: counts.rows, created: counts.create, updated: counts.update, unchanged: counts.unchanged },
          },
        ]);
        await out.flush();
      },

      abandon: () => out.abandon(),
    };
  }
}

/** Only cells with a value count: an empty cell (or a missing column) keeps what is stored. */
function providedFields(cells: Partial<Record<ColumnName, string>>): Set<keyof OrganisationValues> {
  const provided = new Set<keyof OrganisationValues>();
  for (const [column, fields] of PROVIDING_COLUMNS) {
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
