// Encoding for systemd unit files (systemd.syntax(7), systemd.service(7)).

/**
 * One word of ExecStart= (or a whole Environment= assignment): double-quoted with C-style escapes,
 * which systemd unquotes; `%` is doubled because systemd expands specifiers, and `$` is doubled
 * because ExecStart= substitutes environment variables.
 */
export function systemdWord(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '%') out += '%%';
    else if (ch === '$') out += '$$';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return `"${out}"`;
}

/** A command line for ExecStart=: every argument quoted on its own. */
export function systemdCommand(argv: readonly string[]): string {
  return argv.map(systemdWord).join(' ');
}
