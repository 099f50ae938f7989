// What a service's own log says when it could not start, turned into the fix: today an unreadable
// config or data folder (a stack folder made under a strict umask, or files chmod-ed since), which
// the official images meet first because they run as nobody, 472 or 10001.
// The messages are Go's os errors as Prometheus (main.go, "Error loading config") and Alertmanager
// (coordinator.go, "Loading configuration file failed") log them; seen from Debian's 2.42 and 0.25
// run as nobody (test/failure-advice.test.ts).

const DENIED = /\b(open|mkdir|stat) ([^\s"':]+): permission denied/;

/** The fix for the first failure in `log` this knows, or undefined. */
export function adviceFromLog(log: string): string | undefined {
  const m = DENIED.exec(log);
  if (!m) return undefined;
  const [, op, path] = m;
  const what = op === 'mkdir' ? `cannot create ${path}` : `cannot read ${path}`;
  return (
    `it ${what}: the user it runs as lacks access. \`fibre-stack generate\` gives the stack's folders mode 0755 and its files 0644 again; ` +
    `if that is not enough, check the owner and mode of ${path} and of each folder above it`
  );
}
