/** An expected failure of a command: printed as one line on stderr, exit code `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET']);

/**
 * One line for any failure: CliError's own message; for Postgres, why it failed without the SQL
 * (knex puts the statement before ` - `), and where it was looked for when it cannot be reached.
 */
export function describeCliError(err: unknown, databaseUrl: string): string {
  if (err instanceof CliError) return err.message;
  const code = (err as { code?: unknown }).code;
  const where = URL.canParse(databaseUrl) ? new URL(databaseUrl).host : 'DATABASE_URL';
  if (typeof code === 'string' && UNREACHABLE.has(code)) {
    return `cannot reach Postgres at ${where} (${code}); is it running, and is DATABASE_URL right?`;
  }
  if (err instanceof Error && /Timeout acquiring a connection/.test(err.message)) {
    return `cannot reach Postgres at ${where} (no connection within the timeout); is it running?`;
  }
  if (code === '3D000') return `database missing at ${where}: create it, then run npm run migrate`;
  if (code === '42P01') return `the database at ${where} is not migrated: run npm run migrate`;
  const message = err instanceof Error ? err.message : String(err);
  const cut = message.lastIndexOf(' - ');
  return (cut >= 0 ? message.slice(cut + 3) : message).split('\n')[0]!;
}
