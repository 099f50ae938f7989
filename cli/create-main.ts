#!/usr/bin/env node
// `npx create-fibre-stack [dir] [flags]` is `fibre-stack create [dir] [flags]`.
import { hideBin } from 'yargs/helpers';
import { run } from './program.js';
import { reportFatal } from './errors.js';

run(['create', ...hideBin(process.argv)]).catch(reportFatal);
