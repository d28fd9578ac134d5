/**
 * `npm run build`: the document validators compiled ahead of time and the JSON Schemas from the
 * document types, then the action bundles and their assets.
 */
import { bundleActions, copyBundleAssets } from './bundle.ts';
import { writeSchemaFiles } from '../packages/core/scripts/write-schemas.ts';
import { writeValidatorsModule } from '../packages/core/scripts/write-validators.ts';

const validators = await writeValidatorsModule();
const schemas = await writeSchemaFiles();
const files = await bundleActions({ actionsDir: 'actions', outRoot: '.', sharedChunk: 'dist/shared' });
const assets = await copyBundleAssets('actions');
console.log(
  `validators: ${validators.length} file(s); schemas: ${schemas.length} file(s); bundles: ${files.length === 0 ? 'none' : files.join(', ')}; assets: ${assets.join(', ') || 'none'}`,
);
