import { InvalidArgumentError, Option, type Command } from 'commander';
import type { AppRole } from '@hookline/db';
import { parseDurationSeconds } from './since.js';

type Runtime = () => Promise<typeof import('./runtime.js')>;

/** `--app <id>=<role>`, repeatable: a member's app roles. */
function appRole(value: string, previous: Record<string, AppRole> = {}): Record<string, AppRole> {
  const match = /^([^=]+)=(owner|viewer)$/.exec(value);
  if (!match)
    throw new InvalidArgumentError(
      `expected <app id>=owner or <app id>=viewer, got ${JSON.stringify(value)}`,
    );
  return { ...previous, [match[1]!]: match[2] as AppRole };
}

const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));

/**
 * `orgs list|create`, `apps list|create --org`, `members add|list --org`: tenants (Mix's model),
 * and `portal link --app`: a link to an application's portal for its customers; run as the
 * installation's operator through the same use cases as the API.
 */
export function tenantsCommands(program: Command, runtime: Runtime): void {
  const orgs = program.command('orgs').description('organizations');
  orgs
    .command('list')
    .description('list organizations')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { useCases, renderTable } = await runtime();
      const all = await useCases.listOrgs();
      if (options.json) return print(all);
      console.log(
        renderTable(
          ['id', 'name', 'created'],
          all.map((o) => [o.id, o.name, o.createdAt.toISOString()]),
        ),
      );
    });
  orgs
    .command('create')
    .description('create an organization')
    .requiredOption('--name <name>', 'its name')
    .option('--id <id>', 'its id (a slug; generated from the name if absent)')
    .action(async (options: { name: string; id?: string }) => {
      const { useCases } = await runtime();
      print(await useCases.createOrg({ name: options.name, ...(options.id ? { id: options.id } : {}) }));
    });

  const apps = program.command('apps').description("an organization's applications");
  apps
    .command('list')
    .description("list an organization's applications")
    .requiredOption('--org <id>', 'the organization')
    .option('--json', 'print JSON')
    .action(async (options: { org: string; json?: boolean }) => {
      const { useCases, renderTable } = await runtime();
      const all = await useCases.listApps(options.org);
      if (options.json) return print(all);
      console.log(
        renderTable(
          ['id', 'name', 'rate limit', 'created'],
          all.map((a) => [a.id, a.name, a.rateLimit ?? 'none', a.createdAt.toISOString()]),
        ),
      );
    });
  apps
    .command('create')
    .description('create an application in an organization')
    .requiredOption('--org <id>', 'the organization')
    .requiredOption('--name <name>', 'its name')
    .option('--id <id>', 'its id (a slug, unique across the installation; generated if absent)')
    .option('--description <text>', 'what it is')
    .action(async (options: { org: string; name: string; id?: string; description?: string }) => {
      const { useCases } = await runtime();
      const { org, ...input } = options;
      print(await useCases.createApp(org, input));
    });

  const members = program.command('members').description("an organization's members");
  members
    .command('add')
    .description('add a member; its key is printed once, only its hash is stored')
    .requiredOption('--org <id>', 'the organization')
    .requiredOption('--name <name>', 'who it is')
    .addOption(
      new Option('--org-role <role>', 'owner, member or viewer')
        .choices(['owner', 'member', 'viewer'])
        .makeOptionMandatory(),
    )
    .option('--app <id>=<role>', 'an app role (owner or viewer); repeat for more applications', appRole)
    .action(
      async (options: {
        org: string;
        name: string;
        orgRole: 'owner' | 'member' | 'viewer';
        app?: Record<string, AppRole>;
      }) => {
        const { useCases } = await runtime();
        print(
          await useCases.addMember(options.org, {
            name: options.name,
            orgRole: options.orgRole,
            appRoles: options.app ?? {},
          }),
        );
      },
    );
  members
    .command('list')
    .description("list an organization's members and their roles")
    .requiredOption('--org <id>', 'the organization')
    .option('--json', 'print JSON')
    .action(async (options: { org: string; json?: boolean }) => {
      const { useCases, renderTable } = await runtime();
      const all = await useCases.listMembers(options.org);
      if (options.json) return print(all);
      console.log(
        renderTable(
          ['id', 'name', 'org role', 'app roles'],
          all.map((m) => [
            m.id,
            m.name,
            m.orgRole,
            Object.entries(m.appRoles)
              .map(([a, r]) => `${a}=${r}`)
              .join(', '),
          ]),
        ),
      );
    });

  program
    .command('portal')
    .description("an application's portal for its customers")
    .command('link')
    .description('print a link to the portal (its token is shown once, only its hash is stored)')
    .requiredOption('--app <id>', 'the application')
    .option(
      '--expires <duration>',
      'how long the link works: 30m, 1h, 7d (60 s to 7 d)',
      parseDurationSeconds,
      3600,
    )
    .option('--read-only', 'the customer may look but not change anything')
    .option('--json', 'print the link, token and expiry as JSON')
    .action(async (options: { app: string; expires: number; readOnly?: boolean; json?: boolean }) => {
      const { useCases } = await runtime();
      const link = await useCases.portalLink(options.app, {
        expiresInSeconds: options.expires,
        readOnly: options.readOnly ?? false,
      });
      if (options.json) return print(link);
      console.log(link.url);
      console.error(`expires ${link.expiresAt.toISOString()}${options.readOnly ? ', read-only' : ''}`);
    });
}
