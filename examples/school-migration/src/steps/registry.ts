/**
 * Chooses who does each step: from the config, and for Mosyle from `checkAccess()` (the free
 * tier has no API, so its steps go to a person).
 */
import type { LoadedConfig } from '../config/load.js';
import { asmCredentialsPresent } from '../manual/access.js';
import { type ManualInputs, personExecutor } from '../manual/executors.js';
import type { Ports } from '../ports/types.js';
import { assignWithAsmApi, findInAsm } from './asm.js';
import { finish, groupWithMosyleApi, renameWithMosyleApi, waitForEnrolment } from './mosyle.js';
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
  manual: ManualInputs & { env?: NodeJS.ProcessEnv } = {},
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
  // No ASM API account (credentials absent): the ASM steps go to a person, verified from ASM's export.
  const asmCreds = c.asm.steps === 'api' ? asmCredentialsPresent(config, manual.env) : undefined;
  const asmApi = c.asm.steps === 'api' && asmCreds?.ok === true;
  const asmWhy = asmCreds && !asmCreds.ok ? asmCreds.why : 'config asm.steps: person';
  const executors: Executors = {
    'request-release': releaseRequestFile,
    prepare:
      c.configurator.mode === 'cfgutil'
        ? prepareWithCfgutil
        : prepareByPerson(config.path(c.configurator.confirmations ?? 'state/prepared.csv')),
    // A person's steps: a worksheet, verified from the console's export (src/manual, issue #13).
    'find-in-asm': asmApi ? findInAsm : personExecutor('find-in-asm', asmWhy, manual),
    assign: asmApi ? assignWithAsmApi : personExecutor('assign', asmWhy, manual),
    enrol: mosyleApi ? waitForEnrolment : personExecutor('enrol', mosyleWhy, manual),
    rename: mosyleApi ? renameWithMosyleApi : personExecutor('rename', mosyleWhy, manual),
    group: mosyleApi ? groupWithMosyleApi : personExecutor('group', mosyleWhy, manual),
    finish,
    ...overrides,
  };
  return { executors, mosyleAccess };
}
