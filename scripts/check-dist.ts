/**
 * `npm run check-dist`: rebuilds, then fails when the generated files differ from what git has
 * committed. `uses:` runs the committed `dist/`, so a source change without its rebuilt bundle would
 * ship stale code.
 */
import { execFileSync } from 'node:child_process';

const generated = ['dist', 'actions/*/dist', 'packages/core/schemas', 'packages/core/src/generated'];
execFileSync('npx', ['tsx', 'scripts/build.ts'], { stdio: 'inherit' });
const status = execFileSync('git', ['status', '--porcelain', '--', ...generated], { encoding: 'utf8' });
if (status.trim() !== '') {
  console.error('Generated files differ from the committed ones:\n' + status);
  console.error('Fix: run `npm run build` and commit the result together with the source change.');
  process.exit(1);
}
console.log('check-dist: committed bundles and schemas match the sources.');
