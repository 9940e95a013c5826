import { Command } from 'commander';
import { EventStoreService } from '@nest-event-store/core';
import { withApp } from '../cli-app';
import { printJson, printLine } from '../output';
import { createProgress } from '../progress';
import { tenantId } from './events.command';

/** `gdpr erase`: redacts every event of a data subject, in chunks, with progress. */
export function gdprCommand(): Command {
  const gdpr = new Command('gdpr').description('GDPR operations');
  gdpr
    .command('erase')
    .description(
      'redact every event linked to a data subject (metadata.subjectId / subjectIds); repeating it finishes an interrupted erasure',
    )
    .requiredOption('--tenant <id>', 'tenant id', tenantId)
    .requiredOption('--subject <id>', 'data subject id')
    .requiredOption('--reason <text>', 'why (kept in the redaction log)')
    .option('--requested-by <who>', 'who asked (kept in the redaction log)', `cli:${process.env.USER ?? 'operator'}`)
    .option('--chunk-size <n>', 'events per transaction', (v) => Number(v))
    .option('--json', 'machine-readable JSON on stdout')
    .action((opts: { tenant: string; subject: string; reason: string; requestedBy: string; chunkSize?: number; json?: boolean }) =>
      withApp(async ({ app }) => {
        const progress = createProgress(`erase ${opts.subject}`, 'events');
        let result;
        try {
          result = await app
            .get(EventStoreService)
            .eraseSubject(
              opts.subject,
              opts.tenant,
              { reason: opts.reason, requestedBy: opts.requestedBy },
              { chunkSize: opts.chunkSize, onProgress: (p) => progress.update(p.redactedEvents, p.redactedEvents + p.remaining) },
            );
        } finally {
          progress.stop();
        }
        if (opts.json) printJson({ tenantId: opts.tenant, ...result });
        else printLine(`Erased subject ${result.subjectId} in tenant ${opts.tenant}: ${result.redactedEvents} event(s) redacted`);
      }),
    );
  return gdpr;
}
