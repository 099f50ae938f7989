// How a failed command ends: the user's own mistakes as one line and their exit code, real bugs
// with a stack trace and exit 70.
import { UserError } from '../core/errors.js';

/** Prints an error the way a user should see it and exits. Stack traces only for real bugs. */
export function reportFatal(err: unknown): never {
  // A SpecError (core/spec/reader.ts) is a UserError too.
  if (err instanceof UserError) {
    process.stderr.write(`fibre-stack: ${err.message}\n`);
    process.exit(err.exitCode);
  }
  process.stderr.write(`fibre-stack: unexpected error (please report it): ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(70);
}
