#!/usr/bin/env node
import { hideBin } from 'yargs/helpers';
import { run } from './program.js';
import { reportFatal } from './errors.js';

run(hideBin(process.argv)).catch(reportFatal);
