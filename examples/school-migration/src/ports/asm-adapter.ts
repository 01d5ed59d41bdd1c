/**
 * `AsmPort` on `AsmClient` (`@schoolmdm/asm`): paged reads of the organisation's devices and
 * of the Mosyle server's devices, assignment activities of up to 1,000 serials, their logs, and
 * verification by paged reads.
 */
import type { AsmClient } from '@schoolmdm/asm';
import type { ActivityOutcome, AsmDeviceState, AsmPort } from './types.js';

/** How often an activity is polled (each poll is a rate-limited GET). */
export const ACTIVITY_POLL_MS = 20_000;

/** The ASM port on a client. */
export function asmPort(client: AsmClient): AsmPort {
  const servers = new Map<string, { id: string; name: string } | undefined>();
  const findServer = async (name: string) => {
    if (!servers.has(name)) {
      const s = await client.mdmServers.findByName(name);
      servers.set(name, s ? { id: s.id, name: s.serverName ?? name } : undefined);
    }
    return servers.get(name);
  };
  let mosyleServerName: string | undefined;
  return {
    findServer: async (name) => {
      mosyleServerName = name;
      return findServer(name);
    },
    async readDevices(serials) {
      const wanted = new Set(serials);
      const out = new Map<string, AsmDeviceState>();
      for await (const d of client.orgDevices.list({ limit: 1000, fields: ['serialNumber', 'status'] })) {
        const s = d.serialNumber ?? d.id;
        if (wanted.has(s))
          out.set(s, d.status === 'ASSIGNED' ? { inOrg: true, serverId: 'another server' } : { inOrg: true });
      }
      const server = mosyleServerName ? await findServer(mosyleServerName) : undefined;
      if (server) {
        for await (const s of client.mdmServers.devices(server.id, { limit: 1000 })) {
          if (wanted.has(s)) out.set(s, { inOrg: true, serverId: server.id });
        }
      }
      return out;
    },
    async assign(serverId, serials) {
      const r = await client.activities.assignDevices({ serverId, serials });
      if (r.failed.length > 0 && r.activities.length === 0) throw r.failed[0]!.error;
      return r.activities.map((a, i) => ({
        activityId: a.id,
        // The client submits in order, in chunks of up to 1,000.
        serials: r.submitted.slice(i * 1000, (i + 1) * 1000),
      }));
    },
    async waitForActivity(activityId): Promise<ActivityOutcome> {
      const done = await client.activities.waitUntilDone(activityId, { pollIntervalMs: ACTIVITY_POLL_MS });
      const failed = new Map<string, string>();
      if (done.status === 'COMPLETED' || done.downloadUrl) {
        for (const e of await client.activities.log(done)) {
          if (e.succeeded === false) failed.set(e.serial, e.message ?? e.status ?? 'failed');
        }
      }
      return { activityId, status: done.status ?? 'unknown', failed };
    },
    async verify(serverId, serials) {
      const v = await client.verifyAssignment({ serverId, serials });
      return new Map(v.results.map((r) => [r.serial, r.state]));
    },
    async checkAccess() {
      let n = 0;
      for await (const s of client.mdmServers.list()) {
        void s;
        n++;
      }
      return { ok: true, message: `signed in; ${n} MDM server(s) in Apple School Manager` };
    },
  };
}
