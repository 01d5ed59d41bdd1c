/**
 * The station board: one line per iPad with its status, serial, name, step, elapsed time and
 * what happened. The status is always a word (DONE, FAILED, NEEDS ERASE…) — colour only
 * repeats it — so the board reads the same to a colour-blind person, in a log and in a pipe.
 * On a terminal the board redraws in place; elsewhere each change is one plain line.
 */
import type { StationRow, StationStatus } from './types.js';

const WORDS: Record<StationStatus, string> = {
  waiting: 'WAITING',
  working: 'WORKING',
  done: 'DONE',
  failed: 'FAILED',
  'needs-erase': 'NEEDS ERASE',
  unplugged: 'UNPLUGGED',
  unknown: 'UNKNOWN',
  'not-touched': 'NOT TOUCHED',
};

/** SGR colours (green done, red failed, yellow needs a person, cyan working, magenta unknown). */
const COLOURS: Record<StationStatus, string> = {
  waiting: '2',
  working: '36',
  done: '32',
  failed: '31',
  'needs-erase': '33',
  unplugged: '33',
  unknown: '35',
  'not-touched': '34',
};

/** The word a status is shown as. */
export function statusWord(status: StationStatus): string {
  return WORDS[status];
}

/** `m:ss` (or `h:mm:ss`). */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** One board line. */
export function formatRow(row: StationRow, now: number, colour = false): string {
  const word = WORDS[row.status].padEnd(11);
  const status = colour ? `\x1b[${COLOURS[row.status]}m${word}\x1b[0m` : word;
  const elapsed = row.startedAt === undefined ? '' : formatElapsed((row.endedAt ?? now) - row.startedAt);
  return `${status} ${(row.serial ?? row.ecid).padEnd(14)} ${(row.name ?? '').padEnd(18)} ${(row.step ?? '').padEnd(7)} ${elapsed.padStart(7)}  ${row.message ?? ''}`.trimEnd();
}

/** The header: counts per status. */
export function boardHeader(rows: readonly StationRow[], parallel: number): string {
  const n = (s: StationStatus) => rows.filter((r) => r.status === s).length;
  const parts = (
    ['working', 'waiting', 'done', 'failed', 'needs-erase', 'unplugged', 'unknown', 'not-touched'] as const
  )
    .filter((s) => n(s) > 0)
    .map((s) => `${n(s)} ${WORDS[s].toLowerCase()}`);
  return `Configurator station (up to ${parallel} at once): ${parts.join(', ') || 'waiting for iPads'}`;
}

/** Options of {@link createBoard}. */
export interface BoardOptions {
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Redraw in place (a terminal). @defaultValue stream.isTTY */
  tty?: boolean;
  /** Colour the status words. @defaultValue tty and no NO_COLOR */
  colour?: boolean;
  parallel: number;
  /** The station's clock (elapsed times). */
  now: () => number;
  /** Wall-clock time for plain lines. @defaultValue Date.now */
  wallNow?: () => number;
}

/** A live board. */
export interface Board {
  /** A row changed. */
  update(row: StationRow, rows: readonly StationRow[]): void;
  /** Draws the final board (a terminal) and stops redrawing. */
  stop(rows: readonly StationRow[]): void;
}

/** A board on a stream: redrawn in place on a terminal, one plain line per change otherwise. */
export function createBoard(options: BoardOptions): Board {
  const { stream } = options;
  const tty = options.tty ?? stream.isTTY === true;
  const colour = options.colour ?? (tty && process.env.NO_COLOR === undefined);
  const wallNow = options.wallNow ?? Date.now;
  if (!tty) {
    const last = new Map<string, string>();
    return {
      update(row) {
        const key = `${row.status}|${row.step ?? ''}`;
        if (last.get(row.ecid) === key) return;
        last.set(row.ecid, key);
        const t = new Date(wallNow()).toISOString().slice(11, 19);
        stream.write(`${t} ${formatRow(row, options.now(), colour)}\n`);
      },
      stop() {},
    };
  }
  let current: readonly StationRow[] = [];
  let drawn = 0;
  const width = () => Math.max(40, (stream.columns ?? 120) - 1);
  const cut = (s: string) => {
    // Cut to the terminal's width without counting colour codes, so no line wraps.
    let visible = 0;
    let out = '';
    for (let i = 0; i < s.length; i++) {
      if (s[i] === '\x1b') {
        const end = s.indexOf('m', i);
        out += s.slice(i, end + 1);
        i = end;
        continue;
      }
      if (visible >= width()) break;
      out += s[i];
      visible++;
    }
    return out;
  };
  const draw = () => {
    const lines = [boardHeader(current, options.parallel), ...current.map((r) => formatRow(r, options.now(), colour))];
    let text = drawn > 0 ? `\x1b[${drawn}F` : '';
    for (const l of lines) text += `\x1b[2K${cut(l)}\n`;
    text += '\x1b[J';
    drawn = lines.length;
    stream.write(text);
  };
  stream.write('\x1b[?25l');
  const timer = setInterval(draw, 250);
  timer.unref();
  return {
    update(_row, rows) {
      current = rows;
    },
    stop(rows) {
      clearInterval(timer);
      current = rows;
      draw();
      stream.write('\x1b[?25h');
    },
  };
}
