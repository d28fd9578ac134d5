/**
 * Writes the generated gate spec documents: docs/gate-spec.md and actions/model-gate/gate-spec.schema.json
 * (formatted with the repository's Prettier settings). Run from the repository root:
 * `npx tsx actions/model-gate/scripts/write-docs.ts`.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { gateSpecMarkdown, gateSpecSchemaJson } from '../src/spec-docs.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const schemaFile = path.join(root, 'actions/model-gate/gate-spec.schema.json');
const options = (await prettier.resolveConfig(schemaFile)) ?? {};
writeFileSync(path.join(root, 'docs/gate-spec.md'), gateSpecMarkdown());
writeFileSync(schemaFile, await prettier.format(gateSpecSchemaJson(), { ...options, filepath: schemaFile }));
process.stdout.write('wrote docs/gate-spec.md and actions/model-gate/gate-spec.schema.json\n');
