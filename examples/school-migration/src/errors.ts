/**
 * Errors of the migration program. Each says what was wrong, where, and what to do instead,
 * and carries nothing secret (paths and serial numbers only).
 */
import { SchoolMdmError, type SchoolMdmErrorOptions } from '@schoolmdm/core';

/** Base class of the program's own errors. */
export class MigrationError extends SchoolMdmError {}

/** One problem in the config file: where (a dotted path) and what to write instead. */
export interface ConfigProblem {
  /** Dotted path in the config, e.g. `mosyle.password`. */
  path: string;
  /** What is wrong. */
  message: string;
  /** What to write instead. */
  fix: string;
}

/** The config file is missing, unreadable or invalid; lists every problem found. */
export class ConfigError extends MigrationError {
  readonly file: string;
  readonly problems: ConfigProblem[];
  constructor(file: string, problems: ConfigProblem[], options: SchoolMdmErrorOptions = {}) {
    super(
      `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${problems
        .map((p) => `  • ${p.path || '(top level)'}: ${p.message}\n    write instead: ${p.fix}`)
        .join('\n')}`,
      options,
    );
    this.file = file;
    this.problems = problems;
  }
}

/** A file the config names cannot be used (missing, unreadable, wrong content). */
export class InputFileError extends MigrationError {
  /** The config key that names the file. */
  readonly key: string;
  /** The resolved path. */
  readonly path: string;
  constructor(key: string, path: string, message: string, options: SchoolMdmErrorOptions = {}) {
    super(`${key} (${path}): ${message}`, options);
    this.key = key;
    this.path = path;
  }
}

/** A credential could not be read from its environment variable or file. */
export class CredentialError extends MigrationError {
  readonly key: string;
  constructor(key: string, message: string, options: SchoolMdmErrorOptions = {}) {
    super(`${key}: ${message}`, options);
    this.key = key;
  }
}

/** One problem with a row of the plan or the export. */
export interface PlanProblem {
  file: string;
  line: number | undefined;
  serial: string | undefined;
  message: string;
}

/** The plan CSV has unknown, duplicate or unreadable serials: nothing is sent until it is fixed. */
export class PlanError extends MigrationError {
  readonly problems: PlanProblem[];
  constructor(problems: PlanProblem[], options: SchoolMdmErrorOptions = {}) {
    super(
      `the plan has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was sent to any service\n${problems
        .slice(0, 50)
        .map(
          (p) =>
            `  • ${p.file}${p.line === undefined ? '' : ` line ${p.line}`}${p.serial ? ` (${p.serial})` : ''}: ${p.message}`,
        )
        .join('\n')}${problems.length > 50 ? `\n  … and ${problems.length - 50} more` : ''}`,
      options,
    );
    this.problems = problems;
  }
}

/** The journal cannot be read or written. */
export class JournalError extends MigrationError {
  readonly path: string;
  readonly line: number | undefined;
  constructor(path: string, line: number | undefined, message: string, options: SchoolMdmErrorOptions = {}) {
    super(`${path}${line === undefined ? '' : ` line ${line}`}: ${message}`, options);
    this.path = path;
    this.line = line;
  }
}

/** The checklist found a blocking problem (e.g. a token made for another key) before any write. */
export class PreflightError extends MigrationError {
  readonly failures: { item: string; message: string; next: string }[];
  constructor(failures: { item: string; message: string; next: string }[]) {
    super(
      `the checklist has ${failures.length} blocking problem${failures.length === 1 ? '' : 's'}; nothing was sent to any service\n${failures
        .map((f) => `  • ${f.item}: ${f.message}\n    next: ${f.next}`)
        .join('\n')}`,
    );
    this.failures = failures;
  }
}
