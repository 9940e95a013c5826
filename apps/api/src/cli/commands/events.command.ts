import { createInterface } from 'node:readline';
import { Command, InvalidArgumentError } from 'commander';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CheckpointedEvent, EventStoreService, ExportedEvent, StreamCheckpoint, TENANT_ID_PATTERN } from '@nest-event-store/core';
import { withApp } from '../cli-app';
import { CliError, EXIT } from '../exit-codes';
import { onInterrupt } from '../interrupt';
import { printJson, printLine } from '../output';
import { createProgress } from '../progress';

const IMPORT_BATCH = 500;

/** commander parser of --tenant. */
export function tenantId(value: string): string {
  if (!TENANT_ID_PATTERN.test(value)) throw new InvalidArgumentError('must be 1-64 letters, digits, ".", "_" or "-"');
  return value;
}

function date(value: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new InvalidArgumentError('must be an ISO 8601 date or time');
  return d;
}

/** One event as an export line: everything stored but this database's position and transaction id, in a fixed key order. */
export function toExportLine(e: CheckpointedEvent): string {
  const line: ExportedEvent = {
    eventId: e.eventId,
    tenantId: e.tenantId,
    aggregateType: e.aggregateType,
    aggregateId: e.aggregateId,
    aggregateVersion: e.aggregateVersion,
    eventType: e.eventType,
    eventVersion: e.eventVersion,
    occurredAt: e.occurredAt,
    storedAt: e.storedAt,
    data: e.data,
    metadata: e.metadata,
    isRedacted: e.isRedacted,
    redactedAt: e.redactedAt,
  };
  return JSON.stringify(line);
}

function parseLine(text: string, lineNo: number, tenant?: string): ExportedEvent {
  let parsed: ExportedEvent;
  try {
    parsed = JSON.parse(text) as ExportedEvent;
  } catch (error) {
    throw new CliError(`line ${lineNo}: not JSON (${(error as Error).message})`, EXIT.failure, 'BAD_INPUT');
  }
  if (typeof parsed !== 'object' || parsed === null) throw new CliError(`line ${lineNo}: not an event object`, EXIT.failure, 'BAD_INPUT');
  const tenantOf = tenant ?? parsed.tenantId;
  if (typeof tenantOf !== 'string' || !TENANT_ID_PATTERN.test(tenantOf))
    throw new CliError(`line ${lineNo}: no valid tenantId (or pass --tenant)`, EXIT.failure, 'BAD_INPUT');
  return {
    ...parsed,
    tenantId: tenantOf,
    occurredAt: new Date(parsed.occurredAt),
    storedAt: new Date(parsed.storedAt),
    redactedAt: parsed.redactedAt ? new Date(parsed.redactedAt) : null,
  };
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/** `events tail|export|import`; `input` is the real stdin (detached from PGlite's initdb). */
export function eventsCommand(input: () => NodeJS.ReadableStream): Command {
  const events = new Command('events').description("a tenant's events in the gap-safe global order");

  events
    .command('tail')
    .description("follow a tenant's new events, like tail -f (Ctrl-C ends)")
    .requiredOption('--tenant <id>', 'tenant id', tenantId)
    .option('--from-start', 'print every stored event first')
    .option('--poll <ms>', 'how often to look for new events', (v) => Number(v), 500)
    .option('--json', 'one JSON event per line (NDJSON)')
    .action((opts: { tenant: string; fromStart?: boolean; poll: number; json?: boolean }) =>
      withApp(async ({ app }) => {
        const store = app.get(EventStoreService);
        let after: StreamCheckpoint = { transactionId: '0', globalPosition: '0' };
        if (!opts.fromStart) {
          // The newest event a gap-safe reader sees now (every tenant's): everything of this tenant after it is new.
          const [head] = await app.get<DataSource>(getDataSourceToken()).query(`SELECT xid, "position" FROM event_store_head_checkpoint()`);
          if (head) after = { transactionId: head.xid, globalPosition: head.position };
        }
        const stop = new AbortController();
        const stopListening = onInterrupt(() => stop.abort());
        process.stderr.write(`Following tenant ${opts.tenant} (Ctrl-C ends)\n`);
        try {
          while (!stop.signal.aborted) {
            for await (const event of store.streamEvents({ tenantId: opts.tenant, after, raw: true })) {
              after = event.checkpoint;
              if (opts.json) printLine(toExportLine(event));
              else
                printLine(
                  `${event.globalPosition.padStart(8)}  ${event.occurredAt.toISOString()}  ${event.aggregateType}/${event.aggregateId} v${event.aggregateVersion}  ${event.eventType}${event.isRedacted ? ' (redacted)' : ''}`,
                );
            }
            await sleep(Math.max(50, opts.poll || 500), stop.signal);
          }
        } finally {
          stopListening();
        }
      }),
    );

  events
    .command('export')
    .description("write a tenant's events as stored (no upcasting, redactions as they are) to stdout, one JSON object per line")
    .requiredOption('--tenant <id>', 'tenant id', tenantId)
    .option('--from <time>', 'only events that occurred at or after this time', date)
    .option('--to <time>', 'only events that occurred before this time', date)
    .action((opts: { tenant: string; from?: Date; to?: Date }) =>
      withApp(async ({ app }) => {
        let count = 0;
        for await (const event of app.get(EventStoreService).streamEvents({ tenantId: opts.tenant, raw: true })) {
          if ((opts.from && event.occurredAt < opts.from) || (opts.to && event.occurredAt >= opts.to)) continue;
          if (!process.stdout.write(`${toExportLine(event)}\n`)) await new Promise((r) => process.stdout.once('drain', r));
          count++;
        }
        process.stderr.write(`Exported ${count} event(s) of tenant ${opts.tenant}\n`);
      }),
    );

  events
    .command('import')
    .description(
      'store exported events (stdin, NDJSON) as they were: same ids, versions, times and redactions; events already stored are skipped',
    )
    .option('--tenant <id>', "import into this tenant instead of each line's tenantId", tenantId)
    .option('--json', 'machine-readable JSON on stdout')
    .action((opts: { tenant?: string; json?: boolean }) =>
      withApp(async ({ app }) => {
        const store = app.get(EventStoreService);
        const total = { imported: 0, skipped: 0 };
        const progress = createProgress('import', 'events');
        let batch: ExportedEvent[] = [];
        const flush = async () => {
          if (batch.length === 0) return;
          const result = await store.importEvents(batch[0].tenantId, batch);
          total.imported += result.imported;
          total.skipped += result.skipped;
          batch = [];
          progress.update(total.imported + total.skipped, total.imported + total.skipped);
        };
        let lineNo = 0;
        try {
          for await (const text of createInterface({ input: input(), crlfDelay: Infinity })) {
            lineNo++;
            if (text.trim() === '') continue;
            const event = parseLine(text, lineNo, opts.tenant);
            if (batch.length >= IMPORT_BATCH || (batch.length > 0 && batch[0].tenantId !== event.tenantId)) await flush();
            batch.push(event);
          }
          await flush();
        } finally {
          progress.stop();
        }
        if (opts.json) printJson(total);
        else printLine(`Imported ${total.imported} event(s), skipped ${total.skipped} already stored`);
      }),
    );
  return events;
}
