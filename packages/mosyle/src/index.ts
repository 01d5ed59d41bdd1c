/**
 * `@schoolmdm/mosyle`: client for the Mosyle Manager API (education), on the
 * `@schoolmdm/core` transport. The simulator for tests is in `@schoolmdm/mosyle/testing`.
 *
 * @packageDocumentation
 */

export type { AccessCheck, AccessDiagnosis } from './access.js';
export { MOSYLE_MANAGER_BASE_URL, MosyleClient, type MosyleClientOptions } from './client.js';
export { MosyleError, type MosyleErrorCode, type MosyleErrorInit } from './errors.js';
export { type AdminLogEntry, AdminLogs } from './resources/admin-logs.js';
export { Classes, type ClassInput, type MosyleClass } from './resources/classes.js';
export {
  Commands,
  type CommandTarget,
  LostMode,
  type LostModeMessage,
  type WipeParams,
} from './resources/commands.js';
export {
  type Device,
  type DeviceColumn,
  MOSYLE_OS_LIST,
  type MosyleOs,
  parseTags,
} from './resources/device-model.js';
export {
  type ConfirmUpdateParams,
  type ConfirmUpdateResult,
  Devices,
  type DeviceUpdate,
  type DeviceUpdateResult,
  type FindBySerialParams,
  type FindBySerialResult,
  type ListAllDevicesParams,
  type ListDevicesParams,
  normalizeSerial,
  type UnconfirmedUpdate,
  type UpdateDevicesParams,
  type UpdateDevicesResult,
} from './resources/devices.js';
export {
  type DeviceGroup,
  type DeviceGroupMembers,
  DeviceGroups,
  type SharedDeviceGroup,
  SharedDeviceGroups,
} from './resources/groups.js';
export type { CommandChunkResult, CommandResult, ItemResult, ItemsResult } from './resources/results.js';
export {
  type MosyleUser,
  type MosyleUserType,
  type UserInput,
  type UserLocation,
  Users,
  type UserUpdate,
} from './resources/users.js';
