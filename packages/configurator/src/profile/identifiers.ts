/**
 * Default payload identifiers: `<profile identifier>.<kind>`, then `.2`, `.3`… for further
 * payloads of the same kind. Not part of the public API.
 *
 * The first payload of a kind keeps the plain name, so adding a second Wi-Fi network later
 * does not rename (and thus re-UUID) the first one.
 */

/** `com.apple.wifi.managed` → `wifi`; `com.apple.security.root` → `security.root`. */
export function payloadKind(payloadType: string): string {
  const kind = payloadType.replace(/^com\.apple\./, '').replace(/\.managed$/, '');
  return kind || 'payload';
}

/**
 * Assigns an identifier to every payload: explicit ones are kept, the others derived so that
 * none collides with an explicit or earlier one.
 */
export function assignIdentifiers(
  profileIdentifier: string,
  payloads: readonly { PayloadType: string; PayloadIdentifier?: unknown }[],
): string[] {
  const taken = new Set<string>();
  for (const p of payloads) if (typeof p.PayloadIdentifier === 'string') taken.add(p.PayloadIdentifier);
  return payloads.map((p) => {
    if (typeof p.PayloadIdentifier === 'string') return p.PayloadIdentifier;
    const base = `${profileIdentifier}.${payloadKind(p.PayloadType)}`;
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}.${n}`;
    taken.add(id);
    return id;
  });
}
