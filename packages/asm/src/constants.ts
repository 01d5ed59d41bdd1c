/** Service facts every client of the package shares. */

/**
 * Base URL of the Apple School Manager API (OAuth 2 client assertion, `orgDevices`, `mdmServers`).
 * @see https://developer.apple.com/documentation/appleschoolmanagerapi
 */
export const ASM_API_BASE_URL = 'https://api-school.apple.com/v1';

/**
 * Base URL of the classic Device Assignment (DEP/ADE) API, authenticated by the server token.
 * @see https://developer.apple.com/documentation/devicemanagement/device-assignment
 */
export const DEVICE_ASSIGNMENT_BASE_URL = 'https://mdmenrollment.apple.com';

/**
 * Base URL of the Apps and Books (VPP) API v2, authenticated by the content token.
 * @see https://developer.apple.com/documentation/devicemanagement/service-config
 */
export const APPS_AND_BOOKS_BASE_URL = 'https://vpp.itunes.apple.com/mdm/v2';

/**
 * Observed request budgets. Apple does not document the ASM API limits; these are the
 * figures found by trial and error (neilmartin83/terraform-provider-axm README): about
 * 20 GET per minute and 10 POST per hour. Apps and Books documents 15 requests per second.
 */
export const ASM_REQUEST_BUDGETS = {
  asmApi: {
    get: { requests: 20, perMs: 60_000 },
    post: { requests: 10, perMs: 3_600_000 },
  },
  appsAndBooks: {
    any: { requests: 15, perMs: 1_000 },
  },
} as const;
