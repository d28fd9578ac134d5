/**
 * The content hash functions: SHA-256 and MD5 from Node's OpenSSL, BLAKE3 from the native
 * `@napi-rs/blake-hash` binding when its prebuilt binary loads (several GB/s per core), else from the
 * portable WebAssembly build in `hash-wasm`. Both BLAKE3 builds give the same digests.
 */
import * as nodeCrypto from 'node:crypto';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** A hash algorithm of the action (`dvc` hashes files with md5). */
export type Algorithm = 'sha256' | 'blake3' | 'dvc';

/** All algorithms, for input validation. */
export const ALGORITHMS: readonly Algorithm[] = ['sha256', 'blake3', 'dvc'];

/** An incremental hash. */
export interface Digest {
  update(data: Uint8Array): void;
  /** The digest; the object must not be used afterwards. */
  finish(): Uint8Array;
}

/** Makes digests of one algorithm. */
export interface DigestFactory {
  readonly algorithm: Algorithm;
  /** Digest length in bytes (32, or 16 for md5). */
  readonly length: number;
  /** Which implementation is in use, for the log (`openssl`, `native`, `wasm`). */
  readonly implementation: string;
  create(): Digest;
  /** The digest of `data` in one call (cheaper than {@link create} for small files). */
  hashWhole(data: Uint8Array): Uint8Array;
}

/** {@link DigestFactory.hashWhole} through a digest object. */
function hashWholeWith(create: () => Digest): (data: Uint8Array) => Uint8Array {
  return (data) => {
    const digest = create();
    digest.update(data);
    return digest.finish();
  };
}

/** A factory whose {@link DigestFactory.hashWhole} goes through its digest objects. */
function withHashWhole(factory: Omit<DigestFactory, 'hashWhole'>): DigestFactory {
  return { ...factory, hashWhole: hashWholeWith(() => factory.create()) };
}

/** Digest length in bytes of an algorithm. */
export function digestLength(algorithm: Algorithm): number {
  return algorithm === 'dvc' ? 16 : 32;
}

const oneShotHash = (nodeCrypto as Partial<typeof nodeCrypto>).hash;

function opensslFactory(algorithm: 'sha256' | 'dvc'): DigestFactory {
  const name = algorithm === 'dvc' ? 'md5' : 'sha256';
  const create = (): Digest => {
    const hash = createHash(name);
    return {
      update: (data) => void hash.update(data),
      finish: () => hash.digest(),
    };
  };
  return {
    algorithm,
    length: digestLength(algorithm),
    implementation: 'openssl',
    create,
    // `crypto.hash` (Node ≥ 20.12) skips the Hash object: ≈25 % less per small file.
    hashWhole:
      typeof oneShotHash === 'function' ? (data) => oneShotHash(name, data, 'buffer') : hashWholeWith(create),
  };
}

interface NativeBlake3Hasher {
  update(input: Uint8Array): unknown;
  digestBuffer(): Buffer;
}
interface NativeBlake3Module {
  Blake3Hasher: new () => NativeBlake3Hasher;
}

/**
 * The platform triples the native binding may be built for here, as its file and package names use
 * them (on Linux both libc flavours are tried: loading the wrong one fails harmlessly).
 */
export function nativeTriples(platform = process.platform, arch = process.arch): string[] {
  if (arch !== 'x64' && arch !== 'arm64') return [];
  if (platform === 'linux') return [`linux-${arch}-gnu`, `linux-${arch}-musl`];
  if (platform === 'darwin') return [`darwin-${arch}`];
  if (platform === 'win32') return [`win32-${arch}-msvc`];
  return [];
}

let nativeModule: NativeBlake3Module | null | undefined;

/**
 * Loads the native BLAKE3 binding: first `blake.<triple>.node` next to this module (a bundle ships it
 * beside `dist/`), then the platform package from node_modules. Null when neither loads.
 */
export function loadNativeBlake3(): NativeBlake3Module | null {
  if (nativeModule !== undefined) return nativeModule;
  nativeModule = null;
  if (process.env.MODELOPS_BLAKE3 === 'wasm') return nativeModule;
  const require = createRequire(import.meta.url);
  const candidates = nativeTriples().flatMap((triple) => [
    fileURLToPath(new URL(`./blake.${triple}.node`, import.meta.url)),
    `@napi-rs/blake-hash-${triple}`,
  ]);
  for (const candidate of candidates) {
    try {
      if (candidate.endsWith('.node') && !existsSync(candidate)) continue;
      const loaded = require(candidate) as Partial<NativeBlake3Module>;
      if (typeof loaded.Blake3Hasher === 'function') {
        nativeModule = loaded as NativeBlake3Module;
        break;
      }
    } catch {
      // not installed for this platform: the wasm build takes over
    }
  }
  return nativeModule;
}

async function blake3Factory(concurrent: number): Promise<DigestFactory> {
  const native = loadNativeBlake3();
  if (native) {
    const { Blake3Hasher } = native;
    return withHashWhole({
      algorithm: 'blake3',
      length: 32,
      implementation: 'native',
      create() {
        const hasher = new Blake3Hasher();
        return {
          update: (data) => void hasher.update(data),
          finish: () => hasher.digestBuffer(),
        };
      },
    });
  }
  return wasmBlake3Factory(concurrent);
}

/** The WebAssembly BLAKE3 build, with `concurrent` instances that digests take and give back. */
export async function wasmBlake3Factory(concurrent: number): Promise<DigestFactory> {
  // Wasm instances are created up front (creation is async) and reused: a thread hashes files one
  // after another, and the aggregate hashes need at most `concurrent` digests open at once.
  // Imported on demand: hashing threads that never need it do not load it (in the bundle it sits in
  // the large shared chunk).
  const { createBLAKE3 } = await import('hash-wasm');
  const instances = await Promise.all(Array.from({ length: concurrent }, () => createBLAKE3()));
  const free = [...instances];
  return withHashWhole({
    algorithm: 'blake3',
    length: 32,
    implementation: 'wasm',
    create() {
      const wasm = free.pop();
      if (!wasm) throw new Error(`internal: more than ${concurrent} BLAKE3 digests open at once`);
      wasm.init();
      return {
        update: (data) => void wasm.update(data),
        finish: () => {
          const out = wasm.digest('binary');
          free.push(wasm);
          return out;
        },
      };
    },
  });
}

/**
 * The digest factory of an algorithm. `concurrent` is how many digests may be open at the same time
 * (only the wasm BLAKE3 build has a limit).
 */
export async function digestFactory(algorithm: Algorithm, concurrent = 2): Promise<DigestFactory> {
  return algorithm === 'blake3' ? blake3Factory(concurrent) : opensslFactory(algorithm);
}

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
