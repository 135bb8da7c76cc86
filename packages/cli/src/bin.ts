#!/usr/bin/env node
import { endQuietlyWhenStdoutCloses, reserveStdout } from './cli-io.js';
import { runCli } from './run-cli.js';

/** How long the process may linger after its answer for asynchronous clean-up to finish. */
const EXIT_GRACE_MS = 1_000;

endQuietlyWhenStdoutCloses();
reserveStdout();
process.exitCode = await runCli(process.argv.slice(2));
// The answer (or the error) is out and everything the command opened is closed. What still holds
// the process open is a plugin's leftover (a timer or socket of a call the host gave up on): it
// must not keep the command from ending.
setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
