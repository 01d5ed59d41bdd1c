/**
 * Property lists: our own XML writer and a reader for XML, binary (`bplist00`) and
 * CMS-signed plists. See {@link writePlist} and {@link readPlist}.
 *
 * @module
 */
export { type PlistReadWarning, type ReadPlistOptions, readPlist } from './read.js';
export { integer, MAX_PLIST_DEPTH, type PlistDict, PlistInteger, PlistReal, type PlistValue, real } from './types.js';
export { PLIST_XML_HEADER, type WritePlistOptions, writePlist } from './write.js';
