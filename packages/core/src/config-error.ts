/**
 * A problem with how the process was configured or deployed (environment, database not created
 * or not migrated, wrong credentials): the app prints its message as one line on stderr and
 * exits 1, with no stack trace, since nothing will change by retrying.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Runs an app's start-up; a ConfigError (or any other start-up failure) ends the process with
 * one line on stderr and exit code 1.
 */
export async function runApp(name: string, start: () => Promise<void>): Promise<void> {
  try {
    await start();
  } catch (err) {
    const message = err instanceof ConfigError ? err.message : `could not start: ${describe(err)}`;
    process.stderr.write(`${name}: ${message}\n`);
    process.exit(1);
  }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  return `${typeof code === 'string' ? `${code} ` : ''}${err.message}`.split('\n')[0]!;
}
