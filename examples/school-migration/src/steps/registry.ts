/**
 * Chooses who does each step: from the config, and for Mosyle from `checkAccess()` (the free
 * tier has no API, so its steps go to a person).
 */
import type { LoadedConfig } from '../config/load.js';
import type { Ports } from '../ports/types.js';
import { assignWithAsmApi, findInAsm } from './asm.js';
import { finish, groupWithMosyleApi, renameWithMosyleApi, waitForEnrolment } from './mosyle.js';
import { handToPerson } from './person.js';
import { prepareByPerson, prepareWithCfgutil } from './prepare.js';
import { releaseRequestFile } from './release.js';
import type { StepExecutor, StepName } from './types.js';

/** An executor per step. */
export type Executors = Record<StepName, StepExecutor>;

/** Picks the executors for this config; `overrides` lets a caller (a station, a worksheet) plug in its own. */
export async function chooseExecutors(
  config: LoadedConfig,
  ports: Ports,
  overrides: Partial<Executors> = {},
): Promise<{ executors: Executors; mosyleAccess: { status: string; message: string } | undefined }> {
  const c = config.data;
  let mosyleApi = c.mosyle.steps === 'api';
  let mosyleAccess: { status: string; message: string } | undefined;
  if (c.mosyle.steps === 'auto') {
    // A network diagnosis may be a passing fault: ask again before handing the steps to a person.
    for (let attempt = 1; attempt <= 4; attempt++) {
      mosyleAccess = await ports.mosyle.checkAccess();
      if (mosyleAccess.status !== 'network') break;
      await ports.sleep(2000 * attempt);
    }
    mosyleAccess ??= { status: 'network', message: 'no answer' };
    mosyleApi = mosyleAccess.status === 'ok';
  }
  const mosyleWhy = mosyleAccess && !mosyleApi ? `Mosyle API: ${mosyleAccess.status}` : 'config mosyle.steps: person';
  const asmApi = c.asm.steps === 'api';
  const executors: Executors = {
    'request-release': releaseRequestFile,
    prepare:
      c.configurator.mode === 'cfgutil'
        ? prepareWithCfgutil
        : prepareByPerson(config.path(c.configurator.confirmations ?? 'state/prepared.csv')),
    'find-in-asm': asmApi ? findInAsm : handToPerson('find-in-asm', 'config asm.steps: person'),
    assign: asmApi ? assignWithAsmApi : handToPerson('assign', 'config asm.steps: person'),
    enrol: mosyleApi ? waitForEnrolment : handToPerson('enrol', mosyleWhy),
    rename: mosyleApi ? renameWithMosyleApi : handToPerson('rename', mosyleWhy),
    group: mosyleApi ? groupWithMosyleApi : handToPerson('group', mosyleWhy),
    finish,
    ...overrides,
  };
  return { executors, mosyleAccess };
}
