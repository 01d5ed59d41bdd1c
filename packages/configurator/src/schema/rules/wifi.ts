/**
 * Wi-Fi rules that Apple states only in prose (`mdm/profiles/com.apple.wifi.managed.yaml`):
 *
 * - `SSID_STR`: "In iOS 7.0 and later, the SSID is optional if a value exists for 'DomainName'"
 *   (Hotspot 2.0), so one of the two is needed;
 * - `EncryptionType`: "If set to anything except 'None', the payload may contain … 'Password'",
 *   so a password on an open network is ignored.
 */
import type { PathSegment } from '../../plist/path.js';
import type { CheckContext } from '../check.js';

/** Checks a `com.apple.wifi.managed` payload dictionary. */
export function checkWifi(ctx: CheckContext, payload: Record<string, unknown>, path: PathSegment[]): void {
  if (payload.SSID_STR === undefined && payload.DomainName === undefined) {
    ctx.report('error', 'wifi-ssid', [...path, 'SSID_STR'], 'the network has neither SSID_STR nor DomainName', {
      expected: 'SSID_STR, or DomainName for a Hotspot 2.0 network',
      hint: 'set the network name (SSID)',
    });
  }
  if (payload.EncryptionType === 'None' && payload.Password !== undefined) {
    ctx.report('warning', 'wifi-password-unused', [...path, 'Password'], 'a password is set on an open network', {
      hint: "the device ignores Password when EncryptionType is 'None'; pick WPA2/WPA3 or drop the password",
    });
  }
}
