import { Command } from 'commander';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventStoreService, eventStoreMigrations, eventStoreRoles } from '@nest-event-store/core';
import { agentsMigrations } from '../../agents/agents.migrations';
import { requirementsMigrations } from '../../requirements/requirements.migrations';
import { withApp } from '../cli-app';
import { EXIT } from '../exit-codes';
import { printJson, printLine } from '../output';
import {
  DoctorCheck,
  checkGrants,
  checkRoles,
  checkRowLevelSecurity,
  checkSchema,
  checkStuckTransactions,
  checkTransactionHorizon,
} from './doctor-checks';

const MARK = { ok: '[ok]  ', warn: '[warn]', fail: '[FAIL]' };

/** `doctor`: checks the database the app would use and prints what to fix; exit 1 when a check fails. */
export function doctorCommand(): Command {
  return new Command('doctor')
    .description('check schema version, roles and grants, row-level security, the transaction horizon and stuck transactions')
    .option('--json', 'machine-readable JSON on stdout')
    .action((opts: { json?: boolean }) =>
      // Booted without migrating or the startup horizon check, so that both can be reported instead.
      withApp(
        async ({ app, config }) => {
          const db = app.get<DataSource>(getDataSourceToken());
          const prefix = config.rolePrefix;
          const expected = [...eventStoreMigrations(prefix), ...requirementsMigrations(prefix), ...agentsMigrations(prefix)].map(
            (M) => new M().name!,
          );
          const roles = eventStoreRoles(prefix);
          const checks: DoctorCheck[] = [];
          const run = async (name: string, check: () => Promise<DoctorCheck>) => {
            try {
              checks.push(await check());
            } catch (error) {
              checks.push({ name, status: 'fail', detail: `could not check: ${(error as Error).message}` });
            }
          };
          await run('schema', () => checkSchema(db, expected));
          await run('roles', () => checkRoles(db, roles));
          await run('grants', () => checkGrants(db, roles));
          await run('rls', () => checkRowLevelSecurity(db));
          await run('transaction-horizon', () => checkTransactionHorizon(db));
          await run('stuck-transactions', async () => checkStuckTransactions(db, await app.get(EventStoreService).getHorizonLag()));
          const ok = checks.every((c) => c.status !== 'fail');
          const database = config.databaseUrl ? 'server' : `embedded (${config.embeddedDataDir})`;
          if (opts.json) printJson({ ok, database, checks });
          else {
            printLine(`Database: ${database}`);
            for (const c of checks) {
              printLine(`${MARK[c.status]} ${c.name}: ${c.detail}`);
              if (c.fix && c.status !== 'ok') printLine(`       fix: ${c.fix}`);
            }
            printLine(ok ? 'No problems found.' : 'Problems found: see the fixes above.');
          }
          if (!ok) process.exitCode = EXIT.failure;
        },
        { migrationsRun: false, checkTransactionHorizon: false },
      ),
    );
}
