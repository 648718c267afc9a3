import type { Kysely } from 'kysely';
import type { DB, RecognitionStep, RecognitionStepRow } from '../../db/schema.js';
import { AppError } from '../../platform/errors.js';
import { ClusterRepository, type ClusterOrganisationLink, type ClusterWithStatus } from './repository.js';

export interface ClusterDetail {
  cluster: ClusterWithStatus;
  steps: RecognitionStepRow[];
  organisations: ClusterOrganisationLink[];
}

export interface ClusterPage {
  items: ClusterWithStatus[];
  total: number;
}

/** The cluster registry: the only entry point other features may call. */
export class ClusterService {
  private readonly repo: ClusterRepository;

  constructor(db: Kysely<DB>) {
    this.repo = new ClusterRepository(db);
  }

  async list(filter: { status?: RecognitionStep | undefined; limit: number; offset: number }): Promise<ClusterPage> {
    const rows = await this.repo.list(filter);
    // count(*) over () is absent when the page is empty, e.g. an offset past the end.
    const total = rows[0]?.total ?? (filter.offset > 0 ? await this.repo.countAll(filter) : 0);
    return { items: rows, total: Number(total) };
  }

  /** Cluster ids by slug, cached: slugs are stable and this runs on every scoped request. */
  private readonly idCache = new Map<string, string | undefined>();
  async idBySlug(slug: string): Promise<string | undefined> {
    if (!this.idCache.has(slug)) {
      const row = await this.repo.findBySlug(slug);
      if (!row) return undefined;
      this.idCache.set(slug, row.id);
    }
    return this.idCache.get(slug);
  }

  async getById(id: string): Promise<ClusterDetail> {
    const cluster = await this.repo.findById(id);
    if (!cluster) throw new AppError('cluster.not_found', { slug: id });
    return this.get(cluster.slug);
  }

  /** The cluster alone, in one query: for pages that only need to name it (not its history or registry roles). */
  async find(slug: string): Promise<ClusterWithStatus> {
    const cluster = await this.repo.findBySlug(slug);
    if (!cluster) throw new AppError('cluster.not_found', { slug });
    return cluster;
  }

  async get(slug: string): Promise<ClusterDetail> {
    const cluster = await this.find(slug);
    const [steps, organisations] = await Promise.all([this.repo.steps(cluster.id), this.repo.organisations(cluster.id)]);
    return { cluster, steps, organisations };
  }
}
