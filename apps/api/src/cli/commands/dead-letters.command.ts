import { Command } from 'commander';
import { DeadLetter, SubscriptionManager } from '@nest-event-store/core';
import { withApp } from '../cli-app';
import { CliError, EXIT } from '../exit-codes';
import { printJson, printLine, printTable } from '../output';

interface SelectOptions {
  subscription?: string;
  id?: string[];
  json?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The dead letters a retry or discard is about; at least one of --subscription and --id is required. */
function selection(opts: SelectOptions): { subscriptionName?: string; ids?: string[] } {
  if (!opts.subscription && !opts.id)
    throw new CliError('Name the dead letters: --subscription <name>, --id <id> (repeatable), or both', EXIT.usage, 'USAGE');
  for (const id of opts.id ?? [])
    if (!/^[1-9][0-9]{0,18}$/.test(id))
      throw new CliError(`--id must be a dead letter id (a positive integer), got '${id}'`, EXIT.usage, 'USAGE');
  return { subscriptionName: opts.subscription, ids: opts.id };
}

function selected(all: DeadLetter[], s: { subscriptionName?: string; ids?: string[] }): DeadLetter[] {
  return all.filter((d) => (!s.subscriptionName || d.subscriptionName === s.subscriptionName) && (!s.ids || s.ids.includes(d.id)));
}

/** `dead-letters list|retry|discard`. */
export function deadLettersCommand(): Command {
  const deadLetters = new Command('dead-letters').description('events a subscription or projection gave up on (parked)');
  const selecting = (c: Command) =>
    c
      .option('--subscription <name>', 'the dead letters of this subscription')
      .option('--id <id>', 'this dead letter (repeatable)', collect)
      .option('--json', 'machine-readable JSON on stdout');

  deadLetters
    .command('list')
    .description('parked events, in event order')
    .option('--subscription <name>', 'only those of this subscription')
    .option('--json', 'machine-readable JSON on stdout')
    .action((opts: SelectOptions) =>
      withApp(async ({ app }) => {
        const letters = await app.get(SubscriptionManager).listDeadLetters(opts.subscription);
        if (opts.json) printJson(letters);
        else
          printTable(
            letters as unknown as Record<string, unknown>[],
            ['id', 'subscriptionName', 'globalPosition', 'tenantId', 'eventType', 'attempts', 'parkedAt', 'error'],
            'No dead letters.',
          );
      }),
    );

  selecting(
    deadLetters.command('retry').description('hand parked events to their handler again (successes leave the dead letters)'),
  ).action((opts: SelectOptions) =>
    withApp(async ({ app }) => {
      const which = selection(opts);
      const manager = app.get(SubscriptionManager);
      const letters = selected(await manager.listDeadLetters(which.subscriptionName), which);
      const bySubscription = new Map<string, string[]>();
      for (const d of letters) bySubscription.set(d.subscriptionName, [...(bySubscription.get(d.subscriptionName) ?? []), d.id]);
      const result = { succeeded: 0, failed: 0, missing: (which.ids ?? []).filter((id) => !letters.some((d) => d.id === id)) };
      for (const [name, ids] of bySubscription) {
        const outcome = await manager.retryDeadLetters(name, ids);
        result.succeeded += outcome.succeeded;
        result.failed += outcome.failed;
      }
      if (opts.json) printJson(result);
      else
        printLine(
          `Retried ${letters.length} dead letter(s): ${result.succeeded} succeeded, ${result.failed} failed${result.missing.length ? `; not found: ${result.missing.join(', ')}` : ''}`,
        );
      if (result.failed > 0 || result.missing.length > 0) process.exitCode = EXIT.failure;
    }),
  );

  selecting(deadLetters.command('discard').description('remove parked events without handling them')).action((opts: SelectOptions) =>
    withApp(async ({ app }) => {
      const which = selection(opts);
      const removed = await app.get(SubscriptionManager).discardDeadLetters(which);
      const missing = (which.ids ?? []).filter((id) => !removed.includes(id));
      if (opts.json) printJson({ discarded: removed, missing });
      else printLine(`Discarded ${removed.length} dead letter(s)${missing.length ? `; not found: ${missing.join(', ')}` : ''}`);
      if (missing.length > 0) process.exitCode = EXIT.failure;
    }),
  );
  return deadLetters;
}
