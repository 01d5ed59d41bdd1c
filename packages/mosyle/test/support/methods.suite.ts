/**
 * Every client method against the simulator, run once over msw and once over a real local
 * HTTP server (core's startTestServer), so the two peers check the same behaviour.
 */
import { InvalidArgumentError } from '@schoolmdm/core';
import { MosyleError } from '@schoolmdm/mosyle';
import type { SetupServer } from 'msw/node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect, type Harness, harness, ipads, type Peer } from './harness.js';

export function methodsSuite(peer: Peer, getServer: () => SetupServer | undefined): void {
  describe(`every method over ${peer}`, () => {
    let h: Harness;
    beforeEach(async () => {
      h = await harness(peer, getServer(), {
        devices: [
          ...(ipads(5) ?? []),
          { serialNumber: 'MAC00001', os: 'mac', name: 'Staff Mac', model: 'Mac14,2' },
          { serialNumber: 'ATV00001', os: 'tvos', name: 'Hall TV' },
          { serialNumber: 'AVP00001', os: 'visionos', name: 'Lab Vision' },
        ],
        sharedDeviceGroups: [{ id: '7', name: 'Cart A', os: 'ios', udids: [] }],
        deviceGroups: [{ id: '154', name: 'Grade 5', os: 'ios', udids: [] }],
        users: [
          {
            id: 'tea-1',
            name: 'Ada Teacher',
            type: 'TEACHER',
            email: 'ada@school.example',
            managedAppleId: '',
            locations: [{ name: 'Main' }],
            serialNumbers: [],
          },
        ],
      });
    });
    afterEach(async () => h.close());

    it('devices.list reads one OS family and maps every field', async () => {
      const ios = await collect(h.client.devices.list({ os: 'ios' }));
      expect(ios.map((d) => d.serialNumber)).toEqual(['DMP00001', 'DMP00002', 'DMP00003', 'DMP00004', 'DMP00005']);
      const d = ios[0];
      expect(d).toMatchObject({
        os: 'ios',
        name: 'iPad DMP00001',
        model: 'iPad13,18',
        osVersion: '17.5.1',
        tags: [],
        enrollmentType: 'DEP',
      });
      expect(d?.udid).toBe(h.sim.device('DMP00001')?.udid);
      expect(d?.lastSeenAt).toBeInstanceOf(Date);
      expect(d?.raw.total_disk).toBe('64.0000000000');
      const mac = await collect(h.client.devices.list({ os: 'mac', columns: ['device_name'] }));
      expect(mac).toHaveLength(1);
      expect(Object.keys(mac[0]?.raw ?? {}).sort()).toEqual(['device_name', 'deviceudid', 'serial_number']);
    });

    it('devices.list filters by serial numbers and tags', async () => {
      h.sim.device('DMP00002')?.tags.push('cart-a');
      const bySerial = await collect(h.client.devices.list({ os: 'ios', serialNumbers: ['DMP00003'] }));
      expect(bySerial.map((d) => d.serialNumber)).toEqual(['DMP00003']);
      const byTag = await collect(h.client.devices.list({ os: 'ios', tags: ['cart-a'] }));
      expect(byTag.map((d) => d.serialNumber)).toEqual(['DMP00002']);
    });

    it('devices.listAll reads ios, mac, tvos and visionos', async () => {
      const all = await collect(h.client.devices.listAll());
      expect(all.map((d) => d.os)).toEqual(['ios', 'ios', 'ios', 'ios', 'ios', 'mac', 'tvos', 'visionos']);
      const bodies = h.sim.state.requests
        .filter((r) => r.path === '/listdevices')
        .map((r) => (r.body as { options: { os: string } }).options.os);
      expect(new Set(bodies)).toEqual(new Set(['ios', 'mac', 'tvos', 'visionos']));
    });

    it('devices.findBySerial uses filtered listings, not a call per serial', async () => {
      const r = await h.client.devices.findBySerial(['dmp00001', 'DMP00004', 'MAC00001', 'NOPE1'], {});
      expect([...r.found.keys()].sort()).toEqual(['DMP00001', 'DMP00004', 'MAC00001']);
      expect(r.notFound).toEqual(['NOPE1']);
      expect(r.failed).toEqual([]);
      // Per OS family: one listing, plus one for page 1 where page 0 came back empty (the page
      // base is unconfirmed); never one per serial.
      const calls = h.sim.state.requests.filter((x) => x.path === '/listdevices');
      expect(calls.length).toBeLessThanOrEqual(6);
      expect((calls[0]?.body as { options: { serial_numbers: string[] } } | undefined)?.options.serial_numbers).toEqual(
        ['DMP00001', 'DMP00004', 'MAC00001', 'NOPE1'],
      );
    });

    it('devices.update renames, tags (merged) and reports per serial', async () => {
      h.sim.device('DMP00001')?.tags.push('old');
      const r = await h.client.devices.update([
        { serialNumber: 'DMP00001', name: 'Cart A 01', tags: ['cart-a'], assetTag: 'A-01' },
        { serialNumber: 'DMP00002', name: 'Cart A 02', lockMessage: 'Return to room 12' },
        { serialNumber: 'NOPE1', name: 'x' },
        { serialNumber: '', name: 'x' },
      ]);
      expect(r.results.map((x) => [x.id, x.status])).toEqual([
        ['DMP00001', 'updated'],
        ['DMP00002', 'updated'],
        ['NOPE1', 'rejected'],
        ['', 'invalid'],
      ]);
      expect(r.ok).toBe(false);
      expect(h.sim.device('DMP00001')).toMatchObject({ name: 'Cart A 01', assetTag: 'A-01', tags: ['old', 'cart-a'] });
      const sent = h.sim.state.requests.find((x) => x.path === '/devices')?.body as {
        elements: Record<string, unknown>[];
      };
      expect(sent.elements[0]).toEqual({
        serialnumber: 'DMP00001',
        name: 'Cart A 01',
        asset_tag: 'A-01',
        tags: 'old,cart-a',
      });
      expect(sent.elements[1]).toMatchObject({ lock: 'Return to room 12' });
    });

    it('devices.confirmUpdate reads the names back', async () => {
      await h.client.devices.update([{ serialNumber: 'DMP00003', name: 'Lab 3' }]);
      const c = await h.client.devices.confirmUpdate([{ serialNumber: 'DMP00003', name: 'Lab 3' }], { os: 'ios' });
      expect(c).toMatchObject({ ok: true, confirmed: ['DMP00003'], unconfirmed: [], passes: 1 });
    });

    it('sharedDeviceGroups: list, addDevices, removeDevices (partial success is a result)', async () => {
      const udids = ['DMP00001', 'DMP00002'].map((s) => h.sim.device(s)?.udid as string);
      const added = await h.client.sharedDeviceGroups.addDevices('7', [...udids, 'UNKNOWN-UDID']);
      expect(added).toMatchObject({ ok: false, accepted: udids, notFound: ['UNKNOWN-UDID'], failed: [] });
      expect(added.chunks[0]?.status).toBe('COMMAND_SENT');
      const groups = await collect(h.client.sharedDeviceGroups.list());
      expect(groups).toHaveLength(1);
      expect(groups[0]).toMatchObject({ id: '7', name: 'Cart A', deviceCount: 2, udids });
      const removed = await h.client.sharedDeviceGroups.removeDevices(7, [udids[0] as string]);
      expect(removed.ok).toBe(true);
      expect(h.sim.state.sharedDeviceGroups[0]?.udids).toEqual([udids[1]]);
    });

    it('deviceGroups: list, devices, update', async () => {
      const u = h.sim.device('DMP00005')?.udid as string;
      const r = await h.client.deviceGroups.update('154', { add: [u] });
      expect(r).toMatchObject({ ok: true, accepted: [u] });
      expect(r.chunks[0]?.info).toBe('110');
      expect(await collect(h.client.deviceGroups.list('ios'))).toMatchObject([
        { id: '154', name: 'Grade 5', deviceCount: 1 },
      ]);
      expect(await h.client.deviceGroups.devices(154)).toEqual({ groupName: 'Grade 5', udids: [u] });
      await h.client.deviceGroups.update(154, { remove: [u] });
      expect((await h.client.deviceGroups.devices(154)).udids).toEqual([]);
      await expect(h.client.deviceGroups.devices('999')).rejects.toBeInstanceOf(MosyleError);
    });

    it('users: save, list, update, assignDevice, delete with per-item results', async () => {
      const saved = await h.client.users.save([
        { id: 'stu-1', name: 'Sam Student', type: 'STUDENT', locations: [{ name: 'Main', gradeLevel: '5' }] },
        { id: 'stu-2', name: 'No Grade', type: 'STUDENT', locations: [{ name: 'Main' }] },
      ]);
      expect(saved.results.map((r) => [r.id, r.ok, r.status])).toEqual([
        ['stu-1', true, 'OK'],
        ['stu-2', false, 'invalid'],
      ]);
      const users = await collect(h.client.users.list({ types: ['STUDENT'] }));
      expect(users.map((u) => u.id)).toEqual(['stu-1']);
      const upd = await h.client.users.update([{ id: 'stu-1', email: 'sam@school.example' }, { id: 'ghost' }]);
      expect(upd.results.map((r) => r.status)).toEqual(['OK', 'UNKNOWN_USER']);
      const assigned = await h.client.users.assignDevice([
        { id: 'stu-1', serialNumber: 'DMP00004' },
        { id: 'stu-1', serialNumber: 'NOPE1' },
      ]);
      expect(assigned.results.map((r) => r.status)).toEqual(['OK', 'DEVICES_NOTFOUND']);
      expect(h.sim.device('DMP00004')?.userId).toBe('stu-1');
      const del = await h.client.users.delete(['stu-1']);
      expect(del.ok).toBe(true);
      expect(h.sim.state.users.map((u) => u.id)).toEqual(['tea-1']);
    });

    it('classes: save, list, delete', async () => {
      const r = await h.client.classes.save([
        {
          id: 'math-5a',
          courseName: 'Math',
          className: 'Math 5A',
          location: 'Main',
          teacherId: 'tea-1',
          students: ['stu-1'],
        },
      ]);
      expect(r.ok).toBe(true);
      const classes = await collect(h.client.classes.list());
      expect(classes).toMatchObject([
        {
          id: 'math-5a',
          name: 'Math 5A',
          courseName: 'Math',
          teacher: 'tea-1',
          locations: ['Main'],
          students: ['stu-1'],
        },
      ]);
      expect((await h.client.classes.delete(['math-5a'])).ok).toBe(true);
      expect(h.sim.state.classes).toEqual([]);
    });

    it('commands: restart, shutdown, clearCommands, changeToLimbo, updateLimboLocation, wipe', async () => {
      const u = h.sim.device('DMP00001')?.udid as string;
      for (const r of [
        await h.client.commands.restart({ devices: [u] }),
        await h.client.commands.shutdown({ devices: [u] }),
        await h.client.commands.clearCommands({ devices: [u], which: 'pending' }),
        await h.client.commands.changeToLimbo({ devices: [u] }),
        await h.client.commands.updateLimboLocation({ devices: [u], location: 'Annex' }),
        await h.client.commands.wipe({
          devices: [u],
          confirm: true,
          enableReturnToService: true,
          revokeVppLicenses: false,
        }),
      ]) {
        expect(r).toMatchObject({ ok: true, accepted: [u] });
      }
      expect(h.sim.state.commands.map((c) => c.operation)).toEqual([
        'restart_devices',
        'shutdown_devices',
        'clear_pending_commands',
        'change_to_limbo',
        'update_limbo_location',
        'wipe_devices',
      ]);
      expect(h.sim.state.commands[5]?.params).toEqual({
        options: { EnableReturnToService: true, RevokeVPPLicenses: false },
      });
      expect(h.sim.device(u)?.location).toBe('Annex');
    });

    it('commands: partial success (COMMAND_SENT with devices_notfound) and groups', async () => {
      const u = h.sim.device('DMP00002')?.udid as string;
      const r = await h.client.commands.restart({ devices: [u, 'GONE-1'], groups: ['154'] });
      expect(r).toMatchObject({ ok: false, accepted: [u, '154'], notFound: ['GONE-1'], failed: [] });
    });

    it('lostMode: enable, playSound, requestLocation, disable', async () => {
      const u = h.sim.device('DMP00003')?.udid as string;
      expect(
        (await h.client.lostMode.enable({ devices: [u], message: 'Call the office', phoneNumber: '555-0100' })).ok,
      ).toBe(true);
      expect(h.sim.device(u)?.lostMode).toBe(true);
      expect((await h.client.lostMode.playSound({ devices: [u] })).ok).toBe(true);
      expect((await h.client.lostMode.requestLocation({ devices: [u] })).ok).toBe(true);
      expect((await h.client.lostMode.disable({ devices: [u] })).ok).toBe(true);
      expect(h.sim.device(u)?.lostMode).toBe(false);
      await expect(h.client.lostMode.enable({ devices: [u], message: '' })).rejects.toBeInstanceOf(
        InvalidArgumentError,
      );
    });

    it('adminLogs.list returns the changes made between two dates', async () => {
      const from = new Date(h.clock.now - 1000);
      await h.client.devices.update([{ serialNumber: 'DMP00001', name: 'Renamed' }]);
      const logs = await collect(h.client.adminLogs.list({ from, to: new Date(h.clock.now + 1000) }));
      expect(logs.map((l) => l.action)).toEqual(['Device DMP00001 updated']);
      expect(logs[0]?.user).toBe('api-admin@school.example');
      expect(logs[0]?.date).toBeInstanceOf(Date);
    });

    it('checkAccess says ok', async () => {
      expect(await h.client.checkAccess()).toMatchObject({ ok: true, diagnosis: 'ok', iosDeviceCount: 5 });
    });
  });
}
