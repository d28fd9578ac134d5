/**
 * The `command` router: runs the workflow's own command for each traffic change, for any router this
 * action does not know (kubectl patch of a KServe InferenceService or an Istio VirtualService, a
 * feature-flag CLI, a cloud endpoint's traffic split…).
 *
 * The values come in the environment, never spliced into the command text:
 *
 * | variable | value |
 * |---|---|
 * | `ROLLOUT_ACTION` | `set-weight`, `promote`, `rollback`, or `prepare` (run only when `prepare:` is given) |
 * | `ROLLOUT_WEIGHT` | canary percent (0–100) the command must apply |
 * | `ROLLOUT_STABLE_WEIGHT` | 100 − `ROLLOUT_WEIGHT` |
 * | `ROLLOUT_CANARY`, `ROLLOUT_STABLE` | the version labels (`model` and `stable` inputs) |
 * | `ROLLOUT_STEP`, `ROLLOUT_STEPS` | step number (1-based; 0 outside steps) and number of steps |
 * | `ROLLOUT_NAME` | the rollout name |
 *
 * A command that exits non-zero fails the call (and the rollout rolls back, or the step fails when
 * the rollback command itself fails).
 */
import { UserError, parseDuration, validateOrThrow, type JsonSchema } from '@modelops/core';
import { runProgram } from '../process.ts';
import type { PreparedRollout, Router, StepInfo } from './types.ts';

/** `router-config` of the command router. */
export interface CommandConfig {
  /** Run for every action (`ROLLOUT_ACTION` tells which) unless a per-action command is set. */
  command?: string;
  prepare?: string;
  'set-weight'?: string;
  promote?: string;
  rollback?: string;
  /** Shell that runs the commands (default `bash`, with `-eo pipefail`; `sh` runs with `-e`). */
  shell?: 'bash' | 'sh';
  /** Timeout of each command (default `5m`). */
  timeout?: string;
}

/** JSON Schema of {@link CommandConfig}. */
export const COMMAND_CONFIG_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    command: { type: 'string', minLength: 1 },
    prepare: { type: 'string', minLength: 1 },
    'set-weight': { type: 'string', minLength: 1 },
    promote: { type: 'string', minLength: 1 },
    rollback: { type: 'string', minLength: 1 },
    shell: { enum: ['bash', 'sh'] },
    timeout: { type: 'string' },
  },
  additionalProperties: false,
};

type Action = 'prepare' | 'set-weight' | 'promote' | 'rollback';

/** Options of {@link CommandRouter}. */
export interface CommandRouterOptions {
  config: CommandConfig;
  cwd: string;
  name: string;
  stable: string;
  canary: string;
  /** Step count of the plan. */
  steps: number;
  log?: (line: string) => void;
}

/** Runs the workflow's commands; see the module comment. */
export class CommandRouter implements Router {
  readonly kind = 'command';
  readonly description: string;
  private readonly config: CommandConfig;
  private readonly options: CommandRouterOptions;
  private readonly timeoutMs: number;

  constructor(options: CommandRouterOptions) {
    const config = validateOrThrow<CommandConfig>(COMMAND_CONFIG_SCHEMA, options.config, {
      input: 'router-config',
      what: 'command router config',
    });
    const missing = (['set-weight', 'promote', 'rollback'] as const).filter(
      (a) => !config[a] && !config.command,
    );
    if (missing.length > 0) {
      throw new UserError(`router-config has no command for ${missing.join(', ')}.`, {
        input: 'router-config',
        fix: 'Give `command:` (run for every action, with ROLLOUT_ACTION and ROLLOUT_WEIGHT in its environment), or one command per action.',
      });
    }
    const timeoutMs = parseDuration(config.timeout ?? '5m');
    if (timeoutMs === undefined || timeoutMs <= 0) {
      throw new UserError(`router-config timeout '${config.timeout}' is not a duration.`, {
        input: 'router-config',
        fix: 'Write a duration such as `2m`.',
      });
    }
    this.config = config;
    this.options = options;
    this.timeoutMs = timeoutMs;
    this.description = `command (${config.shell ?? 'bash'})`;
  }

  private async run(action: Action, weight: number, step: StepInfo): Promise<void> {
    const script = this.config[action] ?? (action === 'prepare' ? undefined : this.config.command);
    if (!script) return;
    const shell = this.config.shell ?? 'bash';
    const argv = shell === 'bash' ? ['bash', '-eo', 'pipefail', '-c', script] : ['sh', '-e', '-c', script];
    const result = await runProgram(argv, {
      service: 'command router',
      call: action,
      cwd: this.options.cwd,
      timeoutMs: this.timeoutMs,
      env: {
        ROLLOUT_ACTION: action,
        ROLLOUT_WEIGHT: String(weight),
        ROLLOUT_STABLE_WEIGHT: String(100 - weight),
        ROLLOUT_CANARY: this.options.canary,
        ROLLOUT_STABLE: this.options.stable,
        ROLLOUT_STEP: String(step.step),
        ROLLOUT_STEPS: String(step.steps),
        ROLLOUT_NAME: this.options.name,
      },
      fix: `Fix the ${action} command in router-config; its output is above.`,
    });
    const output = `${result.stdout}${result.stderr}`.trim();
    if (output) this.options.log?.(`command router ${action}: ${output}`);
  }

  private outside(): StepInfo {
    return { step: 0, steps: this.options.steps };
  }

  async prepare(): Promise<PreparedRollout> {
    await this.run('prepare', 0, this.outside());
    return { stable: this.options.stable, canary: this.options.canary, alreadyStable: false, memo: {} };
  }

  async setWeight(weight: number, step: StepInfo): Promise<void> {
    await this.run('set-weight', weight, step);
  }

  async promote(): Promise<void> {
    await this.run('promote', 100, this.outside());
  }

  async rollback(): Promise<void> {
    await this.run('rollback', 0, this.outside());
  }
}
