/**
 * The Apps and Books check: the content token is accepted by Apple (not only well-formed), and
 * the school's apps have enough free licences for the iPads in the plan — found out here rather
 * than when an app fails to install on hundreds of iPads.
 */
import { AppsAndBooksClient } from '@schoolmdm/asm';
import type { ContentToken } from '@schoolmdm/certs';
import type { LoadedConfig } from '../config/load.js';
import { describeError } from '../steps/retry.js';
import type { CheckItem } from './checklist.js';

/** Reads the licences with the content token and judges them against `ipads`. */
export async function appsAndBooksCheck(config: LoadedConfig, token: ContentToken, ipads: number): Promise<CheckItem> {
  const item = 'Apps and Books licences (content token accepted by Apple)';
  const baseURL = config.data.appsAndBooks.baseURL;
  const client = new AppsAndBooksClient({ token, ...(baseURL ? { baseURL } : {}) });
  try {
    let apps = 0;
    let short: { adamId: string; available: number } | undefined;
    for await (const a of client.assets.list()) {
      if (a.productType === 'Book') continue;
      apps++;
      const available = a.availableCount ?? (a.totalCount ?? 0) - (a.assignedCount ?? 0) - (a.retiredCount ?? 0);
      if (!short || available < short.available) short = { adamId: a.adamId, available };
    }
    if (!short) {
      return {
        item,
        state: 'warn',
        detail: 'the token works, but the school holds no app licences',
        next: 'buy or transfer the apps in ASM > Apps and Books',
      };
    }
    const enough = short.available >= ipads;
    return {
      item,
      state: enough ? 'ok' : 'warn',
      detail: `${apps} app(s); the fewest free licences: ${short.available} (app ${short.adamId}) for ${ipads} iPads`,
      next: enough
        ? 'nothing now'
        : `get ${ipads - short.available} more licences of app ${short.adamId} in ASM > Apps and Books before assigning it to every iPad`,
    };
  } catch (e) {
    return {
      item,
      state: 'fail',
      detail: describeError(e),
      next: 'download a new content token in ASM > Preferences > Payments and Billing (Step 8)',
    };
  } finally {
    await client.close();
  }
}
