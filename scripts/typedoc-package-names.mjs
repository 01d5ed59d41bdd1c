// TypeDoc plugin: names each module of the one API site after the package specifier a user imports
// (`@schoolmdm/core`, `@schoolmdm/core/testing`) instead of its source path (`core/src`, `core/src/testing`).
import { Converter, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (_context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Module)) return;
    const m = /^([a-z][a-z0-9-]*)\/src(\/testing)?$/.exec(reflection.name);
    if (m) reflection.name = `@schoolmdm/${m[1]}${m[2] ?? ''}`;
  });
}
