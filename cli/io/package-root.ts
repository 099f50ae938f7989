import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// This file is dist/cli/io/package-root.js when built and cli/io/package-root.ts under vitest:
// either way the package root is three levels up from dist, two from the source.
const here = dirname(fileURLToPath(import.meta.url));
export const PACKAGE_ROOT = here.includes(`${join('dist', 'cli')}`) ? join(here, '..', '..', '..') : join(here, '..', '..');
