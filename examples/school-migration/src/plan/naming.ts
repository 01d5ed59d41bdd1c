/**
 * Device names from the config's template: `{school}`, `{group}`, `{nn}` (1-based number within
 * the group, in plan order, two digits or more), `{serial}`, `{last4}`.
 */

/** Turns a group name into a name-safe token: letters and digits only (accents dropped). */
export function groupToken(group: string): string {
  return (
    group
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9]+/g, '')
      .slice(0, 16) || 'G'
  );
}

/** Names for devices in plan order. */
export function deviceNames(
  devices: readonly { serial: string; group: string }[],
  options: { school: string; template: string },
): string[] {
  const perGroup = new Map<string, number>();
  const sizes = new Map<string, number>();
  for (const d of devices) sizes.set(d.group, (sizes.get(d.group) ?? 0) + 1);
  return devices.map((d) => {
    const n = (perGroup.get(d.group) ?? 0) + 1;
    perGroup.set(d.group, n);
    const width = Math.max(2, String(sizes.get(d.group)).length);
    return options.template
      .replaceAll('{school}', options.school)
      .replaceAll('{group}', groupToken(d.group))
      .replaceAll('{nn}', String(n).padStart(width, '0'))
      .replaceAll('{serial}', d.serial)
      .replaceAll('{last4}', d.serial.slice(-4));
  });
}
