/**
 * Running the cfgutil binary. Not part of the public API.
 *
 * `execFile` with an argv array: no shell, so ECIDs, paths and flags can never be
 * interpreted as shell syntax.
 */
import { execFile } from 'node:child_process';
import { CfgutilError } from '../errors.js';

/** What one cfgutil process produced. */
export interface ProcessResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Options for one run. */
export interface RunOptions {
  env: NodeJS.ProcessEnv | undefined;
  timeoutMs: number;
  /** The cfgutil command, for error messages. */
  command: string;
}

const AUTOMATION_TOOLS_HINT =
  "install Apple Configurator's Automation Tools (Apple Configurator > menu > Install Automation Tools, " +
  "which puts cfgutil in /usr/local/bin), or pass { binary: '/path/to/cfgutil' }";

/** Runs `binary argv…` and collects its output; throws only when it cannot run or times out. */
export function runProcess(binary: string, argv: readonly string[], options: RunOptions): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      argv,
      {
        env: options.env,
        timeout: options.timeoutMs,
        maxBuffer: 256 * 1024 * 1024,
        encoding: 'utf8',
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        if (!error) {
          resolve({ exitCode: 0, stdout, stderr });
          return;
        }
        const e = error as NodeJS.ErrnoException & { code?: string | number; killed?: boolean; signal?: string | null };
        if (e.code === 'ENOENT' || e.code === 'EACCES') {
          reject(
            new CfgutilError(
              e.code === 'ENOENT' ? `cfgutil was not found at "${binary}"` : `cfgutil at "${binary}" is not executable`,
              { command: options.command, argv, exitCode: null },
              { hint: AUTOMATION_TOOLS_HINT },
            ),
          );
          return;
        }
        if (e.killed || e.signal) {
          reject(
            new CfgutilError(
              // execFile sets `killed` only when it sent the signal itself, i.e. on timeout.
              e.killed ? `timed out after ${options.timeoutMs} ms` : `was killed by ${e.signal}`,
              { command: options.command, argv, exitCode: null },
              { hint: 'check the device connection; raise timeoutMs for long operations such as prepare or erase' },
            ),
          );
          return;
        }
        if (typeof e.code === 'number') {
          resolve({ exitCode: e.code, stdout, stderr });
          return;
        }
        reject(new CfgutilError(`could not be run: ${e.message}`, { command: options.command, argv, exitCode: null }));
      },
    );
  });
}
