import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/** An uploaded file kept between the preview and the confirmation. */
export interface PendingUpload {
  filename: string;
  data: Buffer;
}

interface Meta {
  filename: string;
  clusterId: string;
  personId: string | null;
  createdAt: number;
}

export const PENDING_TTL_MS = 60 * 60 * 1000;
const TOKEN = /^[A-Za-z0-9_-]{32}$/;

/**
 * Uploaded member files waiting for confirmation, in DATA_DIR/imports/, under a random token. The
 * confirmation names the token only: the bytes imported are the bytes previewed, never a copy the
 * browser sends back. A file is deleted once confirmed, or after an hour.
 */
export class PendingUploads {
  constructor(
    private readonly dir: string,
    private readonly ttlMs = PENDING_TTL_MS,
  ) {}

  private paths(token: string) {
    return { data: path.join(this.dir, `${token}.upload`), meta: path.join(this.dir, `${token}.json`) };
  }

  async save(upload: PendingUpload, owner: { clusterId: string; personId: string | null }): Promise<string> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const token = randomBytes(24).toString('base64url');
    const p = this.paths(token);
    const meta: Meta = { filename: upload.filename, clusterId: owner.clusterId, personId: owner.personId, createdAt: Date.now() };
    await fs.writeFile(p.data, upload.data, { mode: 0o600 });
    await fs.writeFile(p.meta, JSON.stringify(meta), { mode: 0o600 });
    return token;
  }

  /** The file, when the token is known, fresh, and was uploaded by the same person for the same cluster. */
  async load(token: string, owner: { clusterId: string; personId: string | null }): Promise<PendingUpload | undefined> {
    if (!TOKEN.test(token)) return undefined;
    const p = this.paths(token);
    try {
      const meta = JSON.parse(await fs.readFile(p.meta, 'utf8')) as Meta;
      if (meta.clusterId !== owner.clusterId || meta.personId !== owner.personId) return undefined;
      if (Date.now() - meta.createdAt > this.ttlMs) {
        await this.remove(token);
        return undefined;
      }
      return { filename: meta.filename, data: await fs.readFile(p.data) };
    } catch {
      return undefined;
    }
  }

  async remove(token: string): Promise<void> {
    if (!TOKEN.test(token)) return;
    const p = this.paths(token);
    await Promise.all([fs.rm(p.data, { force: true }), fs.rm(p.meta, { force: true })]);
  }

  /** Delete every file older than the time limit (and any stray file of an interrupted save). */
  async sweep(now = Date.now()): Promise<number> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return 0;
    }
    let removed = 0;
    for (const name of names) {
      const file = path.join(this.dir, name);
      try {
        const stat = await fs.stat(file);
        if (now - stat.mtimeMs > this.ttlMs) {
          await fs.rm(file, { force: true });
          removed++;
        }
      } catch {
        // Removed meanwhile by a confirmation.
      }
    }
    return removed;
  }
}
