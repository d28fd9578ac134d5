/**
 * The `nginx` router: writes a weighted `split_clients` block or a weighted `upstream` to a file the
 * nginx configuration includes (see nginx-config.ts), checks the whole configuration with `nginx -t`,
 * and applies it with `nginx -s reload` (a graceful reload: open connections finish on the old
 * workers). When `nginx -t` refuses the new file, the previous file is put back and the step fails
 * with nginx's message, so a broken split never reaches a reload.
 *
 * Promotion sends 100 % to the canary servers; make them the stable side in the next deploy.
 */
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { UserError, validateOrThrow, writeFileAtomic, type JsonSchema } from '@modelops/core';
import { runProgram } from '../process.ts';
import { renderSplit, weightOf, type NginxSplitSettings } from './nginx-config.ts';
import type { PreparedRollout, Router } from './types.ts';

/** `router-config` of the nginx router. */
export interface NginxConfig {
  /** The file the router owns (included by nginx.conf), relative to the workspace or absolute. */
  file: string;
  mode?: 'split-clients' | 'upstream';
  /** split-clients: the hash key (default `${request_id}`: each request is drawn on its own). */
  key?: string;
  /** split-clients: the variable set (without `$`, default `model_pool`). */
  variable?: string;
  /** split-clients: upstream names (default `stable` and `canary`). */
  'stable-upstream'?: string;
  'canary-upstream'?: string;
  /** upstream: the upstream name (default `model`). */
  upstream?: string;
  /** upstream: `host:port` of the stable and canary servers. */
  'stable-servers'?: string[];
  'canary-servers'?: string[];
  /** upstream: extra server parameters, e.g. `max_fails=3 fail_timeout=10s`. */
  'server-parameters'?: string;
  /** The nginx binary (default `nginx`). */
  nginx?: string;
  /** Arguments put before `-t` and `-s reload`, e.g. `[-c, /etc/nginx/nginx.conf]`. */
  args?: string[];
  /** Run `nginx -t` before every reload (default true). */
  test?: boolean;
  /** Timeout of each nginx call (default `30s`). */
  timeout?: string;
}

const NAME = '^[A-Za-z_][A-Za-z0-9_]*$';
const UPSTREAM = '^[A-Za-z0-9_.-]+$';

/** JSON Schema of {@link NginxConfig}. */
export const NGINX_CONFIG_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    file: { type: 'string', minLength: 1 },
    mode: { enum: ['split-clients', 'upstream'] },
    key: { type: 'string', pattern: '^[^"\\n;{}]+$' },
    variable: { type: 'string', pattern: NAME },
    'stable-upstream': { type: 'string', pattern: UPSTREAM },
    'canary-upstream': { type: 'string', pattern: UPSTREAM },
    upstream: { type: 'string', pattern: UPSTREAM },
    'stable-servers': {
      type: 'array',
      minItems: 1,
      items: { type: 'string', pattern: '^[A-Za-z0-9_.:\\[\\]-]+$' },
    },
    'canary-servers': {
      type: 'array',
      minItems: 1,
      items: { type: 'string', pattern: '^[A-Za-z0-9_.:\\[\\]-]+$' },
    },
    'server-parameters': { type: 'string', pattern: '^[A-Za-z0-9_=. ]*$' },
    nginx: { type: 'string', minLength: 1 },
    args: { type: 'array', items: { type: 'string' } },
    test: { type: 'boolean' },
    timeout: { type: 'string' },
  },
  required: ['file'],
  additionalProperties: false,
};

/** Options of {@link NginxRouter}. */
export interface NginxRouterOptions {
  config: NginxConfig;
  /** Workspace that a relative `file` is resolved against. */
  cwd: string;
  /** Labels of the versions, for the record. */
  stable: string;
  canary: string;
  /** Timeout of each nginx call in ms (default from config, else 30 s). */
  timeoutMs?: number;
  log?: (line: string) => void;
}

function settingsOf(config: NginxConfig): NginxSplitSettings {
  const mode = config.mode ?? 'split-clients';
  const foreign =
    mode === 'split-clients'
      ? (['upstream', 'stable-servers', 'canary-servers', 'server-parameters'] as const)
      : (['key', 'variable', 'stable-upstream', 'canary-upstream'] as const);
  for (const field of foreign) {
    if (config[field] !== undefined) {
      throw new UserError(`router-config '${field}' does not apply to nginx mode '${mode}'.`, {
        input: 'router-config',
        fix:
          mode === 'split-clients'
            ? 'Set `mode: upstream` to write a weighted upstream, or remove the field.'
            : 'Remove the field (split_clients settings), or use `mode: split-clients`.',
      });
    }
  }
  if (mode === 'split-clients') {
    const stableUpstream = config['stable-upstream'] ?? 'stable';
    const canaryUpstream = config['canary-upstream'] ?? 'canary';
    if (stableUpstream === canaryUpstream) {
      throw new UserError(
        `router-config: 'stable-upstream' and 'canary-upstream' are both '${stableUpstream}'.`,
        {
          input: 'router-config',
          fix: 'Name two different upstreams.',
        },
      );
    }
    return {
      mode,
      key: config.key ?? '${request_id}',
      variable: config.variable ?? 'model_pool',
      stableUpstream,
      canaryUpstream,
    };
  }
  const stableServers = config['stable-servers'];
  const canaryServers = config['canary-servers'];
  if (!stableServers || !canaryServers) {
    throw new UserError(
      "nginx mode 'upstream' needs 'stable-servers' and 'canary-servers' in router-config.",
      {
        input: 'router-config',
        fix: 'List the `host:port` of each side, e.g. `stable-servers: [10.0.0.1:8080]` and `canary-servers: [10.0.0.2:8080]`.',
      },
    );
  }
  return {
    mode,
    upstream: config.upstream ?? 'model',
    stableServers,
    canaryServers,
    ...(config['server-parameters'] ? { serverParameters: config['server-parameters'] } : {}),
  };
}

/** Writes the split file and reloads nginx; see the module comment. */
export class NginxRouter implements Router {
  readonly kind = 'nginx';
  readonly description: string;
  private readonly file: string;
  private readonly settings: NginxSplitSettings;
  private readonly binary: string;
  private readonly args: string[];
  private readonly test: boolean;
  private readonly timeoutMs: number;
  private readonly labels: { stable: string; canary: string };
  private readonly log: ((line: string) => void) | undefined;

  constructor(options: NginxRouterOptions) {
    const config = validateOrThrow<NginxConfig>(NGINX_CONFIG_SCHEMA, options.config, {
      input: 'router-config',
      what: 'nginx router config',
    });
    this.settings = settingsOf(config);
    this.file = path.resolve(options.cwd, config.file);
    this.binary = config.nginx ?? 'nginx';
    this.args = config.args ?? [];
    this.test = config.test ?? true;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.labels = { stable: options.stable, canary: options.canary };
    this.log = options.log;
    this.description = `nginx ${this.settings.mode} in ${config.file}`;
  }

  private async nginx(call: string, ...extra: string[]): Promise<void> {
    await runProgram([this.binary, ...this.args, ...extra], {
      service: 'nginx',
      call,
      timeoutMs: this.timeoutMs,
      fix:
        call === 'reload'
          ? 'Check that nginx runs and that `nginx -s reload` works for this user with the same `args` (the pid file must be readable).'
          : `Fix the nginx configuration that includes ${this.file}; nginx's message is above.`,
    });
  }

  /** Writes the split for `weight`, tests the configuration, reloads. */
  private async apply(weight: number): Promise<void> {
    const previous = existsSync(this.file) ? await readFile(this.file, 'utf8') : undefined;
    await writeFileAtomic(this.file, renderSplit(this.settings, weight));
    if (this.test) {
      try {
        await this.nginx('test the configuration', '-t');
      } catch (error) {
        if (previous === undefined) await rm(this.file, { force: true });
        else await writeFileAtomic(this.file, previous);
        throw error;
      }
    }
    await this.nginx('reload', '-s', 'reload');
    this.log?.(`nginx: canary weight ${weight}% written to ${this.file} and reloaded`);
  }

  async prepare(): Promise<PreparedRollout> {
    const current = existsSync(this.file) ? weightOf(await readFile(this.file, 'utf8')) : undefined;
    const warnings: string[] = [];
    if (current === undefined) {
      // First use (or a file written by hand): start from "everything on stable".
      await this.apply(0);
    } else {
      if (current > 0) {
        warnings.push(
          `${this.file} sends ${current}% to the canary side now (an earlier rollout${current === 100 ? ' was promoted' : ' did not finish'}); ` +
            'this rollout starts from the stable side. After a promotion, swap the stable and canary sides in router-config.',
        );
      }
      if (this.test) await this.nginx('test the configuration', '-t');
    }
    return {
      stable: this.labels.stable,
      canary: this.labels.canary,
      alreadyStable: false,
      memo: {},
      ...(warnings.length > 0 ? { warnings } : {}),
    };
  }

  async setWeight(weight: number): Promise<void> {
    await this.apply(weight);
  }

  async promote(): Promise<void> {
    await this.apply(100);
  }

  async rollback(): Promise<void> {
    await this.apply(0);
  }
}
