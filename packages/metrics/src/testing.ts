/** Helpers shared by the package's tests: temporary CSV files. */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary directory that writes CSV files from rows. */
export function scratch(prefix: string): {
  csv(name: string, header: string, rows: (string | number)[][]): string;
  remove(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    csv(name, header, rows) {
      const path = join(dir, name);
      writeFileSync(path, [header, ...rows.map((row) => row.join(','))].join('\n') + '\n');
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
