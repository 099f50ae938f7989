// Stopping a child process politely, then for sure. bpftrace, for one, was seen here to ignore a
// SIGINT that arrived just after it drained a large burst of events; a stop must not wait for it
// forever.
import type { ChildProcess } from 'node:child_process';

/** Sends `signal`, and SIGKILL if the child has not exited `graceMs` later; resolves once it has. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
