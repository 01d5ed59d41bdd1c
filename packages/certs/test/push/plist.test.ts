import { writeFileSync } from 'node:fs';
import { MalformedInputError } from '@schoolmdm/certs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { peers, runPeer, tempDir } from '../../../../test/support/peers.js';
import { readStringDictPlist, writeStringDictPlist } from '../../src/push/plist.js';

describe('push-request plist writer and reader', () => {
  it('escapes &, <, > and CR and reads them back', () => {
    expect(writeStringDictPlist([['k', 'a\r\nb']])).toContain('<string>a&#13;\nb</string>');
    expect(
      readStringDictPlist('<plist><dict><key>k</key><string>a\r\nb\rc</string></dict></plist>', 't').get('k')?.text,
    ).toBe('a\nb\nc');
    const xml = writeStringDictPlist([['a&b', '<x> & "y" \'z\'']]);
    expect(xml).toContain('<key>a&amp;b</key>');
    expect(xml).toContain('<string>&lt;x&gt; &amp; "y" \'z\'</string>');
    expect(readStringDictPlist(xml, 't').get('a&b')).toEqual({ type: 'string', text: '<x> & "y" \'z\'' });
  });

  it('round-trips any XML-safe strings (property test)', () => {
    const xmlSafe = fc
      .string({ unit: 'grapheme', maxLength: 40 })
      .filter((s) => !/[\x00-\x08\x0b\x0c\x0e-\x1f]/.test(s));
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(xmlSafe, xmlSafe), { selector: ([k]) => k, maxLength: 6 }), (entries) => {
        const back = readStringDictPlist(writeStringDictPlist(entries), 't');
        expect([...back.entries()].map(([k, v]) => [k, v.text])).toEqual(entries);
      }),
    );
  });

  it('reads entities, comments, <data>, empty strings and non-string values', () => {
    const xml = `<?xml version="1.0"?>
<!-- a comment -->
<plist version="1.0"><dict>
  <key>e</key><string>&#65;&#x42;&quot;&apos;</string>
  <key>d</key><data>
    AAEC
    Aw==
  </data>
  <key>empty</key><string/>
  <key>n</key><integer>3</integer>
  <key>t</key><true/>
</dict></plist>`;
    const d = readStringDictPlist(xml, 't');
    expect(d.get('e')).toEqual({ type: 'string', text: 'AB"\'' });
    expect(d.get('d')).toEqual({ type: 'data', text: 'AAECAw==' });
    expect(d.get('empty')).toEqual({ type: 'string', text: '' });
    expect(d.get('n')?.type).toBe('other');
    expect(d.get('t')?.type).toBe('other');
  });

  it('rejects duplicates, bad entities, control characters and non-plists', () => {
    const dup = '<plist><dict><key>a</key><string>1</string><key>a</key><string>2</string></dict></plist>';
    expect(() => readStringDictPlist(dup, 't')).toThrow(/"a" appears twice/);
    expect(() => readStringDictPlist('<plist><dict><key>a</key><string>&bogus;</string></dict></plist>', 't')).toThrow(
      /unknown XML entity/,
    );
    expect(() => readStringDictPlist('<plist><dict><key>a</key><string>a & b</string></dict></plist>', 't')).toThrow(
      /bare "&"/,
    );
    expect(() => readStringDictPlist('<html></html>', 't')).toThrow(MalformedInputError);
    expect(() => writeStringDictPlist([['k', 'bell\x07']])).toThrow(/control character/);
  });
});

describe.skipIf(!peers.python3)('push-request plist against python3 plistlib', () => {
  const tmp = tempDir('certs-plist-');
  afterAll(() => tmp.cleanup());

  it('plistlib reads what we write, and we read what plistlib writes', () => {
    const entries: Array<[string, string]> = [
      ['PushCertRequestCSR', 'MIIC+/=='],
      ['Odd <&> key', 'multi\nline\r\n & <tags> ünïcödé 🚀'],
      ['', ''],
    ];
    writeFileSync(tmp.path('ours.plist'), writeStringDictPlist(entries));
    const script = [
      'import json, plistlib, sys',
      'd = plistlib.load(open(sys.argv[1], "rb"))',
      'sys.stdout.write(json.dumps(list(d.items())))',
      'plistlib.dump(d, open(sys.argv[2], "wb"))',
    ].join('\n');
    const out = runPeer('python3', ['-c', script, tmp.path('ours.plist'), tmp.path('theirs.plist')]).toString();
    // A CR survives because the writer emits it as &#13; (a raw CR would be read as LF).
    const expected = entries;
    expect(JSON.parse(out)).toEqual(expected);
    const theirs = runPeer('cat', [tmp.path('theirs.plist')]).toString();
    const back = readStringDictPlist(theirs, 't');
    // plistlib itself writes CR as LF (its _escape), so its file carries LF only.
    const lf = expected.map(([k, v]) => [k, v.replace(/\r\n?/g, '\n')]);
    expect([...back.entries()].map(([k, v]) => [k, v.text]).sort()).toEqual(lf.sort());
  });
});
