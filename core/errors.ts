// Errors a user can act on. Each carries the exit code the command ends with: 2 for something the
// user must fix in what they asked for (usage, spec, environment), 1 for a check that failed.
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'UserError';
  }
}
