/**
 * `@schoolmdm/configurator`: plist, configuration profiles from Apple's schema, signing,
 * enrollment-profile inspection and a `cfgutil` wrapper.
 *
 * @packageDocumentation
 */
export {};
