// Values in a compose .env file. Compose v1 (python-dotenv) and v2 (its own parser) disagree on
// quotes, escapes and `$` interpolation, so the only encoding both read back unchanged is none at
// all: a value must be made of characters neither treats specially. fibre-stack puts only values
// it generates or has validated into .env; anything else is refused rather than mangled.
const ENV_SAFE = /^[A-Za-z0-9_.,:@+\/=-]*$/;

export class EnvEncodingError extends Error {}

export function envValue(value: string): string {
  if (!ENV_SAFE.test(value)) {
    throw new EnvEncodingError(
      `cannot write ${JSON.stringify(value)} to .env: only letters, digits and _ . , : @ + / = - survive every compose version unchanged`,
    );
  }
  return value;
}

export function envLine(name: string, value: string): string {
  if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new EnvEncodingError(`bad .env variable name ${JSON.stringify(name)}`);
  return `${name}=${envValue(value)}`;
}

/** Reads back a .env that envLine wrote: NAME=value lines, never quoted; comments skipped. */
export function parseEnvText(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) env[m[1]] = m[2].trim();
  }
  return env;
}
