// The compose CLI: `docker compose` (v2 plugin) when the docker client has it, else the standalone
// `docker-compose` (v1 or v2). Both take the same arguments for everything fibre-stack asks.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { UserError } from '../../core/errors.js';
import type { StackDir } from './stack-dir.js';
import { explainCompose } from './compose-errors.js';

const execFileP = promisify(execFile);

let found: string[] | null | undefined;

async function works(argv: string[]): Promise<boolean> {
  try {
    await execFileP(argv[0], [...argv.slice(1), 'version'], { timeout: 15_000 });
    return true;
  } catch {
    return false;
  }
}

/** The compose command line prefix, or undefined when neither form is installed. */
export async function composeCli(): Promise<string[] | undefined> {
  if (found === undefined) {
    found = (await works(['docker', 'compose'])) ? ['docker', 'compose'] : (await works(['docker-compose'])) ? ['docker-compose'] : null;
  }
  return found ?? undefined;
}

export const NO_COMPOSE = 'neither `docker compose` nor `docker-compose` is installed (apt-get install docker-compose, or the docker-compose-plugin package)';

/** The arguments that tie a compose call to this stack: its file and its project name. */
function stackArgs(stack: StackDir): string[] {
  return ['--project-directory', stack.dir, '-f', `${stack.dir}/docker-compose.yml`, '-p', stack.spec.project];
}

/**
 * Runs a compose subcommand for the stack. With `inherit`, its output goes straight to the
 * terminal (pulls, logs -f); otherwise it is captured and returned.
 */
export async function compose(stack: StackDir, args: string[], opts: { inherit?: boolean } = {}): Promise<{ code: number; output: string }> {
  const cli = await composeCli();
  if (!cli) throw new UserError(NO_COMPOSE);
  return new Promise((resolve, reject) => {
    const child = spawn(cli[0], [...cli.slice(1), ...stackArgs(stack), ...args], {
      cwd: stack.dir,
      stdio: opts.inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Like compose(), but a failure is an error saying what is wrong and how to fix it (compose-errors.ts), else what compose said. */
export async function composeOk(stack: StackDir, args: string[], opts: { inherit?: boolean } = {}): Promise<string> {
  const r = await compose(stack, args, opts);
  if (r.code !== 0) throw explainCompose(args, r.code, r.output);
  return r.output;
}
