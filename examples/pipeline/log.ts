/** The pipeline's log: where lines go, how stages and fields are printed, and its own errors. */

/** Where the pipeline's log goes. */
export type Log = (line: string) => void;

/** A failure of the pipeline itself (missing bundle, missing tool), with the fix. */
export class PipelineError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(`${message} Fix: ${fix}`);
    this.name = 'PipelineError';
  }
}

/** Prints a stage header. */
export function logStage(log: Log, index: number, name: string, what: string): void {
  log('');
  log(`[${index}] ${name} — ${what}`);
}

/** Prints `key: value` lines, indented, for inputs and outputs. */
export function logFields(log: Log, title: string, fields: Record<string, string>): void {
  const entries = Object.entries(fields);
  if (entries.length === 0) return;
  log(`    ${title}:`);
  for (const [key, value] of entries) {
    const lines = value.split('\n');
    log(`      ${key}: ${lines[0]}${lines.length > 1 ? ` (+${lines.length - 1} lines)` : ''}`);
  }
}
