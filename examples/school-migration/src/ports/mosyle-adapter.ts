/**
 * `MosylePort` on `MosyleClient` (`@schoolmdm/mosyle`): paged serial lookups, bulk renames
 * confirmed by reading the names back, shared device groups.
 */
import type { MosyleClient } from '@schoolmdm/mosyle';
import { describeError } from '../steps/retry.js';
import type { MosyleDeviceState, MosylePort } from './types.js';

/** The Mosyle port on a client. */
export function mosylePort(client: MosyleClient): MosylePort {
  const groupIds = async () => {
    const m = new Map<string, string>();
    for await (const g of client.sharedDeviceGroups.list({ os: 'ios' })) if (g.name) m.set(g.name, g.id);
    return m;
  };
  return {
    async checkAccess() {
      const r = await client.checkAccess();
      return { status: r.ok ? 'ok' : r.diagnosis, message: r.ok ? r.message : `${r.message} ${r.hint}`.trim() };
    },
    async findBySerial(serials) {
      const out = new Map<string, MosyleDeviceState>();
      if (serials.length === 0) return out;
      const r = await client.devices.findBySerial(serials, { os: 'ios' });
      if (r.failed.length > 0) throw r.failed[0]!.error;
      for (const [serial, d] of r.found) out.set(serial, { udid: d.udid, name: d.name ?? undefined });
      return out;
    },
    async rename(updates) {
      const r = await client.devices.update(
        updates.map((u) => ({ serialNumber: u.serial, name: u.name })),
        { os: 'ios' },
      );
      const failed = new Map<string, string>();
      const requestFailures = r.results.filter((x) => x.status === 'failed');
      // A request that failed as a whole is retried by the step (after reading the names).
      if (requestFailures.length === r.results.length && requestFailures.length > 0) throw requestFailures[0]!.error;
      for (const x of r.results) if (!x.ok) failed.set(x.id, x.message ?? x.status);
      return { failed };
    },
    async confirmNames(updates, timeoutMs) {
      if (updates.length === 0) return new Set();
      const r = await client.devices.confirmUpdate(
        updates.map((u) => ({ serialNumber: u.serial, name: u.name })),
        // Mosyle collects device information about hourly: a first read after a few minutes,
        // then backing off, rather than reading every minute.
        { timeoutMs, os: 'ios', initialDelayMs: 5 * 60_000, maxDelayMs: 20 * 60_000 },
      );
      return new Set(r.unconfirmed.map((u) => u.serialNumber));
    },
    sharedGroups: groupIds,
    async groupMembers(groupId) {
      for await (const g of client.sharedDeviceGroups.list({ os: 'ios' }))
        if (g.id === groupId) return new Set(g.udids);
      return new Set();
    },
    async groupsWithMembers() {
      const m = new Map<string, { id: string; udids: Set<string> }>();
      for await (const g of client.sharedDeviceGroups.list({ os: 'ios' })) {
        if (g.name) m.set(g.name, { id: g.id, udids: new Set(g.udids) });
      }
      return m;
    },
    async addToGroup(groupId, udids) {
      const r = await client.sharedDeviceGroups.addDevices(groupId, udids);
      if (r.failed.length > 0 && r.accepted.length === 0) throw r.failed[0]!.error;
      const failed = new Map<string, string>();
      for (const f of r.failed) for (const u of f.devices) failed.set(u, describeError(f.error));
      for (const u of r.notFound) failed.set(u, 'Mosyle does not know this device');
      return { failed };
    },
  };
}
