// Errors a user can act on. Each carries the exit code the command ends with: 2 for something the
// user must fix in what they asked for (usage, spec, environment), 1 for a check that failed.
import { SpecError } from './spec/validate.js';

export class UserError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'UserError';
  }
}

/** Prints an error the way a user should see it and exits. Stack traces only for real bugs. */
export function reportFatal(err: unknown): never {
  if (err instanceof UserError || err instanceof SpecError) {
    process.stderr.write(`fibre-stack: ${err.message}\n`);
    process.exit(err instanceof UserError ? err.exitCode : 2);
  }
  process.stderr.write(`fibre-stack: unexpected error (please report it): ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(70);
}
