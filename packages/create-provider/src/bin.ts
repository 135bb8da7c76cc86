#!/usr/bin/env node
import { runCli } from './run-cli.js';

process.exitCode = runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
