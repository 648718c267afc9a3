import type { Kysely, Transaction } from 'kysely';
import type { DB, ItemStatus } from '../../db/schema.js';
import { audit, type Actor } from '../../platform/audit.js';
import { administersOrganisation, isRegionAdmin, managedClusterIds, organisationIds, type Principal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';
import { FieldErrors } from '../../platform/field-errors.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { renderMail } from '../../platform/mail/templates.js';
import { ofm } from './messages.js';
import { ANONYMOUS, OfferRepository, type ItemKind, type ItemRow, type Viewer } from './repository.js';
import { validateNeed, validateOffer, type ItemInput, type NeedValues, type OfferValues } from './validation.js';

export const ITEM_ACTIONS = ['publish', 'archive', 'renew', 'reopen'] as const;
export type ItemAction = (typeof ITEM_ACTIONS)[number];

/** How long a publication lasts before it must be renewed, and when owners are reminded. */
export const PUBLICATION_MONTHS = 12;
export const REMINDER_DAYS = 14;

const TRANSITIONS: Record<ItemAction, ItemStatus[]> = {
  publish: ['draft'],
  archive: ['draft', 'published'],
  renew: ['published'],
  reopen: ['archived'],
};

export function nextItemStatus(from: ItemStatus, action: ItemAction): ItemStatus | null {
  if (!TRANSITIONS[action].includes(from)) return null;
  return action === 'archive' ? 'archived' : action === 'reopen' ? 'draft' : 'published';
}

export function todayIso(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function addMonths(isoDate: string, months: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

/** Whether an item is live: published and not past its expiry date. */
export function isActive(item: { status: ItemStatus; expires_on: string | null }, today = todayIso()): boolean {
  return item.status === 'published' && (!item.expires_on || item.expires_on >= today);
}

export interface Audience {
  /** Admitted clusters of the owner organisation (visibility `members`). */
  ownerClusters: string[];
  /** Clusters chosen by the owner (visibility `clusters`). */
  chosenClusters: string[];
}

/** Who may see an item, given its audience; drafts and expired items only by its editors. */
export function canSee(item: { organisation_id: string; visibility: string; status: ItemStatus; expires_on: string | null }, audience: Audience, viewer: Viewer, today = todayIso()): boolean {
  if (viewer.organisationIds.includes(item.organisation_id) || canEdit(viewer, item.organisation_id, audience.ownerClusters)) return true;
  if (!isActive(item, today)) return false;
  if (item.visibility === 'public') return true;
  const shared = item.visibility === 'members' ? audience.ownerClusters : audience.chosenClusters;
  return shared.some((c) => viewer.clusterIds.includes(c));
}

/** The owner's administrators, the managers of its clusters (curation) and the Region. */
export function canEdit(viewer: Viewer, organisationId: string, ownerClusters: string[]): boolean {
  return viewer.region || viewer.adminOf.includes(organisationId) || ownerClusters.some((c) => viewer.managedClusterIds.includes(c));
}

export type ItemChangeListener = (kind: ItemKind, id: string) => Promise<void>;

/** Technology offers and needs: drafts, publication, renewal, archive, visibility. */
export class OfferService {
  readonly repo: OfferRepository;
  private readonly listeners: ItemChangeListener[] = [];

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clustersOfOrganisation: (organisationId: string) => Promise<string[]>,
    private readonly mailer: Mailer,
    private readonly baseUrl: string,
  ) {
    this.repo = new OfferRepository(db);
  }

  /** Called after every write to an offer or a need (the matcher refreshes its document). */
  onChange(listener: ItemChangeListener): void {
    this.listeners.push(listener);
  }

  private async changed(kind: ItemKind, id: string): Promise<void> {
    for (const listener of this.listeners) await listener(kind, id);
  }

  /** The viewer behind a principal: organisations, clusters of those organisations, managed clusters. */
  async viewerOf(principal: Principal | null): Promise<Viewer> {
    if (!principal) return ANONYMOUS;
    const orgs = organisationIds(principal);
    const managed = managedClusterIds(principal);
    const memberOf = (await Promise.all(orgs.map((id) => this.clustersOfOrganisation(id)))).flat();
    return {
      personId: principal.personId,
      organisationIds: orgs,
      adminOf: orgs.filter((id) => administersOrganisation(principal, id)),
      clusterIds: [...new Set([...memberOf, ...managed])],
      managedClusterIds: managed,
      region: isRegionAdmin(principal),
    };
  }

  async audiences(kind: ItemKind, items: { id: string; organisation_id: string }[]): Promise<Map<string, Audience>> {
    const [owners, chosen] = await Promise.all([
      this.repo.clustersOf(items.map((i) => i.organisation_id)),
      this.repo.audienceOf(kind, items.map((i) => i.id)),
    ]);
    return new Map(items.map((i) => [i.id, { ownerClusters: owners.get(i.organisation_id) ?? [], chosenClusters: chosen.get(i.id) ?? [] }]));
  }

  private async load(kind: ItemKind, id: string, conn?: Transaction<DB>): Promise<ItemRow> {
    const row = kind === 'offer' ? await this.repo.findOffer(id, conn) : await this.repo.findNeed(id, conn);
    if (!row) throw new AppError(kind === 'offer' ? 'offer.not_found' : 'need.not_found');
    return row as ItemRow;
  }

  /** An item the viewer may see (or not found: a hidden item is never confirmed to exist). */
  async get(kind: ItemKind, id: string, viewer: Viewer): Promise<{ item: ItemRow; audience: Audience; editable: boolean }> {
    const item = await this.load(kind, id);
    const audience = (await this.audiences(kind, [item])).get(item.id)!;
    if (!canSee(item, audience, viewer)) throw new AppError(kind === 'offer' ? 'offer.not_found' : 'need.not_found');
    return { item, audience, editable: canEdit(viewer, item.organisation_id, audience.ownerClusters) };
  }

  /** An item the viewer may edit, whatever its state (refused with auth.forbidden otherwise). */
  async getForEdit(kind: ItemKind, id: string, viewer: Viewer): Promise<{ item: ItemRow; audience: Audience; editable: true }> {
    const item = await this.load(kind, id);
    const audience = (await this.audiences(kind, [item])).get(item.id)!;
    if (!canEdit(viewer, item.organisation_id, audience.ownerClusters)) throw new AppError('auth.forbidden');
    return { item, audience, editable: true };
  }

  async list(kind: ItemKind, viewer: Viewer, filter: { q?: string | undefined; organisationId?: string | undefined; page?: number; pageSize?: number; includeInactive?: boolean }) {
    const pageSize = filter.pageSize ?? 20;
    const page = Math.max(1, filter.page ?? 1);
    const { ids, total } = await this.repo.list(kind, viewer, {
      q: filter.q?.trim() || undefined,
      organisationId: filter.organisationId,
      includeInactive: filter.includeInactive,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    const rows = kind === 'offer' ? await this.repo.offersByIds(ids) : await this.repo.needsByIds(ids);
    const byId = new Map(rows.map((r) => [r.id, r as unknown as ItemRow]));
    return { items: ids.map((id) => byId.get(id)!).filter(Boolean), total, page, pageSize };
  }

  private async requireEditor(viewer: Viewer, organisationId: string): Promise<string[]> {
    const ownerClusters = await this.clustersOfOrganisation(organisationId);
    if (!canEdit(viewer, organisationId, ownerClusters)) throw new AppError('auth.forbidden');
    return ownerClusters;
  }

  private async clusterIds(slugs: string[], conn?: Transaction<DB>): Promise<string[]> {
    const rows = await this.repo.clusterIdsBySlug(slugs, conn);
    const missing = slugs.filter((s) => !rows.some((r) => r.slug === s));
    if (missing.length > 0) {
      const errors = new FieldErrors();
      errors.add('clusters', 'one_of', { values: missing.join(', ') });
      errors.throwIfAny();
    }
    return rows.map((r) => r.id);
  }

  validate(kind: ItemKind, input: ItemInput): OfferValues | NeedValues {
    const errors = new FieldErrors();
    const values = kind === 'offer' ? validateOffer(input, errors, todayIso()) : validateNeed(input, errors, todayIso());
    errors.throwIfAny();
    return values;
  }

  private columns(kind: ItemKind, values: OfferValues | NeedValues) {
    const { clusterSlugs: _slugs, ...rest } = values;
    void _slugs;
    return kind === 'offer' ? (rest as Omit<OfferValues, 'clusterSlugs'>) : (rest as Omit<NeedValues, 'clusterSlugs'>);
  }

  async create(kind: ItemKind, organisationId: string, input: ItemInput, viewer: Viewer, actor: Actor, options: { externalRef?: string; publish?: boolean; conn?: Transaction<DB> } = {}): Promise<string> {
    if (!options.conn) await this.requireEditor(viewer, organisationId);
    const values = this.validate(kind, input);
    const clusterIds = await this.clusterIds(values.clusterSlugs, options.conn);
    const run = async (trx: Transaction<DB>) => {
      const now = new Date();
      const base = {
        ...this.columns(kind, values),
        organisation_id: organisationId,
        external_ref: options.externalRef ?? null,
        created_by: actor.personId,
        status: (options.publish ? 'published' : 'draft') as ItemStatus,
        published_at: options.publish ? now : null,
        expires_on: options.publish ? (values.expires_on ?? addMonths(todayIso(), PUBLICATION_MONTHS)) : values.expires_on,
      };
      const row =
        kind === 'offer'
          ? await trx.insertInto('technology_offers').values(base as never).returning('id').executeTakeFirstOrThrow()
          : await trx.insertInto('technology_needs').values(base as never).returning('id').executeTakeFirstOrThrow();
      await this.repo.setAudience(trx, kind, row.id, clusterIds);
      await audit(trx, actor, { action: `${kind}.created`, entityType: kind, entityId: row.id, organisationId, after: { ...base, clusters: values.clusterSlugs } });
      return row.id;
    };
    const id = options.conn ? await run(options.conn) : await this.db.transaction().execute(run);
    if (!options.conn) await this.changed(kind, id);
    return id;
  }

  async update(kind: ItemKind, id: string, input: ItemInput, viewer: Viewer, actor: Actor, options: { conn?: Transaction<DB> } = {}): Promise<void> {
    const before = await this.load(kind, id, options.conn);
    if (!options.conn) await this.requireEditor(viewer, before.organisation_id);
    const values = this.validate(kind, input);
    const clusterIds = await this.clusterIds(values.clusterSlugs, options.conn);
    const run = async (trx: Transaction<DB>) => {
      const columns = { ...this.columns(kind, values), expires_on: values.expires_on ?? before.expires_on, updated_at: new Date() };
      if (kind === 'offer') await trx.updateTable('technology_offers').set(columns as never).where('id', '=', id).execute();
      else await trx.updateTable('technology_needs').set(columns as never).where('id', '=', id).execute();
      await this.repo.setAudience(trx, kind, id, clusterIds);
      await audit(trx, actor, { action: `${kind}.updated`, entityType: kind, entityId: id, organisationId: before.organisation_id, before: changed(before, columns).before, after: changed(before, columns).after });
    };
    if (options.conn) await run(options.conn);
    else {
      await this.db.transaction().execute(run);
      await this.changed(kind, id);
    }
  }

  /** Publish, archive, renew (another twelve months) or reopen as a draft. */
  async transition(kind: ItemKind, id: string, action: ItemAction, viewer: Viewer, actor: Actor): Promise<{ from: ItemStatus; to: ItemStatus; expiresOn: string | null }> {
    const item = await this.load(kind, id);
    await this.requireEditor(viewer, item.organisation_id);
    const to = nextItemStatus(item.status, action);
    if (!to) throw new AppError('item.transition_forbidden', { from: item.status, action });
    const today = todayIso();
    const now = new Date();
    let expiresOn = item.expires_on;
    if (action === 'publish' && (!expiresOn || expiresOn < today)) expiresOn = addMonths(today, PUBLICATION_MONTHS);
    if (action === 'renew') expiresOn = addMonths(expiresOn && expiresOn > today ? expiresOn : today, PUBLICATION_MONTHS);
    await this.db.transaction().execute(async (trx) => {
      await this.repo.setStatus(trx, kind, id, {
        status: to,
        expires_on: expiresOn,
        ...(action === 'publish' ? { published_at: now } : {}),
        ...(action === 'archive' ? { archived_at: now } : {}),
        ...(action === 'reopen' ? { archived_at: null, published_at: null } : {}),
        ...(action === 'renew' || action === 'publish' ? { renewal_reminded_at: null } : {}),
      });
      await audit(trx, actor, { action: `${kind}.${action}`, entityType: kind, entityId: id, organisationId: item.organisation_id, before: { status: item.status, expiresOn: item.expires_on }, after: { status: to, expiresOn } });
    });
    await this.changed(kind, id);
    return { from: item.status, to, expiresOn };
  }

  /** Mail the administrators of items expiring within REMINDER_DAYS, once per publication period. */
  async sendRenewalReminders(now = new Date()): Promise<number> {
    const until = new Date(now.getTime() + REMINDER_DAYS * 86_400_000);
    let sent = 0;
    for (const kind of ['offer', 'need'] as const) {
      for (const item of await this.repo.expiringSoon(kind, todayIso(until))) {
        for (const admin of await this.repo.adminsOf(item.organisation_id)) {
          const lang = admin.preferred_lang;
          const title = (lang === 'en' ? (item.title_en ?? item.title_it) : (item.title_it ?? item.title_en)) ?? '';
          const path = kind === 'offer' ? `/offerte/${item.id}` : `/fabbisogni/${item.id}`;
          const mail = renderMail(lang, {
            subject: ofm(lang, 'mailRenewSubject', { title }),
            greeting: lang === 'it' ? `Gentile ${admin.display_name},` : `Dear ${admin.display_name},`,
            paragraphs: [ofm(lang, kind === 'offer' ? 'mailRenewOffer' : 'mailRenewNeed', { title, date: item.expires_on ?? '' })],
            action: { label: ofm(lang, 'mailRenewAction'), url: `${this.baseUrl}${path}` },
          });
          await this.mailer.send({ to: admin.email!, ...mail });
          sent++;
        }
        await this.repo.markReminded(kind, item.id);
      }
    }
    return sent;
  }

  get database(): Kysely<DB> {
    return this.db;
  }

  /** For the importer: signal the matcher after a batch written in a transaction. */
  async notifyChanged(kind: ItemKind, ids: string[]): Promise<void> {
    for (const id of ids) await this.changed(kind, id);
  }
}

function changed(before: Record<string, unknown>, after: Record<string, unknown>) {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after)) {
    if (key === 'updated_at') continue;
    if (JSON.stringify(before[key] ?? null) !== JSON.stringify(value ?? null)) {
      b[key] = before[key] ?? null;
      a[key] = value;
    }
  }
  return { before: b, after: a };
}
