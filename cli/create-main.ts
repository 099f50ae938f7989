#!/usr/bin/env node
// `create-fibre-stack [dir] [flags]`, the package's second bin (what `npx create-fibre-stack`
// runs once the package is published), is `fibre-stack create [dir] [flags]`.
import { hideBin } from 'yargs/helpers';
import { run } from './program.js';
import { reportFatal } from './errors.js';

run(['create', ...hideBin(process.argv)]).catch(reportFatal);
