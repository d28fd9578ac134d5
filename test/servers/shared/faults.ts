/**
 * Fault injection shared by the local servers: "make the next N calls of X answer status S".
 *
 * A request is described by a {@link FaultTarget}; its `names` hold every name a test may use to
 * aim at it (a REST operation id such as `issues/list-comments`, its `GET /repos/{owner}/…` route,
 * a Twirp method such as `CreateArtifact`, or a blob operation such as `PutBlock`).
 */

/** What a fault is matched against. */
export interface FaultTarget {
  readonly method: string;
  readonly path: string;
  /** Names of the request: operation id, `METHOD /template`, Twirp method, blob operation, … */
  readonly names: readonly string[];
}

/** How to choose the requests a fault applies to. */
export type FaultMatcher = string | RegExp | ((target: FaultTarget) => boolean);

/** A fault to inject. */
export interface FaultSpec {
  /** A request name (exact), a pattern tested against every name and the path, or a predicate. */
  readonly match: FaultMatcher;
  /** HTTP status to answer, e.g. 502. */
  readonly status: number;
  /** How many matching requests fail before the fault is used up (default 1). */
  readonly times?: number;
  /** Body to answer: objects are sent as JSON; when absent each server sends its own error shape. */
  readonly body?: string | Record<string, unknown>;
  /** Extra response headers, e.g. `{ 'retry-after': '1' }`. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A fault that was registered; `hits` counts the requests it failed so far. */
export interface InjectedFault {
  readonly spec: FaultSpec;
  readonly remaining: number;
  readonly hits: number;
}

class FaultEntry implements InjectedFault {
  hits = 0;
  constructor(
    readonly spec: FaultSpec,
    public remaining: number,
  ) {}
}

function matches(matcher: FaultMatcher, target: FaultTarget): boolean {
  if (typeof matcher === 'function') return matcher(target);
  if (typeof matcher === 'string') return target.names.includes(matcher);
  return target.names.some((name) => matcher.test(name)) || matcher.test(target.path);
}

/** Holds injected faults in order; the oldest matching fault with calls left wins. */
export class FaultInjector {
  private readonly entries: FaultEntry[] = [];

  /** Registers a fault and returns a live view of it (its `hits` and `remaining` update). */
  inject(spec: FaultSpec): InjectedFault {
    const times = spec.times ?? 1;
    if (!Number.isInteger(times) || times < 1) {
      throw new Error(`Fault "times" must be a positive integer, got ${String(spec.times)}.`);
    }
    const entry = new FaultEntry(spec, times);
    this.entries.push(entry);
    return entry;
  }

  /** Shorthand: the next `times` requests named `name` answer `status`. */
  failNext(name: string, times: number, status: number): InjectedFault {
    return this.inject({ match: name, times, status });
  }

  /** Consumes one call of the first fault matching `target`, if any. */
  take(target: FaultTarget): FaultSpec | undefined {
    const entry = this.entries.find(
      (candidate) => candidate.remaining > 0 && matches(candidate.spec.match, target),
    );
    if (!entry) return undefined;
    entry.remaining -= 1;
    entry.hits += 1;
    return entry.spec;
  }

  /** Faults that still have calls left. */
  get pending(): readonly InjectedFault[] {
    return this.entries.filter((entry) => entry.remaining > 0);
  }

  /** Removes every fault. */
  clear(): void {
    this.entries.length = 0;
  }
}
