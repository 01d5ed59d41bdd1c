#!/usr/bin/env node
/**
 * `school-migration`: run with `tsx examples/school-migration/bin/school-migration.ts <command>`
 * (or `pnpm --filter @schoolmdm/examples school-migration <command>`).
 */
import { main } from '../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
