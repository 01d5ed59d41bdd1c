/** The text that replaces a secret, everywhere in the SDK. */
export const REDACTED = '[REDACTED]';
