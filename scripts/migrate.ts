// `npm run migrate`: creates the database if it is missing, then applies pending migrations.
import { baseEnvSchema, parseEnv } from '@hookline/core';
import { connect, ensureDatabase, migrateLatest } from '@hookline/db';

const env = parseEnv(baseEnvSchema.pick({ DATABASE_URL: true }), process.env);
if (await ensureDatabase(env.DATABASE_URL))
  console.log(`created database ${new URL(env.DATABASE_URL).pathname.slice(1)}`);
const knex = connect(env.DATABASE_URL, { poolMax: 1 });
try {
  const applied = await migrateLatest(knex);
  console.log(applied.length ? `applied ${applied.join(', ')}` : 'migrations up to date');
} finally {
  await knex.destroy();
}
