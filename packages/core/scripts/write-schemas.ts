/** Writes the published JSON Schema file of every document kind to `packages/core/schemas/`. */
import { mkdir, writeFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DOCUMENT_SCHEMAS,
  publishedSchema,
  currentVersion,
  type DocumentKind,
} from '../src/documents/schemas.ts';

const schemasDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'schemas');

/** File name of a kind's schema, e.g. `gate-report.v1.schema.json`. */
export function schemaFileName(kind: DocumentKind): string {
  const kebab = kind.replace(/[A-Z]/g, (c, i: number) => (i ? '-' : '') + c.toLowerCase());
  return `${kebab}.v${currentVersion(kind)}.schema.json`;
}

/** Writes every schema file that changed; returns the file names. */
export async function writeSchemaFiles(): Promise<string[]> {
  await mkdir(schemasDir, { recursive: true });
  const names: string[] = [];
  for (const kind of Object.keys(DOCUMENT_SCHEMAS) as DocumentKind[]) {
    const file = path.join(schemasDir, schemaFileName(kind));
    const text = `${JSON.stringify(publishedSchema(kind), null, 2)}\n`;
    const old = await readFile(file, 'utf8').catch(() => '');
    if (old !== text) await writeFile(file, text);
    names.push(path.basename(file));
  }
  return names;
}
