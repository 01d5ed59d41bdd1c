/** Seeds shared by the Apps and Books tests. */
import type { AppsAndBooksSimulatorSeed } from '../../../src/testing/apps-and-books/index.js';

/** `count` serial numbers like `C02X00001`. */
export function serials(count: number, prefix = 'DMPX'): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(6, '0')}`);
}

export const KEYNOTE = '361285480';
export const PAGES = '361309726';
export const BOOK = '1459829540';

/** A school's library: two apps (one short of licences), one book, and some licences in use. */
export function librarySeed(): AppsAndBooksSimulatorSeed {
  return {
    assets: [
      { adamId: KEYNOTE, totalCount: 40 },
      { adamId: PAGES, totalCount: 10, retiredCount: 1 },
      { adamId: BOOK, productType: 'Book', totalCount: 5, deviceAssignable: false },
    ],
    assignments: serials(3).map((serialNumber) => ({
      adamId: PAGES,
      pricingParam: 'STDQ' as const,
      serialNumber,
      versionId: 1,
    })),
    eventDelayMs: 2_000,
  };
}
