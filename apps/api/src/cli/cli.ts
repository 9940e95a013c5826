import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { deadLettersCommand } from './commands/dead-letters.command';
import { doctorCommand } from './commands/doctor.command';
import { eventsCommand } from './commands/events.command';
import { gdprCommand } from './commands/gdpr.command';
import { projectionsCommand } from './commands/projections.command';
import { subscriptionsCommand } from './commands/subscriptions.command';
import { detachStdin } from './detach-stdin';
import { CliError, EXIT } from './exit-codes';

/**
 * The operator's command line: `npm run --silent cli -- <command> [--json]`.
 * Same configuration as the app (DATABASE_URL, or the embedded database
 * under DATA_DIR). Results on stdout (JSON with --json), progress and errors
 * on stderr; exit codes in exit-codes.ts (README, "Command line").
 */
async function main(argv: string[]): Promise<void> {
  const stdin = detachStdin();
  const program = new Command('cli')
    .description('Operate the event store of the app: projections, subscriptions, dead letters, events, GDPR erasure, health checks.')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  for (const command of [
    projectionsCommand(),
    subscriptionsCommand(),
    deadLettersCommand(),
    eventsCommand(() => stdin),
    gdprCommand(),
    doctorCommand(),
  ])
    program.addCommand(command);
  exitOverrideEverywhere(program);
  await program.parseAsync(argv);
}

/** commander exits 1 on bad usage; ours is 2 (and 0 for --help). Subcommands added with addCommand do not inherit it. */
function exitOverrideEverywhere(command: Command): void {
  command.exitOverride();
  for (const sub of command.commands) exitOverrideEverywhere(sub);
}

function report(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  const json = process.argv.includes('--json');
  const code = error instanceof CliError ? error.exitCode : exitCodeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const errorCode = (error as { code?: unknown }).code;
  if (json) process.stderr.write(`${JSON.stringify({ error: { code: typeof errorCode === 'string' ? errorCode : 'ERROR', message } })}\n`);
  else process.stderr.write(`error: ${message}\n`);
  return code;
}

function exitCodeOf(error: unknown): number {
  const code = (error as { code?: unknown }).code;
  if (code === 'SUBSCRIPTION_LEASE_HELD' || code === 'DATA_DIR_LOCKED') return EXIT.refused;
  return EXIT.failure;
}

main(process.argv).then(
  () => process.exit(process.exitCode ?? EXIT.ok),
  (error: unknown) => process.exit(report(error)),
);
