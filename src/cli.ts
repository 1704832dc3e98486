#!/usr/bin/env node
import { Command } from 'commander';
import fs from 'node:fs';
import { ConfigError, loadConfig, type Config } from './config.js';
import { migrateToLatest } from './db/migrator.js';
import { DEMO_BOTS, DEMO_CAMPAIGN, DEMO_CENTER, DEMO_USERS, ensureDemoCenter } from './demo.js';
import { demoFloor } from './demo-floor.js';
import { Random } from './engine/random.js';
import { openDatabase, prepareRuntime } from './runtime.js';
import type { DatabaseHandle } from './db/database.js';
import { PortInUseError, serve } from './server.js';
import type { ServiceDeps } from './services/context.js';
import { createCenter } from './services/centers/create-center.js';
import { importCommand } from './cli/import-command.js';
import { remoteImport } from './cli/remote-import.js';
import { forecastCommand, type ForecastCommandOptions } from './cli/forecast-command.js';

/** Where the server listens, from --host/--port; each overrides its environment variable. */
interface ListenOptions {
  host?: string;
  port?: string;
}

function config(listen: ListenOptions = {}): Config {
  try {
    return loadConfig({
      ...process.env,
      ...(listen.host === undefined ? {} : { HOST: listen.host }),
      ...(listen.port === undefined ? {} : { PORT: listen.port }),
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}

/** Runs a one-shot command against the prepared database, reporting failures and always closing it. */
async function withRuntime(work: (deps: ServiceDeps, cfg: Config) => Promise<void>): Promise<void> {
  const cfg = config();
  const handle = await openDatabase(cfg);
  try {
    await work(await prepareRuntime(handle, cfg), cfg);
  } catch (error) {
    console.error((error as Error).message, ...((error as { details?: string[] }).details ?? []));
    process.exitCode = 1;
  } finally {
    // Closing embedded PGlite (Emscripten) sets process.exitCode to 0: keep the command's own.
    const exitCode = process.exitCode;
    await handle.close();
    process.exitCode = exitCode;
  }
}

/** The version in package.json, found from the source (src/) or the build (dist/src/). */
function packageVersion(): string {
  for (const candidate of ['../package.json', '../../package.json']) {
    const file = new URL(candidate, import.meta.url);
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'outdial' && pkg.version) return pkg.version;
  }
  return 'unknown';
}

/** Serves until stopped; a port already in use is one line on stderr and exit code 1. */
async function serving<T>(start: () => Promise<T>, handle: DatabaseHandle): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if (!(error instanceof PortInUseError)) throw error;
    console.error(`outdial: ${error.message}`);
    await handle.close();
    process.exit(1);
  }
}

const program = new Command()
  .name('outdial')
  .description('Outdial: outbound contact-center campaign server')
  .version(packageVersion(), '-v, --version', 'print the version and exit');

const listenOptions = (command: Command) =>
  command
    .option('--host <address>', 'address to listen on (overrides HOST; default 127.0.0.1)')
    .option('--port <number>', 'port to listen on (overrides PORT; default 3000; 0 picks a free one)');

listenOptions(program.command('serve'))
  .description('Apply pending migrations and serve the API')
  .action(async (opts: ListenOptions) => {
    const cfg = config(opts);
    const handle = await openDatabase(cfg);
    const deps = await prepareRuntime(handle, cfg);
    await serving(() => serve(cfg, handle, deps), handle);
  });

program
  .command('migrate')
  .description('Apply pending database migrations and exit')
  .action(async () => {
    const cfg = config();
    const handle = await openDatabase(cfg);
    const applied = await migrateToLatest(handle.db);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date');
    await handle.close();
  });

program
  .command('create-center')
  .description('Create a contact center (tenant) with its first admin')
  .requiredOption('--short-name <name>', 'unique short name, used as the login domain')
  .requiredOption('--name <name>', 'display name')
  .requiredOption('--admin-username <username>')
  .option('--admin-password <password>', 'or set OUTDIAL_ADMIN_PASSWORD')
  .option('--country <code>', 'default country for national numbers', 'IN')
  .option('--time-zone <zone>', 'IANA time zone', 'Asia/Kolkata')
  .action(async (opts: Record<string, string>) => {
    const password = opts.adminPassword ?? process.env.OUTDIAL_ADMIN_PASSWORD;
    if (!password) {
      console.error('Give --admin-password or set OUTDIAL_ADMIN_PASSWORD');
      process.exit(2);
    }
    await withRuntime(async (deps) => {
      const { center, admin } = await createCenter(deps, {
        shortName: opts.shortName!,
        name: opts.name!,
        defaultCountry: opts.country!,
        timeZone: opts.timeZone!,
        admin: { username: opts.adminUsername!, password },
      });
      console.log(
        `Created contact center ${center.short_name} (number ${center.public_number}, Exotel's contextId) with admin ${admin.username}`,
      );
    });
  });

program
  .command('import')
  .description('Import a CSV or XLSX file of contacts into a list or campaign, with a progress bar')
  .argument('<file>', 'CSV or XLSX file')
  .option('--center <short-name>', 'the contact center (importing in this process, on its database)')
  .option('--server <url>', 'upload to this running server instead, through its API (with --token)')
  .option('--token <key>', 'an API key (read_write) or access token of the center, with --server')
  .option('--campaign <id>', 'cmp_… (its default list unless --list is given)')
  .option('--list <id>', 'lst_…')
  .option('--dedup <policy>', 'skip, update or allow', 'skip')
  .option('--scope <scope>', 'dedup within the list or the campaign', 'list')
  .option('--mapping <json>', 'column mapping: {"Header": "phone" | "first_name" | "var:name" | "ignore"}')
  .action(async (file: string, opts: Record<string, string>) => {
    if (opts.server) {
      if (!opts.token) throw new Error('--server needs --token (an API key or access token)');
      const job = await remoteImport(file, {
        server: opts.server,
        token: opts.token,
        campaign: opts.campaign,
        list: opts.list,
        dedup: opts.dedup!,
        scope: opts.scope!,
        mapping: opts.mapping,
      });
      console.log(job.status === 'completed' ? 'Import completed' : `Import failed: ${job.error}`);
      if (job.progress.rejected + job.progress.dnc > 0) console.log(`Rejected rows: GET ${job.errors_url}`);
      process.exitCode = job.status === 'completed' ? 0 : 1;
      return;
    }
    if (!opts.center) throw new Error('import needs --center (or --server and --token)');
    await withRuntime(async (deps, cfg) => {
      const job = await importCommand(deps, file, {
        threads: cfg.importThreads,
        center: opts.center!,
        campaign: opts.campaign,
        list: opts.list,
        dedup: opts.dedup as 'skip',
        scope: opts.scope as 'list',
        mapping: opts.mapping,
      });
      console.log(job.status === 'completed' ? 'Import completed' : `Import failed: ${job.error}`);
      if (job.rejected + job.dnc > 0)
        console.log(`Rejected rows: GET /v1/imports/imp_${job.uid.replace(/-/g, '')}/errors.csv`);
      process.exitCode = job.status === 'completed' ? 0 : 1;
    });
  });

program
  .command('forecast')
  .description(
    'Forecast staffing a campaign on its own traffic: utilization, abandon rate, contacts reached, when the list runs out',
  )
  .requiredOption('--center <short-name>', 'the contact center')
  .requiredOption('--campaign <id>', 'cmp_…')
  .requiredOption('--agents <counts>', 'candidate agent counts, comma-separated (10,15,20)')
  .option('--modes <modes>', 'progressive, power and/or predictive, comma-separated', 'power,predictive')
  .option('--lines <n>', "power mode's lines per agent (default: the campaign's)")
  .option('--cap <rate>', "predictive mode's abandon cap, e.g. 0.03 (default: the campaign's)")
  .option('--finish-by <date-time>', 'also find the fewest agents per mode that finish the list by then')
  .option('--max-agents <n>', 'staffing searches up to this many agents (default 200)')
  .option('--since <date-time>', 'learn from calls since then (default: the last 7 days)')
  .option('--seeds <n>', 'simulated samples per candidate (default 3)')
  .option('--hours <n>', 'simulated calling hours per candidate (default 6)')
  .option('--default-traffic', 'forecast on the documented default traffic when there is no history')
  .action(async (opts: ForecastCommandOptions) => {
    await withRuntime(async (deps, cfg) => {
      console.log(await forecastCommand(deps, opts, cfg.forecastThreads));
    });
  });

listenOptions(program.command('demo'))
  .description('Serve with a demo contact center (created on first run)')
  .action(async (opts: ListenOptions) => {
    const cfg = config(opts);
    const handle = await openDatabase(cfg);
    const deps = await prepareRuntime(handle, cfg);
    const { created } = await ensureDemoCenter(deps);
    const server = await serving(() => serve(cfg, handle, deps), handle);
    const floor = server.engine
      ? await demoFloor(deps, server.scheduler, new Random(cfg.carrierSeed + 1), (error) =>
          console.error('demo floor:', (error as Error).message),
        )
      : null;
    floor?.start();
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => floor?.stop());
    const users = DEMO_USERS.map(
      (u) => `    ${u.role.padEnd(10)} ${u.username.padEnd(11)} ${u.password}`,
    ).join('\n');
    console.log(`
Outdial demo ${created ? 'created' : 'ready'} on ${handle.kind === 'pglite' ? `the embedded database (${cfg.dataDir})` : 'PostgreSQL'}.
  API docs:   ${server.url}/docs
  Log in:     curl -s ${server.url}/v1/auth/login -H 'content-type: application/json' \\
                -d '{"username":"admin","password":"demo-admin-pass","contact_center":"${DEMO_CENTER}"}'
  Console:    ${server.url}/
  Contact center "${DEMO_CENTER}", users (role, username, password):
${users}
${
  floor
    ? `  Campaign "${DEMO_CAMPAIGN}" is dialing (predictive, simulated carrier) with ${DEMO_BOTS.length} simulated agents
  (${DEMO_BOTS.join(', ')}); log in as agent1 to take calls at the desk. Live numbers: the console, or
  GET /v1/campaigns/{id}/live (Server-Sent Events).`
    : '  The dialer engine is off (OUTDIAL_ENGINE=off): the demo campaign does not dial.'
}
`);
  });

program.parseAsync().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
