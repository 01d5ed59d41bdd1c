/**
 * Bulk updates: tag merge (read, merge, write) vs replaceTags, chunking, per-serial results,
 * rename confirmation with delayed visibility on a virtual clock, and destructive commands
 * refused without confirm.
 */
import { InvalidArgumentError } from '@schoolmdm/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness, ipads } from './support/harness.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const MIN = 60_000;

describe('devices.update', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('merges tags with the current ones unless replaceTags', async () => {
    h = await harness('msw', server, { devices: ipads(2, { tags: ['grade-5', 'loaner'] }) });
    const merged = await h.client.devices.update([{ serialNumber: 'DMP00001', tags: ['cart-a', 'loaner'] }]);
    expect(merged.results[0]).toMatchObject({ status: 'updated', sent: { tags: ['grade-5', 'loaner', 'cart-a'] } });
    expect(h.sim.device('DMP00001')?.tags).toEqual(['grade-5', 'loaner', 'cart-a']);
    const replaced = await h.client.devices.update([{ serialNumber: 'DMP00002', tags: ['cart-b'] }], {
      replaceTags: true,
    });
    expect(replaced.results[0]).toMatchObject({ status: 'updated', sent: { tags: ['cart-b'] } });
    expect(h.sim.device('DMP00002')?.tags).toEqual(['cart-b']);
    // replaceTags reads nothing first.
    expect(h.sim.state.requests.map((r) => r.path)).toEqual(['/login', '/listdevices', '/devices', '/devices']);
  });

  it('a tag merge for an unknown serial is reported, the rest still sent', async () => {
    h = await harness('msw', server, { devices: ipads(1) });
    const r = await h.client.devices.update([
      { serialNumber: 'GHOST', tags: ['x'] },
      { serialNumber: 'DMP00001', tags: ['x'] },
    ]);
    expect(r.results.map((x) => [x.id, x.status])).toEqual([
      ['GHOST', 'not-found'],
      ['DMP00001', 'updated'],
    ]);
  });

  it('refuses bad items before sending: commas in tags, duplicates, nothing to change', async () => {
    h = await harness('msw', server, { devices: ipads(2) });
    const r = await h.client.devices.update([
      { serialNumber: 'DMP00001', tags: ['a,b'] },
      { serialNumber: 'DMP00002', name: 'ok' },
      { serialNumber: 'dmp00002', name: 'again' },
      { serialNumber: 'DMP00001' },
    ]);
    expect(r.results.map((x) => x.status)).toEqual(['invalid', 'updated', 'invalid', 'invalid']);
    expect(r.results[0]?.message).toContain('comma');
    expect(r.results[2]?.message).toContain('twice');
  });

  it('chunks 250 renames into requests of updateChunkSize serials', async () => {
    h = await harness('msw', server, { devices: ipads(250) });
    const updates = (ipads(250) ?? []).map((d, i) => ({
      serialNumber: d.serialNumber as string,
      name: `iPad ${i + 1}`,
    }));
    const r = await h.client.devices.update(updates);
    expect(r.ok).toBe(true);
    const sizes = h.sim.state.requests
      .filter((x) => x.path === '/devices')
      .map((x) => (x.body as { elements: unknown[] }).elements.length);
    expect(sizes).toEqual([100, 100, 50]);
  });
});

describe('devices.confirmUpdate with delayed visibility (virtual clock)', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('re-reads with backoff until the renames show, then reports them confirmed', async () => {
    h = await harness('msw', server, { devices: ipads(3), visibilityDelayMs: 50 * MIN });
    const updates = [
      { serialNumber: 'DMP00001', name: 'Cart A 01', tags: ['cart-a'] },
      { serialNumber: 'DMP00002', name: 'Cart A 02' },
    ];
    await h.client.devices.update(updates);
    // Not visible yet: the listing still shows the old name.
    expect(h.sim.device('DMP00001')?.name).toBe('iPad DMP00001');
    const start = h.clock.now;
    const r = await h.clock.run(
      h.client.devices.confirmUpdate(updates, { timeoutMs: 90 * MIN, initialDelayMs: 5 * MIN, maxDelayMs: 20 * MIN }),
    );
    expect(r).toMatchObject({ ok: true, unconfirmed: [] });
    expect(r.confirmed.sort()).toEqual(['DMP00001', 'DMP00002']);
    // Reads at 0, 5, 15, 35, 55 min: confirmed at the first read after 50 min.
    expect(h.clock.sleeps).toEqual([5 * MIN, 10 * MIN, 20 * MIN, 20 * MIN]);
    expect(r.passes).toBe(5);
    expect(h.clock.now - start).toBe(55 * MIN);
    expect(r.elapsedMs).toBe(55 * MIN);
  });

  it('reports what never showed: a dropped rename (unsupervised) and an unknown serial', async () => {
    h = await harness('msw', server, { devices: [...(ipads(1) ?? []), { serialNumber: 'UNSUP1', supervised: false }] });
    const updates = [
      { serialNumber: 'DMP00001', name: 'Fine' },
      { serialNumber: 'UNSUP1', name: 'Dropped' },
      { serialNumber: 'GHOST1', name: 'Nobody' },
    ];
    await h.client.devices.update(updates);
    const r = await h.clock.run(h.client.devices.confirmUpdate(updates, { timeoutMs: 60 * MIN, os: 'ios' }));
    expect(r.ok).toBe(false);
    expect(r.confirmed).toEqual(['DMP00001']);
    expect(r.unconfirmed).toEqual([
      { serialNumber: 'UNSUP1', reason: 'not-visible', actual: { name: 'iPad UNSUP1', assetTag: null, tags: [] } },
      { serialNumber: 'GHOST1', reason: 'not-found' },
    ]);
    // Bounded: never past the timeout.
    expect(r.elapsedMs).toBe(60 * MIN);
    expect(h.clock.sleeps.reduce((a, b) => a + b, 0)).toBe(60 * MIN);
  });
});

describe('destructive commands', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('wipe refuses without confirm: true and sends nothing', async () => {
    h = await harness('msw', server, { devices: ipads(1) });
    const udid = h.sim.state.devices[0]?.udid as string;
    // @ts-expect-error confirm is required by the type as well
    await expect(h.client.commands.wipe({ devices: [udid] })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(h.client.commands.wipe({ devices: [udid], confirm: false as true })).rejects.toThrow(/not confirmed/);
    expect(h.sim.state.requests).toEqual([]);
    expect(h.sim.state.commands).toEqual([]);
    await expect(h.client.commands.wipe({ devices: [udid], confirm: true, pinCode: '12' })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  });

  it('commands need a target', async () => {
    h = await harness('msw', server);
    await expect(h.client.commands.restart({})).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(() => h.client.devices.list({} as never)).toThrow(InvalidArgumentError);
    expect(() => h.client.devices.list({ os: 'macos' as never })).toThrow(/ios, mac, tvos, visionos/);
  });
});
