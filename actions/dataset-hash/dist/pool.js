import { existsSync, constants, openSync, fstatSync, closeSync, statSync, lstatSync, readlinkSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as nodeCrypto from 'node:crypto';
import { createHash } from 'node:crypto';
import path from 'node:path';

const ALGORITHMS = ["sha256", "blake3", "dvc"];
function hashWholeWith(create) {
  return (data) => {
    const digest = create();
    digest.update(data);
    return digest.finish();
  };
}
function withHashWhole(factory) {
  return { ...factory, hashWhole: hashWholeWith(() => factory.create()) };
}
function digestLength(algorithm) {
  return algorithm === "dvc" ? 16 : 32;
}
const oneShotHash = nodeCrypto.hash;
function opensslFactory(algorithm) {
  const name = algorithm === "dvc" ? "md5" : "sha256";
  const create = () => {
    const hash = createHash(name);
    return {
      update: (data) => void hash.update(data),
      finish: () => hash.digest()
    };
  };
  return {
    algorithm,
    length: digestLength(algorithm),
    implementation: "openssl",
    create,
    // `crypto.hash` (Node ≥ 20.12) skips the Hash object: ≈25 % less per small file.
    hashWhole: typeof oneShotHash === "function" ? (data) => oneShotHash(name, data, "buffer") : hashWholeWith(create)
  };
}
function nativeTriples(platform = process.platform, arch = process.arch) {
  if (arch !== "x64" && arch !== "arm64") return [];
  if (platform === "linux") return [`linux-${arch}-gnu`, `linux-${arch}-musl`];
  if (platform === "darwin") return [`darwin-${arch}`];
  if (platform === "win32") return [`win32-${arch}-msvc`];
  return [];
}
let nativeModule;
function loadNativeBlake3() {
  if (nativeModule !== void 0) return nativeModule;
  nativeModule = null;
  if (process.env.MODELOPS_BLAKE3 === "wasm") return nativeModule;
  const require = createRequire(import.meta.url);
  const candidates = nativeTriples().flatMap((triple) => [
    fileURLToPath(new URL(`./blake.${triple}.node`, import.meta.url)),
    `@napi-rs/blake-hash-${triple}`
  ]);
  for (const candidate of candidates) {
    try {
      if (candidate.endsWith(".node") && !existsSync(candidate)) continue;
      const loaded = require(candidate);
      if (typeof loaded.Blake3Hasher === "function") {
        nativeModule = loaded;
        break;
      }
    } catch {
    }
  }
  return nativeModule;
}
async function blake3Factory(concurrent) {
  const native = loadNativeBlake3();
  if (native) {
    const { Blake3Hasher } = native;
    return withHashWhole({
      algorithm: "blake3",
      length: 32,
      implementation: "native",
      create() {
        const hasher = new Blake3Hasher();
        return {
          update: (data) => void hasher.update(data),
          finish: () => hasher.digestBuffer()
        };
      }
    });
  }
  return wasmBlake3Factory(concurrent);
}
async function wasmBlake3Factory(concurrent) {
  const { createBLAKE3 } = await import('../../../dist/shared-hash-wasm.js');
  const instances = await Promise.all(Array.from({ length: concurrent }, () => createBLAKE3()));
  const free = [...instances];
  return withHashWhole({
    algorithm: "blake3",
    length: 32,
    implementation: "wasm",
    create() {
      const wasm = free.pop();
      if (!wasm) throw new Error(`internal: more than ${concurrent} BLAKE3 digests open at once`);
      wasm.init();
      return {
        update: (data) => void wasm.update(data),
        finish: () => {
          const out = wasm.digest("binary");
          free.push(wasm);
          return out;
        }
      };
    }
  });
}
async function digestFactory(algorithm, concurrent = 2) {
  return algorithm === "blake3" ? blake3Factory(concurrent) : opensslFactory(algorithm);
}
function toHex(bytes) {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

const LFS_POINTER_MAX_BYTES = 1024;
const VERSIONS = /* @__PURE__ */ new Set(["https://git-lfs.github.com/spec/v1", "https://hawser.github.com/spec/v1"]);
const PREFIX = Buffer.from("version ");
function parseLfsPointer(content) {
  if (content.byteLength >= LFS_POINTER_MAX_BYTES || content.byteLength < PREFIX.length) return void 0;
  for (let i = 0; i < PREFIX.length; i++) if (content[i] !== PREFIX[i]) return void 0;
  const text = Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString("utf8");
  if (!text.endsWith("\n")) return void 0;
  const lines = text.slice(0, -1).split("\n");
  const [first, ...rest] = lines;
  if (first === void 0 || !VERSIONS.has(first.slice("version ".length))) return void 0;
  let oid;
  let size;
  let previousKey = "";
  for (const line of rest) {
    const space = line.indexOf(" ");
    if (space <= 0) return void 0;
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (!/^[a-z0-9.-]+$/.test(key) || key <= previousKey) return void 0;
    previousKey = key;
    if (key === "oid") {
      const match = /^sha256:([0-9a-f]{64})$/.exec(value);
      if (!match) return void 0;
      oid = match[1];
    } else if (key === "size") {
      if (!/^(0|[1-9][0-9]*)$/.test(value)) return void 0;
      size = Number(value);
      if (!Number.isSafeInteger(size)) return void 0;
    }
  }
  return oid !== void 0 && size !== void 0 ? { oid, size } : void 0;
}
function lfsObjectPath(gitDir, oid) {
  return `${gitDir}/lfs/objects/${oid.slice(0, 2)}/${oid.slice(2, 4)}/${oid}`;
}

const Kind = {
  /** A regular file. */
  File: 1,
  /** A symlink, hashed as a link. */
  Link: 2,
  /** A symlink to a file inside the dataset, hashed by its target's content (dvc mode). */
  FollowedLink: 3
};
const Status = {
  /** Hashed now; the digest is filled in. */
  Hashed: 0,
  /** Stat matched the cached key; the cached hash stands. */
  Unchanged: 1,
  /** Failed: see the batch's errors. */
  Failed: 2
};
const Flag = {
  /** The file on disk is an LFS pointer (its oid is in `lfsOids`). */
  LfsPointer: 1,
  /** The hash token is `sha256:<oid>` from the pointer rather than a digest of this algorithm. */
  OidToken: 2,
  /** The entry is a symlink hashed as a link (its target is in `targets`). */
  Link: 4
};
const SLOT = 32;
const OPEN_NO_FOLLOW = constants.O_NOFOLLOW === void 0 ? void 0 : constants.O_RDONLY | constants.O_NOFOLLOW;
class BatchHasher {
  constructor(settings, digests) {
    this.settings = settings;
    this.digests = digests;
    this.buffer = Buffer.allocUnsafe(Math.max(64 * 1024, settings.readSize ?? 1 << 20));
  }
  settings;
  digests;
  buffer;
  gitDir;
  /** The batch's root with a trailing separator ('' for the working folder). */
  prefix = "";
  /** Processes one batch. */
  run(batch) {
    const n = batch.paths.length;
    this.gitDir = batch.gitDir;
    this.prefix = batch.root === "." ? "" : batch.root.endsWith(path.sep) ? batch.root : batch.root + path.sep;
    const result = {
      id: batch.id,
      status: new Uint8Array(n),
      flags: new Uint8Array(n),
      stats: new Float64Array(n * 3),
      sizes: new Float64Array(n),
      digests: new Uint8Array(n * SLOT),
      bytesRead: 0,
      lfsOids: [],
      targets: [],
      errors: []
    };
    for (let i = 0; i < n; i++) {
      try {
        this.entry(batch, i, result);
      } catch (error) {
        const e = error;
        result.status[i] = Status.Failed;
        result.errors.push({ index: i, code: e.code ?? "error", message: e.message });
      }
    }
    return result;
  }
  entry(batch, i, out) {
    const rel = batch.paths[i];
    const abs = this.prefix + rel;
    const kind = batch.kinds[i];
    const keys = batch.keys;
    const hasKey = keys !== void 0 && !Number.isNaN(keys[i * 3]);
    if (kind === Kind.File && !hasKey && OPEN_NO_FOLLOW !== void 0) {
      let fd2;
      try {
        fd2 = openSync(abs, OPEN_NO_FOLLOW);
      } catch (error) {
        if (error.code !== "ELOOP") throw error;
      }
      if (fd2 !== void 0) {
        try {
          const st2 = fstatSync(fd2);
          this.record(st2, i, out);
          if (!st2.isFile()) throw notAFile();
          this.hashOpenFile(fd2, abs, st2.size, i, out);
        } finally {
          closeSync(fd2);
        }
        return;
      }
    }
    const st = kind === Kind.FollowedLink ? statSync(abs) : lstatSync(abs);
    this.record(st, i, out);
    const unchanged = hasKey && keys[i * 3] === st.size && (Number.isNaN(keys[i * 3 + 1]) || keys[i * 3 + 1] === st.mtimeMs) && (Number.isNaN(keys[i * 3 + 2]) || keys[i * 3 + 2] === st.ino);
    if (st.isSymbolicLink()) {
      out.flags[i] = Flag.Link;
      if (unchanged) return void (out.status[i] = Status.Unchanged);
      const target = readlinkSync(abs);
      const bytes = Buffer.from(target, "utf8");
      out.digests.set(this.digests.hashWhole(bytes), i * SLOT);
      out.sizes[i] = bytes.byteLength;
      out.targets.push([i, target]);
      out.status[i] = Status.Hashed;
      return;
    }
    if (!st.isFile()) throw notAFile();
    if (unchanged) return void (out.status[i] = Status.Unchanged);
    const fd = openSync(abs, "r");
    try {
      this.hashOpenFile(fd, abs, st.size, i, out);
    } finally {
      closeSync(fd);
    }
  }
  record(st, i, out) {
    out.stats[i * 3] = st.size;
    out.stats[i * 3 + 1] = st.mtimeMs;
    out.stats[i * 3 + 2] = st.ino;
  }
  hashOpenFile(fd, abs, size, i, out) {
    const { lfs, algorithm } = this.settings;
    const first = readSync(fd, this.buffer, 0, this.buffer.length, null);
    let total = first;
    if (lfs !== "pointer" && first < LFS_POINTER_MAX_BYTES && first === size) {
      const pointer = parseLfsPointer(this.buffer.subarray(0, first));
      if (pointer) {
        out.flags[i] = Flag.LfsPointer;
        out.lfsOids.push([i, pointer.oid]);
        if (lfs === "auto" && algorithm !== "dvc") {
          out.digests.set(Buffer.from(pointer.oid, "hex"), i * SLOT);
          if (algorithm !== "sha256") out.flags[i] |= Flag.OidToken;
          out.sizes[i] = pointer.size;
          out.bytesRead += first;
          out.status[i] = Status.Hashed;
          return;
        }
        if (lfs === "content") {
          this.hashLfsObject(pointer.oid, pointer.size, abs, i, out);
          out.bytesRead += first;
          return;
        }
      }
    }
    if (first < this.buffer.length) {
      out.digests.set(this.digests.hashWhole(this.buffer.subarray(0, first)), i * SLOT);
    } else {
      const digest = this.digests.create();
      digest.update(this.buffer);
      for (; ; ) {
        const n = readSync(fd, this.buffer, 0, this.buffer.length, null);
        if (n === 0) break;
        total += n;
        digest.update(n === this.buffer.length ? this.buffer : this.buffer.subarray(0, n));
      }
      out.digests.set(digest.finish(), i * SLOT);
    }
    out.sizes[i] = total;
    out.bytesRead += total;
    if (total !== size) out.stats[i * 3 + 1] = Number.NaN;
    out.status[i] = Status.Hashed;
  }
  hashLfsObject(oid, size, pointerPath, i, out) {
    const object = this.gitDir ? lfsObjectPath(this.gitDir, oid) : void 0;
    let fd;
    try {
      if (!object) throw Object.assign(new Error("no git dir"), { code: "ENOENT" });
      fd = openSync(object, "r");
    } catch {
      const error = new Error(
        `is a Git LFS pointer and its object ${oid.slice(0, 12)}\u2026 is not fetched (looked in ${object ?? "no git repository"})`
      );
      error.code = "lfs-missing";
      throw error;
    }
    const digest = this.digests.create();
    let total = 0;
    try {
      for (; ; ) {
        const n = readSync(fd, this.buffer, 0, this.buffer.length, null);
        if (n === 0) break;
        total += n;
        digest.update(n === this.buffer.length ? this.buffer : this.buffer.subarray(0, n));
      }
    } finally {
      closeSync(fd);
    }
    if (total !== size) {
      digest.finish();
      const error = new Error(
        `is a Git LFS pointer whose local object has ${total} bytes, not ${size} (${pointerPath})`
      );
      error.code = "lfs-corrupt";
      throw error;
    }
    out.digests.set(digest.finish(), i * SLOT);
    out.sizes[i] = total;
    out.bytesRead += total;
    out.status[i] = Status.Hashed;
  }
}
function notAFile() {
  const error = new Error("is no longer a regular file");
  error.code = "not-a-file";
  return error;
}

function nulSeparatedStarts(bytes, count) {
  const starts = new Int32Array(count + 1);
  let at = 0;
  for (let i = 0; i < count; i++) {
    starts[i] = at;
    while (at < bytes.length && bytes[at] !== 0) at++;
    at++;
  }
  starts[count] = bytes.length + 1;
  return starts;
}
function compareBytes(a, aStart, aEnd, b, bStart, bEnd) {
  const n = Math.min(aEnd - aStart, bEnd - bStart);
  for (let k = 0; k < n; k++) {
    const d = a[aStart + k] - b[bStart + k];
    if (d !== 0) return d;
  }
  return aEnd - aStart - (bEnd - bStart);
}
const HEX_DIGITS = Buffer.from("0123456789abcdef", "latin1");
const HEX_VALUE = (() => {
  const table = new Int8Array(256).fill(-1);
  for (let d = 0; d < 16; d++) table[HEX_DIGITS[d]] = d;
  return table;
})();
function decodeHex(from, start, into, at, bytes) {
  for (let k = 0; k < bytes; k++) {
    const hi = HEX_VALUE[from[start + 2 * k]];
    const lo = HEX_VALUE[from[start + 2 * k + 1]];
    if (hi < 0 || lo < 0) {
      into.fill(0, at, at + bytes);
      return false;
    }
    into[at + k] = hi << 4 | lo;
  }
  return true;
}
class ByteWriter {
  constructor(sink, buffer = Buffer.allocUnsafe(1 << 16)) {
    this.sink = sink;
    this.buffer = buffer;
  }
  sink;
  buffer;
  length = 0;
  /** Appends text as UTF-8. */
  text(text) {
    this.room(text.length * 3);
    this.length += this.buffer.write(text, this.length, "utf8");
  }
  /** Appends one byte. */
  byte(value) {
    this.room(1);
    this.buffer[this.length++] = value;
  }
  /** Appends a non-negative safe integer in decimal (anything else as `String(value)`). */
  decimal(value) {
    if (!Number.isSafeInteger(value) || value < 0) return this.text(String(value));
    this.room(16);
    const out = this.buffer;
    let digits = 1;
    for (let rest2 = value; rest2 >= 10; rest2 = Math.floor(rest2 / 10)) digits++;
    let at = this.length + digits;
    this.length = at;
    let rest = value;
    do {
      out[--at] = 48 + rest % 10;
      rest = Math.floor(rest / 10);
    } while (rest > 0);
  }
  /** Appends `source[start, end)` as they are. */
  bytes(source, start, end) {
    this.room(end - start);
    const out = this.buffer;
    let at = this.length;
    for (let k = start; k < end; k++) out[at++] = source[k];
    this.length = at;
  }
  /** Appends `source[start, start + count)` as lowercase hex. */
  hex(source, start, count) {
    this.room(2 * count);
    const out = this.buffer;
    let at = this.length;
    for (let k = start, last = start + count; k < last; k++) {
      const byte = source[k];
      out[at++] = HEX_DIGITS[byte >> 4];
      out[at++] = HEX_DIGITS[byte & 15];
    }
    this.length = at;
  }
  /** Hands what is buffered to the sink. */
  flush() {
    if (this.length > 0) this.sink(this.buffer.subarray(0, this.length));
    this.length = 0;
  }
  room(bytes) {
    if (this.length + bytes <= this.buffer.length) return;
    this.flush();
    if (bytes > this.buffer.length) this.buffer = Buffer.allocUnsafe(bytes);
  }
}

const WORKER_YOUNG_GENERATION_MB = 4;
function jobBatch(job, b, paths) {
  const start = job.bounds[b];
  const end = job.bounds[b + 1];
  return {
    id: b,
    root: job.root,
    ...job.gitDir ? { gitDir: job.gitDir } : {},
    paths: paths ? paths.slice(start, end) : Buffer.from(job.paths.buffer, job.paths.byteOffset, job.paths.byteLength).toString("utf8", job.offsets[b], job.offsets[b + 1] - 1).split("\0"),
    kinds: job.kinds.subarray(start, end),
    keys: job.keys.subarray(start * 3, end * 3)
  };
}
function takeBatch(job, lane) {
  if (lane !== void 0) Atomics.add(job.taken, lane, 1);
  const b = Atomics.add(job.next, 0, 1);
  if (b < job.bounds.length - 1) return b;
  if (lane !== void 0) Atomics.sub(job.taken, lane, 1);
  return -1;
}
function runWorkerShare(hasher, { job, lane }, post) {
  for (let b = takeBatch(job, lane); b !== -1; b = takeBatch(job, lane)) post(hasher.run(jobBatch(job, b)));
}
function createJob(source, lanes, workers) {
  const { paths, pathBytes, kinds, keys, ...fields } = source;
  const bounds = batchBounds(paths.length, lanes);
  const bytes = pathBytes ?? sharedUtf8(paths.join("\0"));
  return {
    ...fields,
    paths: bytes,
    kinds: shared(kinds),
    keys: shared(keys),
    bounds,
    offsets: batchOffsets(bytes, bounds),
    next: new Int32Array(new SharedArrayBuffer(4)),
    taken: new Int32Array(new SharedArrayBuffer(4 * Math.max(1, workers)))
  };
}
function sharedUtf8(text) {
  const length = Buffer.byteLength(text, "utf8");
  const bytes = Buffer.from(new SharedArrayBuffer(length));
  bytes.write(text, 0, "utf8");
  return bytes;
}
function shared(array) {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const memory = new SharedArrayBuffer(array.byteLength);
  const copy = array instanceof Float64Array ? new Float64Array(memory) : new Uint8Array(memory);
  copy.set(array);
  return copy;
}
function batchOffsets(bytes, bounds) {
  const starts = nulSeparatedStarts(bytes, bounds[bounds.length - 1]);
  return bounds.map((entry) => starts[entry]);
}
function batchBounds(count, lanes, maxEntries = 1e3) {
  const size = Math.max(1, Math.min(maxEntries, Math.ceil(count / Math.max(1, lanes * 8))));
  const batches = Math.ceil(count / size);
  const bounds = new Int32Array(batches + 1);
  for (let b = 0; b <= batches; b++) bounds[b] = Math.min(count, b * size);
  return bounds;
}
class BatchFrontier {
  finished;
  leading = 0;
  constructor(batches) {
    this.finished = new Uint8Array(batches);
  }
  /** Marks batch `b` done; returns how many batches from the first are all done. */
  done(b) {
    this.finished[b] = 1;
    while (this.leading < this.finished.length && this.finished[this.leading] === 1) this.leading++;
    return this.leading;
  }
}
function workerEntry() {
  const bundled = new URL("./hash.worker.js", import.meta.url);
  if (existsSync(fileURLToPath(bundled))) return { url: bundled, execArgv: [] };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  return { url: new URL("./hash.worker.ts", import.meta.url), execArgv: ["--import", tsx] };
}
class HashPool {
  /** Starts `workers` worker threads (they boot while the caller walks the dataset). */
  constructor(settings, workers, entry = workerEntry()) {
    this.settings = settings;
    for (let k = 0; k < workers; k++) {
      let worker;
      try {
        worker = new Worker(entry.url, {
          workerData: settings,
          execArgv: entry.execArgv,
          resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB }
        });
      } catch {
        break;
      }
      const lane = { worker, index: k, results: 0 };
      worker.on("message", (result) => {
        lane.results++;
        this.onResult?.(result);
      });
      worker.on("error", (error) => this.lost(lane, error));
      worker.on("exit", (code) => {
        if (code !== 0) this.lost(lane, new Error(`a hashing thread exited with code ${code}`));
      });
      this.lanes.push(lane);
    }
    this.slots = this.lanes.length;
  }
  settings;
  lanes = [];
  /**
   * Workers started, whether or not still alive: lane numbers run up to this, so a job's `taken`
   * counters must have this many.
   */
  slots;
  hasher;
  job;
  failure;
  onResult;
  /** Worker threads started (the calling thread is one more lane). */
  get workers() {
    return this.lanes.length;
  }
  /**
   * Runs a job on every lane and calls `onResult` for each batch (on this thread); `paths` are the
   * job's paths as an array (this thread has them already). Resolves once every batch is done;
   * rejects when a worker that holds an unfinished batch dies, or with `signal`'s reason once it
   * aborts (no lane takes another batch; those under way finish unseen).
   */
  async run(job, paths, onResult, signal) {
    signal?.throwIfAborted();
    if (job.taken.length < this.slots)
      throw new Error("internal: the job has fewer taken counters than lanes");
    const batches = job.bounds.length - 1;
    let done = 0;
    let wake;
    const finished = new Promise((resolve, reject) => {
      this.failure = reject;
      wake = () => {
        if (done === batches) resolve();
      };
    });
    finished.catch(() => void 0);
    let aborted = false;
    const abort = () => {
      aborted = true;
      Atomics.store(job.next, 0, batches);
      this.onResult = void 0;
      this.failure?.(signal?.reason);
    };
    signal?.addEventListener("abort", abort, { once: true });
    this.onResult = (result) => {
      onResult(result.id, job.bounds[result.id], result);
      done++;
      wake?.();
    };
    this.job = job;
    try {
      for (const lane of this.lanes) lane.worker.postMessage({ job, lane: lane.index });
      const hasher = await (this.hasher ??= digestFactory(this.settings.algorithm, 1).then(
        (digests) => new BatchHasher(this.settings, digests)
      ));
      for (let b = takeBatch(job); b !== -1; b = takeBatch(job)) {
        const result = hasher.run(jobBatch(job, b, paths));
        if (aborted) break;
        onResult(b, job.bounds[b], result);
        done++;
        await new Promise((resolve) => setImmediate(resolve));
      }
      wake?.();
      await finished;
    } finally {
      signal?.removeEventListener("abort", abort);
    }
  }
  /** Stops the worker threads. */
  async close() {
    const lanes = this.lanes.splice(0);
    await Promise.all(lanes.map((lane) => lane.worker.terminate()));
  }
  lost(lane, error) {
    const index = this.lanes.indexOf(lane);
    if (index === -1) return;
    this.lanes.splice(index, 1);
    const taken = this.job && lane.index < this.job.taken.length ? Atomics.load(this.job.taken, lane.index) : 0;
    if (taken > lane.results) this.failure?.(error);
  }
}

export { ALGORITHMS as A, BatchHasher as B, Flag as F, HashPool as H, Kind as K, SLOT as S, ByteWriter as a, decodeHex as b, compareBytes as c, digestFactory as d, digestLength as e, createJob as f, BatchFrontier as g, Status as h, loadNativeBlake3 as l, nulSeparatedStarts as n, runWorkerShare as r, sharedUtf8 as s, toHex as t };
