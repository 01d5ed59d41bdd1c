/** The README's cart workflow, run as written against the simulator on a virtual clock. */
import { MosyleClient } from '@schoolmdm/mosyle';
import { createMosyleSimulator } from '@schoolmdm/mosyle/testing';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { VirtualClock } from './support/harness.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

it('names the iPads, puts them in their carts and confirms the names', async () => {
  const clock = new VirtualClock();
  const sim = createMosyleSimulator(
    {
      devices: [{ serialNumber: 'DMPX1' }, { serialNumber: 'DMPX2' }, { serialNumber: 'DMPY1' }],
      sharedDeviceGroups: [
        { id: '7', name: 'Cart A', os: 'ios', udids: [] },
        { id: '8', name: 'Cart B', os: 'ios', udids: [] },
      ],
      visibilityDelayMs: 45 * 60_000,
    },
    { now: clock.clock },
  );
  server.resetHandlers(...sim.handlers);
  const mosyle = new MosyleClient({ ...sim.state.credentials, now: clock.clock, sleep: clock.sleep });
  const warnings: unknown[][] = [];
  const warn = (...a: unknown[]) => warnings.push(a);

  const access = await mosyle.checkAccess();
  expect(access.ok).toBe(true);

  const carts = { 'Cart A': ['DMPX1', 'DMPX2', 'DMPX9'], 'Cart B': ['DMPY1'] };
  const serials = Object.values(carts).flat();
  const { found, notFound } = await mosyle.devices.findBySerial(serials, { os: 'ios' });
  if (notFound.length) warn('not enrolled yet:', notFound);
  const updates = Object.entries(carts).flatMap(([cart, list]) =>
    list.filter((s) => found.has(s)).map((s, i) => ({ serialNumber: s, name: `${cart} – ${i + 1}`, tags: [cart] })),
  );
  const { results } = await mosyle.devices.update(updates);
  for (const r of results) if (!r.ok) warn(r.id, r.status, r.message);
  const groups = new Map<string, string>();
  for await (const g of mosyle.sharedDeviceGroups.list({ os: 'ios' })) groups.set(g.name ?? '', g.id);
  for (const [cart, list] of Object.entries(carts)) {
    const udids = list.flatMap((s) => found.get(s)?.udid ?? []);
    const added = await mosyle.sharedDeviceGroups.addDevices(groups.get(cart) as string, udids);
    if (!added.ok) warn(cart, 'not found:', added.notFound, 'failed:', added.failed);
  }
  const confirmation = await clock.run(mosyle.devices.confirmUpdate(updates, { timeoutMs: 60 * 60_000, os: 'ios' }));
  for (const u of confirmation.unconfirmed) warn(u.serialNumber, u.reason, u.actual?.name);
  await mosyle.close();

  expect(warnings).toEqual([['not enrolled yet:', ['DMPX9']]]);
  expect(confirmation).toMatchObject({ ok: true, unconfirmed: [] });
  expect(sim.device('DMPX2')).toMatchObject({ name: 'Cart A – 2', tags: ['Cart A'] });
  expect(sim.state.sharedDeviceGroups.map((g) => g.udids.length)).toEqual([2, 1]);
});
