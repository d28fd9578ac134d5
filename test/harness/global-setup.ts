/** vitest global setup: make sure the system packages the suite uses are there (see system-packages.ts). */
import { ensureSystemPackages } from './system-packages.ts';

export default function setup(): void {
  ensureSystemPackages();
}
