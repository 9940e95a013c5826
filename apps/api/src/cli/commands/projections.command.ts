import { Command } from 'commander';
import { ProjectionManager, SubscriptionManager, SubscriptionStatus } from '@nest-event-store/core';
import { withApp } from '../cli-app';
import { CliError, EXIT } from '../exit-codes';
import { printJson, printLine, printTable } from '../output';
import { createProgress } from '../progress';
import { onInterrupt } from '../interrupt';

/** What a projection is doing now, from its stored row. */
export function projectionState(status: SubscriptionStatus, now = new Date()): string {
  const leased = status.owner !== null && status.leaseUntil !== null && status.leaseUntil > now;
  if (status.rebuildStartedAt) return leased ? 'rebuilding' : 'rebuild interrupted (run rebuild to resume)';
  if (status.checkpoint === null) return 'never run';
  return leased ? 'running' : 'stopped';
}

/** `projections list` and `projections rebuild <name>`. */
export function projectionsCommand(): Command {
  const projections = new Command('projections').description("the app's async projections (read models)");

  projections
    .command('list')
    .description('name, checkpoint, lag and state of every projection')
    .option('--json', 'machine-readable JSON on stdout')
    .action((opts: { json?: boolean }) =>
      withApp(async ({ app }) => {
        const manager = app.get(ProjectionManager);
        const rows = [];
        for (const name of manager.names().sort()) {
          const [status, lag] = await Promise.all([manager.getStatus(name), manager.getLag(name)]);
          rows.push({
            name,
            checkpoint: status.checkpoint?.globalPosition ?? null,
            lag: lag.eventsBehind,
            head: lag.headPosition,
            state: projectionState(status),
            owner: status.owner,
            leaseUntil: status.leaseUntil,
            rebuildStartedAt: status.rebuildStartedAt,
          });
        }
        if (opts.json) printJson(rows);
        else printTable(rows, ['name', 'checkpoint', 'lag', 'state', 'owner'], 'No async projections registered.');
      }),
    );

  projections
    .command('rebuild')
    .description(
      'empty a read model and replay the log into it, with progress; Ctrl-C stops after the chunk in hand and the next run resumes',
    )
    .argument('<name>', 'projection name (see projections list)')
    .option('--take-over', 'take the lease from a process running the projection instead of refusing')
    .option('--restart', 'start over even when an interrupted rebuild could resume')
    .option('--json', 'machine-readable JSON on stdout')
    .action((name: string, opts: { takeOver?: boolean; restart?: boolean; json?: boolean }) =>
      withApp(async ({ app }) => {
        const manager = app.get(ProjectionManager);
        if (!manager.names().includes(name)) {
          throw new CliError(`No projection '${name}'; known: ${manager.names().sort().join(', ') || 'none'}`, EXIT.failure, 'NOT_FOUND');
        }
        const abort = new AbortController();
        const stopListening = onInterrupt(() => {
          process.stderr.write('\nInterrupted: finishing the chunk in hand (Ctrl-C again to quit at once)\n');
          abort.abort();
        });
        const progress = createProgress(`rebuild ${name}`, 'events');
        const started = Date.now();
        let result;
        try {
          result = await manager.rebuild(name, {
            takeOver: opts.takeOver ?? false,
            restart: opts.restart ?? false,
            signal: abort.signal,
            onProgress: (p) => progress.update(p.processed, p.total),
          });
        } finally {
          progress.stop();
          stopListening();
        }
        const status = await app.get(SubscriptionManager).getStatus(name);
        const summary = { name, ...result, checkpoint: status.checkpoint?.globalPosition ?? null, durationMs: Date.now() - started };
        if (opts.json) printJson(summary);
        else if (result.completed)
          printLine(`Rebuilt '${name}'${result.resumed ? ' (resumed)' : ''}: ${result.processed} event(s) in ${summary.durationMs} ms`);
        else printLine(`Rebuild of '${name}' interrupted after ${result.processed} event(s); run the same command again to resume.`);
        if (!result.completed) process.exitCode = EXIT.interrupted;
      }),
    );
  return projections;
}
