// What `ferry get` shows while it works: progress bars on a terminal (cli-progress), and plain
// one-line events otherwise, so scripts and logs get readable output without escape codes.
import path from 'node:path';
import type { SingleBar } from 'cli-progress';
import type { DownloadSnapshot } from '../engine/model.js';
import { maskCredentials } from '../engine/url-policy.js';
import { formatBytes, formatDuration, formatSpeed } from './format.js';

export interface ProgressView {
  update(s: DownloadSnapshot): void;
  finish(s: DownloadSnapshot): void;
  note(line: string): void;
  /** Ctrl-C: from now on "paused" is expected, not a failure to report. */
  interrupt(line: string): void;
  stop(): void;
}

export function describe(s: DownloadSnapshot): string {
  return s.fileName ? path.join(s.directory, s.fileName) : maskCredentials(s.url);
}

function failureLine(s: DownloadSnapshot): string {
  if (s.status === 'paused') {
    const why = s.error ? `${s.error.message} (${s.error.code})` : 'paused by another ferry process';
    return `ferry: paused: download ${s.id} (${maskCredentials(s.url)}): ${why}; run 'ferry resume ${s.id}' to continue.`;
  }
  const why = s.error ? `${s.error.message} (${s.error.code})` : `it is ${s.status}`;
  return `ferry: failed: ${maskCredentials(s.url)}: ${why}`;
}

/**
 * `began`: when the download was first seen transferring, if it was. A download that waited in the
 * queue, or started and ended between two progress updates, has no known transfer time: then the
 * line gives no speed rather than one averaged over the time it waited.
 */
function completedLine(s: DownloadSnapshot, began: number | undefined): string {
  const restart = s.restartReason ? ` (started over: ${s.restartReason})` : '';
  const speed = began === undefined ? '' : `, ${formatSpeed(s.downloaded / Math.max(0.001, (Date.now() - began) / 1000))}`;
  return `ferry: completed: ${describe(s)} (${formatBytes(s.size ?? s.downloaded)}${speed})${restart}`;
}

/** When each download was first seen probing or downloading. */
function transferStarts() {
  const began = new Map<number, number>();
  return {
    see(s: DownloadSnapshot) {
      if (!began.has(s.id) && (s.status === 'probing' || s.status === 'downloading')) began.set(s.id, Date.now());
    },
    of: (id: number) => began.get(id),
  };
}

export async function createProgressView({ quiet, tty }: { quiet: boolean; tty: boolean }): Promise<ProgressView> {
  const starts = transferStarts();
  const seen = new Set<number>();
  // After Ctrl-C every download reports "paused"; that is expected, not a failure to print.
  let interrupted = false;
  if (quiet || !tty) {
    return {
      update(s) {
        starts.see(s);
        if (quiet || seen.has(s.id) || !s.fileName) return;
        seen.add(s.id);
        process.stderr.write(`ferry: downloading: ${maskCredentials(s.url)} -> ${describe(s)}\n`);
      },
      finish(s) {
        if (s.status === 'completed') {
          if (!quiet) process.stderr.write(`${completedLine(s, starts.of(s.id))}\n`);
        } else if (!interrupted) {
          process.stderr.write(`${failureLine(s)}\n`);
        }
      },
      note(line) {
        process.stderr.write(`${line}\n`);
      },
      interrupt(line) {
        interrupted = true;
        if (!quiet) process.stderr.write(`${line}\n`);
      },
      stop() {},
    };
  }

  // Loaded only for a terminal: scripts and benchmarks never pay for the progress bars.
  const { default: cliProgress } = await import('cli-progress');
  const multi = new cliProgress.MultiBar(
    {
      format: ' {bar} {percentage}% | {done}/{total} | {speed} | ETA {eta_h} | {name}',
      barCompleteChar: '█',
      barIncompleteChar: '░',
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      stream: process.stderr,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<number, SingleBar>();
  const payload = (s: DownloadSnapshot) => ({
    name: s.fileName ?? maskCredentials(s.url),
    done: formatBytes(s.downloaded),
    total: formatBytes(s.size),
    speed: formatSpeed(s.speed),
    eta_h: formatDuration(s.eta),
  });
  const view: ProgressView = {
    update(s) {
      starts.see(s);
      let bar = bars.get(s.id);
      const total = Math.max(1, s.size ?? s.downloaded);
      if (!bar) {
        bar = multi.create(total, s.downloaded, payload(s));
        bars.set(s.id, bar);
      }
      bar.setTotal(total);
      bar.update(s.downloaded, payload(s));
    },
    finish(s) {
      view.update(s);
      if (s.status === 'completed') multi.log(`${completedLine(s, starts.of(s.id))}\n`);
      else if (!interrupted) multi.log(`${failureLine(s)}\n`);
    },
    note(line) {
      multi.log(`${line}\n`);
    },
    interrupt(line) {
      interrupted = true;
      multi.log(`${line}\n`);
    },
    stop() {
      multi.stop();
    },
  };
  return view;
}
