import { createHash, randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { BlobStore, StoredBlob } from '../shared/blob-store.ts';

/** Azure Storage service version answered when the client sends none. */
const SERVICE_VERSION = '2025-01-05';

/** Names of the blob operations the server understands (usable as fault names). */
export type BlobOperation =
  'PutBlock' | 'PutBlockList' | 'PutBlob' | 'GetBlob' | 'GetBlobProperties' | 'Unsupported';

/** An answer to a blob request. */
export interface BlobAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
}

/** Works out which Azure Blob operation a request is. */
export function blobOperation(
  method: string,
  query: URLSearchParams,
  headers: http.IncomingHttpHeaders,
): BlobOperation {
  const comp = query.get('comp');
  if (method === 'PUT' && comp === 'block') return 'PutBlock';
  if (method === 'PUT' && comp === 'blocklist') return 'PutBlockList';
  if (method === 'PUT' && comp === null && headers['x-ms-blob-type'] !== undefined) return 'PutBlob';
  if (method === 'GET' && comp === null) return 'GetBlob';
  if (method === 'HEAD' && comp === null) return 'GetBlobProperties';
  return 'Unsupported';
}

function commonHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {
    'x-ms-request-id': randomUUID(),
    'x-ms-version': String(headers['x-ms-version'] ?? SERVICE_VERSION),
    date: new Date().toUTCString(),
  };
  const clientRequestId = headers['x-ms-client-request-id'];
  if (typeof clientRequestId === 'string') out['x-ms-client-request-id'] = clientRequestId;
  return out;
}

/** An Azure Storage error: XML body `<Error><Code>…` plus the `x-ms-error-code` header. */
export function blobError(
  status: number,
  code: string,
  message: string,
  headers: http.IncomingHttpHeaders = {},
): BlobAnswer {
  const requestHeaders = commonHeaders(headers);
  const body = Buffer.from(
    `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}\nRequestId:${requestHeaders['x-ms-request-id']}\nTime:${new Date().toISOString()}</Message></Error>`,
  );
  return {
    status,
    headers: {
      ...requestHeaders,
      'x-ms-error-code': code,
      'content-type': 'application/xml',
      'content-length': String(body.length),
    },
    body,
  };
}

function md5(data: Buffer): string {
  return createHash('md5').update(data).digest('base64');
}

function writeHeaders(
  blob: StoredBlob,
  headers: http.IncomingHttpHeaders,
  contentMd5: string,
): Record<string, string> {
  return {
    ...commonHeaders(headers),
    etag: blob.etag,
    'last-modified': blob.lastModified.toUTCString(),
    'content-md5': contentMd5,
    'x-ms-request-server-encrypted': 'true',
    'content-length': '0',
  };
}

function isBase64(value: string): boolean {
  return value.length > 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(value) && value.length % 4 === 0;
}

/** Parses a `Range: bytes=a-b` (or `x-ms-range`) header against a blob of `size` bytes. */
function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'invalid' | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, from = '', to = ''] = match;
  let start: number;
  let end: number;
  if (from === '') {
    const suffix = Number(to);
    start = Math.max(size - suffix, 0);
    end = size - 1;
  } else {
    start = Number(from);
    end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  }
  if (start >= size || start > end) return 'invalid';
  return { start, end };
}

/**
 * Answers one request to blob storage (the URLs the results service signs): Put Block, Put Block
 * List, Put Blob, Get Blob (with ranges) and Get Blob Properties, with the status codes and headers
 * of Azure Storage, which the Azure SDK inside the toolkit clients checks.
 */
export function handleBlobRequest(
  store: BlobStore,
  operation: BlobOperation,
  path: string,
  query: URLSearchParams,
  headers: http.IncomingHttpHeaders,
  body: Buffer,
): BlobAnswer {
  if (operation === 'Unsupported') {
    return blobError(
      400,
      'UnsupportedQueryParameter',
      'The local blob storage does not support this operation.',
      headers,
    );
  }
  const reading = operation === 'GetBlob' || operation === 'GetBlobProperties';
  const refused = store.verify(path, query, reading ? 'r' : 'w');
  if (refused) return blobError(refused.status, refused.code, refused.message, headers);

  switch (operation) {
    case 'PutBlock': {
      const blockId = query.get('blockid') ?? '';
      if (!isBase64(blockId) || Buffer.from(blockId, 'base64').length > 64) {
        return blobError(
          400,
          'InvalidQueryParameterValue',
          'Value for one of the query parameters specified in the request URI is invalid.',
          headers,
        );
      }
      store.stageBlock(path, blockId, body);
      return {
        status: 201,
        headers: {
          ...commonHeaders(headers),
          'content-md5': md5(body),
          'x-ms-request-server-encrypted': 'true',
          'content-length': '0',
        },
      };
    }
    case 'PutBlockList': {
      const xml = body.toString('utf8');
      const list = [...xml.matchAll(/<(Latest|Committed|Uncommitted)>([^<]*)<\/\1>/g)].map((match) => ({
        kind: match[1] as 'Latest' | 'Committed' | 'Uncommitted',
        id: match[2] ?? '',
      }));
      if (!xml.includes('<BlockList')) {
        return blobError(400, 'InvalidXmlDocument', 'XML specified is not syntactically valid.', headers);
      }
      const contentType = String(headers['x-ms-blob-content-type'] ?? 'application/octet-stream');
      const result = store.commitBlocks(path, list, contentType);
      if ('missingBlock' in result) {
        return blobError(400, 'InvalidBlockList', 'The specified block list is invalid.', headers);
      }
      return { status: 201, headers: writeHeaders(result, headers, md5(body)) };
    }
    case 'PutBlob': {
      if (String(headers['x-ms-blob-type']) !== 'BlockBlob') {
        return blobError(
          400,
          'InvalidHeaderValue',
          'The local blob storage only supports block blobs.',
          headers,
        );
      }
      const given = headers['content-md5'];
      if (typeof given === 'string' && given !== md5(body)) {
        return blobError(
          400,
          'Md5Mismatch',
          'The MD5 value specified in the request did not match with the MD5 value calculated by the server.',
          headers,
        );
      }
      const contentType = String(
        headers['x-ms-blob-content-type'] ?? headers['content-type'] ?? 'application/octet-stream',
      );
      const blob = store.put(path, body, contentType);
      return { status: 201, headers: writeHeaders(blob, headers, blob.contentMd5) };
    }
    case 'GetBlob':
    case 'GetBlobProperties': {
      const blob = store.get(path);
      if (!blob) return blobError(404, 'BlobNotFound', 'The specified blob does not exist.', headers);
      const rangeHeader = headers['x-ms-range'] ?? headers.range;
      const range = parseRange(typeof rangeHeader === 'string' ? rangeHeader : undefined, blob.data.length);
      if (range === 'invalid') {
        return blobError(
          416,
          'InvalidRange',
          'The range specified is invalid for the current size of the resource.',
          headers,
        );
      }
      const data = range ? blob.data.subarray(range.start, range.end + 1) : blob.data;
      const out: Record<string, string> = {
        ...commonHeaders(headers),
        'content-length': String(data.length),
        'content-type': query.get('rsct') ?? blob.contentType,
        etag: blob.etag,
        'last-modified': blob.lastModified.toUTCString(),
        'accept-ranges': 'bytes',
        'x-ms-blob-type': 'BlockBlob',
        'x-ms-creation-time': blob.lastModified.toUTCString(),
        'x-ms-lease-status': 'unlocked',
        'x-ms-lease-state': 'available',
        'x-ms-server-encrypted': 'true',
      };
      if (!range) out['content-md5'] = blob.contentMd5;
      else out['content-range'] = `bytes ${range.start}-${range.end}/${blob.data.length}`;
      const disposition = query.get('rscd');
      if (disposition) out['content-disposition'] = disposition;
      return { status: range ? 206 : 200, headers: out, body: operation === 'GetBlob' ? data : undefined };
    }
  }
}
