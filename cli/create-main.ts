#!/usr/bin/env node
// `create-fibre-stack [dir] [flags]`, the package's second bin (what `npx create-fibre-stack`
// runs once the package is published), is `fibre-stack create [dir] [flags]`.
import { runCommandLine } from './run-command-line.js';
import { reportFatal } from './errors.js';

// What follows `node create-main.js` (yargs' hideBin, for a plain Node process).
runCommandLine(['create', ...process.argv.slice(2)]).catch(reportFatal);
