/**
 * `verifyAssignment`: did the devices land on the server? Answered from paged reads (the
 * server's device list, and the organisation's device list only when some serial is missing),
 * never from one GET per device: 10,000 serials cost about ten requests, not 10,000.
 */
import { InvalidArgumentError, type RequestOptions } from '@schoolmdm/core';
import { pause } from '../internal/pause.js';
import { prepareSerials, type RejectedSerial } from '../internal/serials.js';
import type { AsmContext } from './context.js';
import type { MdmServersResource } from './resources/mdm-servers.js';
import type { OrgDevicesResource } from './resources/org-devices.js';
import type { OrgDevice } from './schemas.js';

/** Where a serial stands. */
export type VerificationState =
  /** On the target server's device list. */
  | 'assigned'
  /** In the organisation, but on another server or unassigned. */
  | 'assigned-elsewhere'
  /** Not in the organisation (Apple silently drops such serials from an activity). */
  | 'not-in-org'
  /**
   * In the organisation and not on the target yet, while Apple's record still predates
   * `since`: the read side has not caught up with the write after the bounded re-reads.
   * Verify again later.
   */
  | 'unknown';

/** Parameters of `verifyAssignment`. */
export interface VerifyAssignmentParams {
  /** The server the devices should be on. */
  serverId: string;
  /** The serial numbers to check (normalised, validated, de-duplicated). */
  serials: Iterable<string>;
  /**
   * When the assignment was written. Serials whose organisation record is older than this
   * after the last re-read are `unknown` rather than `assigned-elsewhere`.
   */
  since?: Date;
  /** Re-reads of the server's list while serials in the organisation are missing from it. @defaultValue `2` */
  maxRereads?: number;
  /** Wait before each re-read, ms. @defaultValue `30_000` */
  rereadDelayMs?: number;
}

/** The outcome of `verifyAssignment`. */
export interface AssignmentVerification {
  /** Every valid input serial with its state, in input order. */
  results: { serial: string; state: VerificationState }[];
  /** The same, grouped by state. */
  byState: Record<VerificationState, string[]>;
  /** Input entries that are not valid serial numbers, or duplicates. */
  rejected: RejectedSerial[];
  /** Re-reads of the server list that were made. */
  rereads: number;
}

/** @internal */
export async function verifyAssignment(
  ctx: AsmContext,
  resources: { orgDevices: OrgDevicesResource; mdmServers: MdmServersResource },
  params: VerifyAssignmentParams,
  options: RequestOptions,
): Promise<AssignmentVerification> {
  if (typeof params?.serverId !== 'string' || params.serverId.trim() === '') {
    throw new InvalidArgumentError('serverId', 'expected the id of the MDM server the devices should be on');
  }
  const maxRereads = params.maxRereads ?? 2;
  const delay = params.rereadDelayMs ?? 30_000;
  if (!Number.isInteger(maxRereads) || maxRereads < 0) {
    throw new InvalidArgumentError('maxRereads', `expected an integer ≥ 0, got ${String(maxRereads)}`);
  }
  const { serials, rejected } = prepareSerials(params.serials);
  const wanted = new Set(serials);
  const onTarget = new Set<string>();

  const readTarget = async (): Promise<void> => {
    for await (const serial of resources.mdmServers.devices(params.serverId, {}, options)) {
      if (wanted.has(serial)) onTarget.add(serial);
    }
  };
  const readOrg = async (): Promise<Map<string, OrgDevice>> => {
    const org = new Map<string, OrgDevice>();
    const fields = ['serialNumber', 'status', 'updatedDateTime'] as const;
    for await (const d of resources.orgDevices.list({ fields }, options)) {
      const s = d.serialNumber.toUpperCase();
      if (wanted.has(s)) org.set(s, d);
    }
    return org;
  };

  if (serials.length > 0) await readTarget();
  let org: Map<string, OrgDevice> | undefined;
  const missing = (): string[] => serials.filter((s) => !onTarget.has(s));
  if (missing().length > 0) org = await readOrg();
  let rereads = 0;
  const inOrgMissing = (): string[] => missing().filter((s) => org?.has(s));
  while (rereads < maxRereads && inOrgMissing().length > 0) {
    await pause(ctx.sleep, delay, options.signal);
    rereads++;
    await readTarget();
  }
  const since = params.since?.getTime();
  if (since !== undefined && rereads > 0 && inOrgMissing().length > 0) org = await readOrg();

  const byState: Record<VerificationState, string[]> = {
    assigned: [],
    'assigned-elsewhere': [],
    'not-in-org': [],
    unknown: [],
  };
  const results = serials.map((serial) => {
    let state: VerificationState;
    if (onTarget.has(serial)) state = 'assigned';
    else {
      const device = org?.get(serial);
      if (!device) state = 'not-in-org';
      else {
        const updated = device.updatedDateTime ? Date.parse(device.updatedDateTime) : Number.NaN;
        state = since !== undefined && !(updated >= since) ? 'unknown' : 'assigned-elsewhere';
      }
    }
    byState[state].push(serial);
    return { serial, state };
  });
  return { results, byState, rejected, rereads };
}
