/**
 * Typed errors of `@schoolmdm/configurator`. None of them carries key, password or profile
 * secret material: messages name what was wrong, where (key path, line, command), and how
 * to fix it, and nothing else.
 */
import { SchoolMdmError, type SchoolMdmErrorOptions } from '@schoolmdm/core';
import type { ValidationIssue } from './schema/issues.js';

/** Base class of every `@schoolmdm/configurator` error. */
export class ConfiguratorError extends SchoolMdmError {}

/** Where in a plist a {@link PlistError} happened. */
export interface PlistErrorLocation {
  /**
   * Key path of the offending value, e.g. `PayloadContent[0].SSID_STR` or
   * `PayloadContent[1]["Key Type"]`; `""` for the root value.
   */
  path?: string;
  /** 1-based line of the XML input (reading XML only). */
  line?: number;
  /** Byte offset in a binary plist (reading `bplist00` only). */
  offset?: number;
}

/**
 * A value cannot be written as a plist, or an input is not a valid plist.
 *
 * Thrown by `writePlist` (control characters, lone surrogates, non-finite numbers, integers
 * beyond 64 bits, `null`, cycles…) and by `readPlist` (malformed XML, duplicate keys,
 * unknown tags, corrupt binary plists…).
 */
export class PlistError extends ConfiguratorError {
  /** Key path of the offending value (`""` = the root); undefined when not known. */
  readonly path: string | undefined;
  /** 1-based line in the XML input, when reading XML. */
  readonly line: number | undefined;
  /** Byte offset in a binary plist, when reading `bplist00`. */
  readonly offset: number | undefined;

  constructor(problem: string, location: PlistErrorLocation = {}, options?: SchoolMdmErrorOptions) {
    super(`${problem}${describeLocation(location)}`, options);
    this.path = location.path;
    this.line = location.line;
    this.offset = location.offset;
  }
}

function describeLocation({ path, line, offset }: PlistErrorLocation): string {
  const parts: string[] = [];
  if (path !== undefined) parts.push(`at ${path === '' ? '(root)' : path}`);
  if (line !== undefined) parts.push(`line ${line}`);
  if (offset !== undefined) parts.push(`byte offset ${offset}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/**
 * A CMS SignedData could not be built or parsed: unreadable PEM/DER, a private key that does
 * not match the certificate, an unsupported algorithm, a detached signature where the
 * profile must be embedded…
 *
 * A signature that is merely *wrong* (tampered content) is not an error: `verifySignedProfile`
 * reports it as `signatureValid: false`.
 */
export class SignatureError extends ConfiguratorError {}

/**
 * An MDM enrollment profile lacks a key Apple requires or has an invalid one
 * (see `mdm/profiles/com.apple.mdm.yaml` in `apple/device-management`).
 */
export class EnrollmentProfileError extends ConfiguratorError {
  /** Key path of the missing or invalid key, e.g. `PayloadContent[2].Topic`. */
  readonly path: string;
  constructor(problem: string, path: string, options?: SchoolMdmErrorOptions) {
    super(`${problem} (at ${path === '' ? '(root)' : path})`, options);
    this.path = path;
  }
}

/** Details a {@link CfgutilError} carries, all taken from cfgutil's own JSON output. */
export interface CfgutilErrorDetails {
  /** The cfgutil command, e.g. `install-profile`. */
  command: string;
  /** The full argv passed to cfgutil (file paths only, never file contents). */
  argv?: readonly string[];
  /** Process exit code; `null` when the process could not be started or was killed. */
  exitCode?: number | null;
  /** cfgutil's error `Code` (an NSError code). */
  code?: number;
  /** cfgutil's error `Domain`, e.g. `com.apple.configurator.MobileDeviceKit.amrestore`. */
  domain?: string;
  /** cfgutil's `FailureReason` / `Detail` text. */
  detail?: string;
  /** ECIDs cfgutil reports as affected by the error. */
  affectedDevices?: readonly string[];
  /** ECIDs cfgutil reports as not affected. */
  unaffectedDevices?: readonly string[];
}

/** `cfgutil` could not be run, exited non-zero, or reported `"Type": "Error"`. */
export class CfgutilError extends ConfiguratorError {
  /** The cfgutil command, e.g. `install-profile`. */
  readonly command: string;
  /** The argv cfgutil ran with (paths only; cfgutil never receives key material on its command line). */
  readonly argv: readonly string[] | undefined;
  /** Process exit code; `null` when the process could not be started or was killed. */
  readonly exitCode: number | null | undefined;
  /** cfgutil's error `Code`. */
  readonly code: number | undefined;
  /** cfgutil's error `Domain`. */
  readonly domain: string | undefined;
  /** cfgutil's `FailureReason` / `Detail`. */
  readonly detail: string | undefined;
  /** ECIDs the error affected. */
  readonly affectedDevices: readonly string[] | undefined;
  /** ECIDs the error did not affect. */
  readonly unaffectedDevices: readonly string[] | undefined;

  constructor(message: string, details: CfgutilErrorDetails, options?: SchoolMdmErrorOptions) {
    super(`cfgutil ${details.command}: ${message}`, options);
    this.command = details.command;
    this.argv = details.argv;
    this.exitCode = details.exitCode;
    this.code = details.code;
    this.domain = details.domain;
    this.detail = details.detail;
    this.affectedDevices = details.affectedDevices;
    this.unaffectedDevices = details.unaffectedDevices;
  }
}

/**
 * A payload or profile breaks Apple's schema (`apple/device-management`) or one of the rules
 * Apple states only in prose. Thrown by `createProfile` and the payload builders.
 *
 * `errors` lists every problem with its path (`PayloadContent[2].EncryptionType`), what was
 * expected, what was found and a hint; `warnings` the non-fatal ones. Values of secret keys
 * (`Password`, `Challenge`…) and `<data>` never appear, neither in the message nor in the
 * issues.
 */
export class ProfileValidationError extends ConfiguratorError {
  /** Every error, in document order. */
  readonly errors: readonly ValidationIssue[];
  /** Warnings found in the same run (not the reason for the throw). */
  readonly warnings: readonly ValidationIssue[];

  /** @param subject - what was validated, e.g. `profile org.example.wifi` or `wifi()`. */
  constructor(
    subject: string,
    errors: readonly ValidationIssue[],
    warnings: readonly ValidationIssue[] = [],
    options?: SchoolMdmErrorOptions,
  ) {
    const lines = errors.map((e) => {
      const detail = [e.expected ? `expected ${e.expected}` : '', e.found ? `found ${e.found}` : '']
        .filter(Boolean)
        .join(', ');
      return `\n- ${e.message}${detail ? ` (${detail})` : ''}${e.hint ? `; ${e.hint}` : ''}`;
    });
    super(`${subject} is invalid (${errors.length} error${errors.length === 1 ? '' : 's'}):${lines.join('')}`, options);
    this.errors = errors;
    this.warnings = warnings;
  }
}

/**
 * A payload builder (`wifi()`, `scep()`, …) got an option it cannot use: a missing password
 * for a WPA network, a certificate that does not parse, an unknown restriction name…
 * Never includes the option's value when it is a secret.
 */
export class PayloadOptionError extends ConfiguratorError {
  /** The builder, e.g. `wifi`. */
  readonly builder: string;
  /** The option, e.g. `password` or `eap.acceptEapTypes[1]`. */
  readonly option: string;

  constructor(builder: string, option: string, problem: string, options?: SchoolMdmErrorOptions) {
    super(`${builder}(): option ${option} ${problem}`, options);
    this.builder = builder;
    this.option = option;
  }
}
