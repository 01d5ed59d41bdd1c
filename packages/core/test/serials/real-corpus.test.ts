/**
 * The real-file corpus (issue #15): every CSV under test/fixtures/real/csv listed in
 * sources.json (with its source and licence) is read and checked against the columns, serials
 * and issues recorded for it; python's csv module is the peer for the row count and the
 * physical line each row starts on.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { peers, runPeer } from '../../../../test/support/peers.js';
import { readSerialCsv, readSerialCsvStream } from '../../src/index.js';

interface Entry {
  file: string;
  repository: string;
  path: string;
  commit: string;
  licence: string;
  expected: {
    serialColumn: { index: number; header: string; matchedBy: string };
    columns: string[];
    serials: string[];
    issues: Array<[number, string]>;
    rowLines?: number[];
  };
}

const root = fileURLToPath(new URL('../../../../test/fixtures/real/csv/', import.meta.url));
const manifest = JSON.parse(readFileSync(`${root}sources.json`, 'utf8')) as { files: Entry[] };

describe('real CSV corpus', () => {
  it('lists files, each with a source, a commit and a licence', () => {
    expect(manifest.files.length).toBeGreaterThanOrEqual(4);
    for (const e of manifest.files) {
      expect(e.repository).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(e.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(e.licence).toMatch(/MIT|Apache|BSD|CC0|Unlicense/);
    }
  });

  it.each(manifest.files.map((e) => [e.file, e] as const))('%s', async (file, e) => {
    const bytes = readFileSync(`${root}${file}`);
    const r = readSerialCsv(bytes);
    expect(r.serialColumn).toEqual(e.expected.serialColumn);
    expect(r.columns.map((c) => c.field)).toEqual(e.expected.columns);
    expect(r.serials).toEqual(e.expected.serials);
    expect(r.issues.map((i) => [i.line, i.code])).toEqual(e.expected.issues);
    if (e.expected.rowLines) expect(r.rows.map((row) => row.line)).toEqual(e.expected.rowLines);
    // The streaming reader agrees byte for byte, whatever the chunking.
    const chunks = (async function* () {
      for (let at = 0; at < bytes.length; at += 7) yield bytes.subarray(at, at + 7);
    })();
    expect(await readSerialCsvStream(chunks)).toEqual(r);
  });

  it.skipIf(!peers.python3).each(manifest.files.map((e) => [e.file] as const))(
    '%s: rows and lines as python csv reads them',
    (file) => {
      const out = runPeer('python3', [
        '-c',
        [
          'import csv, json, sys',
          "f = open(sys.argv[1], newline='', encoding='utf-8-sig')",
          'r = csv.reader(f); prev = 0; lines = []',
          'for row in r:',
          '    if any(c.strip() for c in row): lines.append(prev + 1)',
          '    prev = r.line_num',
          'print(json.dumps(lines[1:]))',
        ].join('\n'),
        `${root}${file}`,
      ]).toString();
      const r = readSerialCsv(readFileSync(`${root}${file}`));
      expect(r.rows.map((row) => row.line)).toEqual(JSON.parse(out));
    },
  );
});
