#!/usr/bin/env node
// The `ferry` command: the download engine without Electron.
import { runCli } from './program.js';

runCli(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`ferry: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
