/**
 * The model-registry half of MLflow's file store (mlflow/store/model_registry/file_store.py):
 *
 * ```
 * <root>/models/<name>/meta.yaml                 name, description, timestamps (and aliases, unread)
 * <root>/models/<name>/tags/<key>
 * <root>/models/<name>/aliases/<alias>           the version number the alias points at
 * <root>/models/<name>/version-<n>/meta.yaml     the version: source, run_id, stage, status…
 * <root>/models/<name>/version-<n>/tags/<key>
 * ```
 *
 * Deleted versions stay on disk with stage `Deleted_Internal` and are invisible, as in MLflow.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { nearestNames } from '../errors.ts';
import { InvalidParameterValue } from '../invalid.ts';
import { matchesFilter, parseFilter, type Subject } from '../search/filter.ts';
import { compareBy, parseOrderBy } from '../search/order.ts';
import { checkMaxResults, paginate, SEARCH_LIMITS } from '../search/paging.ts';
import type {
  CreateModelVersionOptions,
  CreateRegisteredModelOptions,
  ModelVersion,
  ModelVersionStatus,
  Page,
  RegisteredModel,
  SearchRegistryOptions,
} from '../types.ts';
import {
  validateAliasName,
  validateKey,
  validateModelName,
  validateModelVersion,
  validateTagValue,
} from '../validation.ts';
import { dumpYaml, writeFileAtomic, yamlInt, yamlString } from './format.ts';
import {
  exists,
  isDirectory,
  listSubdirectories,
  mapLimit,
  readKeyFiles,
  readMeta,
  readText,
  StoreError,
} from './store-fs.ts';

const DELETED_STAGE = 'Deleted_Internal';
const READ_CONCURRENCY = 32;

/** A version as stored: the entity plus where it lives. */
interface StoredVersion {
  version: ModelVersion;
  directory: string;
  deleted: boolean;
}

/** Options of {@link FileRegistryStore}. */
export interface FileRegistryStoreOptions {
  /** Absolute path of the store root (the registry lives in `<root>/models`). */
  root: string;
}

/** The model registry over `<root>/models`. */
export class FileRegistryStore {
  readonly root: string;
  readonly modelsDirectory: string;

  constructor(options: FileRegistryStoreOptions) {
    this.root = options.root;
    this.modelsDirectory = join(options.root, 'models');
  }

  /** The directory of a model, after checking the name cannot escape `models/`. */
  private modelDirectory(name: string): string {
    validateModelName(name);
    if (name.includes('/') || name.includes('\\')) {
      throw new InvalidParameterValue(
        `Invalid name: '${name}'. Registered model name cannot contain path separator`,
      );
    }
    if (name.includes('%')) {
      throw new InvalidParameterValue(
        `Invalid name: '${name}'. Registered model name cannot contain '%' character`,
      );
    }
    if (name === '.' || name === '..') throw new InvalidParameterValue(`Invalid name: '${name}'.`);
    return join(this.modelsDirectory, name);
  }

  private async modelNotFound(name: string): Promise<StoreError> {
    const names = await listSubdirectories(this.modelsDirectory);
    const suggestions = nearestNames(name, names);
    return new StoreError('RESOURCE_DOES_NOT_EXIST', `Registered Model with name=${name} not found`, {
      suggestions,
      fix: suggestions.length
        ? `Did you mean ${suggestions.map((entry) => `'${entry}'`).join(' or ')}? Registered models are case-sensitive.`
        : names.length
          ? `Registered models in ${this.root}: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}.`
          : `The store at ${this.root} has no registered models; register one first.`,
    });
  }

  /** The directory of an existing model, or a not-found error listing near names. */
  private async existingModel(name: string): Promise<string> {
    const directory = this.modelDirectory(name);
    if (!(await isDirectory(directory))) throw await this.modelNotFound(name);
    return directory;
  }

  private async readAliases(modelDirectory: string): Promise<Record<string, string>> {
    const aliases = await readKeyFiles(join(modelDirectory, 'aliases'));
    for (const alias of Object.keys(aliases)) aliases[alias] = (aliases[alias] ?? '').trim();
    return aliases;
  }

  private async readVersion(
    directory: string,
    aliases: Record<string, string>,
  ): Promise<StoredVersion | undefined> {
    const meta = await readMeta(directory);
    if (!meta) return undefined;
    const number = directory.slice(directory.lastIndexOf('version-') + 'version-'.length);
    const version: ModelVersion = {
      name: yamlString(meta.name) ?? '',
      version: yamlString(meta.version) ?? number,
      creationTimestamp: yamlInt(meta.creation_timestamp) ?? 0,
      currentStage: yamlString(meta.current_stage) ?? 'None',
      source: yamlString(meta.source) ?? '',
      status: (yamlString(meta.status) ?? 'READY') as ModelVersionStatus,
      tags: await readKeyFiles(join(directory, 'tags')),
      aliases: Object.entries(aliases)
        .filter(([, target]) => target === number)
        .map(([alias]) => alias),
    };
    const optional = {
      lastUpdatedTimestamp: yamlInt(meta.last_updated_timestamp),
      description: yamlString(meta.description),
      runId: yamlString(meta.run_id),
      runLink: yamlString(meta.run_link),
      userId: yamlString(meta.user_id),
      statusMessage: yamlString(meta.status_message),
    };
    for (const [key, value] of Object.entries(optional)) {
      if (value !== undefined && value !== '') Object.assign(version, { [key]: value });
    }
    return { version, directory, deleted: version.currentStage === DELETED_STAGE };
  }

  /** Every version of a model (deleted ones included, flagged). */
  private async versionsOf(modelDirectory: string): Promise<StoredVersion[]> {
    const aliases = await this.readAliases(modelDirectory);
    const names = (await listSubdirectories(modelDirectory)).filter((name) => /^version-\d+$/.test(name));
    const versions = await mapLimit(names, READ_CONCURRENCY, (name) =>
      this.readVersion(join(modelDirectory, name), aliases),
    );
    return versions.filter((entry): entry is StoredVersion => entry !== undefined);
  }

  private async readModel(
    directory: string,
    name: string,
    withVersions = true,
  ): Promise<RegisteredModel | undefined> {
    const meta = await readMeta(directory);
    if (!meta) return undefined;
    const model: RegisteredModel = {
      name: yamlString(meta.name) ?? name,
      creationTimestamp: yamlInt(meta.creation_timestamp) ?? 0,
      latestVersions: [],
      tags: await readKeyFiles(join(directory, 'tags')),
      aliases: await this.readAliases(directory),
    };
    const lastUpdated = yamlInt(meta.last_updated_timestamp);
    const description = yamlString(meta.description);
    if (lastUpdated !== undefined) model.lastUpdatedTimestamp = lastUpdated;
    if (description) model.description = description;
    if (withVersions) model.latestVersions = latestPerStage(await this.versionsOf(directory));
    return model;
  }

  private async writeModelMeta(directory: string, model: RegisteredModel): Promise<void> {
    await writeFileAtomic(
      join(directory, 'meta.yaml'),
      dumpYaml({
        aliases: model.aliases,
        creation_timestamp: model.creationTimestamp,
        description: model.description ?? null,
        last_updated_timestamp: model.lastUpdatedTimestamp ?? model.creationTimestamp,
        name: model.name,
      }),
    );
  }

  /** Rewrites the model's `meta.yaml` with a new last-updated time, as MLflow does on every change. */
  private async touchModel(name: string, directory: string): Promise<void> {
    const model = await this.readModel(directory, name, false);
    if (!model) return;
    await this.writeModelMeta(directory, { ...model, lastUpdatedTimestamp: Date.now() });
  }

  private async writeKeyFile(
    entityDirectory: string,
    folder: string,
    key: string,
    value: string,
  ): Promise<void> {
    const file = join(entityDirectory, folder, ...key.split('/'));
    await mkdir(join(file, '..'), { recursive: true });
    await writeFileAtomic(file, value, entityDirectory);
  }

  async createRegisteredModel(
    name: string,
    options: CreateRegisteredModelOptions = {},
  ): Promise<RegisteredModel> {
    const directory = this.modelDirectory(name);
    for (const [key, value] of Object.entries(options.tags ?? {})) {
      validateKey('tag', key);
      validateTagValue(value);
    }
    await mkdir(this.modelsDirectory, { recursive: true });
    try {
      await mkdir(directory);
    } catch (error) {
      if ((error as { code?: string }).code === 'EEXIST') {
        throw new StoreError('RESOURCE_ALREADY_EXISTS', `Registered Model (name=${name}) already exists.`);
      }
      throw error;
    }
    const now = Date.now();
    const model: RegisteredModel = {
      name,
      creationTimestamp: now,
      lastUpdatedTimestamp: now,
      latestVersions: [],
      tags: { ...(options.tags ?? {}) },
      aliases: {},
      ...(options.description ? { description: options.description } : {}),
    };
    await this.writeModelMeta(directory, model);
    for (const [key, value] of Object.entries(model.tags))
      await this.writeKeyFile(directory, 'tags', key, value);
    return model;
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    const directory = await this.existingModel(name);
    const model = await this.readModel(directory, name);
    if (!model) throw await this.modelNotFound(name);
    return model;
  }

  async searchRegisteredModels(options: SearchRegistryOptions): Promise<Page<RegisteredModel>> {
    const maxResults = options.maxResults ?? SEARCH_LIMITS.registeredModels.default;
    checkMaxResults(maxResults, SEARCH_LIMITS.registeredModels.max);
    const clauses = parseFilter(options.filter, 'registered-model');
    const order = compareBy(parseOrderBy(options.orderBy, 'registered-model'));
    const names = await listSubdirectories(this.modelsDirectory);
    const models = await mapLimit(names, READ_CONCURRENCY, (name) =>
      this.readModel(join(this.modelsDirectory, name), name, false),
    );
    const matched = models
      .filter((model): model is RegisteredModel => model !== undefined)
      .map((model) => ({ model, subject: registeredModelSubject(model) }))
      .filter(({ subject }) => matchesFilter(clauses, subject));
    matched.sort((a, b) => order(a.subject, b.subject));
    const { items, nextPageToken } = paginate(matched, options.pageToken, maxResults);
    const full = await mapLimit(items, READ_CONCURRENCY, async ({ model }) => ({
      ...model,
      latestVersions: latestPerStage(await this.versionsOf(join(this.modelsDirectory, model.name))),
    }));
    return nextPageToken ? { items: full, nextPageToken } : { items: full };
  }

  async createModelVersion(options: CreateModelVersionOptions): Promise<ModelVersion> {
    const directory = await this.existingModel(options.name);
    for (const [key, value] of Object.entries(options.tags ?? {})) {
      validateKey('tag', key);
      validateTagValue(value);
    }
    for (let attempt = 0; ; attempt++) {
      const existing = (await listSubdirectories(directory))
        .map((name) => /^version-(\d+)$/.exec(name)?.[1])
        .filter((number): number is string => number !== undefined)
        .map(Number);
      const number = existing.length ? Math.max(...existing) + 1 : 1;
      const versionDirectory = join(directory, `version-${number}`);
      try {
        await mkdir(versionDirectory);
      } catch (error) {
        // A concurrent registration took this number: take the next one.
        if ((error as { code?: string }).code === 'EEXIST' && attempt < 3) continue;
        throw error;
      }
      const now = Date.now();
      await writeFileAtomic(
        join(versionDirectory, 'meta.yaml'),
        dumpYaml({
          aliases: [],
          creation_timestamp: now,
          current_stage: 'None',
          description: options.description ?? null,
          last_updated_timestamp: now,
          name: options.name,
          run_id: options.runId ?? null,
          run_link: options.runLink ?? null,
          source: options.source,
          status: 'READY',
          status_message: null,
          storage_location: options.source,
          user_id: null,
          version: number,
        }),
      );
      for (const [key, value] of Object.entries(options.tags ?? {})) {
        await this.writeKeyFile(versionDirectory, 'tags', key, value);
      }
      await this.touchModel(options.name, directory);
      return this.getModelVersion(options.name, String(number));
    }
  }

  private async versionNotFound(name: string, directory: string, version: string): Promise<StoreError> {
    const numbers = (await this.versionsOf(directory))
      .filter((entry) => !entry.deleted)
      .map((entry) => entry.version.version)
      .sort((a, b) => Number(a) - Number(b));
    return new StoreError(
      'RESOURCE_DOES_NOT_EXIST',
      `Model Version (name=${name}, version=${version}) not found`,
      {
        suggestions: numbers,
        fix: numbers.length
          ? `Model '${name}' has versions ${numbers.join(', ')}.`
          : `Model '${name}' has no versions yet.`,
      },
    );
  }

  private async existingVersion(
    name: string,
    version: string | number,
  ): Promise<StoredVersion & { modelDirectory: string }> {
    const number = validateModelVersion(version);
    const modelDirectory = await this.existingModel(name);
    const directory = join(modelDirectory, `version-${number}`);
    const stored = (await isDirectory(directory))
      ? await this.readVersion(directory, await this.readAliases(modelDirectory))
      : undefined;
    if (!stored || stored.deleted) throw await this.versionNotFound(name, modelDirectory, number);
    return { ...stored, modelDirectory };
  }

  async getModelVersion(name: string, version: string | number): Promise<ModelVersion> {
    return (await this.existingVersion(name, version)).version;
  }

  async searchModelVersions(options: SearchRegistryOptions): Promise<Page<ModelVersion>> {
    const maxResults = options.maxResults ?? SEARCH_LIMITS.modelVersions.default;
    checkMaxResults(maxResults, SEARCH_LIMITS.modelVersions.max);
    const clauses = parseFilter(options.filter, 'model-version');
    const order = compareBy(parseOrderBy(options.orderBy, 'model-version'));
    // `name = '…'` (the common case) reads one model's folder instead of the whole registry.
    const byName = clauses.find(
      (clause) => clause.type === 'attribute' && clause.key === 'name' && clause.comparator === '=',
    );
    let names = await listSubdirectories(this.modelsDirectory);
    if (byName) names = names.filter((name) => name === byName.value);
    const perModel = await mapLimit(names, READ_CONCURRENCY, (name) =>
      this.versionsOf(join(this.modelsDirectory, name)),
    );
    const matched = perModel
      .flat()
      .filter((entry) => !entry.deleted)
      .map((entry) => ({ version: entry.version, subject: modelVersionSubject(entry.version) }))
      .filter(({ subject }) => matchesFilter(clauses, subject));
    matched.sort((a, b) => order(a.subject, b.subject));
    const { items, nextPageToken } = paginate(matched, options.pageToken, maxResults);
    const versions = items.map(({ version }) => version);
    return nextPageToken ? { items: versions, nextPageToken } : { items: versions };
  }

  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    validateKey('tag', key);
    validateTagValue(value);
    const directory = await this.existingModel(name);
    await this.writeKeyFile(directory, 'tags', key, value);
    await this.touchModel(name, directory);
  }

  async setModelVersionTag(
    name: string,
    version: string | number,
    key: string,
    value: string,
  ): Promise<void> {
    validateKey('tag', key);
    validateTagValue(value);
    const stored = await this.existingVersion(name, version);
    await this.writeKeyFile(stored.directory, 'tags', key, value);
    await this.touchModel(name, stored.modelDirectory);
  }

  async setRegisteredModelAlias(name: string, alias: string, version: string | number): Promise<void> {
    validateAliasName(alias);
    const stored = await this.existingVersion(name, version);
    await this.writeKeyFile(stored.modelDirectory, 'aliases', alias, stored.version.version);
    await this.touchModel(name, stored.modelDirectory);
  }

  async deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    validateAliasName(alias);
    const directory = await this.existingModel(name);
    const file = join(directory, 'aliases', alias);
    if (await exists(file)) {
      await rm(file);
      await this.touchModel(name, directory);
    }
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    validateAliasName(alias);
    const directory = await this.existingModel(name);
    const version = await readText(join(directory, 'aliases', alias));
    if (version === undefined) {
      const aliases = await this.readAliases(directory);
      throw new StoreError('INVALID_PARAMETER_VALUE', `Registered model alias ${alias} not found.`, {
        alias: true,
        suggestions: nearestNames(alias, Object.keys(aliases)),
        fix: Object.keys(aliases).length
          ? `Aliases of '${name}': ${Object.entries(aliases)
              .map(([entry, target]) => `${entry} → version ${target}`)
              .join(', ')}.`
          : `Model '${name}' has no aliases yet; set one with setRegisteredModelAlias.`,
      });
    }
    return this.getModelVersion(name, version.trim());
  }
}

/** The newest non-deleted version in each stage, as MLflow's `latest_versions`. */
export function latestPerStage(versions: readonly StoredVersion[]): ModelVersion[] {
  const latest = new Map<string, ModelVersion>();
  for (const { version, deleted } of versions) {
    if (deleted) continue;
    const current = latest.get(version.currentStage);
    if (!current || Number(version.version) > Number(current.version))
      latest.set(version.currentStage, version);
  }
  return [...latest.values()].sort((a, b) => Number(a.version) - Number(b.version));
}

/** A model version as a search subject. */
export function modelVersionSubject(version: ModelVersion): Subject {
  return {
    get(type, key) {
      if (type === 'tag') return version.tags[key];
      switch (key) {
        case 'name':
          return version.name;
        case 'version_number':
          return Number(version.version);
        case 'run_id':
          return version.runId;
        case 'source_path':
          return version.source;
        case 'creation_timestamp':
          return version.creationTimestamp;
        case 'last_updated_timestamp':
          return version.lastUpdatedTimestamp;
        default:
          return undefined;
      }
    },
  };
}

/** A registered model as a search subject. */
export function registeredModelSubject(model: RegisteredModel): Subject {
  return {
    get(type, key) {
      if (type === 'tag') return model.tags[key];
      switch (key) {
        case 'name':
          return model.name;
        case 'creation_timestamp':
          return model.creationTimestamp;
        case 'last_updated_timestamp':
          return model.lastUpdatedTimestamp;
        default:
          return undefined;
      }
    },
  };
}
