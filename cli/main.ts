#!/usr/bin/env node
import { runCommandLine } from './run-command-line.js';
import { reportFatal } from './errors.js';

// What follows `node main.js` (yargs' hideBin, for a plain Node process).
runCommandLine(process.argv.slice(2)).catch(reportFatal);
