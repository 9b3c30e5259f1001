// Run by jest's globalSetup/globalTeardown in a child process: those hooks resolve workspace
// packages natively (no custom export conditions, no TypeScript), so they cannot import them.
import { createTemplateDatabase, dropRunDatabases } from '@hookline/testing';

const [action, runId] = process.argv.slice(2);
if (!runId || !/^[a-z0-9]+$/.test(runId)) throw new Error('usage: test-template create|drop <runId>');
if (action === 'create') await createTemplateDatabase(runId);
else if (action === 'drop') await dropRunDatabases(runId);
else throw new Error(`unknown action ${action}`);
