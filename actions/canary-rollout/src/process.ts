/**
 * Runs a router's external program (nginx, a user command) with a timeout and bounded output, and
 * reports a failure as a {@link RemoteError} with the exit status and the end of its output.
 */
import { spawn } from 'node:child_process';
import { RemoteError } from '@modelops/core';

/** Options of {@link runProgram}. */
export interface RunProgramOptions {
  /** Extra environment, on top of the step's. */
  env?: Record<string, string>;
  /** Working directory. */
  cwd?: string;
  /** Kill the program after this many milliseconds (default 5 minutes). */
  timeoutMs?: number;
  /** Service name for errors, e.g. `nginx`. */
  service: string;
  /** What the call does, for errors, e.g. `reload`. */
  call: string;
  /** The fix shown when the program fails. */
  fix?: string;
}

/** What a program printed. */
export interface ProgramResult {
  stdout: string;
  stderr: string;
}

const KEEP = 16 * 1024;

function tail(text: string, lines = 12): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** Runs `argv` without a shell; throws a {@link RemoteError} unless it exits 0. */
export function runProgram(argv: readonly string[], options: RunProgramOptions): Promise<ProgramResult> {
  const [command, ...args] = argv as [string, ...string[]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    // Keep the end of the output only: a chatty command must not fill the memory.
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout = (stdout + d).slice(-KEEP)));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-KEEP)));
    const timeoutMs = options.timeoutMs ?? 300_000;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new RemoteError(
          error.code === 'ENOENT'
            ? `'${command}' was not found on the PATH.`
            : `'${command}' could not start: ${error.message}`,
          {
            service: options.service,
            call: options.call,
            fix: options.fix ?? `Install ${command} on the runner, or give its full path.`,
            cause: error,
          },
        ),
      );
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) {
        resolve({ stdout, stderr });
        return;
      }
      const how = timedOut
        ? `timed out after ${Math.round(timeoutMs / 1000)} s`
        : signal
          ? `was killed by ${signal}`
          : `exited with status ${code}`;
      const output = tail(stderr) || tail(stdout);
      reject(
        new RemoteError(`${argv.join(' ')} ${how}${output ? `:\n${output}` : ''}`, {
          service: options.service,
          call: options.call,
          ...(options.fix ? { fix: options.fix } : {}),
        }),
      );
    });
  });
}
