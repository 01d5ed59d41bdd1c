/**
 * The JSON `cfgutil --format JSON` prints, validated with zod. Not part of the public API.
 *
 * Shape (aeios `actools/cfgutil.py`, MIT, a production wrapper):
 * `{ "Command": "list", "Type": "CommandOutput", "Devices": ["0x…"], "Output": { "0x…": {…} } }`,
 * and on failure `"Type": "Error"` with `Message`, `Code`, `Domain`, `FailureReason`,
 * `Detail`, `AffectedDevices`, `UnaffectedDevices`. Objects are loose: Apple may add keys.
 */
import { z } from 'zod';

export const CfgutilOutputSchema = z.looseObject({
  Command: z.string().optional(),
  Type: z.string().optional(),
  Devices: z.array(z.string()).optional(),
  Output: z.record(z.string(), z.unknown()).optional(),
  Message: z.string().optional(),
  Code: z.number().optional(),
  Domain: z.string().optional(),
  FailureReason: z.string().optional(),
  Detail: z.string().optional(),
  AffectedDevices: z.array(z.string()).optional(),
  UnaffectedDevices: z.array(z.string()).optional(),
});

/** Parsed cfgutil JSON output. */
export type CfgutilOutput = z.infer<typeof CfgutilOutputSchema>;

/** One `list` entry (keys as cfgutil writes them). */
export const ListEntrySchema = z.looseObject({
  ECID: z.string().optional(),
  UDID: z.string().optional(),
  deviceType: z.string().optional(),
  locationID: z.number().optional(),
  name: z.string().optional(),
});
