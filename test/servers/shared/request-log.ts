/** One request seen by a local server. */
export interface LoggedRequest {
  /** Which server answered. */
  readonly server: 'github' | 'results';
  /** `rest` (GitHub REST), `twirp` (results service RPC) or `blob` (storage behind signed URLs). */
  readonly kind: 'rest' | 'twirp' | 'blob';
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Operation id (`issues/create-comment`), Twirp method (`CreateArtifact`) or blob op (`PutBlock`). */
  readonly name: string | undefined;
  readonly status: number;
  /** Parsed JSON request body (REST and Twirp only). */
  readonly body: unknown;
  /** True when an injected fault produced the answer. */
  readonly injected: boolean;
  readonly at: Date;
}

/** Append-only log of the requests a server answered, for assertions in tests. */
export class RequestLog {
  private readonly list: LoggedRequest[] = [];

  /** Records one request. */
  add(entry: LoggedRequest): void {
    this.list.push(entry);
  }

  /** Every request in arrival order. */
  get entries(): readonly LoggedRequest[] {
    return this.list;
  }

  /** Requests whose `name` equals `name`. */
  named(name: string): LoggedRequest[] {
    return this.list.filter((entry) => entry.name === name);
  }

  /** Forgets every request. */
  clear(): void {
    this.list.length = 0;
  }
}
