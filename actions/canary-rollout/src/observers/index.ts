/**
 * The observer registry: the `observer` input names one, `observer-config` configures it (validated
 * against the observer's schema). To add an observer, implement {@link Observer} in a file of its own
 * and add one entry to {@link OBSERVERS}.
 */
import { UserError, validateOrThrow, type JsonSchema } from '@modelops/core';
import type { MetricCheck } from '../analysis.ts';
import type { Observer } from './types.ts';
import { PROMETHEUS_CONFIG_SCHEMA, PrometheusObserver, type PrometheusConfig } from './prometheus.ts';
import {
  FILE_OBSERVER_CONFIG_SCHEMA,
  GateReportObserver,
  MetricsFileObserver,
  type FileObserverConfig,
} from './files.ts';

export type { Observer, MeasureContext } from './types.ts';

/** What an observer factory gets besides its config. */
export interface ObserverContext {
  /** Workspace that relative paths are resolved against. */
  cwd: string;
  /** Debug log. */
  log?: (line: string) => void;
}

interface ObserverEntry {
  /** Schema of its `observer-config`; undefined when it takes none. */
  schema?: JsonSchema;
  create(config: unknown, context: ObserverContext): Observer;
}

/** No analysis: every check passes after its interval. Metric checks are refused. */
class NoObserver implements Observer {
  readonly kind = 'none';
  readonly description = 'no analysis (each step waits its interval, then advances)';
  validate(checks: readonly MetricCheck[]): void {
    if (checks.length > 0) {
      throw new UserError(`Input 'metrics' lists ${checks.length} check(s) but no observer reads them.`, {
        input: 'observer',
        fix: 'Set `observer:` to prometheus, metrics-file or gate-report (with its observer-config), or remove `metrics`.',
      });
    }
  }
  async measure(): Promise<never> {
    throw new Error('internal: the none observer measures nothing');
  }
}

/** Every observer, by the name the `observer` input uses. */
export const OBSERVERS: Record<string, ObserverEntry> = {
  none: { create: () => new NoObserver() },
  prometheus: {
    schema: PROMETHEUS_CONFIG_SCHEMA,
    create: (config, context) =>
      new PrometheusObserver(config as PrometheusConfig, context.log ? { log: context.log } : {}),
  },
  'metrics-file': {
    schema: FILE_OBSERVER_CONFIG_SCHEMA,
    create: (config, context) => new MetricsFileObserver(config as FileObserverConfig, context.cwd),
  },
  'gate-report': {
    schema: FILE_OBSERVER_CONFIG_SCHEMA,
    create: (config, context) => new GateReportObserver(config as FileObserverConfig, context.cwd),
  },
};

/** Names the `observer` input accepts. */
export const OBSERVER_KINDS = Object.keys(OBSERVERS);

/** Creates the observer `kind` from its (parsed, not yet validated) config. */
export function createObserver(kind: string, config: unknown, context: ObserverContext): Observer {
  const entry = OBSERVERS[kind];
  if (!entry) throw new Error(`internal: unknown observer ${kind}`);
  if (!entry.schema) {
    if (config !== undefined && config !== null) {
      throw new UserError(`Input 'observer-config' is given but observer '${kind}' takes none.`, {
        input: 'observer-config',
        fix: 'Remove `observer-config`, or choose the observer it was written for.',
      });
    }
    return entry.create(undefined, context);
  }
  const valid = validateOrThrow(entry.schema, config ?? {}, {
    input: 'observer-config',
    what: `${kind} observer config`,
  });
  return entry.create(valid, context);
}
