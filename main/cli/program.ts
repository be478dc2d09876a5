// Parses the command line (commander) and hands each command its options.
import { Command, InvalidArgumentError, CommanderError } from 'commander';
import { runGet } from './commands/get.js';
import { runList } from './commands/list.js';
import { runPause, runRemove, runResume } from './commands/control.js';
import { MAX_CONNECTIONS } from '../engine/model.js';

export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

function intInRange(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}.`);
    return n;
  };
}

function downloadId(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('must be a download id (a positive whole number).');
  return n;
}

export async function runCli(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command()
    .name('ferry')
    .description('Fast, crash-safe, multi-connection downloads.')
    .version('0.1.0')
    .option('--db <path>', 'state database (default: $FERRY_DB, else the desktop app\'s)')
    .exitOverride()
    .showHelpAfterError();

  program
    .command('get')
    .description('download URLs in the foreground; the same command again resumes')
    .argument('[urls...]', 'http(s) URLs')
    .option('-o, --output <file>', 'write exactly this file (one URL only)')
    .option('-d, --dir <dir>', 'download folder (default: the current folder)')
    .option('-c, --connections <n>', `connections per download (1-${MAX_CONNECTIONS})`, intInRange(1, MAX_CONNECTIONS), 8)
    .option('-j, --jobs <n>', 'downloads at once', intInRange(1, 100), 3)
    .option(
      '--fewer-connections-above <MiB/s>',
      'when a download runs faster than this, try 2 connections and keep to them if they are as fast (0: always use all)',
      intInRange(0, 1_000_000),
      200,
    )
    .option('-i, --input-file <file>', 'read URLs from a file, one per line')
    .option('--checksum <alg=hex>', 'verify the file before it gets its name (sha-256, sha-512, sha-1 or md5; one URL only)')
    .option('--overwrite', 'replace an existing output file')
    .option('-q, --quiet', 'print only errors')
    .action(async (urls: string[], opts) => {
      code = await runGet({ ...opts, urls, db: program.opts().db });
    });

  program
    .command('list')
    .description('show the downloads in the database')
    .option('--json', 'print JSON')
    .action((opts) => {
      code = runList({ db: program.opts().db, json: Boolean(opts.json) });
    });

  program
    .command('pause')
    .description('pause a download (also one running in another ferry process)')
    .argument('<id>', 'download id', downloadId)
    .action(async (id: number) => {
      code = await runPause({ db: program.opts().db, id });
    });

  program
    .command('resume')
    .description('resume a paused or failed download in the foreground')
    .argument('<id>', 'download id', downloadId)
    .option('-q, --quiet', 'print only errors')
    .action(async (id: number, opts) => {
      code = await runResume({ db: program.opts().db, id, quiet: Boolean(opts.quiet) });
    });

  program
    .command('remove')
    .description('remove a download from the list')
    .argument('<id>', 'download id', downloadId)
    .option('--delete-file', 'also delete the file (complete or partial)')
    .action(async (id: number, opts) => {
      code = await runRemove({ db: program.opts().db, id, deleteFile: Boolean(opts.deleteFile) });
    });

  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    throw error;
  }
  return code;
}
