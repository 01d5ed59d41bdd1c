/**
 * The append-only JSONL journal: every state change is written and fsynced before the program
 * goes on, so a crash (even SIGKILL) loses at most the line being written. A torn last line is
 * cut off on open; any other unreadable line is an error with its line number.
 */
import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { JournalError } from '../errors.js';
import type { JournalLine } from './records.js';

/** An open journal: replayed lines and an append function. */
export class Journal {
  readonly path: string;
  #fd: number | undefined;
  /** Lines appended through this instance (for tests and benchmarks). */
  appended = 0;

  private constructor(path: string, fd: number) {
    this.path = path;
    this.#fd = fd;
  }

  /**
   * Opens (creating it and its folder when needed) and replays the journal.
   * @returns the journal and every complete line in it.
   */
  static open(path: string): { journal: Journal; lines: JournalLine[] } {
    mkdirSync(dirname(path), { recursive: true });
    const lines = existsSync(path) ? Journal.read(path, { repair: true }) : [];
    const fd = openSync(path, 'a', 0o600);
    return { journal: new Journal(path, fd), lines };
  }

  /**
   * Reads every complete line. With `repair`, a torn last line (a crash mid-write) is cut off
   * the file so that the next append starts on a fresh line.
   */
  static read(path: string, options: { repair?: boolean } = {}): JournalLine[] {
    const buf = readFileSync(path);
    let end = buf.length;
    if (end > 0 && buf[end - 1] !== 0x0a) {
      end = buf.lastIndexOf(0x0a) + 1;
      if (options.repair) {
        const fd = openSync(path, 'r+');
        try {
          ftruncateSync(fd, end);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
      }
    }
    const text = buf.subarray(0, end).toString('utf8');
    const out: JournalLine[] = [];
    let lineNo = 0;
    let start = 0;
    while (start < text.length) {
      let nl = text.indexOf('\n', start);
      if (nl === -1) nl = text.length;
      lineNo++;
      const line = text.slice(start, nl);
      start = nl + 1;
      if (line.trim() === '') continue;
      let rec: unknown;
      try {
        rec = JSON.parse(line);
      } catch {
        throw new JournalError(path, lineNo, 'is not JSON', {
          hint: 'the journal is append-only and written by this program; restore it from a copy or remove that line',
        });
      }
      if (typeof rec !== 'object' || rec === null || typeof (rec as { t?: unknown }).t !== 'string') {
        throw new JournalError(path, lineNo, 'is not a journal record');
      }
      out.push(rec as JournalLine);
    }
    return out;
  }

  /** Appends lines in one write and waits for them to reach the disk (fsync). */
  append(lines: readonly JournalLine[]): void {
    if (lines.length === 0) return;
    if (this.#fd === undefined) throw new JournalError(this.path, undefined, 'is closed');
    const text = `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;
    const bytes = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < bytes.length) off += writeSync(this.#fd, bytes, off);
    fsyncSync(this.#fd);
    this.appended += lines.length;
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}
