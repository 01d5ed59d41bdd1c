/**
 * Response schemas and public types of the Apple School Manager API. Objects are loose and
 * enums open: Apple adds attributes without a new API version (its own words in the API docs,
 * https://developer.apple.com/documentation/appleschoolmanagerapi), and a new value
 * must never break a school's migration.
 *
 * @see https://developer.apple.com/documentation/appleschoolmanagerapi
 */
import { looseObject, type OpenEnum, openEnum } from '@schoolmdm/core';
import { z } from 'zod';

const nullableString = z.string().nullish();

/** Device attributes Apple documents, as `fields[orgDevices]` values. */
export const ORG_DEVICE_FIELDS = [
  'serialNumber',
  'addedToOrgDateTime',
  'releasedFromOrgDateTime',
  'updatedDateTime',
  'deviceModel',
  'productFamily',
  'productType',
  'deviceCapacity',
  'partNumber',
  'orderNumber',
  'color',
  'status',
  'orderDateTime',
  'imei',
  'meid',
  'eid',
  'purchaseSourceId',
  'purchaseSourceType',
  'wifiMacAddress',
  'bluetoothMacAddress',
  'ethernetMacAddress',
  'assignedServer',
  'appleCareCoverage',
] as const;

/** A `fields[orgDevices]` value. */
export type OrgDeviceField = (typeof ORG_DEVICE_FIELDS)[number];

/** Migration attributes (API 1.6): documented, but missing from the `fields[orgDevices]` values. */
export const MIGRATION_FIELDS = [
  'isMdmMigrationCapable',
  'mdmMigrationStatus',
  'mdmMigrationDeadlineDateTime',
] as const;

/** `fields[mdmServers]` values (ASM 1.6). */
export const MDM_SERVER_FIELDS = [
  'serverName',
  'serverType',
  'status',
  'deviceCount',
  'defaultProductFamilies',
  'enableMdmDisownFlag',
  'lastConnectedDateTime',
  'lastConnectedIp',
  'createdDateTime',
  'updatedDateTime',
  'devices',
] as const;

const stringList = z.union([z.array(z.string()), z.string().transform((s) => (s === '' ? [] : [s]))]).nullish();

const OrgDeviceAttributes = looseObject({
  serialNumber: z.string().optional(),
  addedToOrgDateTime: nullableString,
  releasedFromOrgDateTime: nullableString,
  updatedDateTime: nullableString,
  deviceModel: nullableString,
  productFamily: openEnum(['iPhone', 'iPad', 'AppleTV', 'Mac', 'Watch', 'Vision']).nullish(),
  productType: nullableString,
  deviceCapacity: nullableString,
  partNumber: nullableString,
  orderNumber: nullableString,
  color: nullableString,
  status: openEnum(['ASSIGNED', 'UNASSIGNED']).nullish(),
  orderDateTime: nullableString,
  imei: stringList,
  meid: stringList,
  eid: nullableString,
  purchaseSourceId: nullableString,
  purchaseSourceUid: nullableString,
  purchaseSourceType: openEnum(['APPLE', 'RESELLER', 'MANUALLY_ADDED']).nullish(),
  wifiMacAddress: nullableString,
  bluetoothMacAddress: nullableString,
  ethernetMacAddress: stringList,
  isMdmMigrationCapable: z.boolean().nullish(),
  mdmMigrationStatus: openEnum(['REQUESTED', 'STARTED', 'SUCCESS', 'FAILED']).nullish(),
  mdmMigrationDeadlineDateTime: nullableString,
});

/** One device resource as Apple sends it. */
export const OrgDeviceResource = looseObject({
  id: z.string(),
  type: z.string().optional(),
  attributes: OrgDeviceAttributes.optional(),
});

const Paging = looseObject({
  meta: looseObject({
    paging: looseObject({
      nextCursor: z.string().nullish(),
      limit: z.number().nullish(),
      total: z.number().nullish(),
    }).nullish(),
  }).nullish(),
});

/** A page of `GET /v1/orgDevices`. */
export const OrgDevicesPage = Paging.extend({ data: z.array(OrgDeviceResource) });
/** `GET /v1/orgDevices/{id}`. */
export const OrgDeviceDocument = looseObject({ data: OrgDeviceResource });

const MdmServerAttributes = looseObject({
  serverName: z.string().nullish(),
  serverType: openEnum(['MDM', 'APPLE_CONFIGURATOR', 'APPLE_MDM']).nullish(),
  status: openEnum(['ACTIVE', 'INACTIVE', 'DELETED']).nullish(),
  deviceCount: z.number().nullish(),
  defaultProductFamilies: z.array(z.string()).nullish(),
  enableMdmDisownFlag: z.boolean().nullish(),
  lastConnectedDateTime: nullableString,
  lastConnectedIp: nullableString,
  createdDateTime: nullableString,
  updatedDateTime: nullableString,
});

/** One MDM server resource. */
export const MdmServerResource = looseObject({
  id: z.string(),
  type: z.string().optional(),
  attributes: MdmServerAttributes.optional(),
});
/** A page of `GET /v1/mdmServers`. */
export const MdmServersPage = Paging.extend({ data: z.array(MdmServerResource) });
/** `GET /v1/orgDevices/{id}/assignedServer`. */
export const MdmServerDocument = looseObject({ data: MdmServerResource.nullish() });
/** A page of `GET /v1/mdmServers/{id}/relationships/devices`. */
export const LinkagePage = Paging.extend({
  data: z.array(looseObject({ id: z.string(), type: z.string().optional() })),
});

const ActivityAttributes = looseObject({
  status: openEnum(['COMPLETED', 'IN_PROGRESS', 'STOPPED', 'FAILED']).nullish(),
  subStatus: openEnum([
    'SUBMITTED',
    'PRE_PROCESSING',
    'PENDING',
    'PROCESSING',
    'POST_PROCESSING',
    'STOPPING',
    'COMPLETED_WITH_SUCCESS',
    'COMPLETED_WITH_ERROR',
    'COMPLETED_WITH_FAILURE',
    'COMPLETED_POST_PROCESSING_FAILED',
  ]).nullish(),
  createdDateTime: nullableString,
  completedDateTime: nullableString,
  downloadUrl: nullableString,
  activityType: z.string().nullish(),
});
/** `POST /v1/orgDeviceActivities` (201) and `GET /v1/orgDeviceActivities/{id}`. */
export const ActivityDocument = looseObject({
  data: looseObject({ id: z.string(), type: z.string().optional(), attributes: ActivityAttributes.optional() }),
});

const CoverageAttributes = looseObject({
  status: openEnum(['ACTIVE', 'INACTIVE']).nullish(),
  paymentType: openEnum(['ABE_SUBSCRIPTION', 'PAID_UP_FRONT', 'SUBSCRIPTION', 'NONE']).nullish(),
  description: nullableString,
  agreementNumber: nullableString,
  startDateTime: nullableString,
  endDateTime: nullableString,
  isRenewable: z.boolean().nullish(),
  isCanceled: z.boolean().nullish(),
  contractCancelDateTime: nullableString,
});
/** A page of `GET /v1/orgDevices/{id}/appleCareCoverage`. */
export const CoveragePage = Paging.extend({
  data: z.array(
    looseObject({ id: z.string(), type: z.string().optional(), attributes: CoverageAttributes.optional() }),
  ),
});

/**
 * A device of the organisation: Apple's attributes, flattened next to `id` (the serial
 * number). Attributes Apple adds later are kept as they come.
 */
export type OrgDevice = z.output<typeof OrgDeviceAttributes> & {
  /** Apple's resource id: the serial number. */
  id: string;
  /** The serial number (Apple's single-device read omits the attribute; then it is `id`). */
  serialNumber: string;
  /** `purchaseSourceId`, or the `purchaseSourceUid` Apple's responses actually carry. */
  purchaseSourceId?: string | null;
};

/** A device management service (MDM server) of the organisation, attributes flattened. */
export type MdmServer = z.output<typeof MdmServerAttributes> & {
  /** Apple's server id (32 hex characters). */
  id: string;
};

/** Status of an activity. */
export type ActivityStatus = OpenEnum<['COMPLETED', 'IN_PROGRESS', 'STOPPED', 'FAILED']>;

/** An `orgDeviceActivities` resource: the asynchronous job an assignment creates. */
export type OrgDeviceActivity = z.output<typeof ActivityAttributes> & {
  /** Activity id, for `activities.get(id)`. */
  id: string;
};

/** One AppleCare coverage of a device. */
export type AppleCareCoverage = z.output<typeof CoverageAttributes> & { id: string };

/** Flattens a device resource. */
export function toOrgDevice(resource: z.output<typeof OrgDeviceResource>): OrgDevice {
  const a = resource.attributes ?? {};
  const device: OrgDevice = { ...a, id: resource.id, serialNumber: a.serialNumber || resource.id };
  if (a.purchaseSourceId == null && a.purchaseSourceUid != null) device.purchaseSourceId = a.purchaseSourceUid;
  return device;
}

/** Flattens a server resource. */
export function toMdmServer(resource: z.output<typeof MdmServerResource>): MdmServer {
  return { ...(resource.attributes ?? {}), id: resource.id };
}

/** Flattens an activity resource. */
export function toActivity(doc: z.output<typeof ActivityDocument>): OrgDeviceActivity {
  return { ...(doc.data.attributes ?? {}), id: doc.data.id };
}
