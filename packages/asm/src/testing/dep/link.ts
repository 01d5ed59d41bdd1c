/** Linking the simulators: what Apple School Manager assigns shows up in the MDM's DEP feed. */
import type { AsmSimEvent, AsmSimState } from '../asm-api/state.js';
import { addDepDevice, type DepSimState, removeDepDevice } from './state.js';

/**
 * Subscribes `dep` to `asm`: a device assigned to `serverId` in the ASM simulator appears in the
 * DEP simulator (an `added` change, with its migration deadline), and one moved away or
 * unassigned disappears (`deleted`). Returns a function that removes the link.
 *
 * @example
 * ```ts
 * const unlink = linkAsmToDep(asm.state, dep.state, { serverId: MOSYLE_ID });
 * ```
 */
export function linkAsmToDep(asm: AsmSimState, dep: DepSimState, options: { serverId: string }): () => void {
  const listener = (event: AsmSimEvent): void => {
    if (event.type === 'device-assigned') {
      const device = asm.devices.get(event.serial);
      if (event.serverId === options.serverId) {
        addDepDevice(dep, {
          serial_number: event.serial,
          model: device?.deviceModel ?? 'iPad',
          description: device?.deviceModel ?? 'iPad',
          device_family: device?.productFamily ?? 'iPad',
          os: 'iPadOS',
          color: device?.color ?? '',
          device_assigned_by: 'asm-api',
          device_assigned_date: new Date(event.at).toISOString(),
          ...(event.migrationDeadline ? { mdm_migration_deadline: event.migrationDeadline } : {}),
        });
      } else if (event.previousServerId === options.serverId) removeDepDevice(dep, event.serial);
    } else if (event.type === 'device-unassigned' && event.serverId === options.serverId) {
      removeDepDevice(dep, event.serial);
    } else if (event.type === 'migration-cancelled' && event.serverId !== options.serverId) {
      removeDepDevice(dep, event.serial);
    }
  };
  asm.listeners.push(listener);
  return () => {
    const i = asm.listeners.indexOf(listener);
    if (i !== -1) asm.listeners.splice(i, 1);
  };
}
