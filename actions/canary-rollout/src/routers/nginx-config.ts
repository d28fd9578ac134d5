/**
 * The nginx snippets the nginx router writes: pure text, so they are easy to test and to read.
 *
 * `split-clients` mode (the file is included in the `http` block; the server proxies to the
 * variable, e.g. `proxy_pass http://$model_pool;`, with upstreams `stable` and `canary` defined):
 *
 * ```nginx
 * split_clients "${request_id}" $model_pool {
 *     10% canary;
 *     * stable;
 * }
 * ```
 *
 * `upstream` mode (the file defines the upstream the server proxies to): smooth weighted round-robin,
 * which gives an exact split over any window of requests.
 *
 * ```nginx
 * upstream model {
 *     server 10.0.0.1:8080 weight=9;
 *     server 10.0.0.2:8080 weight=1;
 * }
 * ```
 */

/** Settings of `split-clients` mode. */
export interface SplitClientsSettings {
  mode: 'split-clients';
  /** Hashed to pick a pool, e.g. `${request_id}` (per request) or `${remote_addr}` (sticky per client). */
  key: string;
  /** Variable name without `$`. */
  variable: string;
  stableUpstream: string;
  canaryUpstream: string;
}

/** Settings of `upstream` mode. */
export interface UpstreamSettings {
  mode: 'upstream';
  upstream: string;
  stableServers: string[];
  canaryServers: string[];
  /** Extra `server` parameters, e.g. `max_fails=3 fail_timeout=10s`. */
  serverParameters?: string;
}

/** What the router writes. */
export type NginxSplitSettings = SplitClientsSettings | UpstreamSettings;

/** The first line of every file the router writes; `prepare` reads the weight back from it. */
export const HEADER_PREFIX = '# modelops canary-rollout: canary weight';

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** A weight as nginx's `split_clients` writes percentages (up to two decimals). */
function percent(weight: number): string {
  return `${Number(weight.toFixed(2))}%`;
}

/**
 * Per-server weights giving each side its share whatever the number of servers: every stable server
 * gets (100 − w)·n_canary and every canary server w·n_stable, divided by their common divisor.
 */
export function upstreamWeights(
  weight: number,
  stableCount: number,
  canaryCount: number,
): { stable: number; canary: number } {
  const stable = Math.round((100 - weight) * 100) * canaryCount;
  const canary = Math.round(weight * 100) * stableCount;
  const divisor = gcd(stable, canary) || 1;
  return { stable: stable / divisor, canary: canary / divisor };
}

/** The file content for a canary weight (0–100). */
export function renderSplit(settings: NginxSplitSettings, weight: number): string {
  const header = `${HEADER_PREFIX} ${weight}% (do not edit: the next rollout step rewrites this file)\n`;
  if (settings.mode === 'split-clients') {
    const lines =
      weight <= 0
        ? [`    * ${settings.stableUpstream};`]
        : weight >= 100
          ? [`    * ${settings.canaryUpstream};`]
          : [`    ${percent(weight)} ${settings.canaryUpstream};`, `    * ${settings.stableUpstream};`];
    return `${header}split_clients "${settings.key}" $${settings.variable} {\n${lines.join('\n')}\n}\n`;
  }
  const parameters = settings.serverParameters ? ` ${settings.serverParameters}` : '';
  const { stable, canary } = upstreamWeights(
    weight,
    settings.stableServers.length,
    settings.canaryServers.length,
  );
  const servers = [
    ...(weight < 100
      ? settings.stableServers.map((s) => `    server ${s} weight=${stable}${parameters};`)
      : []),
    ...(weight > 0
      ? settings.canaryServers.map((s) => `    server ${s} weight=${canary}${parameters};`)
      : []),
  ];
  return `${header}upstream ${settings.upstream} {\n${servers.join('\n')}\n}\n`;
}

/** The weight recorded in a file this router wrote, or undefined for any other content. */
export function weightOf(content: string): number | undefined {
  const match = new RegExp(
    `^${HEADER_PREFIX.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (\\d+(?:\\.\\d+)?)%`,
  ).exec(content);
  return match ? Number(match[1]) : undefined;
}
