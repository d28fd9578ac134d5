import { U as UserError, R as RemoteError, B as validateOrThrow, C as parseDuration, D as writeFileAtomic, E as parseStructured, F as readConfigFile, H as HttpClient, G as formatDuration, a as HttpError, x as readDocument, u as describeError, I as didYouMean, J as getInput, K as getOptionalInput, L as getIntegerInput, M as getDurationInput, N as getListInput, O as getChoiceInput, P as getBooleanInput, Q as createDeployment, S as setDeploymentStatus, T as escapeCell, V as markdownTable, W as details, z as readContext, y as writeDocument, X as documentProducer, b as debug, i as info, w as warning, Y as appendJobSummary, Z as publishDocument, _ as createGitHubClient } from '../../../dist/shared.js';
import 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import 'node:zlib';
import 'node:os';
import 'node:url';
import { p as parseModelUri, v as validateAliasName, a as validateKey, c as createMlflowClient } from '../../../dist/shared-canary-rollout_model-gate_trigger-retrain.js';
import { spawn } from 'node:child_process';

const STRATEGIES = ["canary", "blue-green"];
const DEFAULT_WEIGHTS = [10, 25, 50];
const DEFAULT_MAX_WEIGHT = 50;
function parseWeight(text) {
  const value = Number(text.replace(/%$/, ""));
  if (!/^\d+(\.\d+)?%?$/.test(text) || !Number.isInteger(value) || value < 1 || value > 100) {
    throw new UserError(`Input 'steps' has '${text}', which is not a whole percentage from 1 to 100.`, {
      input: "steps",
      fix: "List whole percentages in increasing order, e.g. `steps: 10,25,50`."
    });
  }
  return value;
}
function generatedWeights(step, max) {
  const weights = [];
  for (let weight = step; weight < max; weight += step) weights.push(weight);
  weights.push(max);
  return weights;
}
function buildPlan(inputs) {
  const { strategy } = inputs;
  const common = {
    strategy,
    intervalMs: inputs.intervalMs,
    iterations: inputs.iterations,
    threshold: inputs.threshold,
    inconclusiveLimit: inputs.inconclusiveLimit
  };
  if (strategy === "blue-green") {
    const extra = inputs.steps.length > 0 ? "steps" : inputs.stepWeight !== void 0 ? "step-weight" : void 0;
    if (extra) {
      throw new UserError(`Input '${extra}' does not apply to \`strategy: blue-green\`.`, {
        input: extra,
        fix: "Blue-green checks the new version at 0 % (preview) and at 100 %; remove the input, or use `strategy: canary`."
      });
    }
    return { ...common, weights: [0, 100] };
  }
  if (inputs.steps.length > 0 && inputs.stepWeight !== void 0) {
    throw new UserError("Inputs 'steps' and 'step-weight' both define the canary weights.", {
      input: "step-weight",
      fix: "Keep one: `steps: 10,25,50` or `step-weight: 10` with `max-weight: 50`."
    });
  }
  if (inputs.maxWeight !== void 0 && inputs.stepWeight === void 0) {
    throw new UserError("Input 'max-weight' needs 'step-weight'.", {
      input: "max-weight",
      fix: "Add `step-weight:` (e.g. 10), or list the weights with `steps:` instead."
    });
  }
  let weights;
  if (inputs.steps.length > 0) {
    weights = inputs.steps.map(parseWeight);
    for (let i = 1; i < weights.length; i++) {
      if (weights[i] <= weights[i - 1]) {
        throw new UserError(`Input 'steps' must increase, but ${weights[i]} follows ${weights[i - 1]}.`, {
          input: "steps",
          fix: "List the canary weights in increasing order, e.g. `steps: 10,25,50,100`."
        });
      }
    }
  } else if (inputs.stepWeight !== void 0) {
    const max = inputs.maxWeight ?? DEFAULT_MAX_WEIGHT;
    if (inputs.stepWeight > max) {
      throw new UserError(
        `Input 'step-weight' (${inputs.stepWeight}) is larger than 'max-weight' (${max}).`,
        {
          input: "step-weight",
          fix: "Make `step-weight` at most `max-weight`."
        }
      );
    }
    weights = generatedWeights(inputs.stepWeight, max);
  } else {
    weights = [...DEFAULT_WEIGHTS];
  }
  return { ...common, weights };
}

function tail(text, lines = 12) {
  return text.trim().split("\n").slice(-lines).join("\n");
}
function runProgram(argv, options) {
  const [command, ...args] = argv;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"]
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d) => stdout = (stdout + d).slice(-16384));
    child.stderr.setEncoding("utf8").on("data", (d) => stderr = (stderr + d).slice(-16384));
    const timeoutMs = options.timeoutMs ?? 3e5;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(
        new RemoteError(
          error.code === "ENOENT" ? `'${command}' was not found on the PATH.` : `'${command}' could not start: ${error.message}`,
          {
            service: options.service,
            call: options.call,
            fix: options.fix ?? `Install ${command} on the runner, or give its full path.`,
            cause: error
          }
        )
      );
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) {
        resolve({ stdout, stderr });
        return;
      }
      const how = timedOut ? `timed out after ${Math.round(timeoutMs / 1e3)} s` : signal ? `was killed by ${signal}` : `exited with status ${code}`;
      const output = tail(stderr) || tail(stdout);
      reject(
        new RemoteError(`${argv.join(" ")} ${how}${output ? `:
${output}` : ""}`, {
          service: options.service,
          call: options.call,
          ...options.fix ? { fix: options.fix } : {}
        })
      );
    });
  });
}

const COMMAND_CONFIG_SCHEMA = {
  type: "object",
  properties: {
    command: { type: "string", minLength: 1 },
    prepare: { type: "string", minLength: 1 },
    "set-weight": { type: "string", minLength: 1 },
    promote: { type: "string", minLength: 1 },
    rollback: { type: "string", minLength: 1 },
    shell: { enum: ["bash", "sh"] },
    timeout: { type: "string" }
  },
  additionalProperties: false
};
class CommandRouter {
  kind = "command";
  description;
  config;
  options;
  timeoutMs;
  constructor(options) {
    const config = validateOrThrow(COMMAND_CONFIG_SCHEMA, options.config, {
      input: "router-config",
      what: "command router config"
    });
    const missing = ["set-weight", "promote", "rollback"].filter(
      (a) => !config[a] && !config.command
    );
    if (missing.length > 0) {
      throw new UserError(`router-config has no command for ${missing.join(", ")}.`, {
        input: "router-config",
        fix: "Give `command:` (run for every action, with ROLLOUT_ACTION and ROLLOUT_WEIGHT in its environment), or one command per action."
      });
    }
    const timeoutMs = parseDuration(config.timeout ?? "5m");
    if (timeoutMs === void 0 || timeoutMs <= 0) {
      throw new UserError(`router-config timeout '${config.timeout}' is not a duration.`, {
        input: "router-config",
        fix: "Write a duration such as `2m`."
      });
    }
    this.config = config;
    this.options = options;
    this.timeoutMs = timeoutMs;
    this.description = `command (${config.shell ?? "bash"})`;
  }
  async run(action, weight, step) {
    const script = this.config[action] ?? (action === "prepare" ? void 0 : this.config.command);
    if (!script) return;
    const shell = this.config.shell ?? "bash";
    const argv = shell === "bash" ? ["bash", "-eo", "pipefail", "-c", script] : ["sh", "-e", "-c", script];
    const result = await runProgram(argv, {
      service: "command router",
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
        ROLLOUT_NAME: this.options.name
      },
      fix: `Fix the ${action} command in router-config; its output is above.`
    });
    const output = `${result.stdout}${result.stderr}`.trim();
    if (output) this.options.log?.(`command router ${action}: ${output}`);
  }
  outside() {
    return { step: 0, steps: this.options.steps };
  }
  async prepare() {
    await this.run("prepare", 0, this.outside());
    return { stable: this.options.stable, canary: this.options.canary, alreadyStable: false, memo: {} };
  }
  async setWeight(weight, step) {
    await this.run("set-weight", weight, step);
  }
  async promote() {
    await this.run("promote", 100, this.outside());
  }
  async rollback() {
    await this.run("rollback", 0, this.outside());
  }
}

const MLFLOW_ALIAS_CONFIG_SCHEMA = {
  type: "object",
  properties: {
    "stable-alias": { type: "string", minLength: 1 },
    "canary-alias": { type: "string", minLength: 1 },
    "traffic-tag": { type: "string", minLength: 1 }
  },
  additionalProperties: false
};
const ROLLOUT_VERSION_TAG = "modelops.rollout";
function checked(kind, value, field) {
  try {
    if (kind === "alias") validateAliasName(value);
    else validateKey("tag", value);
  } catch (error) {
    throw new UserError(`router-config '${field}': ${error.message}`, {
      input: "router-config",
      fix: `Use a valid MLflow ${kind} name for \`${field}\` (letters, digits, _ and -${kind === "tag" ? ", . / and spaces" : ""}).`
    });
  }
  return value;
}
class MlflowAliasRouter {
  kind = "mlflow-alias";
  description;
  client;
  stableAlias;
  canaryAlias;
  trafficTag;
  modelInput;
  name;
  memo;
  env;
  log;
  constructor(options) {
    const config = validateOrThrow(MLFLOW_ALIAS_CONFIG_SCHEMA, options.config, {
      input: "router-config",
      what: "mlflow-alias router config"
    });
    this.client = options.client;
    this.stableAlias = checked("alias", config["stable-alias"] ?? "champion", "stable-alias");
    this.canaryAlias = checked("alias", config["canary-alias"] ?? "challenger", "canary-alias");
    this.trafficTag = checked("tag", config["traffic-tag"] ?? "modelops.traffic", "traffic-tag");
    if (this.stableAlias === this.canaryAlias) {
      throw new UserError(
        `router-config: 'stable-alias' and 'canary-alias' are both '${this.stableAlias}'.`,
        {
          input: "router-config",
          fix: "Use two different aliases, e.g. champion and challenger."
        }
      );
    }
    this.modelInput = options.model;
    const uri = parseModelUri(options.model, "model");
    if (uri.kind !== "model-version" && uri.kind !== "model-alias") {
      throw new UserError(
        `Input 'model' must name a registered model version for router mlflow-alias, got '${options.model}'.`,
        {
          input: "model",
          fix: "Write `models:/<name>/<version>` or `models:/<name>@<alias>` (e.g. models:/churn@challenger)."
        }
      );
    }
    this.name = uri.name;
    this.memo = options.memo;
    this.env = options.env;
    this.log = options.log;
    this.description = `MLflow aliases of '${this.name}' (${this.stableAlias} / ${this.canaryAlias}, tag ${this.trafficTag}) at ${this.client.trackingUri}`;
  }
  /** The registered model name. */
  get model() {
    return this.name;
  }
  label(version) {
    return `models:/${this.name}/${version}`;
  }
  facts() {
    if (!this.memo?.canary) throw new Error("internal: mlflow-alias router used before prepare()");
    return { canary: this.memo.canary, stable: this.memo.stable || void 0 };
  }
  async prepare() {
    const uri = parseModelUri(this.modelInput, "model");
    let canary;
    if (uri.kind === "model-version") canary = await this.client.getModelVersion(uri.name, uri.version);
    else if (uri.kind === "model-alias")
      canary = await this.client.getModelVersionByAlias(uri.name, uri.alias);
    else throw new Error("internal: model URI kind checked in the constructor");
    const stable = await this.client.findModelVersionByAlias(this.name, this.stableAlias);
    this.memo = { model: this.name, canary: canary.version, stable: stable?.version ?? "" };
    return {
      stable: stable ? this.label(stable.version) : null,
      canary: this.label(canary.version),
      alreadyStable: stable?.version === canary.version,
      memo: this.memo,
      versions: { canary: canary.version, stable: stable?.version ?? null }
    };
  }
  async writeTraffic(split) {
    await this.client.setRegisteredModelTag(this.name, this.trafficTag, JSON.stringify(split));
  }
  async setWeight(weight) {
    const { canary, stable } = this.facts();
    await this.client.setRegisteredModelAlias(this.name, this.canaryAlias, canary);
    const split = {};
    if (stable !== void 0) split[stable] = 100 - weight;
    split[canary] = weight;
    await this.writeTraffic(split);
  }
  async promote() {
    const { canary } = this.facts();
    await this.client.setRegisteredModelAlias(this.name, this.stableAlias, canary);
    await this.client.deleteRegisteredModelAlias(this.name, this.canaryAlias);
    await this.writeTraffic({ [canary]: 100 });
    await this.client.setModelVersionTag(this.name, canary, ROLLOUT_VERSION_TAG, "promoted");
  }
  async rollback() {
    const { canary, stable } = this.facts();
    if (stable !== void 0) {
      await this.client.setRegisteredModelAlias(this.name, this.stableAlias, stable);
    } else {
      const current = await this.client.findModelVersionByAlias(this.name, this.stableAlias);
      if (current?.version === canary)
        await this.client.deleteRegisteredModelAlias(this.name, this.stableAlias);
    }
    const aliased = await this.client.findModelVersionByAlias(this.name, this.canaryAlias);
    if (aliased?.version === canary)
      await this.client.deleteRegisteredModelAlias(this.name, this.canaryAlias);
    await this.writeTraffic(stable === void 0 ? {} : { [stable]: 100 });
    await this.client.setModelVersionTag(this.name, canary, ROLLOUT_VERSION_TAG, "rolled-back");
  }
}

const HEADER_PREFIX = "# modelops canary-rollout: canary weight";
function gcd(a, b) {
  return b === 0 ? a : gcd(b, a % b);
}
function percent(weight) {
  return `${Number(weight.toFixed(2))}%`;
}
function upstreamWeights(weight, stableCount, canaryCount) {
  const stable = Math.round((100 - weight) * 100) * canaryCount;
  const canary = Math.round(weight * 100) * stableCount;
  const divisor = gcd(stable, canary) || 1;
  return { stable: stable / divisor, canary: canary / divisor };
}
function renderSplit(settings, weight) {
  const header = `${HEADER_PREFIX} ${weight}% (do not edit: the next rollout step rewrites this file)
`;
  if (settings.mode === "split-clients") {
    const lines = weight <= 0 ? [`    * ${settings.stableUpstream};`] : weight >= 100 ? [`    * ${settings.canaryUpstream};`] : [`    ${percent(weight)} ${settings.canaryUpstream};`, `    * ${settings.stableUpstream};`];
    return `${header}split_clients "${settings.key}" $${settings.variable} {
${lines.join("\n")}
}
`;
  }
  const parameters = settings.serverParameters ? ` ${settings.serverParameters}` : "";
  const { stable, canary } = upstreamWeights(
    weight,
    settings.stableServers.length,
    settings.canaryServers.length
  );
  const servers = [
    ...weight < 100 ? settings.stableServers.map((s) => `    server ${s} weight=${stable}${parameters};`) : [],
    ...weight > 0 ? settings.canaryServers.map((s) => `    server ${s} weight=${canary}${parameters};`) : []
  ];
  return `${header}upstream ${settings.upstream} {
${servers.join("\n")}
}
`;
}
function weightOf(content) {
  const match = new RegExp(
    `^${HEADER_PREFIX.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} (\\d+(?:\\.\\d+)?)%`
  ).exec(content);
  return match ? Number(match[1]) : void 0;
}

const NAME = "^[A-Za-z_][A-Za-z0-9_]*$";
const UPSTREAM = "^[A-Za-z0-9_.-]+$";
const NGINX_CONFIG_SCHEMA = {
  type: "object",
  properties: {
    file: { type: "string", minLength: 1 },
    mode: { enum: ["split-clients", "upstream"] },
    key: { type: "string", pattern: '^[^"\\n;{}]+$' },
    variable: { type: "string", pattern: NAME },
    "stable-upstream": { type: "string", pattern: UPSTREAM },
    "canary-upstream": { type: "string", pattern: UPSTREAM },
    upstream: { type: "string", pattern: UPSTREAM },
    "stable-servers": {
      type: "array",
      minItems: 1,
      items: { type: "string", pattern: "^[A-Za-z0-9_.:\\[\\]-]+$" }
    },
    "canary-servers": {
      type: "array",
      minItems: 1,
      items: { type: "string", pattern: "^[A-Za-z0-9_.:\\[\\]-]+$" }
    },
    "server-parameters": { type: "string", pattern: "^[A-Za-z0-9_=. ]*$" },
    nginx: { type: "string", minLength: 1 },
    args: { type: "array", items: { type: "string" } },
    test: { type: "boolean" },
    timeout: { type: "string" }
  },
  required: ["file"],
  additionalProperties: false
};
function settingsOf(config) {
  const mode = config.mode ?? "split-clients";
  const foreign = mode === "split-clients" ? ["upstream", "stable-servers", "canary-servers", "server-parameters"] : ["key", "variable", "stable-upstream", "canary-upstream"];
  for (const field of foreign) {
    if (config[field] !== void 0) {
      throw new UserError(`router-config '${field}' does not apply to nginx mode '${mode}'.`, {
        input: "router-config",
        fix: mode === "split-clients" ? "Set `mode: upstream` to write a weighted upstream, or remove the field." : "Remove the field (split_clients settings), or use `mode: split-clients`."
      });
    }
  }
  if (mode === "split-clients") {
    const stableUpstream = config["stable-upstream"] ?? "stable";
    const canaryUpstream = config["canary-upstream"] ?? "canary";
    if (stableUpstream === canaryUpstream) {
      throw new UserError(
        `router-config: 'stable-upstream' and 'canary-upstream' are both '${stableUpstream}'.`,
        {
          input: "router-config",
          fix: "Name two different upstreams."
        }
      );
    }
    return {
      mode,
      key: config.key ?? "${request_id}",
      variable: config.variable ?? "model_pool",
      stableUpstream,
      canaryUpstream
    };
  }
  const stableServers = config["stable-servers"];
  const canaryServers = config["canary-servers"];
  if (!stableServers || !canaryServers) {
    throw new UserError(
      "nginx mode 'upstream' needs 'stable-servers' and 'canary-servers' in router-config.",
      {
        input: "router-config",
        fix: "List the `host:port` of each side, e.g. `stable-servers: [10.0.0.1:8080]` and `canary-servers: [10.0.0.2:8080]`."
      }
    );
  }
  return {
    mode,
    upstream: config.upstream ?? "model",
    stableServers,
    canaryServers,
    ...config["server-parameters"] ? { serverParameters: config["server-parameters"] } : {}
  };
}
class NginxRouter {
  kind = "nginx";
  description;
  file;
  settings;
  binary;
  args;
  test;
  timeoutMs;
  labels;
  log;
  constructor(options) {
    const config = validateOrThrow(NGINX_CONFIG_SCHEMA, options.config, {
      input: "router-config",
      what: "nginx router config"
    });
    this.settings = settingsOf(config);
    this.file = path.resolve(options.cwd, config.file);
    this.binary = config.nginx ?? "nginx";
    this.args = config.args ?? [];
    this.test = config.test ?? true;
    this.timeoutMs = options.timeoutMs ?? 3e4;
    this.labels = { stable: options.stable, canary: options.canary };
    this.log = options.log;
    this.description = `nginx ${this.settings.mode} in ${config.file}`;
  }
  async nginx(call, ...extra) {
    await runProgram([this.binary, ...this.args, ...extra], {
      service: "nginx",
      call,
      timeoutMs: this.timeoutMs,
      fix: call === "reload" ? "Check that nginx runs and that `nginx -s reload` works for this user with the same `args` (the pid file must be readable)." : `Fix the nginx configuration that includes ${this.file}; nginx's message is above.`
    });
  }
  /** Writes the split for `weight`, tests the configuration, reloads. */
  async apply(weight) {
    const previous = existsSync(this.file) ? await readFile(this.file, "utf8") : void 0;
    await writeFileAtomic(this.file, renderSplit(this.settings, weight));
    if (this.test) {
      try {
        await this.nginx("test the configuration", "-t");
      } catch (error) {
        if (previous === void 0) await rm(this.file, { force: true });
        else await writeFileAtomic(this.file, previous);
        throw error;
      }
    }
    await this.nginx("reload", "-s", "reload");
    this.log?.(`nginx: canary weight ${weight}% written to ${this.file} and reloaded`);
  }
  async prepare() {
    const current = existsSync(this.file) ? weightOf(await readFile(this.file, "utf8")) : void 0;
    const warnings = [];
    if (current === void 0) {
      await this.apply(0);
    } else {
      if (current > 0) {
        warnings.push(
          `${this.file} sends ${current}% to the canary side now (an earlier rollout${current === 100 ? " was promoted" : " did not finish"}); this rollout starts from the stable side. After a promotion, swap the stable and canary sides in router-config.`
        );
      }
      if (this.test) await this.nginx("test the configuration", "-t");
    }
    return {
      stable: this.labels.stable,
      canary: this.labels.canary,
      alreadyStable: false,
      memo: {},
      ...warnings.length > 0 ? { warnings } : {}
    };
  }
  async setWeight(weight) {
    await this.apply(weight);
  }
  async promote() {
    await this.apply(100);
  }
  async rollback() {
    await this.apply(0);
  }
}

const ROUTERS = {
  "mlflow-alias": {
    create: (config, context) => {
      if (context.stable) {
        throw new UserError("Input 'stable' does not apply to router mlflow-alias.", {
          input: "stable",
          fix: "Remove it: the stable version is the one the stable alias (router-config `stable-alias`, default champion) points at."
        });
      }
      return new MlflowAliasRouter({
        model: context.model,
        client: context.mlflow(),
        config: config ?? {},
        env: context.env,
        ...context.memo ? { memo: context.memo } : {},
        ...context.log ? { log: context.log } : {}
      });
    }
  },
  nginx: {
    create: (config, context) => new NginxRouter({
      config: requireConfig("nginx", config, "file: /etc/nginx/conf.d/model-split.conf"),
      cwd: context.cwd,
      stable: context.stable || "stable",
      canary: context.model,
      ...context.log ? { log: context.log } : {}
    })
  },
  command: {
    create: (config, context) => new CommandRouter({
      config: requireConfig("command", config, "command: ./deploy/route.sh"),
      cwd: context.cwd,
      name: context.name,
      stable: context.stable || "stable",
      canary: context.model,
      steps: context.steps,
      ...context.log ? { log: context.log } : {}
    })
  }
};
function requireConfig(kind, config, example) {
  if (config === void 0 || config === null) {
    throw new UserError(`Router '${kind}' needs 'router-config'.`, {
      input: "router-config",
      fix: `Add \`router-config: |\` with at least \`${example}\` (see docs/canary-rollout.md).`
    });
  }
  return config;
}
const ROUTER_KINDS = Object.keys(ROUTERS);
function createRouter(kind, config, context) {
  const entry = ROUTERS[kind];
  if (!entry) throw new Error(`internal: unknown router ${kind}`);
  return entry.create(config, context);
}

const METRICS_SCHEMA = {
  type: "array",
  items: {
    type: "object",
    properties: {
      name: { type: "string", minLength: 1, maxLength: 200 },
      query: { type: "string", minLength: 1 },
      key: { type: "string", minLength: 1 },
      min: { type: "number" },
      max: { type: "number" }
    },
    required: ["name"],
    additionalProperties: false
  }
};
async function readMetricChecks(value, cwd) {
  if (!value) return [];
  const parsed = parseStructured(value, { input: "metrics", what: "input 'metrics'" });
  let checks;
  if (typeof parsed === "string") {
    const file = path.resolve(cwd, parsed);
    if (!existsSync(file)) {
      throw new UserError(
        `Input 'metrics' is neither a list of metric checks nor an existing file ('${parsed}').`,
        {
          input: "metrics",
          fix: "Give the checks inline (`metrics: |` then `- name: error_rate` \u2026) or the path of a YAML file holding them."
        }
      );
    }
    const content = await readConfigFile(file, { input: "metrics", what: "metrics file" });
    const list = isRecord(content) && Array.isArray(content.metrics) ? content.metrics : content;
    checks = validateOrThrow(METRICS_SCHEMA, list, {
      input: "metrics",
      file: parsed,
      what: "metric checks"
    });
  } else {
    const list = isRecord(parsed) && Array.isArray(parsed.metrics) ? parsed.metrics : parsed;
    checks = validateOrThrow(METRICS_SCHEMA, list, {
      input: "metrics",
      what: "metric checks"
    });
  }
  const seen = /* @__PURE__ */ new Set();
  for (const check of checks) {
    if (check.min === void 0 && check.max === void 0) {
      throw new UserError(`Metric '${check.name}' has neither 'min' nor 'max', so it can never fail.`, {
        input: "metrics",
        fix: `Add \`min:\` and/or \`max:\` to '${check.name}' (inclusive bounds), or remove it.`
      });
    }
    if (check.min !== void 0 && check.max !== void 0 && check.min > check.max) {
      throw new UserError(`Metric '${check.name}' has min ${check.min} above max ${check.max}.`, {
        input: "metrics",
        fix: `Swap the bounds of '${check.name}'.`
      });
    }
    if (seen.has(check.name)) {
      throw new UserError(`Metric '${check.name}' is listed twice.`, {
        input: "metrics",
        fix: "Give every metric check its own name."
      });
    }
    seen.add(check.name);
  }
  return checks;
}
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function describeBounds(check) {
  if (check.min !== void 0 && check.max !== void 0) return `${check.min} \u2026 ${check.max}`;
  if (check.min !== void 0) return `\u2265 ${check.min}`;
  return `\u2264 ${check.max}`;
}
function formatValue(value) {
  if (value === null) return "no data";
  if (!Number.isFinite(value)) return value > 0 ? "+Inf" : "-Inf";
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}
function judge(check, measurement, at) {
  const base = {
    metric: check.name,
    at: at.toISOString(),
    ...check.min === void 0 ? {} : { min: check.min },
    ...check.max === void 0 ? {} : { max: check.max }
  };
  if (measurement.error !== void 0) {
    return { ...base, value: null, status: "error", message: measurement.error };
  }
  const { value } = measurement;
  if (value === null || Number.isNaN(value)) {
    return {
      ...base,
      value: null,
      status: "inconclusive",
      message: measurement.note ?? "no data: the metric has no value yet (no traffic, or the query matches nothing)"
    };
  }
  const low = check.min !== void 0 && value < check.min;
  const high = check.max !== void 0 && value > check.max;
  const recorded = Number.isFinite(value) ? value : null;
  if (low || high) {
    return {
      ...base,
      value: recorded,
      status: "failed",
      message: `${check.name} ${formatValue(value)} is ${low ? "below" : "above"} the bound ${describeBounds(check)}`
    };
  }
  return {
    ...base,
    value: recorded,
    status: "successful",
    message: `${check.name} ${formatValue(value)} within ${describeBounds(check)}`
  };
}
function checkOutcome(results) {
  if (results.some((r) => r.status === "failed")) return "failed";
  if (results.some((r) => r.status === "inconclusive" || r.status === "error")) return "inconclusive";
  return "successful";
}
function toRecordMetrics(checks) {
  return checks.map((c) => ({
    name: c.name,
    ...c.query === void 0 ? {} : { query: c.query },
    ...c.key === void 0 ? {} : { key: c.key },
    ...c.min === void 0 ? {} : { min: c.min },
    ...c.max === void 0 ? {} : { max: c.max }
  }));
}
function renderQuery(query, variables) {
  return query.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name) => {
    if (!(name in variables)) {
      throw new UserError(`Query placeholder '${whole}' is unknown.`, {
        input: "metrics",
        fix: "Use {{canary}}, {{stable}}, {{canary_version}}, {{stable_version}}, {{weight}}, {{interval}} or {{step}}."
      });
    }
    return String(variables[name]);
  });
}

const PROMETHEUS_CONFIG_SCHEMA = {
  type: "object",
  properties: {
    url: { type: "string", pattern: "^https?://" },
    headers: { type: "object", additionalProperties: { type: "string" } },
    timeout: { type: "string" }
  },
  required: ["url"],
  additionalProperties: false
};
function parseSampleValue(text) {
  if (text === "NaN") return null;
  if (text === "+Inf" || text === "Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  const value = Number(text);
  return Number.isNaN(value) ? null : value;
}
function labels(series) {
  const entries = Object.entries(series.metric ?? {});
  return `{${entries.map(([k, v]) => `${k}="${v}"`).join(",")}}`;
}
function measurementFromResponse(body, query) {
  const response = body ?? {};
  if (response.status !== "success" || !response.data) {
    return {
      value: null,
      error: `Prometheus answered status '${response.status ?? "missing"}' for ${query}`
    };
  }
  const { resultType, result } = response.data;
  if (resultType === "scalar") {
    const sample = result;
    const value = parseSampleValue(String(sample?.[1]));
    return value === null ? { value, note: "NaN: no samples in the window (0/0)" } : { value };
  }
  if (resultType === "vector") {
    const series = Array.isArray(result) ? result : [];
    if (series.length === 0) {
      return {
        value: null,
        note: "no data: the query returned no series (no traffic yet, or the labels match nothing)"
      };
    }
    if (series.length > 1) {
      const shown = series.slice(0, 3).map(labels).join(", ");
      return {
        value: null,
        error: `the query returned ${series.length} series (${shown}${series.length > 3 ? ", \u2026" : ""}); aggregate it to one, e.g. sum(\u2026) or max(\u2026)`
      };
    }
    const value = parseSampleValue(String(series[0]?.value?.[1]));
    return value === null ? { value, note: "NaN: no samples in the window (0/0)" } : { value };
  }
  return {
    value: null,
    error: `the query returned a ${resultType ?? "missing"} result; an instant query must give one number (wrap range vectors in rate(\u2026) or avg_over_time(\u2026))`
  };
}
class PrometheusObserver {
  kind = "prometheus";
  description;
  http;
  constructor(config, options = {}) {
    const timeoutMs = config.timeout === void 0 ? 3e4 : parseDuration(config.timeout);
    if (timeoutMs === void 0 || timeoutMs <= 0) {
      throw new UserError(`observer-config timeout '${config.timeout}' is not a duration.`, {
        input: "observer-config",
        fix: "Write a duration such as `10s`."
      });
    }
    this.http = new HttpClient({
      service: "Prometheus",
      baseUrl: config.url,
      ...config.headers ? { headers: config.headers } : {},
      timeoutMs,
      ...options.log ? { log: options.log } : {}
    });
    this.description = `${this.http.serviceName} (timeout ${formatDuration(timeoutMs)})`;
  }
  validate(checks) {
    for (const check of checks) {
      if (!check.query) {
        throw new UserError(`Metric '${check.name}' has no 'query', which the prometheus observer needs.`, {
          input: "metrics",
          fix: `Add \`query:\` (PromQL giving one number) to '${check.name}'.`
        });
      }
      if (check.key !== void 0) {
        throw new UserError(`Metric '${check.name}' has a 'key', which only file observers read.`, {
          input: "metrics",
          fix: `Remove \`key:\` from '${check.name}'; the prometheus observer runs its \`query\`.`
        });
      }
    }
  }
  /** Fails before any traffic moves when Prometheus cannot be reached (after retries). */
  async preflight() {
    await this.http.request({ path: "api/v1/status/buildinfo" });
  }
  async measure(check, context) {
    const query = renderQuery(check.query ?? "", context.variables);
    const form = new URLSearchParams({ query, time: (context.now.getTime() / 1e3).toFixed(3) });
    try {
      const response = await this.http.request({
        method: "POST",
        path: "api/v1/query",
        body: form.toString(),
        headers: { "content-type": "application/x-www-form-urlencoded" }
      });
      return measurementFromResponse(response.body, query);
    } catch (error) {
      if (error instanceof HttpError && (error.status === 400 || error.status === 422)) {
        const body = error.body;
        throw new UserError(
          `Prometheus refused the query of metric '${check.name}' (${body?.errorType ?? `HTTP ${error.status}`}: ${body?.error ?? error.message}).`,
          {
            input: "metrics",
            fix: `Fix the PromQL of '${check.name}'; try it in the Prometheus UI first. Query: ${query}`
          }
        );
      }
      if (error instanceof HttpError && (error.status === 401 || error.status === 403)) {
        throw new UserError(`Prometheus refused access (HTTP ${error.status}) for metric '${check.name}'.`, {
          input: "observer-config",
          fix: "Pass credentials under `headers:` in observer-config (e.g. `Authorization: Bearer ${{ secrets.PROM_TOKEN }}`)."
        });
      }
      if (error instanceof HttpError) {
        return { value: null, error: error.describe() };
      }
      throw error;
    }
  }
}

const FILE_OBSERVER_CONFIG_SCHEMA = {
  type: "object",
  properties: { file: { type: "string", minLength: 1 } },
  required: ["file"],
  additionalProperties: false
};
function toNumber(value) {
  if (value === null) return null;
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string") {
    if (value === "NaN" || value === "nan") return null;
    if (value === "+Inf" || value === "inf" || value === "Inf") return Infinity;
    if (value === "-Inf" || value === "-inf") return -Infinity;
    const n = Number(value);
    return value.trim() !== "" && !Number.isNaN(n) ? n : void 0;
  }
  return void 0;
}
function flattenMetrics(value, prefix = "", out = {}) {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value))
      flattenMetrics(inner, prefix ? `${prefix}/${key}` : key, out);
    return out;
  }
  const n = toNumber(value);
  if (n !== void 0 && prefix) out[prefix] = n;
  return out;
}
class FileObserver {
  description;
  file;
  display;
  constructor(config, cwd) {
    this.file = path.resolve(cwd, config.file);
    this.display = config.file;
    this.description = `${config.file}`;
  }
  validate(checks) {
    for (const check of checks) {
      if (check.query !== void 0) {
        throw new UserError(
          `Metric '${check.name}' has a 'query', which the ${this.kind} observer does not run.`,
          {
            input: "metrics",
            fix: `Remove \`query:\` from '${check.name}' (the value is read from ${this.display} under \`key:\`, default the name), or use \`observer: prometheus\`.`
          }
        );
      }
    }
  }
  /** Fails early when the file is missing or malformed, before any traffic moves. */
  async preflight() {
    await this.load();
  }
  async measure(check) {
    let table;
    try {
      table = await this.load();
    } catch (error) {
      return { value: null, error: describeError(error) };
    }
    const key = check.key ?? check.name;
    if (!(key in table)) {
      return {
        value: null,
        note: `no data: ${this.display} has no metric '${key}'.${didYouMean(key, Object.keys(table))}`.trim()
      };
    }
    const value = table[key] ?? null;
    return value === null ? { value, note: `no data: '${key}' is null or NaN in ${this.display}` } : { value };
  }
}
class MetricsFileObserver extends FileObserver {
  kind = "metrics-file";
  async load() {
    let text;
    try {
      text = await readFile(this.file, "utf8");
    } catch (error) {
      const code = error.code;
      throw new UserError(
        `Cannot read the metrics file '${this.display}' (${code === "ENOENT" ? "no such file" : code}).`,
        {
          input: "observer-config",
          file: this.display,
          fix: "Check `file:` in observer-config and that the step writing the metrics ran before this one."
        }
      );
    }
    const parsed = parseStructured(text, { file: this.display, what: "metrics file" });
    const root = parsed !== null && typeof parsed === "object" && "metrics" in parsed ? parsed.metrics : parsed;
    if (root === null || typeof root !== "object" || Array.isArray(root)) {
      throw new UserError(`The metrics file '${this.display}' is not an object of metric values.`, {
        input: "observer-config",
        file: this.display,
        fix: 'Write an object such as {"error_rate": 0.004, "p99_ms": 180}.'
      });
    }
    return flattenMetrics(root);
  }
}
class GateReportObserver extends FileObserver {
  kind = "gate-report";
  async load() {
    const report = await readDocument("GateReport", this.file, { input: "observer-config" });
    return { ...report.candidate.metrics, "gate.passed": report.passed ? 1 : 0 };
  }
}

class NoObserver {
  kind = "none";
  description = "no analysis (each step waits its interval, then advances)";
  validate(checks) {
    if (checks.length > 0) {
      throw new UserError(`Input 'metrics' lists ${checks.length} check(s) but no observer reads them.`, {
        input: "observer",
        fix: "Set `observer:` to prometheus, metrics-file or gate-report (with its observer-config), or remove `metrics`."
      });
    }
  }
  async measure() {
    throw new Error("internal: the none observer measures nothing");
  }
}
const OBSERVERS = {
  none: { create: () => new NoObserver() },
  prometheus: {
    schema: PROMETHEUS_CONFIG_SCHEMA,
    create: (config, context) => new PrometheusObserver(config, context.log ? { log: context.log } : {})
  },
  "metrics-file": {
    schema: FILE_OBSERVER_CONFIG_SCHEMA,
    create: (config, context) => new MetricsFileObserver(config, context.cwd)
  },
  "gate-report": {
    schema: FILE_OBSERVER_CONFIG_SCHEMA,
    create: (config, context) => new GateReportObserver(config, context.cwd)
  }
};
const OBSERVER_KINDS = Object.keys(OBSERVERS);
function createObserver(kind, config, context) {
  const entry = OBSERVERS[kind];
  if (!entry) throw new Error(`internal: unknown observer ${kind}`);
  if (!entry.schema) {
    if (config !== void 0 && config !== null) {
      throw new UserError(`Input 'observer-config' is given but observer '${kind}' takes none.`, {
        input: "observer-config",
        fix: "Remove `observer-config`, or choose the observer it was written for."
      });
    }
    return entry.create(void 0, context);
  }
  const valid = validateOrThrow(entry.schema, config ?? {}, {
    input: "observer-config",
    what: `${kind} observer config`
  });
  return entry.create(valid, context);
}

const NAME_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;
function defaultName(model) {
  if (model.startsWith("models:")) {
    try {
      const uri = parseModelUri(model, "model");
      if ("name" in uri) return uri.name.replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 100) || "model";
    } catch {
    }
  }
  const cleaned = model.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 100);
  return cleaned || "model";
}
function structured(name, env) {
  const value = getOptionalInput(name, { env });
  if (value === void 0) return void 0;
  const parsed = parseStructured(value, { input: name, what: `input '${name}'` });
  if (parsed !== null && (typeof parsed !== "object" || Array.isArray(parsed))) {
    throw new UserError(`Input '${name}' must be a YAML or JSON mapping.`, {
      input: name,
      fix: `Write \`${name}: |\` followed by \`key: value\` lines (see docs/canary-rollout.md).`
    });
  }
  return parsed ?? void 0;
}
function optionalInteger(name, env, min, max) {
  return getOptionalInput(name, { env }) === void 0 ? void 0 : getIntegerInput(name, { env, min, max });
}
function readInputs(env = process.env) {
  const model = getInput("model", { env, required: true });
  const stable = getOptionalInput("stable", { env });
  if (stable !== void 0 && stable === model) {
    throw new UserError(`Inputs 'model' and 'stable' are both '${model}'.`, {
      input: "stable",
      fix: "`model` is the new version to roll out and `stable` the one serving now; they must differ."
    });
  }
  const name = getInput("name", { env, fallback: defaultName(model) });
  if (!NAME_PATTERN.test(name)) {
    throw new UserError(`Input 'name' must be 1\u2013100 letters, digits, '.', '_' or '-', got '${name}'.`, {
      input: "name",
      fix: "Use a short name such as `churn`; it names the artifact rollout-record-<name>."
    });
  }
  const stepWeight = optionalInteger("step-weight", env, 1, 100);
  const maxWeight = optionalInteger("max-weight", env, 1, 100);
  const plan = buildPlan({
    strategy: getChoiceInput("strategy", STRATEGIES, { env, fallback: "canary" }),
    steps: getListInput("steps", { env, commas: true }),
    ...stepWeight === void 0 ? {} : { stepWeight },
    ...maxWeight === void 0 ? {} : { maxWeight },
    intervalMs: getDurationInput("interval", { env, fallback: "1m" }),
    iterations: getIntegerInput("iterations", { env, fallback: 1, min: 1, max: 1e3 }),
    threshold: getIntegerInput("threshold", { env, fallback: 1, min: 1, max: 1e3 }),
    inconclusiveLimit: getIntegerInput("inconclusive-limit", { env, fallback: 2, min: 1, max: 1e3 })
  });
  const router = getChoiceInput("router", ROUTER_KINDS, { env, fallback: "mlflow-alias" });
  const observer = getChoiceInput("observer", OBSERVER_KINDS, { env, fallback: "none" });
  const metrics = getOptionalInput("metrics", { env });
  const trackingUri = getOptionalInput("tracking-uri", { env });
  const environmentUrl = getOptionalInput("environment-url", { env });
  const githubToken = getOptionalInput("github-token", { env });
  return {
    model,
    ...stable === void 0 ? {} : { stable },
    name,
    plan,
    router,
    routerConfig: structured("router-config", env),
    observer,
    observerConfig: structured("observer-config", env),
    ...metrics === void 0 ? {} : { metrics },
    ...trackingUri === void 0 ? {} : { trackingUri },
    environment: getInput("environment", { env, fallback: "production" }),
    ...environmentUrl === void 0 ? {} : { environmentUrl },
    ...githubToken === void 0 ? {} : { githubToken },
    deployment: getBooleanInput("deployment", { env, fallback: true }),
    upload: getBooleanInput("upload", { env, fallback: true })
  };
}

class Cancelled extends Error {
}
function failureSummary(results, status) {
  return results.filter((r) => status.includes(r.status)).map((r) => r.message ?? `${r.metric} ${r.status}`).join("; ");
}
async function runController(record, plan, deps) {
  const { router, signal } = deps;
  const of = plan.weights.length;
  const stamp = () => deps.now().toISOString();
  const checkCancelled = () => {
    if (signal.aborted) throw new Cancelled();
  };
  const wait = async (ms) => {
    checkCancelled();
    try {
      await deps.sleep(ms, signal);
    } catch (error) {
      if (signal.aborted) throw new Cancelled();
      throw error;
    }
  };
  const end = async (state, reason, error) => {
    try {
      await router.rollback();
    } catch (rollbackError) {
      record.state = "aborted";
      record.reason = `${reason}; the rollback failed too: ${describeError(rollbackError)}`;
      record.endedAt = stamp();
      await deps.onChange({ type: "end", state: "aborted", reason: record.reason }, record);
      return {
        state: "aborted",
        reason: record.reason,
        cancelled: false,
        settled: false,
        ...error === void 0 ? {} : { error },
        rollbackError
      };
    }
    record.state = state;
    record.reason = reason;
    record.weight = 0;
    record.endedAt = stamp();
    await deps.onChange({ type: "end", state, reason }, record);
    return { state, reason, cancelled: false, settled: true, ...error === void 0 ? {} : { error } };
  };
  let current;
  try {
    for (let index = 0; index < of; index++) {
      checkCancelled();
      const weight = plan.weights[index];
      const number = index + 1;
      current = { index, weight, startedAt: stamp(), checks: [] };
      record.steps.push(current);
      await router.setWeight(weight, { step: number, steps: of });
      record.weight = weight;
      await deps.onChange({ type: "step", step: current, number, of }, record);
      let passed = 0;
      while (passed < plan.iterations) {
        await wait(plan.intervalMs);
        const results = await deps.analyse(current, number);
        const outcome = checkOutcome(results);
        current.checks.push({ at: stamp(), outcome, results });
        if (outcome === "successful") passed++;
        else if (outcome === "failed") record.failedChecks++;
        else record.inconclusiveChecks++;
        await deps.onChange({ type: "check", step: current, number, of }, record);
        const where = `at step ${number}/${of} (${weight}%)`;
        if (record.failedChecks >= plan.threshold) {
          current.outcome = "failed";
          current.endedAt = stamp();
          const why = failureSummary(results, ["failed"]) || "earlier checks failed";
          return await end(
            "rolled-back",
            `${record.failedChecks} failed check(s) ${where} reached the threshold of ${plan.threshold}: ${why}`
          );
        }
        if (record.inconclusiveChecks >= plan.inconclusiveLimit) {
          current.outcome = "inconclusive";
          current.endedAt = stamp();
          const why = failureSummary(results, ["inconclusive", "error"]) || "earlier checks were inconclusive";
          return await end(
            "aborted",
            `${record.inconclusiveChecks} inconclusive check(s) ${where} reached the limit of ${plan.inconclusiveLimit}: ${why}`
          );
        }
      }
      current.outcome = "passed";
      current.endedAt = stamp();
    }
    checkCancelled();
    await router.promote();
  } catch (error) {
    if (error instanceof Cancelled || signal.aborted) {
      if (current && !current.outcome) {
        current.outcome = "stopped";
        current.endedAt = stamp();
      }
      const at = current ? ` at step ${current.index + 1}/${of} (${current.weight}%)` : "";
      const reason = `cancelled${at}`;
      record.reason = reason;
      await deps.onChange({ type: "cancelled", reason }, record);
      return { state: record.state, reason, cancelled: true, settled: false };
    }
    if (current && !current.outcome) {
      current.outcome = "stopped";
      current.endedAt = stamp();
    }
    return await end("aborted", `aborted: ${describeError(error)}`, error);
  }
  record.state = "promoted";
  record.weight = 100;
  record.endedAt = stamp();
  record.reason = `every step passed its checks; ${record.canary} now serves all traffic`;
  await deps.onChange({ type: "end", state: "promoted", reason: record.reason }, record);
  return { state: "promoted", reason: record.reason, cancelled: false, settled: true };
}

class DeploymentTracker {
  constructor(id, octokit, context, environmentUrl, warning) {
    this.id = id;
    this.octokit = octokit;
    this.context = context;
    this.environmentUrl = environmentUrl;
    this.warning = warning;
  }
  id;
  octokit;
  context;
  environmentUrl;
  warning;
  /** Creates the deployment; undefined (with a warning) when GitHub refuses. */
  static async start(options) {
    const { context } = options;
    try {
      const id = await createDeployment({
        octokit: options.octokit,
        owner: context.owner,
        repo: context.repo,
        ref: context.sha || context.ref,
        environment: options.environment,
        description: options.description,
        task: "deploy:model",
        payload: options.payload
      });
      return new DeploymentTracker(id, options.octokit, context, options.environmentUrl, options.warning);
    } catch (error) {
      options.warning(`No GitHub deployment for this rollout: ${describeError(error)}`);
      return void 0;
    }
  }
  /** Reattaches to an existing deployment (the post step). */
  static attach(id, octokit, context, environmentUrl, warning) {
    return new DeploymentTracker(id, octokit, context, environmentUrl, warning);
  }
  /** Adds a status; failures become warnings. */
  async status(state, description) {
    try {
      await setDeploymentStatus({
        octokit: this.octokit,
        owner: this.context.owner,
        repo: this.context.repo,
        deploymentId: this.id,
        state,
        description,
        ...this.environmentUrl ? { environmentUrl: this.environmentUrl } : {},
        ...this.context.runUrl ? { logUrl: this.context.runUrl } : {}
      });
    } catch (error) {
      this.warning(`Could not set deployment ${this.id} to ${state}: ${describeError(error)}`);
    }
  }
}

const STATE_KEYS = { rollout: "rollout", finished: "finished", cancelled: "cancelled" };
function encodeSavedRollout(saved) {
  return JSON.stringify(saved);
}
function decodeSavedRollout(text) {
  if (!text) return void 0;
  try {
    const value = JSON.parse(text);
    if (value.v !== 1 || typeof value.name !== "string" || typeof value.recordFile !== "string")
      return void 0;
    const memo = {};
    for (const [key, item] of Object.entries(value.memo ?? {}))
      if (typeof item === "string") memo[key] = item;
    return {
      v: 1,
      name: value.name,
      recordFile: value.recordFile,
      memo,
      ...typeof value.deploymentId === "number" ? { deploymentId: value.deploymentId } : {}
    };
  } catch {
    return void 0;
  }
}

const STATE_LINE = {
  progressing: "\u23F3 progressing",
  promoted: "\u2705 promoted",
  "rolled-back": "\u21A9\uFE0F rolled back",
  aborted: "\u26D4 aborted"
};
const CHECK_MARK = { successful: "\u2705", failed: "\u274C", inconclusive: "\u2754" };
function stepResult(step) {
  switch (step.outcome) {
    case "passed":
      return "\u2705 passed";
    case "failed":
      return "\u274C failed";
    case "inconclusive":
      return "\u2754 inconclusive";
    case "stopped":
      return "\u23F9\uFE0F stopped";
    default:
      return "\u23F3";
  }
}
function valueText(result) {
  if (result.value !== null) return formatValue(result.value);
  if (result.status === "error") return "error";
  if (result.status === "inconclusive") return "no data";
  return "\xB1Inf";
}
function lastValues(step) {
  const last = step.checks[step.checks.length - 1];
  if (!last) return "";
  return last.results.map((r) => `${escapeCell(r.metric)} ${valueText(r)}`).join("<br>");
}
function renderSummary(record) {
  const lines = [];
  lines.push(`## canary-rollout: ${escapeCell(record.name)} \u2014 ${STATE_LINE[record.state]}`);
  lines.push("");
  const from = record.stable ? `\`${record.stable}\`` : "_nothing (first release)_";
  lines.push(
    `\`${record.canary}\` replacing ${from} through ${escapeCell(record.routerDescription ?? record.router)}, ${record.strategy} strategy, observer ${record.observer}.`
  );
  if (record.reason) {
    lines.push("");
    lines.push(`**${record.state === "promoted" ? "Result" : "Reason"}:** ${escapeCell(record.reason)}`);
  }
  lines.push("");
  const plan = record.plan;
  lines.push(
    `Plan: weights ${plan.weights.map((w) => `${w}%`).join(" \u2192 ")} \u2192 promote; a check every ${formatDuration(plan.intervalMs)}, ${plan.iterations} successful check(s) per step; roll back after ${plan.threshold} failed check(s), abort after ${plan.inconclusiveLimit} inconclusive check(s). Now: canary weight ${record.weight}%, ${record.failedChecks} failed and ${record.inconclusiveChecks} inconclusive check(s).`
  );
  if (record.steps.length > 0) {
    lines.push("");
    lines.push(
      markdownTable(
        ["step", "weight", "checks", "result", "last values"],
        record.steps.map((step) => [
          `${step.index + 1}/${plan.weights.length}`,
          `${step.weight}%`,
          step.checks.map((c) => CHECK_MARK[c.outcome]).join(" ") || "\u2014",
          stepResult(step),
          lastValues(step)
        ]),
        true
      )
    );
  }
  if (record.metrics.length > 0) {
    const rows = record.steps.flatMap(
      (step) => step.checks.flatMap(
        (check, n) => check.results.map((r) => [
          `${step.index + 1} (${step.weight}%) #${n + 1}`,
          escapeCell(r.metric),
          r.value === null ? `${valueText(r)}: ${escapeCell(r.message ?? "")}` : formatValue(r.value),
          escapeCell(describeBounds(r)),
          r.status
        ])
      )
    );
    if (rows.length > 0) {
      lines.push("");
      lines.push(
        details("Every check", markdownTable(["step", "metric", "value", "bound", "status"], rows, true))
      );
    }
  }
  if (record.deploymentId !== void 0) {
    lines.push("");
    lines.push(
      `GitHub deployment ${record.deploymentId} (environment \`${escapeCell(record.environment ?? "")}\`).`
    );
  }
  return `${lines.join("\n")}
`;
}

function artifactName(name) {
  return `rollout-record-${name}`;
}
function recordPath(cwd, name) {
  return path.join(cwd, ".modelops", "canary-rollout", name, "rollout-record.json");
}
function producerOf(context) {
  return documentProducer("canary-rollout", context);
}
function promDuration(ms) {
  return `${Math.max(1, Math.round(ms / 1e3))}s`;
}
function routerFor(inputs, deps, memo) {
  return createRouter(inputs.router, inputs.routerConfig, {
    model: inputs.model,
    stable: inputs.stable,
    name: inputs.name,
    cwd: deps.cwd,
    env: deps.env,
    steps: inputs.plan.weights.length,
    mlflow: () => deps.mlflow(inputs.trackingUri),
    ...memo ? { memo } : {},
    log: deps.debug
  });
}
function checkQueries(checks) {
  const sample = {
    canary: "c",
    stable: "s",
    canary_version: "c",
    stable_version: "s",
    weight: 10,
    interval: "60s",
    step: 1
  };
  for (const check of checks) if (check.query) renderQuery(check.query, sample);
}
function deploymentDescription(event, record, plan) {
  if (event.type === "step") return `canary ${event.step.weight}% (${event.number}/${event.of})`;
  if (event.type === "check") {
    const last = event.step.checks[event.step.checks.length - 1];
    if (!last || last.outcome === "successful") return void 0;
    const count = last.outcome === "failed" ? `${record.failedChecks}/${plan.threshold} failed` : `${record.inconclusiveChecks}/${plan.inconclusiveLimit} inconclusive`;
    return `canary ${event.step.weight}% (${event.number}/${event.of}): check ${last.outcome} (${count})`;
  }
  return void 0;
}
function describeResults(results) {
  if (results.length === 0) return "no metrics (observer none)";
  const mark = { successful: "\u2713", failed: "\u2717", inconclusive: "?", error: "!" };
  return results.map((r) => `${mark[r.status]} ${r.message ?? r.metric}`).join("; ");
}
async function runRollout(inputs, deps) {
  const cwd = path.resolve(deps.cwd);
  const context = readContext(deps.env);
  const { plan } = inputs;
  const checks = await readMetricChecks(inputs.metrics, cwd);
  const observer = createObserver(inputs.observer, inputs.observerConfig, { cwd, log: deps.debug });
  observer.validate(checks);
  checkQueries(checks);
  if (inputs.observer === "none") {
    deps.warning(
      "No observer: each step only waits its interval, nothing is measured (set `observer` and `metrics`)."
    );
  }
  await observer.preflight?.();
  const router = routerFor(inputs, { ...deps, cwd });
  deps.info(`Router: ${router.description}.`);
  deps.info(
    `Observer: ${observer.kind === "none" ? observer.description : `${observer.kind}, ${observer.description}`}; ${checks.length} metric check(s).`
  );
  const prepared = await router.prepare();
  for (const warning of prepared.warnings ?? []) deps.warning(warning);
  const recordFile = recordPath(cwd, inputs.name);
  const startedAt = deps.now().toISOString();
  const record = {
    schemaVersion: 1,
    kind: "RolloutRecord",
    createdAt: startedAt,
    producer: producerOf(context),
    name: inputs.name,
    strategy: plan.strategy,
    router: router.kind,
    routerDescription: router.description,
    observer: observer.kind,
    stable: prepared.stable,
    canary: prepared.canary,
    environment: inputs.environment,
    state: "progressing",
    weight: 0,
    plan: {
      weights: plan.weights,
      intervalMs: plan.intervalMs,
      iterations: plan.iterations,
      threshold: plan.threshold,
      inconclusiveLimit: plan.inconclusiveLimit
    },
    metrics: toRecordMetrics(checks),
    failedChecks: 0,
    inconclusiveChecks: 0,
    startedAt,
    steps: []
  };
  const finish = async (failStep, line2) => {
    await writeDocument("RolloutRecord", recordFile, record);
    const relative = path.relative(cwd, recordFile);
    if (inputs.upload) {
      const published = await deps.publishRecord(artifactName(inputs.name), record);
      deps.info(`Record: ${relative} (artifact ${published.name}, ${published.location}).`);
    } else {
      deps.info(`Record: ${relative}.`);
    }
    await deps.appendSummary(renderSummary(record));
    deps.setOutputs({
      state: record.state,
      weight: record.weight,
      stable: record.state === "promoted" ? record.canary : record.stable ?? "",
      canary: record.canary,
      record: relative,
      "deployment-id": record.deploymentId === void 0 ? "" : String(record.deploymentId),
      "failed-checks": record.failedChecks,
      "inconclusive-checks": record.inconclusiveChecks,
      reason: record.reason ?? ""
    });
    return { failStep, line: line2, record };
  };
  if (prepared.alreadyStable) {
    record.state = "promoted";
    record.weight = 100;
    record.endedAt = startedAt;
    record.reason = `${prepared.canary} already is the stable version; nothing to roll out`;
    deps.notice(record.reason);
    deps.saveState(STATE_KEYS.finished, "true");
    return finish(false, record.reason);
  }
  const saved = { v: 1, name: inputs.name, recordFile, memo: prepared.memo };
  deps.saveState(STATE_KEYS.rollout, encodeSavedRollout(saved));
  let tracker;
  if (inputs.deployment && inputs.githubToken && context.owner) {
    tracker = await DeploymentTracker.start({
      octokit: await deps.github(inputs.githubToken),
      context,
      environment: inputs.environment,
      ...inputs.environmentUrl ? { environmentUrl: inputs.environmentUrl } : {},
      description: `${plan.strategy} rollout of ${prepared.canary}`,
      payload: {
        name: inputs.name,
        canary: prepared.canary,
        stable: prepared.stable,
        router: router.kind,
        weights: plan.weights
      },
      warning: deps.warning
    });
    if (tracker) {
      record.deploymentId = tracker.id;
      deps.saveState(STATE_KEYS.rollout, encodeSavedRollout({ ...saved, deploymentId: tracker.id }));
      deps.info(`GitHub deployment ${tracker.id} (environment ${inputs.environment}).`);
    }
  }
  if (prepared.stable === null) {
    deps.notice(
      `Nothing serves yet: ${prepared.canary} is promoted directly (a first release has no stable version to compare against).`
    );
    await tracker?.status("in_progress", `first release of ${prepared.canary}`);
    await router.promote();
    deps.saveState(STATE_KEYS.finished, "true");
    record.state = "promoted";
    record.weight = 100;
    record.endedAt = deps.now().toISOString();
    record.reason = `first release: ${prepared.canary} promoted without a canary (nothing served before)`;
    await tracker?.status("success", `promoted ${prepared.canary} (first release)`);
    return finish(false, record.reason);
  }
  deps.info(
    `Rolling out ${prepared.canary} (stable: ${prepared.stable}): weights ${plan.weights.map((w) => `${w}%`).join(" \u2192 ")}, then promote.`
  );
  let writeWarned = false;
  const onChange = async (event, current) => {
    try {
      await writeDocument("RolloutRecord", recordFile, current);
    } catch (error) {
      if (!writeWarned) deps.warning(`Could not write ${recordFile}: ${describeError(error)}`);
      writeWarned = true;
    }
    if (event.type === "step")
      deps.info(`Step ${event.number}/${event.of}: canary weight ${event.step.weight}%.`);
    if (event.type === "check") {
      const last = event.step.checks[event.step.checks.length - 1];
      if (last)
        deps.info(
          `  check ${event.step.checks.length} at ${event.step.weight}%: ${last.outcome} \u2014 ${describeResults(last.results)}`
        );
    }
    if (event.type === "end") deps.info(`Rollout ${event.state}: ${event.reason}.`);
    const description = deploymentDescription(event, current, plan);
    if (tracker && description) await tracker.status("in_progress", description);
  };
  const analyse = async (step, number) => {
    if (checks.length === 0) return [];
    const now = deps.now();
    const variables = {
      canary: record.canary,
      stable: record.stable ?? "",
      canary_version: prepared.versions?.canary ?? record.canary,
      stable_version: prepared.versions?.stable ?? record.stable ?? "",
      weight: step.weight,
      interval: promDuration(plan.intervalMs),
      step: number
    };
    const measured = await Promise.all(checks.map((check) => observer.measure(check, { variables, now })));
    return checks.map((check, i) => judge(check, measured[i], now));
  };
  const result = await runController(record, plan, {
    router,
    analyse,
    sleep: deps.sleep,
    now: deps.now,
    signal: deps.signal,
    onChange
  });
  if (result.cancelled) {
    deps.saveState(STATE_KEYS.cancelled, "true");
    await writeDocument("RolloutRecord", recordFile, record).catch(() => void 0);
    deps.setOutputs({
      state: record.state,
      weight: record.weight,
      canary: record.canary,
      reason: result.reason
    });
    return {
      failStep: true,
      line: `The rollout of ${record.canary} was ${result.reason}; the post step sends all traffic back to ${record.stable}.`,
      record
    };
  }
  if (result.settled) deps.saveState(STATE_KEYS.finished, "true");
  if (tracker) {
    const state = result.state === "promoted" ? "success" : result.state === "rolled-back" ? "failure" : "error";
    const description = result.state === "promoted" ? `promoted ${record.canary} (100%)` : `${result.state === "rolled-back" ? "rolled back" : "aborted"}: ${result.reason}`;
    await tracker.status(state, description);
  }
  if (result.state === "promoted") return finish(false, `Promoted ${record.canary}: ${result.reason}.`);
  const line = !result.settled ? `The rollout of ${record.canary} ${result.reason}. Traffic may still reach the canary: the post step tries the rollback again.` : result.state === "rolled-back" ? `Rolled back ${record.canary}; all traffic is on ${record.stable} again. ${result.reason}.` : `Aborted the rollout of ${record.canary}; all traffic is on ${record.stable} again. ${result.reason}.`;
  return finish(true, line);
}

function realServices(token) {
  const cwd = process.env.GITHUB_WORKSPACE || process.cwd();
  return {
    cwd,
    env: process.env,
    now: () => /* @__PURE__ */ new Date(),
    mlflow: (trackingUri) => createMlflowClient({ ...trackingUri ? { trackingUri } : {}, env: process.env, cwd, log: debug }),
    github: (value) => createGitHubClient(value, { apiUrl: readContext().apiUrl, log: info }),
    publishRecord: (name, record) => publishDocument("RolloutRecord", name, record, token ? { token } : {}),
    appendSummary: (markdown) => appendJobSummary(markdown),
    info: info,
    warning: (message) => warning(message),
    debug: debug
  };
}

export { DeploymentTracker as D, STATE_KEYS as S, runRollout as a, realServices as b, routerFor as c, decodeSavedRollout as d, artifactName as e, renderSummary as f, readInputs as r };
