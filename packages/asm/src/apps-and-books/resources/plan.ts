/**
 * `client.planLicenses()`: whether the organisation owns enough licences to give `adamIds` to
 * `serialNumbers`, computed from `assets` and `assignments` before anything is assigned, so a
 * school learns it is short before pushing apps to hundreds of iPads (not when installs fail).
 */
import { InvalidArgumentError, type RequestOptions } from '@schoolmdm/core';
import type { Asset } from '../schemas.js';
import type { LicensePlan, LicensePlanEntry, PlanLicensesParams } from '../types.js';
import type { AssetsResource } from './assets.js';
import type { AssignmentsResource } from './assignments.js';

/** Builds the plan: one asset read and one assignment walk per app, in parallel (the transport bounds them). */
export async function planLicenses(
  resources: { assets: AssetsResource; assignments: AssignmentsResource },
  params: PlanLicensesParams,
  options: RequestOptions = {},
): Promise<LicensePlan> {
  if (typeof params !== 'object' || params === null) {
    throw new InvalidArgumentError('params', 'expected { adamIds, serialNumbers }');
  }
  const adamIds = distinct(params.adamIds, 'adamIds', (v) => /^\d+$/.test(v), 'an adamId (digits)');
  const serials = new Set(distinct(params.serialNumbers, 'serialNumbers', (v) => v.trim() !== '', 'a serial number'));

  const perApp = await Promise.all(
    adamIds.map(async (adamId) => {
      const [assets, held] = await Promise.all([
        resources.assets.list({ adamId }, options).toArray({ limit: 100 }),
        heldBy(resources.assignments, adamId, serials, options),
      ]);
      const mine = assets.filter((a) => a.adamId === adamId);
      if (mine.length === 0) return [notOwned(adamId, serials.size)];
      return mine.map((asset) => entry(asset, held.get(asset.pricingParam) ?? held.get('') ?? [], serials.size));
    }),
  );
  const apps = perApp.flat();
  const missing = apps.reduce((sum, a) => sum + a.missing, 0);
  return { apps, serialNumbers: serials.size, enough: apps.every((a) => a.enough), missing };
}

/** Serial numbers of the plan holding a licence of `adamId`, by `pricingParam` (`''` when absent). */
async function heldBy(
  assignments: AssignmentsResource,
  adamId: string,
  serials: ReadonlySet<string>,
  options: RequestOptions,
): Promise<Map<string, string[]>> {
  const held = new Map<string, string[]>();
  for await (const a of assignments.list({ adamId }, options)) {
    if (a.adamId !== adamId || a.serialNumber === undefined || !serials.has(a.serialNumber)) continue;
    const key = a.pricingParam ?? '';
    const list = held.get(key) ?? [];
    if (!list.includes(a.serialNumber)) list.push(a.serialNumber);
    held.set(key, list);
  }
  return held;
}

function entry(asset: Asset, alreadyHeld: string[], wanted: number): LicensePlanEntry {
  const available = asset.availableCount ?? 0;
  const toAssign = wanted - alreadyHeld.length;
  const missing = Math.max(0, toAssign - available);
  const assignable = asset.deviceAssignable !== false;
  return {
    adamId: asset.adamId,
    pricingParam: asset.pricingParam,
    productType: asset.productType,
    found: true,
    deviceAssignable: asset.deviceAssignable,
    owned: asset.totalCount ?? 0,
    inUse: asset.assignedCount ?? 0,
    available,
    alreadyHeld: alreadyHeld.sort(),
    toAssign,
    // A licence that cannot go to devices is missing for every device still to be served.
    missing: assignable ? missing : toAssign,
    enough: assignable ? missing === 0 : toAssign === 0,
  };
}

function notOwned(adamId: string, wanted: number): LicensePlanEntry {
  return {
    adamId,
    pricingParam: undefined,
    productType: undefined,
    found: false,
    deviceAssignable: undefined,
    owned: 0,
    inUse: 0,
    available: 0,
    alreadyHeld: [],
    toAssign: wanted,
    missing: wanted,
    enough: wanted === 0,
  };
}

function distinct(values: unknown, name: string, ok: (v: string) => boolean, what: string): string[] {
  if (!Array.isArray(values) || values.length === 0) {
    throw new InvalidArgumentError(name, `expected a non-empty array of ${what}s`);
  }
  const out = new Set<string>();
  values.forEach((v, i) => {
    if (typeof v !== 'string' || !ok(v)) throw new InvalidArgumentError(`${name}[${i}]`, `expected ${what}`);
    out.add(v);
  });
  return [...out];
}
