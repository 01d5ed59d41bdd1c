/**
 * zod schemas of the Apps and Books API v2 responses, from micromdm/apple-device-services
 * (`anb/schemas`: Asset, EventResponse, ErrorResponse, ResponseErrorInfo, MdmInfo) and Apple's
 * pages for service config, assets, assignments and status. Objects are loose and enums open,
 * so a field Apple adds later never breaks a caller; `adamId` is accepted as a number too
 * (it is a string in assets and assignments but a number in subscriptions, in Apple's examples).
 */
import { looseObject, openEnum } from '@schoolmdm/core';
import { z } from 'zod';

/** `adamId`: a string, or a number turned into one. */
const AdamId = z.union([z.string(), z.number().transform(String)]);
const Count = z.number();

/** `pricingParam`: standard (`STDQ`) or high (`PLUS`) quality. */
export const PricingParam = openEnum(['STDQ', 'PLUS']);
/** `pricingParam` values. */
export type PricingParam = z.infer<typeof PricingParam>;

/** `productType`. */
export const ProductType = openEnum(['App', 'Book']);
/** `productType` values. */
export type ProductType = z.infer<typeof ProductType>;

/** Limits advertised by `service/config`; Apple says they change without notice. */
export const ServiceLimits = looseObject({
  maxAssets: Count.optional(),
  maxSerialNumbers: Count.optional(),
  maxClientUserIds: Count.optional(),
  maxRevokeSerialNumbers: Count.optional(),
  maxRevokeClientUserIds: Count.optional(),
  maxUsers: Count.optional(),
  maxRequestPerSecond: Count.optional(),
  maxNotificationLength: Count.optional(),
  maxMdmIdLength: Count.optional(),
  maxMdmNameLength: Count.optional(),
  maxMdmMetadataLength: Count.optional(),
  maxSubscriptions: Count.optional(),
  maxSubscriptionClientUserIds: Count.optional(),
});
/** Limits advertised by `service/config`. */
export type ServiceLimits = z.infer<typeof ServiceLimits>;

/** `GET service/config`. */
export const ServiceConfig = looseObject({
  errorCodes: z.array(looseObject({ errorNumber: Count, errorMessage: z.string().optional() })).optional(),
  limits: ServiceLimits.optional(),
  notificationTypes: z.array(z.string()).optional(),
  urls: z.record(z.string(), z.string()).optional(),
});
/** The service configuration: error codes, limits, notification types and URLs. */
export type ServiceConfig = z.infer<typeof ServiceConfig>;

/** One asset (an app or book the organisation holds licences for). */
export const Asset = looseObject({
  adamId: AdamId,
  pricingParam: PricingParam,
  productType: ProductType.optional(),
  assignedCount: Count.optional(),
  availableCount: Count.optional(),
  retiredCount: Count.optional(),
  totalCount: Count.optional(),
  deviceAssignable: z.boolean().optional(),
  revocable: z.boolean().optional(),
  supportedPlatforms: z.array(z.string()).optional(),
});
/** An asset: `adamId`, `pricingParam` and its licence counts. */
export type Asset = z.infer<typeof Asset>;

/** One assignment: a licence held by a device (`serialNumber`) or a user (`clientUserId`). */
export const Assignment = looseObject({
  adamId: AdamId,
  pricingParam: PricingParam.optional(),
  serialNumber: z.string().optional(),
  clientUserId: z.string().optional(),
});
/** An assignment of a licence to a device or a user. */
export type Assignment = z.infer<typeof Assignment>;

const PageFields = {
  currentPageIndex: Count.optional(),
  nextPageIndex: Count.optional(),
  size: Count.optional(),
  totalPages: Count.optional(),
  versionId: z.union([z.string(), z.number().transform(String)]).optional(),
  tokenExpirationDate: z.string().optional(),
  uId: z.union([z.string(), z.number().transform(String)]).optional(),
};

/** `GET assets` page. */
export const AssetsPage = looseObject({ ...PageFields, assets: z.array(Asset).optional() });
/** `GET assignments` page. */
export const AssignmentsPage = looseObject({ ...PageFields, assignments: z.array(Assignment).optional() });

/** `mdmInfo` (only when the MDM set it through client config). */
export const MdmInfo = looseObject({
  id: z.string().optional(),
  name: z.string().optional(),
  metadata: z.string().optional(),
});

/** `POST assets/associate` and `assets/disassociate`. */
export const EventResponse = looseObject({
  eventId: z.string(),
  uId: z.union([z.string(), z.number().transform(String)]).optional(),
  tokenExpirationDate: z.string().optional(),
  mdmInfo: MdmInfo.optional(),
});

/** Who an event failure is about (`ResponseErrorInfo`). */
export const ResponseErrorInfo = looseObject({
  assets: z.array(looseObject({ adamId: AdamId, pricingParam: PricingParam.optional() })).optional(),
  clientUserIds: z.array(z.string()).optional(),
  serialNumbers: z.array(z.string()).optional(),
});

/** One failure of an asynchronous event, e.g. 9709 for the serials that got no licence. */
export const EventFailure = looseObject({
  errorNumber: Count,
  errorMessage: z.string().optional(),
  errorInfo: ResponseErrorInfo.optional(),
});
/** One failure of an asynchronous event. */
export type EventFailure = z.infer<typeof EventFailure>;

/** `eventStatus`. */
export const EventStatusValue = openEnum(['PENDING', 'COMPLETE', 'FAILED']);
/** `eventType`. */
export const EventType = openEnum(['ASSOCIATE', 'DISASSOCIATE', 'REVOKE', 'CREATE', 'UPDATE', 'RETIRE']);

/** `GET status?eventId=`. */
export const StatusResponse = looseObject({
  eventStatus: EventStatusValue,
  eventType: EventType.optional(),
  numCompleted: Count.optional(),
  numRequested: Count.optional(),
  failures: z.array(EventFailure).optional(),
  tokenExpirationDate: z.string().optional(),
  uId: z.union([z.string(), z.number().transform(String)]).optional(),
});
