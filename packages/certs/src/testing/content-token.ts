/**
 * Test-only builder of Apps and Books content-token files (`*.vpptoken`).
 */

import { randomBytes } from 'node:crypto';
import { BOOLEAN_RULE, checkOptions, DATE_RULE, TEXT_RULE } from '../internal/args.js';

/** Options of `createContentTokenFile`. */
export interface CreateContentTokenFileOptions {
  /** `orgName` as Apple writes it. */
  orgName: string;
  /** `expDate`. */
  expiresAt: Date;
  /**
   * The inner `token` value.
   * @default random Base64 text
   */
  token?: string;
  /**
   * How to write the `expDate` offset: Apple's `+0000`, a colon `+00:00`, or `Z`.
   * @default '+0000'
   */
  offsetStyle?: '+0000' | '+00:00' | 'Z';
  /**
   * Pretty-print the JSON with newlines, as Apple's example does.
   * @default true
   */
  pretty?: boolean;
}

/**
 * Makes the text of a content-token file: Base64 of `{ token, expDate, orgName }`, on one line,
 * as Apple School Manager downloads it.
 *
 * @example
 * ```ts
 * const file = createContentTokenFile({ orgName: 'Springfield Elementary', expiresAt: new Date('2030-11-08T22:33:22Z') });
 * parseContentToken(file).orgName; // 'Springfield Elementary'
 * ```
 */
export function createContentTokenFile(options: CreateContentTokenFileOptions): string {
  checkOptions(
    'options',
    options,
    {
      orgName: { ...TEXT_RULE, required: true },
      expiresAt: { ...DATE_RULE, required: true },
      token: TEXT_RULE,
      offsetStyle: { expected: "'+0000', '+00:00' or 'Z'", test: (v) => v === '+0000' || v === '+00:00' || v === 'Z' },
      pretty: BOOLEAN_RULE,
    },
    { required: true, hint: 'Pass { orgName, expiresAt }.' },
  );
  const {
    orgName,
    expiresAt,
    token = randomBytes(48).toString('base64'),
    offsetStyle = '+0000',
    pretty = true,
  } = options;
  const base = expiresAt.toISOString().replace(/\.\d{3}Z$/, '');
  const suffix = offsetStyle === 'Z' ? 'Z' : offsetStyle;
  const json = JSON.stringify({ token, expDate: `${base}${suffix}`, orgName }, null, pretty ? 2 : undefined);
  return Buffer.from(json, 'utf8').toString('base64');
}
