// Compose's own error messages, turned into what is wrong and how to fix it. `up` checks the
// common causes before compose runs (docker-up.ts); these catch what slips through (a port taken
// between the check and the start, a path removed meanwhile, a file edited by hand).
import { UserError } from '../../core/errors.js';

interface Known {
  pattern: RegExp;
  /** What is wrong and how to fix it, from the match. */
  explain: (m: RegExpMatchArray) => string;
}

const KNOWN: Known[] = [
  {
    pattern: /(?:Bind for |listen tcp4? )?([\d.:[\]a-f]*:(\d+))[^\n]*(?:port is already allocated|address already in use)/i,
    explain: (m) => `port ${m[2]} is already in use on this host: stop what holds it (ss -ltnp 'sport = :${m[2]}' names it), or give this stack another port in fibre-stack.yml (ports:) and run \`fibre-stack apply\``,
  },
  {
    pattern: /(?:bind source path does not exist|invalid mount config[^\n]*?|error while creating mount source path)[^\n]*?(\/[^\s"':]+)/i,
    explain: (m) => `${m[1]} does not exist on this host, and the stack mounts it: create it, or correct the path in fibre-stack.yml and run \`fibre-stack apply\``,
  },
  {
    pattern: /(?:pull access denied|manifest unknown|not found: manifest|failed to resolve reference|dial tcp[^\n]*(?:no such host|i\/o timeout|connection refused)|Temporary failure in name resolution)[^\n]*/i,
    explain: (m) => `an image cannot be pulled here (${m[0].trim()}): pull or load it by hand, or set images: in fibre-stack.yml to one this host has (docker images)`,
  },
];

/** A compose failure in words: a known cause with its fix (exit 2, the environment), else compose's own output (exit 1). */
export function explainCompose(args: readonly string[], code: number, output: string): UserError {
  for (const k of KNOWN) {
    const m = output.match(k.pattern);
    if (m) return new UserError(`compose ${args.join(' ')} failed: ${k.explain(m)}.`, 2);
  }
  return new UserError(`compose ${args.join(' ')} failed (exit ${code})${output ? `:\n${output.trimEnd()}` : ''}`, 1);
}
