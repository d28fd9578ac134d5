/**
 * Throttled progress lines for long work, readable in Actions logs (which do not render carriage
 * returns): `hashing: 41,203/100,000 files, 1.2 GiB, 812 MiB/s, ETA 14s`.
 */
import { formatBytes } from './text.ts';
import { formatDuration } from './duration.ts';

/** Options of {@link Progress}. */
export interface ProgressOptions {
  /** What is being done, e.g. `hashing`. */
  label: string;
  /** Name of the items, e.g. `files`. */
  unit?: string;
  /** Known total items, for the ETA. */
  totalItems?: number;
  /** Known total bytes, for the ETA. */
  totalBytes?: number;
  /** Minimum time between lines (default 5 s). */
  intervalMs?: number;
  /** Where lines go (default: stdout). */
  write?: (line: string) => void;
  /** Clock in milliseconds (tests pass their own). */
  now?: () => number;
}

const number = new Intl.NumberFormat('en-US');

/** Counts items and bytes and prints a line at most every `intervalMs`. */
export class Progress {
  private items = 0;
  private bytes = 0;
  private readonly started: number;
  private lastLine: number;
  private readonly options: ProgressOptions;

  constructor(options: ProgressOptions) {
    this.options = options;
    this.started = this.now();
    this.lastLine = this.started;
  }

  private now(): number {
    return this.options.now ? this.options.now() : performance.now();
  }

  /** Records finished work; prints a line when the interval has passed. */
  add(items: number, bytes = 0): void {
    this.items += items;
    this.bytes += bytes;
    const now = this.now();
    if (now - this.lastLine >= (this.options.intervalMs ?? 5000)) {
      this.lastLine = now;
      this.emit(this.line(now));
    }
  }

  /** Prints the final line (always) and returns it. */
  done(): string {
    const line = `${this.line(this.now(), true)}`;
    this.emit(line);
    return line;
  }

  /** The current line. */
  line(now = this.now(), final = false): string {
    const seconds = Math.max((now - this.started) / 1000, 1e-9);
    const unit = this.options.unit ?? 'items';
    const count =
      this.options.totalItems !== undefined && !final
        ? `${number.format(this.items)}/${number.format(this.options.totalItems)} ${unit}`
        : `${number.format(this.items)} ${unit}`;
    const parts = [count];
    if (this.bytes > 0 || this.options.totalBytes) {
      parts.push(formatBytes(this.bytes), `${formatBytes(this.bytes / seconds)}/s`);
    } else parts.push(`${number.format(Math.round(this.items / seconds))} ${unit}/s`);
    if (final) parts.push(`in ${formatDuration(now - this.started)}`);
    else {
      const eta = this.eta(seconds);
      if (eta !== undefined) parts.push(`ETA ${formatDuration(eta * 1000)}`);
    }
    return `${this.options.label}: ${parts.join(', ')}`;
  }

  private eta(seconds: number): number | undefined {
    const { totalBytes, totalItems } = this.options;
    if (totalBytes && this.bytes > 0) return ((totalBytes - this.bytes) / this.bytes) * seconds;
    if (totalItems && this.items > 0) return ((totalItems - this.items) / this.items) * seconds;
    return undefined;
  }

  private emit(line: string): void {
    (this.options.write ?? ((l: string) => process.stdout.write(`${l}\n`)))(line);
  }
}
