import type { Kysely, Transaction } from 'kysely';
import type { DB, OrganisationType, SizeClass } from '../../db/schema.js';
import { audit, type Actor } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { FieldErrors } from '../../platform/field-errors.js';
import { OrganisationRepository } from './repository.js';
import { validateOrganisation, type OrganisationInput, type OrganisationValues } from './validation.js';

export const LOGO_MAX_BYTES = 1024 * 1024;
const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;

export type OrganisationRecord = NonNullable<Awaited<ReturnType<OrganisationRepository['findById']>>>;

export interface DirectoryQuery {
  clusterId?: string | undefined;
  type?: OrganisationType | undefined;
  province?: string | undefined;
  size?: SizeClass | undefined;
  q?: string | undefined;
  sort?: 'name' | 'newest';
  page?: number;
  pageSize?: number;
}

/** Organisation profiles and the member directory; the entry point for other features. */
export class OrganisationService {
  readonly repo: OrganisationRepository;

  constructor(private readonly db: Kysely<DB>) {
    this.repo = new OrganisationRepository(db);
  }

  /**
   * Validate a profile, including that no other organisation has the same P.IVA. Throws a
   * FormError naming every wrong field; returns the normalised column values.
   */
  async validate(
    input: OrganisationInput,
    options: { excludeId?: string; prefix?: string; requireDescription?: boolean; conn?: Kysely<DB> | Transaction<DB> } = {},
  ): Promise<OrganisationValues> {
    const errors = new FieldErrors();
    const values = validateOrganisation(input, errors, options);
    if (values.vat_number && !errors.has(`${options.prefix ?? ''}vatNumber`)) {
      const existing = await this.repo.findByVat(values.vat_number, options.conn ?? this.db);
      if (existing && existing.id !== options.excludeId) {
        errors.add(`${options.prefix ?? ''}vatNumber`, 'vat_taken', { name: existing.legal_name }, `/organizzazioni/${existing.id}`);
      }
    }
    errors.throwIfAny();
    return values;
  }

  async create(trx: Transaction<DB>, values: OrganisationValues, actor: Actor, externalRef: string | null = null): Promise<string> {
    const row = await trx
      .insertInto('organisations')
      .values({ ...values, external_ref: externalRef })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'organisation.created', entityType: 'organisation', entityId: row.id, organisationId: row.id, after: values });
    return row.id;
  }

  async get(id: string): Promise<OrganisationRecord> {
    const org = await this.repo.findById(id);
    if (!org) throw new AppError('organisation.not_found');
    return org;
  }

  exists(id: string): Promise<boolean> {
    return this.repo.exists(id);
  }

  async update(id: string, input: OrganisationInput, actor: Actor): Promise<void> {
    const before = await this.get(id);
    const values = await this.validate(input, { excludeId: id });
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('organisations').set({ ...values, updated_at: new Date() }).where('id', '=', id).execute();
      await audit(trx, actor, {
        action: 'organisation.updated',
        entityType: 'organisation',
        entityId: id,
        organisationId: id,
        before: pickChanged(before as unknown as Record<string, unknown>, values as unknown as Record<string, unknown>).before,
        after: pickChanged(before as unknown as Record<string, unknown>, values as unknown as Record<string, unknown>).after,
      });
    });
  }

  /** Store a logo after checking its real type from its bytes (PNG, JPEG, WebP; never SVG). */
  async setLogo(id: string, data: Buffer, actor: Actor): Promise<void> {
    await this.get(id);
    const errors = new FieldErrors();
    // file-type is loaded on the first logo, not at start-up (docs/decisions/007-performance.md).
    const { fileTypeFromBuffer } = await import('file-type');
    if (data.length > LOGO_MAX_BYTES) errors.add('logo', 'logo_too_large');
    else {
      const detected = await fileTypeFromBuffer(data);
      if (!detected || !(LOGO_TYPES as readonly string[]).includes(detected.mime)) errors.add('logo', 'logo_type');
    }
    errors.throwIfAny();
    const mime = (await fileTypeFromBuffer(data))!.mime as (typeof LOGO_TYPES)[number];
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('organisations').set({ logo: data, logo_mime: mime, logo_updated_at: new Date() }).where('id', '=', id).execute();
      await audit(trx, actor, { action: 'organisation.logo_updated', entityType: 'organisation', entityId: id, organisationId: id, after: { mime, bytes: data.length } });
    });
  }

  async logo(id: string) {
    const row = await this.repo.logo(id);
    if (!row?.logo || !row.logo_mime) throw new AppError('organisation.not_found');
    return row;
  }

  async directory(query: DirectoryQuery) {
    const pageSize = query.pageSize ?? 20;
    const page = Math.max(1, query.page ?? 1);
    const rows = await this.repo.directory({
      clusterId: query.clusterId,
      type: query.type,
      province: query.province,
      size: query.size,
      q: query.q?.trim() || undefined,
      sort: query.sort ?? 'name',
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    return { items: rows, total: Number(rows[0]?.total ?? 0), page, pageSize };
  }

  clusterLinks(id: string) {
    return this.repo.clusterLinks(id);
  }

  /** Admitted cluster links per organisation, for a page of results. */
  async admittedLinksFor(ids: string[]) {
    const map = new Map<string, Awaited<ReturnType<OrganisationRepository['clusterLinksFor']>>>();
    for (const link of await this.repo.clusterLinksFor(ids)) {
      if (link.status !== 'admitted') continue;
      map.set(link.organisation_id, [...(map.get(link.organisation_id) ?? []), link]);
    }
    return map;
  }

  rolesInClusters(id: string) {
    return this.repo.rolesInClusters(id);
  }

  people(id: string) {
    return this.repo.people(id);
  }
}

function pickChanged(before: Record<string, unknown>, after: Record<string, unknown>) {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after)) {
    if (JSON.stringify(before[key] ?? null) !== JSON.stringify(value ?? null)) {
      b[key] = before[key] ?? null;
      a[key] = value;
    }
  }
  return { before: b, after: a };
}
