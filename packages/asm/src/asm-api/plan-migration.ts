/**
 * `planMigration`: sorts serials into what each needs before a move to the target server, from
 * paged reads only. Apple's no-erase migration (iOS/iPadOS 26) needs a capable device that is
 * not a Shared iPad; every other device in the organisation needs a plain reassignment and an
 * erase.
 *
 * @see https://developer.apple.com/documentation/devicemanagement/migrating-managed-devices
 */
import { BadRequestError, InvalidArgumentError, type RequestOptions } from '@schoolmdm/core';
import { prepareSerials, type RejectedSerial } from '../internal/serials.js';
import type { AsmContext } from './context.js';
import { checkMigrationDeadline } from './resources/activities.js';
import type { MdmServersResource } from './resources/mdm-servers.js';
import type { OrgDevicesResource } from './resources/org-devices.js';
import { MIGRATION_FIELDS, ORG_DEVICE_FIELDS, type OrgDevice } from './schemas.js';

/** What a serial needs. */
export type MigrationCategory =
  /** Not in the organisation (or released from it). */
  | 'not-in-org'
  /** Already assigned to the target server. */
  | 'already-on-target'
  /** Can migrate without an erase (`assignWithMigrationDeadline`). */
  | 'migration-capable'
  /** Needs a plain reassignment (`assignDevices`) and an erase through the old MDM. */
  | 'needs-erase';

/** Why a device needs an erase. */
export type NeedsEraseReason =
  /** Apple says `isMdmMigrationCapable: false`. */
  | 'not-migration-capable'
  /** Apple did not send `isMdmMigrationCapable` (older tenant or OS). */
  | 'capability-unknown'
  /** Listed in `sharedIpadSerials`: Shared iPads cannot migrate without an erase. */
  | 'shared-ipad';

/** One serial's plan. */
export interface MigrationPlanEntry {
  serial: string;
  category: MigrationCategory;
  /** For `needs-erase`. */
  reason?: NeedsEraseReason;
  /** Apple's record, when the device is in the organisation. */
  device?: OrgDevice;
}

/** Parameters of `planMigration`. */
export interface PlanMigrationParams {
  /** The destination server (Mosyle's). */
  serverId: string;
  /** The serials to move. */
  serials: Iterable<string>;
  /**
   * Serials of Shared iPads (or Return to Service devices): Apple excludes them from the
   * no-erase migration. ASM does not know them; the old MDM's profile does (`is_multi_user`).
   */
  sharedIpadSerials?: Iterable<string>;
  /** A deadline to check now (future, ≤ 90 days), before any activity is sent. */
  deadline?: Date | string;
}

/** The plan. */
export interface MigrationPlan {
  /** Every valid input serial, in input order. */
  entries: MigrationPlanEntry[];
  /** Serials per category. */
  byCategory: Record<MigrationCategory, string[]>;
  /** Input entries that are not valid serial numbers, or duplicates. */
  rejected: RejectedSerial[];
  /** The checked deadline (ISO 8601), when one was given. */
  deadline?: string;
  /** Activities (POSTs) the plan needs: ⌈capable/1000⌉ + ⌈needs-erase/1000⌉. */
  activitiesNeeded: number;
}

/** @internal */
export async function planMigration(
  ctx: AsmContext,
  resources: { orgDevices: OrgDevicesResource; mdmServers: MdmServersResource },
  state: { migrationFieldsRefused: boolean },
  params: PlanMigrationParams,
  options: RequestOptions,
): Promise<MigrationPlan> {
  if (typeof params?.serverId !== 'string' || params.serverId.trim() === '') {
    throw new InvalidArgumentError('serverId', 'expected the id of the destination MDM server');
  }
  const deadline =
    params.deadline === undefined ? undefined : checkMigrationDeadline(params.deadline, ctx.now(), false);
  const { serials, rejected } = prepareSerials(params.serials);
  const shared = new Set(prepareSerials(params.sharedIpadSerials ?? [], 'sharedIpadSerials').serials);
  const wanted = new Set(serials);

  const onTarget = new Set<string>();
  for await (const s of resources.mdmServers.devices(params.serverId, {}, options)) if (wanted.has(s)) onTarget.add(s);

  const org = new Map<string, OrgDevice>();
  const collect = async (fields: readonly string[] | 'all'): Promise<void> => {
    for await (const d of resources.orgDevices.list({ fields }, options)) {
      const s = d.serialNumber.toUpperCase();
      if (wanted.has(s)) org.set(s, d);
    }
  };
  // The migration attributes are documented but missing from fields[orgDevices]' allowed
  // values (Apple's orgDevice attributes vs get-org-devices pages): ask for them, and read
  // without fields[] if Apple refuses.
  if (state.migrationFieldsRefused) await collect('all');
  else {
    try {
      await collect([
        ...ORG_DEVICE_FIELDS.filter((f) => f !== 'assignedServer' && f !== 'appleCareCoverage'),
        ...MIGRATION_FIELDS,
      ]);
    } catch (error) {
      if (!(error instanceof BadRequestError)) throw error;
      state.migrationFieldsRefused = true;
      org.clear();
      await collect('all');
    }
  }

  const byCategory: Record<MigrationCategory, string[]> = {
    'not-in-org': [],
    'already-on-target': [],
    'migration-capable': [],
    'needs-erase': [],
  };
  const entries = serials.map((serial): MigrationPlanEntry => {
    const device = org.get(serial);
    let entry: MigrationPlanEntry;
    if (!device || device.releasedFromOrgDateTime) entry = { serial, category: 'not-in-org', device };
    else if (onTarget.has(serial)) entry = { serial, category: 'already-on-target', device };
    else if (shared.has(serial)) entry = { serial, category: 'needs-erase', reason: 'shared-ipad', device };
    else if (device.isMdmMigrationCapable === true) entry = { serial, category: 'migration-capable', device };
    else {
      const reason = device.isMdmMigrationCapable === false ? 'not-migration-capable' : 'capability-unknown';
      entry = { serial, category: 'needs-erase', reason, device };
    }
    byCategory[entry.category].push(serial);
    return entry;
  });
  const activitiesNeeded =
    Math.ceil(byCategory['migration-capable'].length / 1000) + Math.ceil(byCategory['needs-erase'].length / 1000);
  return { entries, byCategory, rejected, deadline, activitiesNeeded };
}
