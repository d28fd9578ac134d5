import { U as UserError, $ as isGlob, a0 as globBase, a1 as normalizeRelative, a2 as createPathFilter, a3 as findWorkTreeTop, a4 as git, a5 as gitBytes, a6 as gitModifiedPaths, a7 as gitIndexListing, x as readDocument, a8 as parseDocument, a9 as checkSchema, aa as DatasetManifestSchema, T as escapeCell, V as markdownTable, ab as formatBytes, G as formatDuration, z as readContext, ac as Progress, X as documentProducer, y as writeDocument, l as runStep, P as getBooleanInput, J as getInput, O as getChoiceInput, N as getListInput, b as debug, w as warning, i as info, p as setOutputs, Y as appendJobSummary, ad as publishArtifact, ae as fetchArtifact, af as saveCache, ag as restoreCache } from '../../../dist/shared.js';
import { createHash, randomBytes } from 'node:crypto';
import { statSync, mkdirSync, openSync, writeSync, fsyncSync, renameSync, rmSync, closeSync, readFileSync, readSync, fstatSync, lstatSync, realpathSync, readdirSync } from 'node:fs';
import { readFile, realpath, stat, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import 'node:zlib';
import { F as Flag, a as ByteWriter, t as toHex, S as SLOT, c as compareBytes, K as Kind, n as nulSeparatedStarts, b as decodeHex, H as HashPool, e as digestLength, l as loadNativeBlake3, f as createJob, d as digestFactory, g as BatchFrontier, s as sharedUtf8, h as Status, A as ALGORITHMS } from './pool.js';
import os from 'node:os';
import { isAscii, isUtf8 } from 'node:buffer';
import 'node:module';
import 'node:url';
import 'path';
import 'process';
import 'buffer';
import 'os';
import 'crypto';
import 'fs';
import 'string_decoder';
import 'events';
import 'child_process';
import 'assert';
import 'timers';
import 'node:child_process';
import 'node:util';
import 'node:worker_threads';

function escapeListingPath(path) {
  if (!/[\\\n\r]/.test(path)) return { text: path, escaped: false };
  return {
    text: path.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\r/g, "\\r"),
    escaped: true
  };
}
function listingLine(token, path, isLink) {
  const { text, escaped } = escapeListingPath(path);
  return `${escaped ? "\\" : ""}${token}${isLink ? " @" : "  "}${text}
`;
}
function pythonJsonString(value) {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 34) out += '\\"';
    else if (c === 92) out += "\\\\";
    else if (c >= 32 && c <= 126) out += value[i];
    else if (c === 10) out += "\\n";
    else if (c === 13) out += "\\r";
    else if (c === 9) out += "\\t";
    else if (c === 8) out += "\\b";
    else if (c === 12) out += "\\f";
    else out += `\\u${c.toString(16).padStart(4, "0")}`;
  }
  return `${out}"`;
}
function dvcEntryJson(md5, relpath) {
  return `{"md5": "${md5}", "relpath": ${pythonJsonString(relpath)}}`;
}
const SLASH = 47;
function writeListingLine(out, table, i, bytes, start, end, isLink) {
  for (let k = start; k < end; k++) {
    const byte = bytes[k];
    if (byte === 92 || byte === 10 || byte === 13) return false;
  }
  table.writeToken(out, i);
  out.byte(32);
  out.byte(isLink ? 64 : 32);
  out.bytes(bytes, start, end);
  out.byte(10);
  return true;
}
class TreeHasher {
  constructor(factory, algorithm, buffer) {
    this.algorithm = algorithm;
    const digest = factory.create();
    this.digest = digest;
    this.sink = new ByteWriter((chunk) => digest.update(chunk), buffer);
    if (algorithm === "dvc") this.sink.text("[");
  }
  algorithm;
  digest;
  sink;
  first = true;
  /** Adds entry `i`, named by the UTF-8 bytes `bytes[start, end)`. */
  add(table, i, bytes, start, end, isLink) {
    if (this.algorithm === "dvc") {
      const relpath = bytes.toString("utf8", start, end);
      this.sink.text(`${this.first ? "" : ", "}${dvcEntryJson(table.token(i), relpath)}`);
    } else if (!writeListingLine(this.sink, table, i, bytes, start, end, isLink)) {
      this.sink.text(listingLine(table.token(i), bytes.toString("utf8", start, end), isLink));
    }
    this.first = false;
  }
  finish() {
    if (this.algorithm === "dvc") this.sink.text("]");
    this.sink.flush();
    const hex = toHex(this.digest.finish());
    return this.algorithm === "dvc" ? `md5:${hex}.dir` : `${this.algorithm}:${hex}`;
  }
}
function qualifiedFileHash(algorithm, token) {
  if (token.startsWith("sha256:")) return token;
  return `${algorithm === "dvc" ? "md5" : algorithm}:${token}`;
}
class TreeBuilder {
  constructor(table, algorithm, factory, pathBytes) {
    this.table = table;
    this.algorithm = algorithm;
    this.factory = factory;
    this.bytes = pathBytes ? Buffer.from(pathBytes.buffer, pathBytes.byteOffset, pathBytes.byteLength) : Buffer.from(table.paths.join("\0"), "utf8");
    this.whole = new TreeHasher(factory, algorithm);
  }
  table;
  algorithm;
  factory;
  bytes;
  whole;
  // No prototype: a top-level entry may be called `__proto__`.
  directories = /* @__PURE__ */ Object.create(null);
  group;
  /** One listing buffer for the folder hashers, which run one after the other. */
  groupBuffer = Buffer.allocUnsafe(1 << 16);
  /** The next entry to add, and where its path starts in {@link bytes}. */
  next = 0;
  start = 0;
  /** Adds the entries below `end` not added yet; their hashes must be final. */
  advance(end) {
    const { table, bytes, algorithm } = this;
    const last = Math.min(end, table.count);
    let start = this.start;
    for (let i = this.next; i < last; i++) {
      let stop = start;
      let slash = -1;
      for (; stop < bytes.length; stop++) {
        const byte = bytes[stop];
        if (byte === 0) break;
        if (byte === SLASH && slash === -1) slash = stop;
      }
      const isLink = (table.flags[i] & Flag.Link) !== 0;
      this.whole.add(table, i, bytes, start, stop, isLink);
      if (slash === -1) {
        this.closeGroup();
        this.directories[table.paths[i]] = qualifiedFileHash(algorithm, table.token(i));
      } else {
        if (this.group === void 0 || !sameName(bytes, start, slash, this.group.name)) {
          this.closeGroup();
          this.group = {
            name: bytes.toString("utf8", start, slash),
            hasher: new TreeHasher(this.factory, algorithm, this.groupBuffer)
          };
        }
        this.group.hasher.add(table, i, bytes, slash + 1, stop, isLink);
      }
      start = stop + 1;
    }
    this.next = Math.max(this.next, last);
    this.start = start;
  }
  /** Adds the remaining entries and returns the hashes. */
  finish() {
    this.advance(this.table.count);
    this.closeGroup();
    return { hash: this.whole.finish(), directories: this.directories };
  }
  closeGroup() {
    if (this.group) this.directories[this.group.name] = this.group.hasher.finish();
    this.group = void 0;
  }
}
function sameName(bytes, start, end, name) {
  if (end - start < name.length) return false;
  if (end - start === name.length) {
    let ascii = true;
    for (let k = 0; k < name.length; k++) {
      const c = name.charCodeAt(k);
      if (c >= 128) {
        ascii = false;
        break;
      }
      if (bytes[start + k] !== c) return false;
    }
    if (ascii) return true;
  }
  return bytes.toString("utf8", start, end) === name;
}

function wallClockMs() {
  return performance.timeOrigin + performance.now();
}
const STAMP_WIDTH = 4;
const SETTLE_MS = 2e3;
const WALK_RULES_VERSION = 1;
function walkFingerprint(question) {
  const canonical = JSON.stringify([
    WALK_RULES_VERSION,
    question.root,
    question.patterns,
    question.ignore,
    question.literalFiles,
    [...new Set(question.bases)].sort(),
    [...question.exclude].sort(),
    question.followFileLinks
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}
class FolderRecorder {
  constructor(fingerprint, walkStartedMs, settleMs = SETTLE_MS) {
    this.fingerprint = fingerprint;
    this.walkStartedMs = walkStartedMs;
    this.settleMs = settleMs;
  }
  fingerprint;
  walkStartedMs;
  settleMs;
  paths = [];
  stamps = new Float64Array(64 * STAMP_WIDTH);
  racy = false;
  /** Records a folder (relative to the root, POSIX) with the stat taken before it was read. */
  add(relative, st) {
    if (this.racy) return;
    const settled = this.walkStartedMs - this.settleMs;
    if (!(st.mtimeMs < settled && st.ctimeMs < settled)) {
      this.racy = true;
      return;
    }
    const k = this.paths.length;
    if ((k + 1) * STAMP_WIDTH > this.stamps.length) {
      const grown = new Float64Array(this.stamps.length * 2);
      grown.set(this.stamps);
      this.stamps = grown;
    }
    this.stamps.set([st.dev, st.ino, st.mtimeMs, st.ctimeMs], k * STAMP_WIDTH);
    this.paths.push(relative);
  }
  /** The snapshot, or undefined when a folder was racy. */
  snapshot() {
    if (this.racy) return void 0;
    return {
      fingerprint: this.fingerprint,
      paths: this.paths,
      stamps: this.stamps.slice(0, this.paths.length * STAMP_WIDTH)
    };
  }
}
function snapshotHolds(root, snapshot) {
  const { paths, stamps } = snapshot;
  if (paths.length === 0) return false;
  for (let k = 0; k < paths.length; k++) {
    let st;
    try {
      st = statSync(paths[k] === "" ? root : path.join(root, paths[k]));
    } catch {
      return false;
    }
    const at = k * STAMP_WIDTH;
    if (st.dev !== stamps[at] || st.ino !== stamps[at + 1] || st.mtimeMs !== stamps[at + 2] || st.ctimeMs !== stamps[at + 3]) {
      return false;
    }
  }
  return true;
}

function compareCodePoints(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 55296 && x <= 57343;
    const ys = y >= 55296 && y <= 57343;
    if (xs !== ys && Math.max(x, y) >= 57344) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
const NEEDS_CODE_POINT_SORT = /[\ud800-\udfff]/;
function sortByCodePoint(paths) {
  if (paths.some((p) => NEEDS_CODE_POINT_SORT.test(p))) return paths.sort(compareCodePoints);
  return paths.sort();
}
function isStrictlyIncreasing(paths, joined) {
  const native = joined !== void 0 && !NEEDS_CODE_POINT_SORT.test(joined);
  for (let i = 1; i < paths.length; i++) {
    const a = paths[i - 1];
    const b = paths[i];
    if (native ? !(a < b) : compareCodePoints(a, b) >= 0) return false;
  }
  return true;
}
function toNfc(path) {
  return /^[\x00-\x7f]*$/.test(path) ? path : path.normalize("NFC");
}
function joinPosix(dir, name) {
  return dir === "" || dir === "." ? name : `${dir}/${name}`;
}
function manifestPathProblem(path) {
  if (path === "") return "is empty";
  if (path.includes("\0")) return "contains a NUL byte";
  if (path.startsWith("/") || /^[a-zA-Z]:/.test(path)) return "is absolute";
  if (path.includes("\\")) return "contains a backslash";
  for (const segment of path.split("/")) {
    if (segment === "..") return 'climbs out of the dataset with ".."';
    if (segment === "." || segment === "") return 'has an empty or "." segment';
  }
  if (LONE_SURROGATE.test(path)) return "is not valid Unicode (it holds a lone surrogate)";
  if (toNfc(path) !== path) return "is not NFC-normalised";
  return void 0;
}
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
function joinedPathsProblem(joined) {
  if (/(?:^|\0)(?:\0|$)/.test(joined)) return "an empty path";
  if (/(?:^|\0)\//.test(joined)) return "an absolute path";
  if (/(?:^|\0|\/)\.\.?(?:\/|\0|$)/.test(joined)) return 'a "." or ".." segment';
  if (/\/(?:\/|\0|$)/.test(joined)) return "an empty segment";
  return void 0;
}
function manifestPathsSuspect(count, joined) {
  let separators = 0;
  for (let at = joined.indexOf("\0"); at !== -1; at = joined.indexOf("\0", at + 1)) separators++;
  return separators !== Math.max(0, count - 1) || // a NUL inside a path
  joinedPathsProblem(joined) !== void 0 || /\\|(?:^|\0)[a-zA-Z]:/.test(joined) || LONE_SURROGATE.test(joined) || // eslint-disable-next-line no-control-regex
  !/^[\x00-\x7f]*$/.test(joined) && joined.normalize("NFC") !== joined;
}

class AtomicFileWriter {
  constructor(file) {
    this.file = file;
    mkdirSync(path.dirname(file), { recursive: true });
    this.temp = path.join(
      path.dirname(file),
      `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`
    );
    this.fd = openSync(this.temp, "w");
  }
  file;
  temp;
  fd;
  pending = "";
  closed = false;
  /** Appends text. */
  write(text) {
    this.pending += text;
    if (this.pending.length >= 1 << 20) this.flush();
  }
  /** Appends bytes (after any text written before). */
  writeBytes(bytes) {
    this.flush();
    const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let at = 0; at < view.length; ) at += writeSync(this.fd, view, at, view.length - at);
  }
  flush() {
    if (this.pending) writeSync(this.fd, this.pending);
    this.pending = "";
  }
  /** Flushes, syncs and renames the file into place. */
  commit() {
    try {
      this.flush();
      fsyncSync(this.fd);
    } finally {
      this.close();
    }
    renameSync(this.temp, this.file);
  }
  /** Drops the temporary file (after a failure). */
  abort() {
    this.close();
    rmSync(this.temp, { force: true });
  }
  close() {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

const OID_PREFIX$1 = Buffer.from("sha256:", "latin1");
class EntryTable {
  constructor(paths, digestLength) {
    this.paths = paths;
    this.digestLength = digestLength;
    this.count = paths.length;
    this.stats = new Float64Array(this.count * 3).fill(Number.NaN);
    this.sizes = new Float64Array(this.count);
    this.digests = new Uint8Array(this.count * SLOT);
    this.digestView = Buffer.from(this.digests.buffer, this.digests.byteOffset, this.digests.byteLength);
    this.flags = new Uint8Array(this.count);
  }
  paths;
  digestLength;
  /** Number of entries. */
  count;
  /** On-disk (size, mtimeMs, inode) per entry: the same-machine cache key. */
  stats;
  /** Content size per entry. */
  sizes;
  /** Digest per entry, {@link SLOT} bytes each. */
  digests;
  /** {@link Flag} bits per entry. */
  flags;
  /**
   * Git blob id per entry, {@link blobWidth} bytes each (20 for SHA-1 repositories, 32 for
   * SHA-256 ones); all zero where unknown. Empty until the first blob id is set.
   */
  blobIds = new Uint8Array(0);
  /** Bytes per blob id in {@link blobIds} (0: none set). */
  blobWidth = 0;
  /** The digests as a Buffer (same memory), for hex conversion without a copy. */
  digestView;
  /** LFS oid by entry index. */
  lfsOids = /* @__PURE__ */ new Map();
  /** Symlink target by entry index. */
  targets = /* @__PURE__ */ new Map();
  /** Whether the blob id of entry `i` is known. */
  hasBlob(i) {
    const w = this.blobWidth;
    return w > 0 && !isZeroRange(this.blobIds, i * w, w);
  }
  /** The git blob id of entry `i` (hex), if known. */
  blob(i) {
    if (!this.hasBlob(i)) return void 0;
    const w = this.blobWidth;
    return Buffer.from(this.blobIds.buffer, this.blobIds.byteOffset + i * w, w).toString("hex");
  }
  /** Records the git blob id (hex) of entry `i`; ids of another width than the first are ignored. */
  setBlob(i, hex) {
    const width = hex.length / 2;
    if (this.blobWidth === 0) {
      if (width !== 20 && width !== 32) return;
      this.useBlobWidth(width);
    }
    if (width !== this.blobWidth) return;
    Buffer.from(this.blobIds.buffer, this.blobIds.byteOffset).write(hex, i * width, width, "hex");
  }
  /** Forgets the blob id of entry `i`. */
  clearBlob(i) {
    if (this.blobWidth > 0) this.blobIds.fill(0, i * this.blobWidth, (i + 1) * this.blobWidth);
  }
  /** Allocates the blob id column with `width` bytes per entry (when none is set yet). */
  useBlobWidth(width) {
    if (this.blobWidth !== 0) return;
    this.blobWidth = width;
    this.blobIds = new Uint8Array(this.count * width);
  }
  /** The entry's hash token as the manifest and listing write it. */
  /** Writes entry `i`'s {@link token} as bytes, from the digest column. */
  writeToken(out, i) {
    if ((this.flags[i] & Flag.OidToken) !== 0) {
      out.bytes(OID_PREFIX$1, 0, OID_PREFIX$1.length);
      out.hex(this.digests, i * SLOT, 32);
    } else out.hex(this.digests, i * SLOT, this.digestLength);
  }
  token(i) {
    const oid = (this.flags[i] & Flag.OidToken) !== 0;
    const hex = this.digestView.toString("hex", i * SLOT, i * SLOT + (oid ? 32 : this.digestLength));
    return oid ? `sha256:${hex}` : hex;
  }
  /** Total content bytes. */
  totalBytes() {
    let sum = 0;
    for (let i = 0; i < this.count; i++) sum += this.sizes[i];
    return sum;
  }
}
function isZeroRange(bytes, start, length) {
  for (let k = start; k < start + length; k++) if (bytes[k] !== 0) return false;
  return true;
}

const CACHE_FORMAT = "modelops-dataset-hash-cache";
const CACHE_VERSION = 3;
function machineId() {
  let boot = "";
  try {
    boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    boot = String(Math.round((Date.now() - os.uptime() * 1e3) / 6e4));
  }
  return createHash("sha256").update(`${os.hostname()}\0${boot}`).digest("hex").slice(0, 16);
}
const ENDIAN = os.endianness();
function columnWidths(blobWidth) {
  return [
    ["stats", 24],
    ["sizes", 8],
    ["flags", 1],
    ["digests", SLOT],
    ["blobs", blobWidth]
  ];
}
class HashCacheFile {
  constructor(fd, header, joined, pathBytes, offsets) {
    this.fd = fd;
    this.header = header;
    this.joined = joined;
    this.pathBytes = pathBytes;
    this.offsets = offsets;
  }
  fd;
  header;
  joined;
  pathBytes;
  offsets;
  parsedExtras;
  /** The entries' paths joined by NUL (one string: cheap to compare with the walk's). */
  get joinedPaths() {
    return this.joined;
  }
  /**
   * Opens a cache file if it is one for this algorithm and LFS mode and is complete; undefined
   * otherwise (a cache is an optimisation: a missing, foreign or damaged one is ignored, never an
   * error). The reason a file was ignored goes to `log`.
   */
  static open(file, expect, log = () => void 0) {
    let fd;
    try {
      fd = openSync(file, "r");
    } catch {
      return void 0;
    }
    try {
      const head = Buffer.allocUnsafe(64 * 1024);
      const got = readSync(fd, head, 0, head.length, 0);
      const lf = head.subarray(0, got).indexOf(10);
      if (lf === -1) throw new Error("no header line");
      const header = JSON.parse(head.toString("utf8", 0, lf));
      if (header.format !== CACHE_FORMAT) throw new Error("not a hash cache");
      if (header.version !== CACHE_VERSION) throw new Error(`format version ${String(header.version)}`);
      if (header.algorithm !== expect.algorithm || header.lfs !== expect.lfs) {
        throw new Error(`made for ${header.algorithm}/${header.lfs}`);
      }
      if (header.endian !== ENDIAN) throw new Error(`written on a ${header.endian} machine`);
      const count = header.count;
      const sizes = [
        count,
        header.pathBytes,
        header.blobWidth,
        header.extraBytes,
        header.partialKeys,
        header.folderCount,
        header.folderBytes
      ];
      if (!sizes.every((v) => Number.isSafeInteger(v) && v >= 0) || ![0, 20, 32].includes(header.blobWidth) || typeof header.walk !== "string" || typeof header.pathsDigest !== "string") {
        throw new Error("bad header");
      }
      const offsets = /* @__PURE__ */ new Map();
      let at = lf + 1 + header.pathBytes;
      offsets.set("folders", at);
      at += header.folderBytes;
      for (const [column, width] of columnWidths(header.blobWidth)) {
        offsets.set(column, at);
        at += width * count;
      }
      offsets.set("stamps", at);
      at += header.folderCount * STAMP_WIDTH * 8;
      offsets.set("extras", at);
      const size = fstatSync(fd).size;
      if (size !== at + header.extraBytes) {
        throw new Error(`truncated (${size} bytes, ${at + header.extraBytes} expected)`);
      }
      const pathBytes = Buffer.from(new SharedArrayBuffer(header.pathBytes));
      readExactly(fd, pathBytes, lf + 1);
      if (createHash("sha256").update(pathBytes).digest("hex") !== header.pathsDigest) {
        throw new Error("the paths column does not match its digest");
      }
      const ascii = isAscii(pathBytes);
      if (!ascii && !isUtf8(pathBytes)) throw new Error("paths are not valid UTF-8");
      const joined = ascii ? pathBytes.toString("latin1") : pathBytes.toString("utf8");
      return new HashCacheFile(fd, header, joined, pathBytes, offsets);
    } catch (error) {
      closeSync(fd);
      log(`hash cache ${file} ignored: ${error.message}`);
      return void 0;
    }
  }
  /** The entries' paths (splits {@link joinedPaths}); throws when they are not `count` many. */
  paths() {
    const paths = this.header.count === 0 ? [] : this.joinedPaths.split("\0");
    if (paths.length !== this.header.count) {
      throw new Error(`${paths.length} paths for ${this.header.count} entries`);
    }
    return paths;
  }
  /** Reads a column into `into` (allocated when not given) and returns it. */
  read(column, into) {
    const { count, blobWidth } = this.header;
    const width = columnWidths(blobWidth).find(([c]) => c === column)[1];
    const target = into ?? (column === "stats" || column === "sizes" ? new Float64Array(count * width / 8) : new Uint8Array(count * width));
    if (target.byteLength !== count * width) throw new Error(`internal: ${column} column size`);
    readExactly(this.fd, target, this.offsets.get(column));
    return target;
  }
  /**
   * The folder snapshot of the walk that wrote the cache, if it left one; throws when the column
   * does not hold `folderCount` folders.
   */
  folders() {
    const { walk, folderCount, folderBytes } = this.header;
    if (walk === "" || folderCount === 0) return void 0;
    const bytes = Buffer.allocUnsafe(folderBytes);
    readExactly(this.fd, bytes, this.offsets.get("folders"));
    const paths = bytes.toString("utf8").split("\0");
    if (paths.length !== folderCount) throw new Error(`${paths.length} folders for ${folderCount}`);
    const stamps = new Float64Array(folderCount * STAMP_WIDTH);
    readExactly(this.fd, stamps, this.offsets.get("stamps"));
    return { fingerprint: walk, paths, stamps };
  }
  /** The LFS oids and symlink targets, by cache entry index. */
  extras() {
    if (this.parsedExtras) return this.parsedExtras;
    const bytes = Buffer.allocUnsafe(this.header.extraBytes);
    readExactly(this.fd, bytes, this.offsets.get("extras"));
    const parsed = JSON.parse(bytes.toString("utf8"));
    this.parsedExtras = { lfsOids: new Map(parsed.lfsOids), targets: new Map(parsed.targets) };
    return this.parsedExtras;
  }
  /** Releases the file, and the paths string (a large one for a large dataset). */
  close() {
    closeSync(this.fd);
    this.joined = "";
  }
}
function readExactly(fd, target, position) {
  const view = new Uint8Array(target.buffer, target.byteOffset, target.byteLength);
  for (let at = 0; at < view.length; ) {
    const n = readSync(fd, view, at, view.length - at, position + at);
    if (n === 0) throw new Error("truncated");
    at += n;
  }
}
function writeHashCache(file, table, header, folders, pathBytes) {
  const paths = pathBytes ?? Buffer.from(table.paths.join("\0"), "utf8");
  const folderPaths = Buffer.from(folders ? folders.paths.join("\0") : "", "utf8");
  const extras = Buffer.from(
    JSON.stringify({ lfsOids: [...table.lfsOids], targets: [...table.targets] }),
    "utf8"
  );
  let partialKeys = 0;
  for (let i = 0; i < table.count; i++) {
    if (!Number.isNaN(table.stats[i * 3]) && Number.isNaN(table.stats[i * 3 + 1])) {
      partialKeys++;
    }
  }
  const full = {
    format: CACHE_FORMAT,
    version: CACHE_VERSION,
    ...header,
    count: table.count,
    endian: ENDIAN,
    pathBytes: paths.byteLength,
    pathsDigest: createHash("sha256").update(paths).digest("hex"),
    blobWidth: table.blobWidth,
    extraBytes: extras.byteLength,
    partialKeys,
    walk: folders?.fingerprint ?? "",
    folderCount: folders?.paths.length ?? 0,
    folderBytes: folderPaths.byteLength
  };
  const writer = new AtomicFileWriter(file);
  try {
    writer.write(`${JSON.stringify(full)}
`);
    writer.writeBytes(paths);
    writer.writeBytes(folderPaths);
    writer.writeBytes(table.stats);
    writer.writeBytes(table.sizes);
    writer.writeBytes(table.flags);
    writer.writeBytes(table.digests);
    writer.writeBytes(table.blobIds);
    writer.writeBytes(folders?.stamps ?? new Float64Array(0));
    writer.writeBytes(extras);
    writer.commit();
  } catch (error) {
    writer.abort();
    throw error;
  }
}
function matchPaths(tablePaths, cachePaths) {
  const match = new Int32Array(tablePaths.length).fill(-1);
  let c = 0;
  for (let i = 0; i < tablePaths.length; i++) {
    const p = tablePaths[i];
    while (c < cachePaths.length && compareCodePoints(cachePaths[c], p) < 0) {
      if (c > 0 && compareCodePoints(cachePaths[c - 1], cachePaths[c]) >= 0) {
        throw new Error("paths out of order");
      }
      c++;
    }
    if (c < cachePaths.length && cachePaths[c] === p) match[i] = c;
  }
  return match;
}
function applyByPath(cache, table, keys, joinedPaths = table.paths.join("\0"), options = {}) {
  const { blobWidth } = cache.header;
  const withBlobs = options.blobs !== false && blobWidth > 0;
  if (withBlobs) table.useBlobWidth(blobWidth);
  const sameBlobWidth = withBlobs && table.blobWidth === blobWidth;
  try {
    copyByPath(cache, table, keys, joinedPaths, sameBlobWidth);
  } finally {
    for (let i = 0; i < table.count; i++) {
      if (Number.isNaN(keys[i * 3 + 1]) || Number.isNaN(keys[i * 3 + 2])) {
        keys[i * 3] = Number.NaN;
      }
    }
  }
}
function copyByPath(cache, table, keys, joinedPaths, sameBlobWidth) {
  const { count } = cache.header;
  const extras = cache.extras();
  if (count === table.count && cache.joinedPaths === joinedPaths) {
    cache.read("stats", keys);
    cache.read("sizes", table.sizes);
    cache.read("flags", table.flags);
    cache.read("digests", table.digests);
    if (sameBlobWidth) cache.read("blobs", table.blobIds);
    for (const [i, oid] of extras.lfsOids) table.lfsOids.set(i, oid);
    for (const [i, target] of extras.targets) table.targets.set(i, target);
    return;
  }
  const match = matchPaths(table.paths, cache.paths());
  const stats = cache.read("stats");
  const sizes = cache.read("sizes");
  const flags = cache.read("flags");
  const digests = cache.read("digests");
  const blobs = sameBlobWidth ? cache.read("blobs") : void 0;
  for (let i = 0; i < table.count; i++) {
    const c = match[i];
    if (c === -1) continue;
    keys.set(stats.subarray(c * 3, c * 3 + 3), i * 3);
    copyEntry(table, i, c, { sizes, flags, digests, blobs, extras });
  }
}
function applyByBlob(cache, table, keys, vouched, joinedPaths, kinds) {
  const { count, blobWidth: w } = cache.header;
  if (w === 0 || w !== table.blobWidth) return 0;
  const blobs = cache.read("blobs");
  const stats = cache.read("stats");
  const columns = {
    sizes: cache.read("sizes"),
    flags: cache.read("flags"),
    digests: cache.read("digests"),
    blobs: void 0,
    extras: cache.extras()
  };
  const identity = count === table.count && cache.joinedPaths === joinedPaths;
  const match = identity ? void 0 : matchPaths(table.paths, cache.paths());
  const sameKind = (i, c) => (columns.flags[c] & Flag.Link) !== 0 === (kinds?.[i] === Kind.Link);
  const take = (i, c) => {
    if (kinds && !sameKind(i, c)) return false;
    keys[i * 3] = stats[c * 3];
    copyEntry(table, i, c, columns);
    return true;
  };
  let applied = 0;
  const rest = [];
  for (let i = 0; i < table.count; i++) {
    if (vouched[i] === 0 || !Number.isNaN(keys[i * 3])) continue;
    const c = match ? match[i] : i;
    if (c !== -1 && compareBytes(blobs, c * w, (c + 1) * w, table.blobIds, i * w, (i + 1) * w) === 0 && take(i, c))
      applied++;
    else rest.push(i);
  }
  if (rest.length > 0) {
    const byBlob = /* @__PURE__ */ new Map();
    const view = Buffer.from(blobs.buffer, blobs.byteOffset, blobs.byteLength);
    for (let c = 0; c < count; c++) {
      if (isZeroRange(blobs, c * w, w)) continue;
      const link = (columns.flags[c] & Flag.Link) !== 0 ? "@" : "";
      const key = link + view.toString("hex", c * w, (c + 1) * w);
      if (!byBlob.has(key)) byBlob.set(key, c);
    }
    for (const i of rest) {
      const link = kinds?.[i] === Kind.Link ? "@" : "";
      const c = byBlob.get(link + table.blob(i));
      if (c !== void 0 && take(i, c)) applied++;
    }
  }
  return applied;
}
function copyEntry(table, i, c, from) {
  const digests = table.digests;
  for (let k = 0; k < SLOT; k++) digests[i * SLOT + k] = from.digests[c * SLOT + k];
  table.sizes[i] = from.sizes[c];
  table.flags[i] = from.flags[c];
  const w = table.blobWidth;
  if (from.blobs && w > 0 && !table.hasBlob(i)) {
    for (let k = 0; k < w; k++) table.blobIds[i * w + k] = from.blobs[c * w + k];
  }
  if (from.extras.lfsOids.size > 0) {
    const oid = from.extras.lfsOids.get(c);
    if (oid !== void 0) table.lfsOids.set(i, oid);
  }
  if (from.extras.targets.size === 0) return;
  const target = from.extras.targets.get(c);
  if (target !== void 0) table.targets.set(i, target);
}

const TAB = 9;
const SPACE = 32;
const TAG_CACHED = 72;
const DIGIT_ZERO = 48;
const DIGIT_ONE = 49;
const DIGIT_SIX = 54;
function find(bytes, byte, from, to) {
  for (let k = from; k < to; k++) if (bytes[k] === byte) return k;
  return -1;
}
function mergeWithTable(listing, count, pathBytes, pathStart, onMatch) {
  const starts = nulSeparatedStarts(pathBytes, count);
  let i = 0;
  for (let at = 0; at < listing.length && i < count; ) {
    let recordEnd = at;
    while (recordEnd < listing.length && listing[recordEnd] !== 0) recordEnd++;
    const start = pathStart(at, recordEnd);
    if (start !== -1) {
      let order = -1;
      while (i < count) {
        order = compareBytes(
          pathBytes,
          starts[i],
          starts[i + 1] - 1,
          listing,
          start,
          recordEnd
        );
        if (order >= 0) break;
        i++;
      }
      if (order === 0) onMatch(i, at, start);
    }
    at = recordEnd + 1;
  }
}
function joinIndexListing(listing, table, pathBytes) {
  const tracked = new Uint8Array(table.count);
  mergeWithTable(
    listing,
    table.count,
    pathBytes,
    (at, end) => {
      const tab = find(listing, TAB, at, end);
      return tab === -1 ? -1 : tab + 1;
    },
    (i, at, pathStart) => {
      const tab = pathStart - 1;
      const afterTag = find(listing, SPACE, at, tab);
      const afterMode = afterTag === -1 ? -1 : find(listing, SPACE, afterTag + 1, tab);
      const afterBlob = afterMode === -1 ? -1 : find(listing, SPACE, afterMode + 1, tab);
      if (afterBlob === -1) return;
      if (afterTag !== at + 1 || listing[at] !== TAG_CACHED) return;
      if (tab !== afterBlob + 2 || listing[afterBlob + 1] !== DIGIT_ZERO) return;
      if (listing[afterTag + 1] === DIGIT_ONE && listing[afterTag + 2] === DIGIT_SIX) return;
      const width = (afterBlob - afterMode - 1) / 2;
      if (width !== 20 && width !== 32) return;
      if (table.blobWidth === 0) table.useBlobWidth(width);
      if (width !== table.blobWidth) return;
      if (decodeHex(listing, afterMode + 1, table.blobIds, i * width, width)) tracked[i] = 1;
    }
  );
  return tracked;
}
function markListedPaths(listing, table, pathBytes) {
  const listed = new Uint8Array(table.count);
  mergeWithTable(
    listing,
    table.count,
    pathBytes,
    (at) => at,
    (i) => {
      listed[i] = 1;
    }
  );
  return listed;
}
function indexOfPath(paths, path) {
  let lo = 0;
  let hi = paths.length - 1;
  while (lo <= hi) {
    const mid = lo + hi >>> 1;
    const order = compareCodePoints(paths[mid], path);
    if (order === 0) return mid;
    if (order < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

const NON_ASCII = /[^\x00-\x7f]/;
const posix = (p) => p.split(path.sep).join("/");
function planDataset(options) {
  const cwd = path.resolve(options.cwd);
  const patterns = options.patterns.map((p) => toCwdRelative(cwd, p.trim())).filter((p) => p !== "" && p !== "!");
  const ignore = (options.ignore ?? []).map((p) => toCwdRelative(cwd, p.trim())).filter((p) => p !== "");
  const includes = patterns.filter((p) => !p.startsWith("!"));
  if (includes.length === 0) {
    throw new UserError("Input 'path' names no files or folders.", {
      input: "path",
      fix: "List the dataset folder(s), files or globs, one per line, e.g. `path: data/`."
    });
  }
  const literalFiles = [];
  const bases = [];
  for (const pattern of includes) {
    if (isGlob(pattern)) {
      const base = path.resolve(cwd, globBase(pattern));
      if (!statOrUndefined(base)?.isDirectory()) {
        throw new UserError(
          `The pattern '${pattern}' in input 'path' matched no files: its folder '${globBase(pattern)}' does not exist.`,
          {
            input: "path",
            fix: "Check the path (relative to the workspace) and that an earlier step created or checked out the data."
          }
        );
      }
      bases.push(base);
      continue;
    }
    const abs = path.resolve(cwd, pattern);
    const st = statOrUndefined(abs);
    if (!st) {
      throw new UserError(`Path '${pattern}' does not exist.`, {
        input: "path",
        file: pattern,
        fix: "Check the path (relative to the workspace) and that an earlier step created or checked out the data."
      });
    }
    if (st.isDirectory()) bases.push(abs);
    else literalFiles.push(abs);
  }
  const root = commonFolder([...bases, ...literalFiles.map((f) => path.dirname(f))]);
  return { cwd, root, patterns, ignore, includes, literalFiles, bases };
}
function rootRelativeOf(plan) {
  return posix(path.relative(plan.cwd, plan.root)) || ".";
}
function walkQuestionOf(options, plan) {
  return walkFingerprint({
    root: plan.root,
    patterns: plan.patterns,
    ignore: plan.ignore,
    literalFiles: plan.literalFiles,
    bases: plan.bases,
    exclude: (options.exclude ?? []).map((p) => path.resolve(p)),
    followFileLinks: options.followFileLinks === true
  });
}
function walkDataset(options, plan = planDataset(options), recordFolders = false) {
  const { cwd, root, patterns, ignore, includes, literalFiles, bases } = plan;
  const recorder = recordFolders ? new FolderRecorder(walkQuestionOf(options, plan), wallClockMs(), options.settleMs) : void 0;
  const filter = needsFilter(patterns, ignore) ? createPathFilter(patterns, ignore) : void 0;
  const prune = ignore.length > 0 ? createPathFilter(ignore) : void 0;
  const exclude = new Set((options.exclude ?? []).map((p) => path.resolve(p)));
  const excludedNames = /* @__PURE__ */ new Map();
  for (const p of exclude) {
    const names = excludedNames.get(path.dirname(p)) ?? /* @__PURE__ */ new Set();
    names.add(path.basename(p));
    excludedNames.set(path.dirname(p), names);
  }
  const needCwdRel = filter !== void 0 || prune !== void 0;
  const warnings = [];
  const nfc = [];
  const specials = /* @__PURE__ */ new Map();
  const seenDirs = /* @__PURE__ */ new Set();
  let rootReal;
  const add = (disk, kind) => {
    const name = toNfc(disk);
    nfc.push(name);
    if (kind !== Kind.File || name !== disk) {
      if (specials.has(name)) duplicate(name);
      specials.set(name, { disk, kind });
    }
  };
  const linkKind = (abs, cwdRel) => {
    if (!options.followFileLinks) return Kind.Link;
    rootReal ??= realpathSync(root);
    try {
      const target = realpathSync(abs);
      if (isInsideFolder(rootReal, target) && statSync(target).isFile()) return Kind.FollowedLink;
    } catch {
    }
    warnings.push(
      `${cwdRel}: symlink not to a file inside the dataset; hashed as a link (DVC would differ).`
    );
    return Kind.Link;
  };
  const literalDisk = /* @__PURE__ */ new Set();
  for (const file of literalFiles) {
    const cwdRel = posix(path.relative(cwd, file));
    if (exclude.has(file) || filter && !filter.matches(cwdRel)) continue;
    if (recorder) recorder.add(posix(path.relative(root, path.dirname(file))), statSync(path.dirname(file)));
    const st = lstatSync(file);
    const disk = posix(path.relative(root, file));
    if (literalDisk.has(disk)) continue;
    literalDisk.add(disk);
    if (st.isSymbolicLink()) add(disk, linkKind(file, cwdRel));
    else if (st.isFile()) add(disk, Kind.File);
    else warnings.push(`${cwdRel}: not a regular file; skipped.`);
  }
  const roots = [...new Set(bases)].sort();
  let skippedFolder = false;
  let inOrder = roots.length <= 1 && literalDisk.size === 0;
  const frames = [];
  const enter = (dir) => {
    const dirCwdRel = posix(path.relative(cwd, dir)) || ".";
    let st;
    try {
      st = statSync(dir);
    } catch (error) {
      throw unreadable(dirCwdRel, error);
    }
    const id = `${st.dev}:${st.ino}`;
    if (seenDirs.has(id)) {
      if (!bases.includes(dir))
        warnings.push(`${dirCwdRel}: folder reached twice (a bind mount or loop); walked once.`);
      skippedFolder = true;
      return;
    }
    seenDirs.add(id);
    const dirRootRel = posix(path.relative(root, dir));
    recorder?.add(dirRootRel, st);
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      throw unreadable(dirCwdRel, error);
    }
    const skipNames = excludedNames.get(dir);
    const keys = [];
    let links;
    for (const entry of entries) {
      const name = entry.name;
      if (name === ".git") continue;
      if (skipNames?.has(name)) continue;
      const cwdRel = needCwdRel ? dirCwdRel === "." ? name : `${dirCwdRel}/${name}` : "";
      if (entry.isDirectory()) {
        if (!prune?.matches(cwdRel)) keys.push(`${name}/`);
        continue;
      }
      const isLink = entry.isSymbolicLink();
      if (!isLink && !entry.isFile()) {
        const shown = dirCwdRel === "." ? name : `${dirCwdRel}/${name}`;
        if (!filter || filter.matches(shown))
          warnings.push(`${shown}: not a regular file (socket, FIFO or device); skipped.`);
        continue;
      }
      if (filter && !filter.matches(cwdRel)) continue;
      keys.push(name);
      if (isLink) {
        const shown = dirCwdRel === "." ? name : `${dirCwdRel}/${name}`;
        (links ??= /* @__PURE__ */ new Map()).set(name, linkKind(path.join(dir, name), shown));
      }
    }
    if (NON_ASCII.test(keys.join(""))) {
      if (keys.some((key) => toNfc(key) !== key || key.includes("\uFFFD"))) inOrder = false;
      sortByCodePoint(keys);
    } else keys.sort();
    frames.push({ dir, dirRootRel, keys, links, next: 0 });
  };
  for (const base of roots) {
    enter(base);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      if (frame.next === frame.keys.length) {
        frames.pop();
        continue;
      }
      const key = frame.keys[frame.next++];
      if (key.endsWith("/")) {
        enter(path.join(frame.dir, key.slice(0, -1)));
        continue;
      }
      const disk = joinPosix(frame.dirRootRel, key);
      if (literalDisk.size > 0 && literalDisk.has(disk)) continue;
      const kind = frame.links?.get(key) ?? Kind.File;
      if (inOrder && kind === Kind.File) nfc.push(disk);
      else add(disk, kind);
    }
  }
  const renamed = [...specials].some(([name, special]) => special.disk !== name);
  const sorted = inOrder && !renamed;
  const paths = sorted ? nfc : sortByCodePoint(nfc);
  if (!sorted) {
    for (let i = 1; i < paths.length; i++) if (paths[i] === paths[i - 1]) duplicate(paths[i]);
  }
  if (paths.length === 0) {
    throw new UserError(`Input 'path' matched no files (${includes.join(", ")}).`, {
      input: "path",
      fix: "Check the paths and globs (relative to the workspace) and the `ignore` globs; empty folders are not part of a dataset."
    });
  }
  if (filter) checkEveryGlobMatched(includes, paths, root, cwd);
  const kinds = new Uint8Array(paths.length).fill(Kind.File);
  const diskPaths = renamed ? paths.slice() : paths;
  if (specials.size > 0) {
    for (let i = 0; i < paths.length; i++) {
      const special = specials.get(paths[i]);
      if (!special) continue;
      kinds[i] = special.kind;
      diskPaths[i] = special.disk;
    }
  }
  const replayable = warnings.length === 0 && !renamed && !skippedFolder && !(options.followFileLinks && kinds.some((k) => k !== Kind.File));
  const folders = replayable ? recorder?.snapshot() : void 0;
  return {
    root,
    rootRelative: rootRelativeOf(plan),
    paths,
    diskPaths,
    kinds,
    warnings,
    ...folders ? { folders } : {}
  };
}
function toCwdRelative(cwd, pattern) {
  const negate = pattern.startsWith("!");
  const body = negate ? pattern.slice(1) : pattern;
  const relative = path.isAbsolute(body) ? posix(path.relative(cwd, body)) || "." : normalizeRelative(body);
  return negate ? `!${relative}` : relative;
}
function needsFilter(patterns, ignore) {
  return ignore.length > 0 || patterns.some((p) => p.startsWith("!") || isGlob(p));
}
function statOrUndefined(p) {
  try {
    return statSync(p);
  } catch {
    return void 0;
  }
}
function commonFolder(folders) {
  let common = folders[0];
  for (const folder of folders.slice(1)) {
    while (!isInsideFolder(common, folder)) {
      const parent = path.dirname(common);
      if (parent === common) break;
      common = parent;
    }
  }
  return common;
}
function isInsideFolder(folder, p) {
  return p === folder || p.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
}
function duplicate(name) {
  throw new UserError(`Two files have the path '${name}' once Unicode-normalised (NFC).`, {
    file: name,
    fix: "Rename one of them: the same name in composed and decomposed Unicode cannot be told apart on other systems."
  });
}
function unreadable(where, error) {
  const code = error.code ?? "error";
  return new UserError(`Cannot read the folder '${where}' (${code}).`, {
    file: where,
    fix: "Give the runner user read access to the folder, or exclude it with the `ignore` input."
  });
}
function checkEveryGlobMatched(includes, paths, root, cwd) {
  const prefix = posix(path.relative(cwd, root));
  for (const pattern of includes) {
    if (!isGlob(pattern)) continue;
    const single = createPathFilter([pattern]);
    const hit = paths.some((p) => single.matches(prefix ? `${prefix}/${p}` : p));
    if (!hit) {
      throw new UserError(`The pattern '${pattern}' in input 'path' matched no files.`, {
        input: "path",
        fix: "Fix or remove the pattern; globs are relative to the workspace, and `ignore` may exclude what it matched."
      });
    }
  }
}

const cliGit = {
  indexListing: (cwd) => gitIndexListing(cwd),
  modifiedPaths: (cwd) => gitModifiedPaths(cwd),
  async plainPaths(cwd) {
    const autocrlf = (await git(cwd, ["config", "--get", "core.autocrlf"]))?.trim().toLowerCase();
    if (autocrlf !== void 0 && !["false", "no", "off", "0"].includes(autocrlf)) return void 0;
    const real = realpathSync(cwd);
    const top = findWorkTreeTop(real);
    const prefix = top === null ? void 0 : top === void 0 ? (await git(cwd, ["rev-parse", "--show-prefix"]))?.trim() : path.relative(top, real).split(path.sep).join("/");
    if (prefix === void 0) return void 0;
    const specs = ["!text", "-text"].map(
      (text) => `:(top,literal,attr:!filter ${text} !crlf !eol !ident !working-tree-encoding)${prefix}`
    );
    return gitBytes(cwd, ["ls-files", "-z", "--", ...specs]);
  },
  async gitDir(cwd) {
    const out = (await git(cwd, ["rev-parse", "--path-format=absolute", "--git-common-dir"]))?.trim();
    return out || void 0;
  }
};
function askGitAt(source, root) {
  const answers = Promise.all([
    source.indexListing(root),
    source.modifiedPaths(root),
    source.plainPaths(root)
  ]);
  answers.catch(() => void 0);
  return answers;
}
function askGit(options) {
  let root;
  try {
    root = planDataset({
      cwd: options.cwd,
      patterns: options.patterns,
      ...options.ignore ? { ignore: options.ignore } : {}
    }).root;
  } catch {
    return void 0;
  }
  if (options.git === void 0 && findWorkTreeTop(root) === null) return void 0;
  return { root, answers: askGitAt(options.git ?? cliGit, root) };
}
const INLINE_MAX_ENTRIES = 256;
const INLINE_MAX_BYTES = 64 << 20;
function startHashPool(options) {
  const lanes = Math.max(1, options.threads ?? os.availableParallelism());
  return new HashPool({ algorithm: options.algorithm, lfs: options.lfs }, lanes - 1);
}
async function hashDataset(options) {
  const started = performance.now();
  const pool = options.pool ?? startHashPool(options);
  try {
    if (pool.settings.algorithm !== options.algorithm || pool.settings.lfs !== options.lfs) {
      throw new Error("internal: the hashing pool was started for another algorithm or LFS mode");
    }
    return await hashWith(pool, options, started);
  } finally {
    await pool.close();
  }
}
async function hashWith(pool, options, started) {
  const startedWall = wallClockMs();
  const log = options.log ?? (() => void 0);
  const gitSource = options.git ?? cliGit;
  const walkOptions = {
    cwd: options.cwd,
    patterns: options.patterns,
    ...options.ignore ? { ignore: options.ignore } : {},
    followFileLinks: options.algorithm === "dvc",
    ...options.exclude ? { exclude: options.exclude } : {},
    ...options.settleMs === void 0 ? {} : { settleMs: options.settleMs }
  };
  const plan = planDataset(walkOptions);
  const rootReal = realpathSync(plan.root);
  const expect = { algorithm: options.algorithm, lfs: options.lfs };
  const cache = options.cacheFile ? HashCacheFile.open(options.cacheFile, expect, log) : void 0;
  const header = cache?.header;
  const sameMachine = header !== void 0 && header.machine === machineId() && header.root === rootReal;
  const useGit = options.useGit !== false && (!sameMachine || (header?.partialKeys ?? 0) > 0) && (options.git !== void 0 || findWorkTreeTop(plan.root) !== null);
  const gitFacts = useGit ? options.gitAnswers?.root === plan.root ? options.gitAnswers.answers : askGitAt(gitSource, plan.root) : void 0;
  let walk;
  let joinedPaths;
  let replayedBytes;
  const walkStartedAt = performance.now();
  try {
    walk = cache && sameMachine ? replayWalk(cache, plan, walkQuestionOf(walkOptions, plan), log) : void 0;
    if (walk && cache) {
      joinedPaths = cache.joinedPaths;
      replayedBytes = cache.pathBytes;
    }
    walk ??= walkDataset(walkOptions, plan, true);
  } catch (error) {
    cache?.close();
    await gitFacts?.catch(() => void 0);
    throw error;
  }
  const n = walk.paths.length;
  const walkedAt = performance.now();
  options.onWalked?.(n);
  const walked = walk;
  const replayed = joinedPaths !== void 0;
  const table = new EntryTable(walk.paths, digestLength(options.algorithm));
  const joined = () => joinedPaths ??= walked.paths.join("\0");
  let encodedPaths = replayedBytes;
  const bytesOfPaths = () => encodedPaths ??= sharedUtf8(joined());
  const keys = new Float64Array(new SharedArrayBuffer(n * 24)).fill(Number.NaN);
  let reusableByBlob = 0;
  let vouched;
  try {
    const facts = await gitFacts;
    if (facts) log(`git: answered ${ms(performance.now() - walkStartedAt)} after the walk started`);
    vouched = facts ? vouchedByGit(facts, walk, table, bytesOfPaths, log) : void 0;
    try {
      if (cache && sameMachine) applyByPath(cache, table, keys, joined(), { blobs: !useGit });
      if (cache && vouched) reusableByBlob = applyByBlob(cache, table, keys, vouched, joined(), walk.kinds);
    } catch (error) {
      log(`hash cache ${options.cacheFile} ignored: ${error.message}`);
      keys.fill(Number.NaN);
      table.lfsOids.clear();
      table.targets.clear();
      if (sameMachine && !useGit) table.blobIds.fill(0);
      reusableByBlob = 0;
    }
  } finally {
    cache?.close();
  }
  const cacheEntries = header?.count;
  const gitDir = options.lfs === "content" ? await gitSource.gitDir(walk.root) : void 0;
  const trusted = trustedEntries(vouched, keys);
  const preparedAt = performance.now();
  if (pool.workers > 0 && isSmall(walk, keys)) await pool.close();
  const stats = {
    hashed: 0,
    reusedByStat: 0,
    reusedByBlob: 0,
    bytesRead: 0,
    threads: pool.workers + 1,
    implementation: options.algorithm === "blake3" ? loadNativeBlake3() ? "native" : "wasm" : "openssl",
    elapsedMs: 0
  };
  for (const i of trusted) {
    table.stats[i * 3] = keys[i * 3];
    stats.reusedByBlob++;
  }
  const work = trusted.length === 0 ? void 0 : complement(trusted, n);
  const errors = [];
  const paths = work ? Array.from(work, (i) => walk.diskPaths[i]) : walk.diskPaths;
  const pathBytes = bytesOfPaths();
  joinedPaths = void 0;
  const job = createJob(
    {
      root: lookupRoot(walk.root),
      ...gitDir ? { gitDir } : {},
      kinds: work ? Uint8Array.from(work, (i) => walk.kinds[i]) : walk.kinds,
      keys: work ? subsetKeys(keys, work) : keys,
      paths,
      ...!work && walk.diskPaths === walk.paths ? { pathBytes } : {}
    },
    pool.workers + 1,
    pool.slots
  );
  const target = {
    table,
    blobsFromCache: sameMachine && !useGit,
    keys,
    stats,
    errors,
    paths: walk.paths,
    work
  };
  const tree = new TreeBuilder(
    table,
    options.algorithm,
    await digestFactory(options.algorithm, 2),
    pathBytes
  );
  const frontier = new BatchFrontier(job.bounds.length - 1);
  const jobEntries = paths.length;
  const running = pool.run(
    job,
    paths,
    (batch, start, result) => {
      absorb(result, start, target);
      options.onProgress?.(result.status.length, result.bytesRead);
      if (errors.length > 0) return;
      const k = job.bounds[frontier.done(batch)];
      tree.advance(k === jobEntries ? n : work ? work[k] : k);
    },
    options.signal
  );
  options.onHashing?.();
  await running;
  await pool.close();
  if (errors.length > 0) throw hashingError(errors);
  forgetRacyKeys(table.stats, startedWall - (options.settleMs ?? SETTLE_MS));
  const hashedAt = performance.now();
  const hashes = tree.finish();
  stats.elapsedMs = performance.now() - started;
  log(
    `dataset-hash: start ${ms(walkStartedAt - started)}, walk ${ms(walkedAt - walkStartedAt)}, cache+git ${ms(preparedAt - walkedAt)}, hash ${ms(hashedAt - preparedAt)}, tree ${ms(performance.now() - hashedAt)}`
  );
  log(
    `dataset-hash: ${n} entries, ${stats.hashed} hashed, ${stats.reusedByStat} reused by stat, ${stats.reusedByBlob} reused by git blob id (of ${reusableByBlob} candidates), ${stats.threads} thread(s), ${stats.implementation}`
  );
  return {
    ...hashes,
    root: walk.root,
    rootRelative: walk.rootRelative,
    algorithm: options.algorithm,
    lfs: options.lfs,
    table,
    stats,
    warnings: walk.warnings,
    // A new folder snapshot is worth saving too: the next run can skip its walk.
    cacheChanged: stats.hashed > 0 || cacheEntries !== n || !sameMachine || !replayed && !!walk.folders,
    ...walk.folders ? { folders: walk.folders } : {},
    walkReplayed: replayed,
    pathBytes
  };
}
function replayWalk(cache, plan, question, log) {
  try {
    const folders = cache.folders();
    if (!folders || folders.fingerprint !== question) return void 0;
    if (!snapshotHolds(plan.root, folders)) {
      log("walk: a folder changed since the cache was written; walking the dataset");
      return void 0;
    }
    const problem = joinedPathsProblem(cache.joinedPaths);
    if (problem) throw new Error(`the paths include ${problem}`);
    const paths = cache.paths();
    if (!isStrictlyIncreasing(paths, cache.joinedPaths)) throw new Error("paths out of order");
    cache.extras();
    const flags = cache.read("flags");
    const kinds = new Uint8Array(paths.length);
    for (let i = 0; i < kinds.length; i++)
      kinds[i] = flags[i] & Flag.Link ? Kind.Link : Kind.File;
    log(
      `walk: no folder changed since the cache was written (${folders.paths.length} checked); the walk is skipped`
    );
    return {
      root: plan.root,
      rootRelative: rootRelativeOf(plan),
      paths,
      diskPaths: paths,
      kinds,
      warnings: [],
      folders
    };
  } catch (error) {
    log(`walk: the cache's folder snapshot is unusable (${error.message}); walking the dataset`);
    return void 0;
  }
}
function vouchedByGit([listing, modified, plain], walk, table, bytesOfPaths, log) {
  if (listing === void 0 || listing.length === 0 || modified === void 0) {
    if (listing !== void 0 && modified === void 0)
      log("git: cannot tell modified files; trusting none");
    return new Uint8Array(table.count);
  }
  const diskBytes = walk.diskPaths === walk.paths ? bytesOfPaths() : Buffer.from(walk.diskPaths.join("\0"));
  const vouched = joinIndexListing(listing, table, diskBytes);
  for (const p of modified) {
    const i = indexOfPath(walk.paths, toNfc(p));
    if (i === -1 || walk.diskPaths[i] !== p) continue;
    vouched[i] = 0;
    table.clearBlob(i);
  }
  const isPlain = plain ? markListedPaths(plain, table, diskBytes) : void 0;
  let tracked = 0;
  let bytewise = 0;
  for (let i = 0; i < vouched.length; i++) {
    if (vouched[i] === 0) continue;
    if (walk.kinds[i] === Kind.FollowedLink) {
      vouched[i] = 0;
      table.clearBlob(i);
      continue;
    }
    tracked++;
    if (isPlain?.[i] === 1) {
      vouched[i] = 2;
      bytewise++;
    }
  }
  log(`git: ${tracked} tracked and unmodified (${bytewise} stored byte for byte), ${modified.size} modified`);
  return vouched;
}
function isSmall(walk, keys) {
  const n = walk.paths.length;
  if (n > INLINE_MAX_ENTRIES) return false;
  let bytes = 0;
  for (let i = 0; i < n && bytes <= INLINE_MAX_BYTES; i++) {
    if (!Number.isNaN(keys[i * 3 + 1])) continue;
    try {
      bytes += statSync(path.join(walk.root, walk.diskPaths[i])).size;
    } catch {
    }
  }
  return bytes <= INLINE_MAX_BYTES;
}
function lookupRoot(root) {
  const relative = path.relative(process.cwd(), root);
  if (relative === "") return ".";
  return relative.startsWith("..") || path.isAbsolute(relative) ? root : relative;
}
function absorb(result, start, target) {
  const { table, keys, stats, work } = target;
  stats.bytesRead += result.bytesRead;
  const n = result.status.length;
  const at = (k) => work ? work[start + k] : start + k;
  if (work) {
    for (let k = 0; k < n; k++) table.stats.set(result.stats.subarray(k * 3, k * 3 + 3), at(k) * 3);
  } else table.stats.set(result.stats, start * 3);
  for (let k = 0; k < n; k++) {
    const i = at(k);
    const status = result.status[k];
    if (status === Status.Unchanged) {
      if (Number.isNaN(keys[i * 3 + 1])) stats.reusedByBlob++;
      else stats.reusedByStat++;
    } else if (status === Status.Hashed) {
      table.digests.set(result.digests.subarray(k * SLOT, (k + 1) * SLOT), i * SLOT);
      table.sizes[i] = result.sizes[k];
      table.flags[i] = result.flags[k];
      table.lfsOids.delete(i);
      table.targets.delete(i);
      if (target.blobsFromCache || Number.isNaN(table.stats[i * 3 + 1])) table.clearBlob(i);
      stats.hashed++;
    }
  }
  for (const [k, oid] of result.lfsOids) table.lfsOids.set(at(k), oid);
  for (const [k, t] of result.targets) table.targets.set(at(k), t);
  for (const error of result.errors)
    target.errors.push({ path: target.paths[at(error.index)], error });
}
function forgetRacyKeys(stats, settled) {
  for (let k = 1; k < stats.length; k += 3) {
    if (stats[k] >= settled) stats.fill(Number.NaN, k - 1, k + 2);
  }
}
function trustedEntries(vouched, keys) {
  const trusted = [];
  if (!vouched) return trusted;
  for (let i = 0; i < vouched.length; i++) {
    if (vouched[i] === 2 && !Number.isNaN(keys[i * 3]) && Number.isNaN(keys[i * 3 + 1])) {
      trusted.push(i);
    }
  }
  return trusted;
}
function complement(skip, n) {
  const out = new Int32Array(n - skip.length);
  let s = 0;
  let o = 0;
  for (let i = 0; i < n; i++) {
    if (s < skip.length && skip[s] === i) s++;
    else out[o++] = i;
  }
  return out;
}
function subsetKeys(keys, work) {
  const out = new Float64Array(work.length * 3);
  for (let k = 0; k < work.length; k++) out.set(keys.subarray(work[k] * 3, work[k] * 3 + 3), k * 3);
  return out;
}
function hashingError(errors) {
  const first = errors[0];
  const what = (e) => e.code === "EACCES" || e.code === "EPERM" ? "is not readable (permission denied)" : e.code === "ENOENT" ? "disappeared while the dataset was hashed" : e.code === "lfs-missing" || e.code === "lfs-corrupt" || e.code === "not-a-file" ? e.message : `cannot be read (${e.message.startsWith(e.code) ? e.message : `${e.code}: ${e.message}`})`;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more: ${errors.slice(1, 4).map((e) => `'${e.path}'`).join(", ")}${errors.length > 4 ? ", \u2026" : ""})` : "";
  const fix = first.error.code === "lfs-missing" ? "Run `git lfs pull` (or `actions/checkout` with `lfs: true`) before this step, or use `lfs: auto` to hash pointers by their oid." : first.error.code === "ENOENT" ? "Make sure no other step writes to the dataset while it is hashed." : "Give the runner user read access to the file, or exclude it with the `ignore` input.";
  return new UserError(`File '${first.path}' ${what(first.error)}${more}.`, { file: first.path, fix });
}
function ms(value) {
  return `${Math.round(value)} ms`;
}

class ManifestFiles {
  /** Columns for `capacity` entries; {@link take} then keeps the first ones filled. */
  constructor(bytes, capacity, pathStarts = new Int32Array(capacity), pathEnds = new Int32Array(capacity), sizes = new Float64Array(capacity), digests = new Uint8Array(capacity * SLOT), digestLengths = new Uint8Array(capacity), oidTokens = new Uint8Array(capacity)) {
    this.bytes = bytes;
    this.pathStarts = pathStarts;
    this.pathEnds = pathEnds;
    this.sizes = sizes;
    this.digests = digests;
    this.digestLengths = digestLengths;
    this.oidTokens = oidTokens;
    this.count = capacity;
  }
  bytes;
  pathStarts;
  pathEnds;
  sizes;
  digests;
  digestLengths;
  oidTokens;
  /** Entries. */
  count;
  /** The first `count` entries (the same memory). */
  take(count) {
    return new ManifestFiles(
      this.bytes,
      count,
      this.pathStarts.subarray(0, count),
      this.pathEnds.subarray(0, count),
      this.sizes.subarray(0, count),
      this.digests.subarray(0, count * SLOT),
      this.digestLengths.subarray(0, count),
      this.oidTokens.subarray(0, count)
    );
  }
  /** Sets path `i` to `bytes[start, end)`. */
  setPath(i, start, end) {
    this.pathStarts[i] = start;
    this.pathEnds[i] = end;
  }
  /** Builds the columns from entries already checked (schema, paths, order). */
  static fromEntries(files) {
    const bytes = Buffer.from(files.map((f) => f.path).join("\0"), "utf8");
    const starts = nulSeparatedStarts(bytes, files.length);
    const out = new ManifestFiles(bytes, files.length);
    for (let i = 0; i < files.length; i++) {
      const file = files[i];
      out.setPath(i, starts[i], starts[i + 1] - 1);
      out.sizes[i] = file.size;
      const text = Buffer.from(file.hash, "latin1");
      out.setToken(i, text, 0, text.length);
    }
    return out;
  }
  /** Path `i`. */
  path(i) {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).toString(
      "utf8",
      this.pathStarts[i],
      this.pathEnds[i]
    );
  }
  /** Hash token `i` as the manifest wrote it. */
  token(i) {
    const hex = Buffer.from(this.digests.buffer, this.digests.byteOffset + i * SLOT, this.digestLengths[i]);
    return `${this.oidTokens[i] ? "sha256:" : ""}${hex.toString("hex")}`;
  }
  /** Compares path `i` with the UTF-8 bytes `other[start, end)` (code-point order). */
  comparePath(i, other, start, end) {
    return compareBytes(
      this.bytes,
      this.pathStarts[i],
      this.pathEnds[i],
      other,
      start,
      end
    );
  }
  /** Whether entry `i` has the hash token of table entry `t`. */
  sameToken(i, table, t) {
    const oid = (table.flags[t] & Flag.OidToken) !== 0;
    const length = oid ? 32 : table.digestLength;
    if (this.oidTokens[i] === 1 !== oid || this.digestLengths[i] !== length) return false;
    return compareBytes(this.digests, i * SLOT, i * SLOT + length, table.digests, t * SLOT, t * SLOT + length) === 0;
  }
  /**
   * Sets entry `i`'s token from its text `source[start, end)`; false (nothing set) when it is not
   * `[sha256:]` and 32 or 64 lowercase hex digits.
   */
  setToken(i, source, start, end) {
    let at = start;
    const oid = end - start > OID_PREFIX.length && compareBytes(source, start, start + OID_PREFIX.length, OID_PREFIX, 0, OID_PREFIX.length) === 0;
    if (oid) at += OID_PREFIX.length;
    const digits = end - at;
    if (digits !== 32 && digits !== 64) return false;
    if (!decodeHex(source, at, this.digests, i * SLOT, digits / 2)) return false;
    this.digestLengths[i] = digits / 2;
    this.oidTokens[i] = oid ? 1 : 0;
    return true;
  }
}
const OID_PREFIX = Buffer.from("sha256:", "latin1");
async function readBaseline(file, options = {}) {
  const source = {
    ...options.input === void 0 ? {} : { input: options.input },
    ...options.origin === void 0 ? {} : { origin: options.origin }
  };
  let bytes;
  try {
    bytes = await readFile(file);
  } catch {
  }
  const fast = bytes ? readWrittenForm(bytes, file, source) : void 0;
  if (fast) return fast;
  const manifest = await readDocument("DatasetManifest", file, source);
  const { files, ...header } = manifest;
  const where = { ...options.input === void 0 ? {} : { input: options.input }, file };
  const paths = files.map((entry) => entry.path);
  const joined = paths.join("\0");
  checkPaths(paths, joined, where);
  const sorted = isStrictlyIncreasing(paths, joined) ? files : files.slice().sort((a, b) => compareCodePoints(a.path, b.path));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i - 1].path === sorted[i].path) {
      throw new UserError(`Baseline manifest lists '${sorted[i].path}' twice.`, {
        ...where,
        fix: "Regenerate the baseline manifest with dataset-hash."
      });
    }
  }
  return { header, files: ManifestFiles.fromEntries(sorted) };
}
function checkPaths(paths, joined, where) {
  if (!manifestPathsSuspect(paths.length, joined)) return;
  for (const path of paths) {
    const problem = manifestPathProblem(path);
    if (problem) {
      throw new UserError(`Baseline manifest lists the path '${path}', which ${problem}.`, {
        ...where,
        fix: "Use a manifest written by dataset-hash; a path in it must stay inside the dataset. Regenerate the baseline if it was edited."
      });
    }
  }
}
const FILES_OPEN = Buffer.from('\n  "files": [\n', "latin1");
const FILES_CLOSE = Buffer.from("  ]\n}", "latin1");
const ENTRY_START = Buffer.from('    {"path":"', "latin1");
const SIZE_KEY$1 = Buffer.from('","size":', "latin1");
const HASH_KEY$1 = Buffer.from(',"hash":"', "latin1");
function readWrittenForm(bytes, file, options) {
  const open = bytes.indexOf(FILES_OPEN);
  if (open === -1) return void 0;
  let header;
  try {
    const value = JSON.parse(`${bytes.toString("utf8", 0, open)}
"files": []}`);
    const parsed = parseDocument("DatasetManifest", value, file, options);
    const { files: _none, ...rest } = parsed;
    header = rest;
  } catch {
    return void 0;
  }
  const capacity = Math.ceil((bytes.length - open) / MIN_ENTRY_LINE) + 1;
  const files = new ManifestFiles(bytes, capacity);
  const joined = Buffer.allocUnsafe(bytes.length - open);
  let out = 0;
  let n = 0;
  let at = open + FILES_OPEN.length;
  let previousStart = 0;
  let previousEnd = -1;
  for (; ; ) {
    if (startsWith(bytes, at, FILES_CLOSE)) break;
    if (!startsWith(bytes, at, ENTRY_START) || n === capacity) return void 0;
    let k = at + ENTRY_START.length;
    const start = k;
    if (n > 0) joined[out++] = 0;
    for (; k < bytes.length; k++) {
      const byte = bytes[k];
      if (byte === 34) break;
      if (byte < 32 || byte === 92) return void 0;
      joined[out++] = byte;
    }
    if (k === start || k >= bytes.length) return void 0;
    if (previousEnd !== -1 && compareBytes(bytes, previousStart, previousEnd, bytes, start, k) >= 0) {
      return void 0;
    }
    files.setPath(n, start, k);
    previousStart = start;
    previousEnd = k;
    if (!startsWith(bytes, k, SIZE_KEY$1)) return void 0;
    k += SIZE_KEY$1.length;
    const digits = k;
    let size = 0;
    for (; bytes[k] >= 48 && bytes[k] <= 57; k++) {
      size = size * 10 + (bytes[k] - 48);
    }
    if (k === digits || k - digits > 15 || bytes[digits] === 48 && k - digits > 1) return void 0;
    files.sizes[n] = size;
    if (!startsWith(bytes, k, HASH_KEY$1)) return void 0;
    k += HASH_KEY$1.length;
    let end = -1;
    for (const length of TOKEN_LENGTHS) {
      if (bytes[k + length] === 34) {
        end = k + length;
        break;
      }
    }
    if (end === -1 || !files.setToken(n, bytes, k, end)) return void 0;
    k = end + 1;
    if (bytes[k++] !== 125) return void 0;
    const comma = bytes[k] === 44;
    if (comma) k++;
    if (bytes[k] !== 10) return void 0;
    at = k + 1;
    n++;
    if (comma === startsWith(bytes, at, FILES_CLOSE)) return void 0;
  }
  const close = at + FILES_CLOSE.length;
  if (!(close === bytes.length || close + 1 === bytes.length && bytes[close] === 10)) return void 0;
  const paths = joined.subarray(0, out);
  if (!isUtf8(paths)) return void 0;
  if (n > 0 && manifestPathsSuspect(n, paths.toString("utf8"))) return void 0;
  return { header, files: files.take(n) };
}
const MIN_ENTRY_LINE = '    {"path":"a","size":0,"hash":"}\n'.length + 32;
const TOKEN_LENGTHS = [32, 39, 64, 71];
function startsWith(bytes, at, prefix) {
  if (at + prefix.length > bytes.length) return false;
  return compareBytes(bytes, at, at + prefix.length, prefix, 0, prefix.length) === 0;
}

function manifestEntry(table, i) {
  const entry = {
    path: table.paths[i],
    size: table.sizes[i],
    hash: table.token(i)
  };
  const oid = table.lfsOids.get(i);
  if (oid !== void 0) entry.lfs = oid;
  const target = table.targets.get(i);
  if (target !== void 0 && (table.flags[i] & Flag.Link) !== 0) entry.target = target;
  return entry;
}
function datasetTotals(table) {
  let symlinks = 0;
  let lfsPointers = 0;
  for (let i = 0; i < table.count; i++) {
    const flags = table.flags[i];
    if (flags & Flag.Link) symlinks++;
    if (flags & Flag.LfsPointer) lfsPointers++;
  }
  return { files: table.count, bytes: table.totalBytes(), symlinks, lfsPointers };
}
function writeManifest(file, header, table, pathBytes = Buffer.from(table.paths.join("\0"), "utf8")) {
  const sample = {
    ...header,
    files: Array.from({ length: Math.min(3, table.count) }, (_, i) => manifestEntry(table, i))
  };
  const problems = checkSchema(DatasetManifestSchema, sample);
  if (problems.length > 0) {
    throw new Error(
      `internal: refusing to write an invalid DatasetManifest: ${problems.map((p) => `${p.pointer} ${p.message}`).join("; ")}`
    );
  }
  const head = JSON.stringify({ ...header, files: [] }, null, 2);
  const writer = new AtomicFileWriter(file);
  try {
    writer.write(`${head.slice(0, head.lastIndexOf("[]"))}[
`);
    const out = new ByteWriter((chunk) => writer.writeBytes(chunk), Buffer.allocUnsafe(1 << 20));
    const starts = nulSeparatedStarts(pathBytes, table.count);
    for (let i = 0; i < table.count; i++) {
      writeEntryLine(out, table, i, pathBytes, starts[i], starts[i + 1] - 1);
      if (i + 1 < table.count) out.byte(44);
      out.byte(10);
    }
    out.flush();
    writer.write("  ]\n}\n");
    writer.commit();
  } catch (error) {
    writer.abort();
    throw error;
  }
}
function writeEntryLine(out, table, i, bytes, start, end) {
  const flags = table.flags[i];
  if (!isPlainJsonText(bytes, start, end) || table.lfsOids.has(i) || (flags & Flag.Link) !== 0) {
    out.text(`    ${JSON.stringify(manifestEntry(table, i))}`);
    return;
  }
  out.bytes(LINE_START, 0, LINE_START.length);
  out.bytes(bytes, start, end);
  out.bytes(SIZE_KEY, 0, SIZE_KEY.length);
  out.decimal(table.sizes[i]);
  out.bytes(HASH_KEY, 0, HASH_KEY.length);
  table.writeToken(out, i);
  out.bytes(LINE_END, 0, LINE_END.length);
}
const LINE_START = Buffer.from('    {"path":"', "latin1");
const SIZE_KEY = Buffer.from('","size":', "latin1");
const HASH_KEY = Buffer.from(',"hash":"', "latin1");
const LINE_END = Buffer.from('"}', "latin1");
function isPlainJsonText(bytes, start, end) {
  for (let k = start; k < end; k++) {
    const byte = bytes[k];
    if (byte < 32 || byte === 34 || byte === 92 || byte === 127) return false;
  }
  return true;
}
const DIFF_LIST_LIMIT = 1e4;
function diffAgainst(dataset, name, baseline, limit = DIFF_LIST_LIMIT) {
  const table = dataset.table;
  const body = {
    name,
    algorithm: dataset.algorithm,
    hash: dataset.hash,
    baseline: null,
    comparable: true,
    changed: true,
    counts: { added: 0, removed: 0, modified: 0, unchanged: 0 },
    truncated: false,
    limit,
    added: [],
    removed: [],
    modified: [],
    directories: []
  };
  const push = (list, item) => {
    if (list.length < limit) list.push(item());
    else body.truncated = true;
  };
  if (!baseline) {
    body.counts.added = table.count;
    for (let i2 = 0; i2 < table.count && i2 < limit; i2++) body.added.push(fileRef(table, i2));
    body.truncated = table.count > limit;
    for (const [path, after] of Object.entries(dataset.directories))
      body.directories.push({ path, before: null, after });
    return body;
  }
  const { manifest, info } = baseline;
  const { header, files } = manifest;
  body.baseline = {
    source: info.source,
    location: info.location,
    ...info.runId === void 0 ? {} : { runId: info.runId },
    hash: header.hash,
    files: header.totals.files,
    bytes: header.totals.bytes,
    createdAt: header.createdAt,
    ...header.producer.sha ? { sha: header.producer.sha } : {}
  };
  body.comparable = header.algorithm === dataset.algorithm && header.lfs === dataset.lfs;
  body.changed = !body.comparable || header.hash !== dataset.hash;
  const bytes = dataset.pathBytes;
  const starts = nulSeparatedStarts(bytes, table.count);
  let i = 0;
  let j = 0;
  while (i < table.count || j < files.count) {
    const c = i >= table.count ? 1 : j >= files.count ? -1 : -files.comparePath(j, bytes, starts[i], starts[i + 1] - 1);
    if (c < 0) {
      body.counts.added++;
      const k = i;
      push(body.added, () => fileRef(table, k));
      i++;
    } else if (c > 0) {
      body.counts.removed++;
      const b = j;
      push(body.removed, () => ({
        path: files.path(b),
        size: files.sizes[b],
        hash: files.token(b)
      }));
      j++;
    } else {
      if (!body.comparable || !files.sameToken(j, table, i)) {
        body.counts.modified++;
        const k = i;
        const b = j;
        push(body.modified, () => ({
          path: table.paths[k],
          before: { size: files.sizes[b], hash: files.token(b) },
          after: { size: table.sizes[k], hash: table.token(k) }
        }));
      } else body.counts.unchanged++;
      i++;
      j++;
    }
  }
  const beforeDirs = header.directories;
  const names = [.../* @__PURE__ */ new Set([...Object.keys(beforeDirs), ...Object.keys(dataset.directories)])].sort(
    compareCodePoints
  );
  for (const path of names) {
    const before = Object.hasOwn(beforeDirs, path) ? beforeDirs[path] : null;
    const after = Object.hasOwn(dataset.directories, path) ? dataset.directories[path] : null;
    if (!body.comparable || before !== after) body.directories.push({ path, before, after });
  }
  return body;
}
function fileRef(table, i) {
  return { path: table.paths[i], size: table.sizes[i], hash: table.token(i) };
}

const SUMMARY_ROWS = 20;
const number = new Intl.NumberFormat("en-US");
function summaryMarkdown(name, dataset, diff) {
  const totals = dataset.table;
  const s = dataset.stats;
  const seconds = Math.max(s.elapsedMs / 1e3, 1e-3);
  const reused = s.reusedByStat + s.reusedByBlob;
  const extra = [];
  let links = 0;
  let lfs = 0;
  for (let i = 0; i < totals.count; i++) {
    const f = totals.flags[i];
    if (f & Flag.Link) links++;
    if (f & Flag.LfsPointer) lfs++;
  }
  if (links) extra.push(`${number.format(links)} symlinks`);
  if (lfs) extra.push(`${number.format(lfs)} LFS pointers`);
  const baseline = diff.baseline ? `${diff.baseline.source === "artifact" ? `artifact \`${escapeCell(diff.baseline.location)}\`${diff.baseline.runId ? ` (run ${escapeCell(diff.baseline.runId)})` : ""}` : `\`${escapeCell(diff.baseline.location)}\``} \u2014 \`${diff.baseline.hash}\`` : "none";
  const lines = [
    `### Dataset \`${escapeCell(name)}\``,
    "",
    markdownTable(
      ["", ""],
      [
        ["Hash", `\`${dataset.hash}\``],
        ["Root", `\`${escapeCell(dataset.rootRelative)}\``],
        ["Files", `${number.format(totals.count)}${extra.length ? ` (${extra.join(", ")})` : ""}`],
        ["Size", formatBytes(totals.totalBytes())],
        ["Baseline", baseline],
        ["Changed", diff.changed ? "**yes**" : "no"],
        [
          "Hashing",
          `${number.format(s.hashed)} hashed, ${number.format(reused)} reused from the cache, ${formatBytes(s.bytesRead)} read in ${formatDuration(s.elapsedMs)} (${formatBytes(Math.round(s.bytesRead / seconds))}/s, ${s.threads || 1} thread${s.threads > 1 ? "s" : ""})`
        ]
      ],
      true
    )
  ];
  if (diff.baseline) {
    const c = diff.counts;
    lines.push(
      "",
      `#### Changes: ${c.added} added, ${c.removed} removed, ${c.modified} modified, ${c.unchanged} unchanged`
    );
    if (!diff.comparable) {
      lines.push(
        "",
        "> The baseline used another algorithm or LFS mode, so file contents could not be compared."
      );
    }
    const rows = [];
    for (const f of diff.added.slice(0, SUMMARY_ROWS))
      rows.push(["added", code(f.path), formatBytes(f.size)]);
    for (const f of diff.removed.slice(0, SUMMARY_ROWS))
      rows.push(["removed", code(f.path), formatBytes(f.size)]);
    for (const f of diff.modified.slice(0, SUMMARY_ROWS)) {
      rows.push(["modified", code(f.path), `${formatBytes(f.before.size)} \u2192 ${formatBytes(f.after.size)}`]);
    }
    if (rows.length > 0) lines.push("", markdownTable(["Change", "Path", "Size"], rows, true));
    const shown = Math.min(diff.added.length, SUMMARY_ROWS) + Math.min(diff.removed.length, SUMMARY_ROWS) + Math.min(diff.modified.length, SUMMARY_ROWS);
    const total = c.added + c.removed + c.modified;
    if (total > shown) lines.push("", `\u2026and ${number.format(total - shown)} more in the diff file.`);
    if (diff.directories.length > 0) {
      lines.push(
        "",
        markdownTable(
          ["Top-level entry", "Before", "After"],
          diff.directories.slice(0, SUMMARY_ROWS).map((d) => [code(d.path), short(d.before), short(d.after)]),
          true
        )
      );
    }
  }
  return lines.join("\n");
}
function code(text) {
  return `\`${escapeCell(text).replace(/`/g, "\u02CB")}\``;
}
function short(hash) {
  if (hash === null) return "\u2014";
  const colon = hash.indexOf(":");
  return `\`${hash.slice(0, colon + 13)}\u2026\``;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
function datasetName(input, patterns, cwd, env) {
  if (input !== void 0 && input !== "") {
    if (!NAME.test(input)) {
      throw new UserError(
        `Input 'name' must be letters, digits, '.', '_' or '-' (at most 100), got '${input}'.`,
        {
          input: "name",
          fix: "Choose a name such as `train-images`; it becomes part of the artifact name."
        }
      );
    }
    return input;
  }
  const first = patterns.find((p) => !p.trim().startsWith("!"))?.trim() ?? ".";
  const base = isGlob(first) ? globBase(first) : first;
  let segment = path.basename(path.resolve(cwd, base));
  if (path.resolve(cwd, base) === path.resolve(cwd)) {
    segment = (env.GITHUB_REPOSITORY ?? "").split("/")[1] || path.basename(path.resolve(cwd)) || "dataset";
  }
  const cleaned = segment.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[^A-Za-z0-9]+/, "").slice(0, 100);
  return cleaned || "dataset";
}
function stateFolder(name) {
  return `.modelops/dataset-hash/${name}`;
}
async function runDatasetHash(inputs, deps) {
  const cwd = path.resolve(deps.cwd);
  const name = datasetName(inputs.name, inputs.path, cwd, deps.env);
  const folder = stateFolder(name);
  const stateDir = path.join(cwd, folder);
  const manifestFile = path.join(stateDir, `dataset-manifest-${name}.json`);
  const diffFile = path.join(stateDir, `dataset-diff-${name}.json`);
  const cacheFile = path.join(stateDir, "hash-cache.bin");
  const context = readContext(deps.env);
  const keyPrefix = `modelops-dataset-hash-v3-${process.platform}-${process.arch}-${name}-${inputs.algorithm}-${inputs.lfs}-`;
  const cachePaths = [cacheFile];
  const pool = startHashPool({ ...inputs, ...deps.threads === void 0 ? {} : { threads: deps.threads } });
  let baseline;
  let dataset;
  try {
    const hasCacheFile = await exists(cacheFile);
    const keepsCache = inputs.cache || hasCacheFile;
    const asksGitAhead = inputs.cache && !hasCacheFile;
    const stop = new AbortController();
    let baselineLoad;
    const loadBaselineOnce = () => baselineLoad ??= loadBaseline(inputs.baseline, name, cwd, deps).catch((error) => {
      stop.abort(error);
      throw error;
    });
    if (asksGitAhead) await loadBaselineOnce();
    const gitAnswers = asksGitAhead ? askGit({
      cwd,
      patterns: inputs.path,
      ignore: inputs.ignore,
      ...deps.git ? { git: deps.git } : {}
    }) : void 0;
    if (gitAnswers) deps.debug("git: asked ahead, while the cache is restored");
    if (inputs.cache) {
      try {
        const hit = await deps.restoreCache(
          cachePaths,
          `${keyPrefix}${context.runId || "local"}-${context.runAttempt}`,
          [keyPrefix]
        );
        deps.info(hit ? `Hash cache restored from ${hit}.` : "No hash cache yet: every file is hashed.");
      } catch (error) {
        deps.warning(`Could not restore the hash cache (${error.message}); hashing every file.`);
      }
    }
    let progress;
    dataset = await hashDataset({
      pool,
      cwd,
      patterns: inputs.path,
      ignore: inputs.ignore,
      algorithm: inputs.algorithm,
      lfs: inputs.lfs,
      ...keepsCache ? { cacheFile } : { useGit: false },
      exclude: [path.join(cwd, ".modelops")],
      ...deps.git ? { git: deps.git } : {},
      ...gitAnswers ? { gitAnswers } : {},
      ...deps.settleMs === void 0 ? {} : { settleMs: deps.settleMs },
      onWalked: (entries) => {
        progress = new Progress({ label: "hashing", unit: "files", totalItems: entries, write: deps.info });
      },
      onProgress: (entries, bytes) => progress?.add(entries, bytes),
      onHashing: () => void loadBaselineOnce().catch(() => void 0),
      // awaited below
      signal: stop.signal,
      log: deps.debug
    });
    progress?.done();
    baseline = await loadBaselineOnce();
  } finally {
    await pool.close();
  }
  for (const warning of dataset.warnings) deps.warning(warning);
  const producer = documentProducer("dataset-hash", context);
  const createdAt = (/* @__PURE__ */ new Date()).toISOString();
  writeManifest(
    manifestFile,
    {
      schemaVersion: 1,
      kind: "DatasetManifest",
      createdAt,
      producer,
      name,
      algorithm: inputs.algorithm,
      lfs: inputs.lfs,
      hash: dataset.hash,
      root: dataset.rootRelative,
      patterns: { path: inputs.path, ignore: inputs.ignore },
      totals: datasetTotals(dataset.table),
      directories: dataset.directories
    },
    dataset.table,
    dataset.pathBytes
  );
  if (baseline && !(baseline.manifest.header.algorithm === inputs.algorithm && baseline.manifest.header.lfs === inputs.lfs)) {
    deps.warning(
      `The baseline was made with algorithm '${baseline.manifest.header.algorithm}' and lfs '${baseline.manifest.header.lfs}', this step uses '${inputs.algorithm}' and '${inputs.lfs}': contents cannot be compared, so every file counts as changed.`
    );
  }
  const diff = diffAgainst(dataset, name, baseline);
  const diffDocument = { schemaVersion: 1, kind: "DatasetDiff", createdAt, producer, ...diff };
  await writeDocument("DatasetDiff", diffFile, diffDocument);
  const outputs = {
    hash: dataset.hash,
    manifest: path.relative(cwd, manifestFile).split(path.sep).join("/"),
    files: String(dataset.table.count),
    bytes: String(dataset.table.totalBytes()),
    changed: String(diff.changed),
    added: String(diff.counts.added),
    removed: String(diff.counts.removed),
    modified: String(diff.counts.modified),
    diff: path.relative(cwd, diffFile).split(path.sep).join("/"),
    hashes: JSON.stringify(dataset.directories)
  };
  deps.setOutputs(outputs);
  deps.info(
    `${name}: ${dataset.hash} (${dataset.table.count} files${diff.baseline ? `; ${diff.counts.added} added, ${diff.counts.removed} removed, ${diff.counts.modified} modified` : ""})`
  );
  await deps.appendSummary(summaryMarkdown(name, dataset, diff));
  if (inputs.upload) {
    const artifact = `dataset-manifest-${name}`;
    try {
      const published = await deps.publishArtifact(artifact, [path.basename(manifestFile)], stateDir);
      deps.info(`Manifest uploaded as artifact '${artifact}' (${published.location}).`);
    } catch (error) {
      throw new UserError(
        `Could not upload the manifest as artifact '${artifact}': ${error.message}`,
        {
          input: "upload",
          fix: "An artifact name can be uploaded once per run: give each dataset-hash step its own `name`, or set `upload: false`.",
          cause: error
        }
      );
    }
  }
  if (inputs.cache || await exists(cacheFile)) {
    if (dataset.cacheChanged) {
      writeHashCache(
        cacheFile,
        dataset.table,
        {
          algorithm: inputs.algorithm,
          lfs: inputs.lfs,
          machine: machineId(),
          root: await realpath(dataset.root)
        },
        dataset.folders,
        dataset.pathBytes
      );
      if (inputs.cache) {
        const key = `${keyPrefix}${context.runId || `local-${Date.now()}`}-${context.runAttempt}`;
        try {
          const saved = await deps.saveCache(cachePaths, key);
          deps.info(saved ? `Hash cache saved as ${key}.` : `Hash cache not saved (${key} exists).`);
        } catch (error) {
          deps.warning(`Could not save the hash cache (${error.message}).`);
        }
      }
    } else deps.info("Hash cache unchanged: not saved again.");
  }
  return { name, dataset, diff, manifestFile, diffFile, outputs };
}
async function loadBaseline(baseline, name, cwd, deps) {
  if (baseline === "" || baseline === "none") return void 0;
  if (baseline === "artifact") {
    const artifact = `dataset-manifest-${name}`;
    const dir = await mkdtemp(path.join(os.tmpdir(), "dataset-hash-baseline-"));
    try {
      const found = await deps.fetchBaselineArtifact(artifact, dir);
      if (!found) {
        deps.info(`No baseline: no successful run on the default branch has artifact '${artifact}' yet.`);
        return void 0;
      }
      const file2 = `${artifact}.json`;
      if (!found.files.includes(file2)) {
        throw new UserError(`Artifact '${artifact}' of run ${found.runId} has no '${file2}'.`, {
          input: "baseline",
          fix: "The artifact must come from dataset-hash; set `baseline: none` once to start over."
        });
      }
      const manifest2 = await readBaseline(path.join(dir, file2), {
        input: "baseline",
        origin: `artifact '${artifact}' of run ${found.runId}`
      });
      return { manifest: manifest2, info: { source: "artifact", location: artifact, runId: found.runId } };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const file = path.resolve(cwd, baseline);
  const manifest = await readBaseline(file, { input: "baseline" });
  return { manifest, info: { source: "file", location: baseline } };
}
async function exists(file) {
  return stat(file).then(
    () => true,
    () => false
  );
}

await runStep(
  async () => {
    const inputs = {
      path: getListInput("path", { required: true }),
      ignore: getListInput("ignore"),
      algorithm: getChoiceInput("algorithm", ALGORITHMS, { fallback: "sha256" }),
      lfs: getChoiceInput("lfs", ["auto", "content", "pointer"], { fallback: "auto" }),
      name: getInput("name"),
      baseline: getInput("baseline", { fallback: "none" }),
      cache: getBooleanInput("cache", { fallback: true }),
      upload: getBooleanInput("upload", { fallback: true })
    };
    await runDatasetHash(inputs, {
      cwd: process.env.GITHUB_WORKSPACE || process.cwd(),
      env: process.env,
      restoreCache: (paths, key, restoreKeys) => restoreCache(paths, key, restoreKeys),
      saveCache: (paths, key) => saveCache(paths, key),
      fetchBaselineArtifact: (name, destination) => fetchArtifact(name, destination, { kind: "latest-successful" }),
      publishArtifact: (name, files, root) => publishArtifact(name, files, root),
      appendSummary: (markdown) => appendJobSummary(markdown),
      setOutputs,
      info: info,
      warning: warning,
      debug: debug
    });
  },
  { action: "dataset-hash" }
);
