import { Command } from 'commander';
import { SubscriptionManager } from '@nest-event-store/core';
import { withApp } from '../cli-app';
import { printJson, printTable } from '../output';

/** `subscriptions list`: every subscriber and projection of the app, with checkpoint, lag, owner and last error. */
export function subscriptionsCommand(): Command {
  const subscriptions = new Command('subscriptions').description("the app's durable subscriptions (subscribers and projections)");
  subscriptions
    .command('list')
    .description('checkpoint, lag, lease owner and last error of every subscription')
    .option('--json', 'machine-readable JSON on stdout')
    .action((opts: { json?: boolean }) =>
      withApp(async ({ app }) => {
        const manager = app.get(SubscriptionManager);
        const parked = await manager.listDeadLetters();
        const rows = [];
        for (const name of manager.names().sort()) {
          const [status, lag] = await Promise.all([manager.getStatus(name), manager.getLag(name)]);
          const letters = parked.filter((d) => d.subscriptionName === name);
          const newest = letters.reduce<(typeof letters)[number] | undefined>((a, d) => (!a || d.parkedAt > a.parkedAt ? d : a), undefined);
          rows.push({
            name,
            kind: status.kind,
            checkpoint: status.checkpoint?.globalPosition ?? null,
            lag: lag.eventsBehind,
            owner: status.owner,
            leaseUntil: status.leaseUntil,
            deadLetters: letters.length,
            lastError: newest?.error ?? null,
          });
        }
        if (opts.json) printJson(rows);
        else printTable(rows, ['name', 'kind', 'checkpoint', 'lag', 'owner', 'deadLetters', 'lastError'], 'No subscriptions registered.');
      }),
    );
  return subscriptions;
}
