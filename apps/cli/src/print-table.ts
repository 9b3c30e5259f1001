import Table from 'cli-table3';

/**
 * A table for people (cli-table3, no colours, so pipes and logs stay clean); `--json` is the
 * machine-readable form of every list command.
 */
export function renderTable(head: string[], rows: (string | number | boolean)[][]): string {
  const table = new Table({ head, style: { head: [], border: [] } });
  table.push(...rows.map((r) => r.map(String)));
  return table.toString();
}
