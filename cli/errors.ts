// How a failed command ends: the user's own mistakes as one line and their exit code, real bugs
// with a stack trace and exit 70.
import { UserError } from '../core/errors.js';
import { SpecError } from './spec/validate.js';

/** Prints an error the way a user should see it and exits. Stack traces only for real bugs. */
export function reportFatal(err: unknown): never {
  if (err instanceof UserError || err instanceof SpecError) {
    process.stderr.write(`fibre-stack: ${err.message}\n`);
    process.exit(err instanceof UserError ? err.exitCode : 2);
  }
  process.stderr.write(`fibre-stack: unexpected error (please report it): ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(70);
}
