import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Storage account name that appears in every signed blob URL. */
export const BLOB_ACCOUNT = 'actionsresults';

/** A committed blob. */
export interface StoredBlob {
  readonly path: string;
  readonly data: Buffer;
  readonly contentType: string;
  /** Base64 MD5 of `data`, as Azure reports it. */
  readonly contentMd5: string;
  readonly etag: string;
  readonly lastModified: Date;
}

/** Access a signed URL grants: `r` read, `c` create, `w` write. */
export type BlobPermission = 'r' | 'cw' | 'rcw';

/** Options of {@link BlobStore.signUrl}. */
export interface SignUrlOptions {
  readonly permissions: BlobPermission;
  /** Lifetime of the URL (default 1 hour). */
  readonly ttlSeconds?: number;
  /** `rscd`: Content-Disposition the download answers with. */
  readonly contentDisposition?: string;
}

/** Why a signed URL was refused, in Azure's words. */
export interface SignatureFailure {
  readonly status: 403;
  readonly code: 'AuthenticationFailed' | 'AuthorizationPermissionMismatch';
  readonly message: string;
}

interface PendingBlocks {
  readonly blocks: Map<string, Buffer>;
}

/**
 * In-memory block-blob storage with SAS-like signed URLs.
 *
 * Signed URLs carry `sv`, `se` (expiry), `sr=b`, `sp` (permissions) and an HMAC `sig` over the
 * permissions, expiry and path, so a read URL cannot be used to write and a tampered URL fails
 * with 403 like Azure Storage.
 */
export class BlobStore {
  private readonly blobs = new Map<string, StoredBlob>();
  private readonly pending = new Map<string, PendingBlocks>();
  /** Blocks of each committed blob, so a later block list can reuse them (`<Committed>`). */
  private readonly committedBlocks = new Map<string, Map<string, Buffer>>();
  private readonly secret = randomBytes(32);
  private origin: string | undefined;

  /** Sets the origin (`http://127.0.0.1:port`) of the server that serves the blobs. */
  attach(origin: string): void {
    this.origin = origin.replace(/\/$/, '');
  }

  /** Forgets the serving origin (the results server stopped). */
  detach(origin: string): void {
    if (this.origin === origin.replace(/\/$/, '')) this.origin = undefined;
  }

  /** True once a results server serves these blobs. */
  get attached(): boolean {
    return this.origin !== undefined;
  }

  /** Builds the blob path `/<account>/<container>/<name>`. */
  static path(container: string, name: string): string {
    return `/${BLOB_ACCOUNT}/${container}/${name}`;
  }

  /** Returns a signed URL for `path`; throws when no results server is attached. */
  signUrl(path: string, options: SignUrlOptions): string {
    if (!this.origin) {
      throw new Error(
        'No results server serves blobs yet: start one with startResultsServer({ world }) (or use startWorld()).',
      );
    }
    const expiry = new Date(Date.now() + (options.ttlSeconds ?? 3600) * 1000)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    const params = new URLSearchParams({ sv: '2025-01-05', se: expiry, sr: 'b', sp: options.permissions });
    if (options.contentDisposition) params.set('rscd', options.contentDisposition);
    params.set('sig', this.signature(options.permissions, expiry, path, options.contentDisposition ?? ''));
    return `${this.origin}${encodeURI(path)}?${params.toString()}`;
  }

  /** Checks the signature, expiry and permissions of a blob request URL. */
  verify(path: string, query: URLSearchParams, needed: 'r' | 'w'): SignatureFailure | undefined {
    const sig = query.get('sig');
    const expiry = query.get('se');
    const permissions = query.get('sp');
    if (!sig || !expiry || !permissions) {
      return {
        status: 403,
        code: 'AuthenticationFailed',
        message: 'Server failed to authenticate the request. The signed URL is missing sig, se or sp.',
      };
    }
    const expected = Buffer.from(this.signature(permissions, expiry, path, query.get('rscd') ?? ''));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return {
        status: 403,
        code: 'AuthenticationFailed',
        message: 'Server failed to authenticate the request. Signature did not match.',
      };
    }
    if (Date.parse(expiry) < Date.now()) {
      return {
        status: 403,
        code: 'AuthenticationFailed',
        message: `Server failed to authenticate the request. Signed expiry time [${expiry}] must be after signed start time.`,
      };
    }
    if (!permissions.includes(needed)) {
      return {
        status: 403,
        code: 'AuthorizationPermissionMismatch',
        message: 'This request is not authorized to perform this operation using this permission.',
      };
    }
    return undefined;
  }

  /** Stores a whole blob (Put Blob). */
  put(path: string, data: Buffer, contentType = 'application/octet-stream'): StoredBlob {
    const blob: StoredBlob = {
      path,
      data,
      contentType,
      contentMd5: createHash('md5').update(data).digest('base64'),
      etag: `"0x${createHash('sha1').update(data).update(String(Date.now())).digest('hex').slice(0, 15).toUpperCase()}"`,
      lastModified: new Date(),
    };
    this.blobs.set(path, blob);
    this.pending.delete(path);
    return blob;
  }

  /** Stages one uncommitted block (Put Block). */
  stageBlock(path: string, blockId: string, data: Buffer): void {
    let pending = this.pending.get(path);
    if (!pending) {
      pending = { blocks: new Map() };
      this.pending.set(path, pending);
    }
    pending.blocks.set(blockId, data);
  }

  /**
   * Commits a block list (Put Block List). `Latest` takes the uncommitted block if any, else the
   * committed one; `Committed`/`Uncommitted` take only that kind.
   *
   * @returns the blob, or the id of the first block that cannot be found.
   */
  commitBlocks(
    path: string,
    list: readonly { readonly id: string; readonly kind: 'Latest' | 'Committed' | 'Uncommitted' }[],
    contentType: string,
  ): StoredBlob | { readonly missingBlock: string } {
    const uncommitted = this.pending.get(path)?.blocks ?? new Map<string, Buffer>();
    const committed = this.committedBlocks.get(path) ?? new Map<string, Buffer>();
    const parts: Buffer[] = [];
    const nextCommitted = new Map<string, Buffer>();
    for (const { id, kind } of list) {
      const data =
        kind === 'Committed'
          ? committed.get(id)
          : kind === 'Uncommitted'
            ? uncommitted.get(id)
            : (uncommitted.get(id) ?? committed.get(id));
      if (!data) return { missingBlock: id };
      parts.push(data);
      nextCommitted.set(id, data);
    }
    const blob = this.put(path, Buffer.concat(parts), contentType);
    this.committedBlocks.set(path, nextCommitted);
    return blob;
  }

  /** The committed blob at `path`, if any. */
  get(path: string): StoredBlob | undefined {
    return this.blobs.get(path);
  }

  /** Deletes a blob and its staged blocks. */
  delete(path: string): void {
    this.blobs.delete(path);
    this.pending.delete(path);
    this.committedBlocks.delete(path);
  }

  private signature(permissions: string, expiry: string, path: string, disposition: string): string {
    return createHmac('sha256', this.secret)
      .update(`${permissions}\n${expiry}\n${path}\n${disposition}`)
      .digest('base64');
  }
}
