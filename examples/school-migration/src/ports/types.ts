/**
 * The ports the runner talks through. Each is implemented on a client of this SDK (adapters in
 * this folder); the runner never sees HTTP. "Who does a step" is chosen per step from the
 * executors in `steps/`, which use these ports — a person's worksheet (verified from a
 * console export) or a Configurator station can implement the same steps later.
 */

/** Where a serial stands in Apple School Manager. */
export interface AsmDeviceState {
  /** In the school's organisation. */
  inOrg: boolean;
  /** Id of the MDM server it is assigned to, when assigned. */
  serverId?: string;
}

/** The per-serial outcome of an assignment activity. */
export interface ActivityOutcome {
  activityId: string;
  /** `COMPLETED`, `FAILED`, … as Apple reports it. */
  status: string;
  /** Serials the activity's log reports as failed, with Apple's message. */
  failed: Map<string, string>;
}

/** Apple School Manager, as the runner needs it. */
export interface AsmPort {
  /** The MDM server with this name, if any. */
  findServer(name: string): Promise<{ id: string; name: string } | undefined>;
  /** Paged reads (never one GET per device): where each of `serials` stands. */
  readDevices(serials: readonly string[]): Promise<Map<string, AsmDeviceState>>;
  /** Creates assignment activities (≤ 1,000 serials each). Not idempotent: journal an intent first. */
  assign(serverId: string, serials: readonly string[]): Promise<{ activityId: string; serials: string[] }[]>;
  /** Waits for an activity to finish and reads its per-serial log. */
  waitForActivity(activityId: string): Promise<ActivityOutcome>;
  /** Confirms assignments by paged reads: `assigned` | `assigned-elsewhere` | `not-in-org` | `unknown`. */
  verify(serverId: string, serials: readonly string[]): Promise<Map<string, string>>;
  /** Checks the credentials with one read. */
  checkAccess(): Promise<{ ok: boolean; message: string }>;
}

/** A device as Mosyle lists it. */
export interface MosyleDeviceState {
  udid: string;
  name: string | undefined;
  /** Shared device group names the device is in, when Mosyle says. */
  groups?: string[];
}

/** Per-serial result of a bulk call. */
export interface BulkResult {
  /** Request id of the call(s), when the service sent one. */
  ref?: string;
  /** Serials the service refused, with its message. */
  failed: Map<string, string>;
}

/** Mosyle Manager, as the runner needs it. */
export interface MosylePort {
  /** `ok`, or a diagnosis (`api-not-enabled`, `bad-token`, …) with a message for the school. */
  checkAccess(): Promise<{ status: string; message: string }>;
  /** Paged reads: the enrolled devices among `serials`. */
  findBySerial(serials: readonly string[]): Promise<Map<string, MosyleDeviceState>>;
  /** Bulk rename. Not idempotent (journal an intent first). */
  rename(updates: readonly { serial: string; name: string }[]): Promise<BulkResult>;
  /** Re-reads until every name shows or the time is up; returns the serials whose name did not show. */
  confirmNames(updates: readonly { serial: string; name: string }[], timeoutMs: number): Promise<Set<string>>;
  /** Shared device groups by name → id. */
  sharedGroups(): Promise<Map<string, string>>;
  /** Members (UDIDs) of a shared device group. */
  groupMembers(groupId: string): Promise<Set<string>>;
  /** Every shared device group by name, with its id and members (UDIDs): one paged read. */
  groupsWithMembers(): Promise<Map<string, { id: string; udids: Set<string> }>>;
  /** Adds devices to a shared device group. */
  addToGroup(groupId: string, udids: readonly string[]): Promise<BulkResult>;
}

/** An iPad attached to the Mac running Apple Configurator. */
export interface AttachedDevice {
  ecid: string;
  serial: string;
}

/** Apple Configurator (`cfgutil`), as the prepare step needs it. */
export interface ConfiguratorPort {
  /** The attached iPads, with their serials. */
  attached(): Promise<AttachedDevice[]>;
  /** Prepares iPads for enrollment (adds them to the school's ASM); per-ECID failure messages. */
  prepare(ecids: readonly string[]): Promise<Map<string, string>>;
}

/** Every port, plus the clock the services' rate limits run on. */
export interface Ports {
  asm: AsmPort;
  mosyle: MosylePort;
  configurator: ConfiguratorPort;
  /** Ms since the epoch on the services' clock (simulated in `simulate` mode). */
  now(): number;
  /** Waits on the services' clock. */
  sleep(ms: number): Promise<void>;
  /** Calls made so far, per service (for the report and the benchmark). */
  calls(): Record<string, number>;
  close(): Promise<void>;
}
