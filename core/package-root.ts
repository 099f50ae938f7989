// Where the installed package lives, so the exporter finds its bpf/ programs, its samples and its
// version whether it runs from dist/ (installed, in the image) or from source (vitest).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The directory holding fibre-stack's package.json. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      if (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name === 'fibre-stack') return (root = dir);
    } catch {
      // No package.json here (or not ours): keep walking up.
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`fibre-stack's package.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** A path inside the package, e.g. packagePath('bpf', 'fibre.bt'). */
export function packagePath(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}

export function packageVersion(): string {
  return JSON.parse(readFileSync(packagePath('package.json'), 'utf8')).version as string;
}
