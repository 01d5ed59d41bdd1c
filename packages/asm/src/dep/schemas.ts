/**
 * Schemas and types of the Device Assignment API, after Apple's documentation as transcribed in
 * micromdm/apple-device-services `dep/schemas`. Loose objects and open enums: Apple adds fields
 * with new protocol versions.
 */
import { looseObject, type OpenEnum, openEnum } from '@schoolmdm/core';
import { z } from 'zod';

const str = z.string().nullish();
const bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

/** A device record (`serial_number`, `model`, `profile_status`, …, `mdm_migration_deadline` with protocol ≥ 8). */
export const DepDeviceSchema = looseObject({
  serial_number: z.string(),
  model: str,
  description: str,
  color: str,
  asset_tag: str,
  device_family: openEnum(['iPad', 'iPhone', 'iPod', 'Mac', 'AppleTV', 'Vision']).nullish(),
  os: openEnum(['iOS', 'iPadOS', 'OSX', 'tvOS', 'visionOS']).nullish(),
  profile_status: openEnum(['empty', 'assigned', 'pushed', 'removed']).nullish(),
  profile_uuid: str,
  profile_assign_time: str,
  profile_push_time: str,
  device_assigned_by: str,
  device_assigned_date: str,
  op_type: openEnum(['added', 'modified', 'deleted']).nullish(),
  op_date: str,
  mdm_migration_deadline: str,
  response_status: str,
});

/** A device record. */
export type DepDevice = z.output<typeof DepDeviceSchema>;

/** A page of `POST /server/devices` or `POST /devices/sync`. */
export const DepDevicePage = looseObject({
  cursor: z.string().nullish(),
  devices: z.array(DepDeviceSchema).nullish(),
  fetched_until: str,
  more_to_follow: bool.nullish(),
});

/** `GET /session`. */
export const SessionResponse = looseObject({ auth_session_token: z.string().min(1) });

/** `GET /account`. */
export const DepAccountSchema = looseObject({
  server_name: str,
  server_uuid: str,
  admin_id: str,
  facilitator_id: str,
  org_name: str,
  org_email: str,
  org_phone: str,
  org_address: str,
  org_id: z.union([z.string(), z.number()]).nullish(),
  org_id_hash: str,
  org_type: openEnum(['edu', 'org', 'tvprovider']).nullish(),
  org_version: openEnum(['v1', 'v2']).nullish(),
  urls: z
    .array(
      looseObject({
        uri: z.string(),
        http_method: z.array(z.string()).nullish(),
        limit: looseObject({ default: z.number().nullish(), maximum: z.number().nullish() }).nullish(),
      }),
    )
    .nullish(),
});

/** The account the server token belongs to. */
export type DepAccount = z.output<typeof DepAccountSchema>;

/** Per-device status of a profile or disown call. */
export type DepDeviceStatus = OpenEnum<['SUCCESS', 'NOT_ACCESSIBLE', 'FAILED', 'THROTTLED']>;

const StatusMap = z.record(z.string(), z.string());

/** `POST /profile`. */
export const DefineProfileResponse = looseObject({ profile_uuid: z.string(), devices: StatusMap.nullish() });
/** `POST /profile/devices`. */
export const AssignProfileResponse = looseObject({
  profile_uuid: z.string().nullish(),
  devices: StatusMap.nullish(),
  retry_after_seconds: z.coerce.number().nullish(),
});
/** `DELETE /profile/devices`, `POST /devices/disown`. */
export const DeviceStatusResponse = looseObject({ devices: StatusMap.nullish() });
/** `POST /devices`. */
export const DeviceDetailsResponse = looseObject({
  devices: z.record(z.string(), DepDeviceSchema.partial({ serial_number: true })).nullish(),
});

/** An ADE enrolment profile (`POST /profile`). */
export interface DepProfile {
  profile_name: string;
  url: string;
  allow_pairing?: boolean;
  is_supervised?: boolean;
  is_multi_user?: boolean;
  is_mandatory?: boolean;
  is_mdm_removable?: boolean;
  await_device_configured?: boolean;
  is_return_to_service?: boolean;
  auto_advance_setup?: boolean;
  support_phone_number?: string;
  support_email_address?: string;
  org_magic?: string;
  department?: string;
  language?: string;
  region?: string;
  anchor_certs?: string[];
  supervising_host_certs?: string[];
  skip_setup_items?: string[];
  configuration_web_url?: string;
  do_not_use_profile_from_backup?: boolean;
  /** Serials to assign the profile to while defining it. */
  devices?: string[];
  /** Set by Apple (read with `profiles.get`). */
  profile_uuid?: string;
  [field: string]: unknown;
}

/** `GET /profile`. */
export const ProfileSchema = looseObject({ profile_name: z.string().nullish(), url: z.string().nullish() });
