import { endpointSchema, webhookSchema, type Endpoint, type Target, type Webhook } from '@hookline/core';
import { columnsOf } from './columns.js';

// The webhooks and endpoints tables' columns, derived from core's schemas.

export const webhookColumns = columnsOf<Webhook>(webhookSchema);
export const endpointColumns = columnsOf<Endpoint>(endpointSchema);

/** Both tables' columns in one row, the endpoint's prefixed `e_`, for raw SQL over `w` and `e`. */
export const TARGET_COLUMNS_SQL = `${webhookColumns.select('w')}, ${endpointColumns.select('e', 'e_')}`;

export const readTarget = (row: Record<string, unknown>): Target => ({
  webhook: webhookColumns.read(row),
  endpoint: endpointColumns.read(row, 'e_'),
});
