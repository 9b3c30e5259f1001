/** A field's column: its name snake_cased (`consecutiveFailures` → `consecutive_failures`). */
export const columnOf = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * A table's columns as a schema's fields name them, so a field added to the schema is read and
 * written without a column list to keep in step: `select` lists them for raw SQL (quoted, one is
 * "order"; with a prefix when two tables are read in one row), `read` makes the object back.
 */
export function columnsOf<T>(schema: { shape: object }) {
  const fields = Object.keys(schema.shape);
  const columns = fields.map(columnOf);
  return {
    columns,
    select: (alias: string, prefix = '') =>
      columns.map((c) => `${alias}."${c}" AS "${prefix}${c}"`).join(', '),
    read: (row: Record<string, unknown>, prefix = ''): T =>
      Object.fromEntries(fields.map((f, i) => [f, row[prefix + columns[i]!]])) as T,
  };
}
