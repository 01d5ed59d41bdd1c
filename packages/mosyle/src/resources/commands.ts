/**
 * `client.commands` (`/bulkops`) and `client.lostMode` (`/lostmode`), as Mosyle's API docs describe them.
 * Commands are never retried by the transport (not idempotent). `wipe` erases devices and
 * refuses to run without `confirm: true`.
 */
import { InvalidArgumentError, type RequestOptions } from '@schoolmdm/core';
import type { MosyleContext } from '../internal/context.js';
import { CommandEnvelope } from '../internal/schemas.js';
import { mergeResults } from './groups.js';
import { type CommandResult, runChunked } from './results.js';

/** Which devices a command targets: UDIDs and/or device group ids (at least one). */
export interface CommandTarget {
  /** Device UDIDs. */
  devices?: readonly string[];
  /** Device group ids: "If any Device Group ID has been passed, it is not mandatory to inform the UDID". */
  groups?: readonly (string | number)[];
}

/** Options of {@link Commands.wipe}. */
export interface WipeParams extends CommandTarget {
  /** Must be `true`: wiping erases every device targeted. */
  confirm: true;
  /** Revoke Apps and Books licences (iOS/tvOS). */
  revokeVppLicenses?: boolean;
  /** Return to Service: re-enrol with the default Wi-Fi after the wipe (iOS/tvOS). */
  enableReturnToService?: boolean;
  /** Retry enrolment (iOS/iPadOS 27+, needs `enableReturnToService`). */
  shouldRetryEnrollment?: boolean;
  /** Keep the cellular data plan. */
  preserveDataPlan?: boolean;
  /** Disallow Proximity Setup (iOS). */
  disallowProximitySetup?: boolean;
  /** 6-digit PIN (macOS). */
  pinCode?: string;
}

function target(t: CommandTarget | undefined): { devices: string[]; groups: string[] } {
  if (typeof t !== 'object' || t === null) {
    throw new InvalidArgumentError('target', 'expected { devices?: string[], groups?: (string | number)[] }');
  }
  const devices = t.devices ?? [];
  const groups = t.groups ?? [];
  if (!Array.isArray(devices) || devices.some((d) => typeof d !== 'string' || d.trim() === '')) {
    throw new InvalidArgumentError('devices', 'expected an array of device UDIDs (non-empty strings)');
  }
  if (
    !Array.isArray(groups) ||
    groups.some((g) => (typeof g !== 'string' && typeof g !== 'number') || String(g).trim() === '')
  ) {
    throw new InvalidArgumentError('groups', 'expected an array of device group ids');
  }
  if (devices.length === 0 && groups.length === 0) {
    throw new InvalidArgumentError('target', 'give at least one device UDID or device group id', {
      hint: 'Look UDIDs up with devices.findBySerial().',
    });
  }
  return { devices: devices.map((d) => d.trim()), groups: groups.map((g) => String(g).trim()) };
}

/** Sends `element` once per chunk of devices, and once for the groups (if any). */
async function send(
  ctx: MosyleContext,
  path: '/bulkops' | '/lostmode',
  element: Record<string, unknown>,
  t: { devices: string[]; groups: string[] },
  options: RequestOptions,
): Promise<CommandResult> {
  const what = `${path.slice(1)} ${String(element.operation)}`;
  const call = (body: Record<string, unknown>, o: RequestOptions) =>
    ctx.call(path, { elements: [{ ...element, ...body }] }, { idempotent: false, what, schema: CommandEnvelope }, o);
  const parts: CommandResult[] = [];
  if (t.devices.length)
    parts.push(await runChunked(ctx, t.devices, (batch, o) => call({ devices: batch }, o), options));
  if (t.groups.length) {
    const g = await runChunked(ctx, t.groups, (batch, o) => call({ groups: batch }, o), options);
    parts.push(g);
  }
  return mergeResults(parts);
}

/** `client.commands`: device commands through `/bulkops`. */
export class Commands {
  readonly #ctx: MosyleContext;

  /** @internal Created by {@link MosyleClient}. */
  constructor(ctx: MosyleContext) {
    this.#ctx = ctx;
  }

  /** Restarts devices. */
  async restart(t: CommandTarget, options: RequestOptions = {}): Promise<CommandResult> {
    return send(this.#ctx, '/bulkops', { operation: 'restart_devices' }, target(t), options);
  }

  /** Shuts devices down (they stay off until someone presses the power button). */
  async shutdown(t: CommandTarget, options: RequestOptions = {}): Promise<CommandResult> {
    return send(this.#ctx, '/bulkops', { operation: 'shutdown_devices' }, target(t), options);
  }

  /** Clears pending and failed MDM commands (or only one kind). @defaultValue which `'all'` */
  async clearCommands(
    t: CommandTarget & { which?: 'all' | 'pending' | 'failed' },
    options: RequestOptions = {},
  ): Promise<CommandResult> {
    const which = t?.which ?? 'all';
    const operation =
      which === 'all'
        ? 'clear_commands'
        : which === 'pending'
          ? 'clear_pending_commands'
          : which === 'failed'
            ? 'clear_failed_commands'
            : undefined;
    if (!operation)
      throw new InvalidArgumentError('which', `expected all, pending or failed, got ${JSON.stringify(which)}`);
    return send(this.#ctx, '/bulkops', { operation }, target(t), options);
  }

  /** Unassigns devices ("limbo": neither a user's nor a shared group's). */
  async changeToLimbo(t: CommandTarget, options: RequestOptions = {}): Promise<CommandResult> {
    return send(this.#ctx, '/bulkops', { operation: 'change_to_limbo' }, target(t), options);
  }

  /**
   * Moves limbo devices to a location. Needs "Limbo devices belong to all locations" to be
   * disabled (My School > Preferences > Other Settings > General Preferences).
   */
  async updateLimboLocation(
    t: CommandTarget & { location: string },
    options: RequestOptions = {},
  ): Promise<CommandResult> {
    if (typeof t?.location !== 'string' || t.location.trim() === '') {
      throw new InvalidArgumentError('location', 'expected the location name');
    }
    return send(
      this.#ctx,
      '/bulkops',
      { operation: 'update_limbo_location', location: t.location },
      target(t),
      options,
    );
  }

  /**
   * Erases devices. Refuses (InvalidArgumentError, nothing sent) unless `confirm: true`.
   *
   * @example
   * ```ts
   * await client.commands.wipe({ devices: [udid], confirm: true, enableReturnToService: true });
   * ```
   */
  wipe(params: WipeParams, options: RequestOptions = {}): Promise<CommandResult> {
    if (params?.confirm !== true) {
      return Promise.reject(
        new InvalidArgumentError('confirm', 'wipe erases every targeted device and was not confirmed', {
          hint: 'Pass confirm: true once the device list has been checked.',
        }),
      );
    }
    let t: { devices: string[]; groups: string[] };
    try {
      t = target(params);
      if (params.pinCode !== undefined && !/^\d{6}$/.test(params.pinCode)) {
        throw new InvalidArgumentError('pinCode', 'must be six digits');
      }
    } catch (error) {
      return Promise.reject(error);
    }
    const opts: Record<string, unknown> = {};
    if (params.revokeVppLicenses !== undefined) opts.RevokeVPPLicenses = params.revokeVppLicenses;
    if (params.enableReturnToService !== undefined) opts.EnableReturnToService = params.enableReturnToService;
    if (params.shouldRetryEnrollment !== undefined) opts.ShouldRetryEnrollment = params.shouldRetryEnrollment;
    if (params.preserveDataPlan !== undefined) opts.PreserveDataPlan = params.preserveDataPlan;
    if (params.disallowProximitySetup !== undefined) opts.DisallowProximitySetup = params.disallowProximitySetup;
    if (params.pinCode !== undefined) opts.pin_code = params.pinCode;
    const element: Record<string, unknown> = { operation: 'wipe_devices' };
    if (Object.keys(opts).length) element.options = opts;
    return send(this.#ctx, '/bulkops', element, t, options);
  }
}

/** Lost-mode message fields. */
export interface LostModeMessage {
  /** Message shown on the lock screen (required to enable). */
  message: string;
  /** Phone number shown on the lock screen. */
  phoneNumber?: string;
  /** Footnote. */
  footnote?: string;
}

/** `client.lostMode` (iOS only). */
export class LostMode {
  readonly #ctx: MosyleContext;

  /** @internal Created by {@link MosyleClient}. */
  constructor(ctx: MosyleContext) {
    this.#ctx = ctx;
  }

  /** Enables lost mode with a lock-screen message. */
  async enable(t: CommandTarget & LostModeMessage, options: RequestOptions = {}): Promise<CommandResult> {
    if (typeof t?.message !== 'string' || t.message.trim() === '') {
      return Promise.reject(
        new InvalidArgumentError('message', 'lost mode needs the message shown on the lock screen'),
      );
    }
    const element: Record<string, unknown> = { operation: 'enable', message: t.message };
    if (t.phoneNumber !== undefined) element.phone_number = t.phoneNumber;
    if (t.footnote !== undefined) element.footnote = t.footnote;
    return send(this.#ctx, '/lostmode', element, target(t), options);
  }

  /** Disables lost mode. */
  async disable(t: CommandTarget, options: RequestOptions = {}): Promise<CommandResult> {
    return send(this.#ctx, '/lostmode', { operation: 'disable' }, target(t), options);
  }

  /** Plays a sound on devices in lost mode. */
  async playSound(t: CommandTarget, options: RequestOptions = {}): Promise<CommandResult> {
    return send(this.#ctx, '/lostmode', { operation: 'play_sound' }, target(t), options);
  }

  /** Asks devices in lost mode for their location (then read `latitude`/`longitude` columns). */
  async requestLocation(t: CommandTarget, options: RequestOptions = {}): Promise<CommandResult> {
    return send(this.#ctx, '/lostmode', { operation: 'request_location' }, target(t), options);
  }
}
