/**
 * Progress: a bar per step on a terminal (cli-progress), plain lines otherwise (CI logs, pipes),
 * so a log always says how far each step got.
 */
import cliProgress from 'cli-progress';
import type { StepName } from '../steps/types.js';

/** Progress callbacks for the runner. */
export interface Progress {
  onStep(step: StepName, who: string, devices: number): void;
  onProgress(step: StepName, done: number, total: number): void;
  stop(): void;
}

/** Bars on a TTY, lines otherwise. */
export function createProgress(stream: NodeJS.WriteStream = process.stderr, tty = stream.isTTY === true): Progress {
  if (tty) {
    const multi = new cliProgress.MultiBar(
      {
        stream,
        clearOnComplete: false,
        hideCursor: true,
        format: ' {step} |{bar}| {value}/{total} iPads ({who})',
        barsize: 30,
      },
      cliProgress.Presets.shades_classic,
    );
    const bars = new Map<StepName, cliProgress.SingleBar>();
    return {
      onStep(step, who, devices) {
        bars.set(step, multi.create(devices, 0, { step: step.padEnd(15), who }));
      },
      onProgress(step, done, total) {
        const bar = bars.get(step);
        if (!bar) return;
        bar.setTotal(total);
        bar.update(Math.min(done, total));
      },
      stop: () => multi.stop(),
    };
  }
  const last = new Map<StepName, number>();
  return {
    onStep(step, who, devices) {
      stream.write(`[${step}] ${devices} iPad(s), by ${who}\n`);
    },
    onProgress(step, done, total) {
      const quarter = total === 0 ? 4 : Math.floor((4 * done) / total);
      if ((last.get(step) ?? 0) >= quarter) return;
      last.set(step, quarter);
      stream.write(`[${step}] ${done}/${total}\n`);
    },
    stop() {},
  };
}
