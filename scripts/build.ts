/**
 * `npm run build`: the document validators compiled ahead of time and the JSON Schemas from the
 * document types, then the action bundles and their assets.
 */
import { bundleActions, copyBundleAssets } from './bundle.ts';
import { writeValidatorsModule } from '../packages/core/scripts/write-validators.ts';

await writeValidatorsModule();
// Imported after: the schema writer loads the validation module, which imports the generated one.
const { writeSchemaFiles } = await import('../packages/core/scripts/write-schemas.ts');
const schemas = await writeSchemaFiles();
const files = await bundleActions({ actionsDir: 'actions', outRoot: '.', sharedChunk: 'dist/shared' });
const assets = await copyBundleAssets('actions');
console.log(
  `schemas: ${schemas.length} file(s); bundles: ${files.length === 0 ? 'none' : files.join(', ')}; assets: ${assets.join(', ') || 'none'}`,
);
