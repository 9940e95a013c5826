import { Logger } from '@nestjs/common';
import { EventStoreDatabase } from '../database/event-store-database';
import { ErasureOptions, ErasureProgress, ErasureResult, RedactionRequest } from '../types/redaction';
import { Violations, assertKnownOptions, assertOptionalInt, assertTenantId, checkId } from '../validation/rules';
import { checkRedactionRequest, redactAndAnnounce } from './redaction';
import { FIND_SUBJECT_EVENTS_SQL } from './redaction.sql';

/** Events redacted per transaction unless the caller says otherwise. */
export const DEFAULT_ERASURE_CHUNK = 500;
/** Chunks per lookup: one index scan finds the next this-many chunks' positions. */
const CHUNKS_PER_LOOKUP = 20;
/** A log line every this-many chunks. */
const LOG_EVERY_CHUNKS = 20;

const logger = new Logger('EventStore:erasure');

/** @throws EventValidationError for a bad subject id or option */
export function checkErasure(subjectId: string, options: ErasureOptions): void {
  assertKnownOptions('options', options, ['chunkSize', 'onProgress']);
  assertOptionalInt('chunkSize', options.chunkSize, 1, 10_000);
  const v = new Violations();
  checkId(v, 'subjectId', subjectId);
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') v.add('onProgress', 'must be a function');
  v.throwIfAny();
}

/**
 * EventStoreService.eraseSubject: checks its arguments, then eraseSubjectInChunks
 * with the store's metadata allow-list.
 * @param committed called after each committed chunk (the store's appended signal)
 */
export async function eraseTenantSubject(
  database: EventStoreDatabase,
  subjectId: string,
  tenantId: string,
  request: RedactionRequest,
  options: ErasureOptions,
  committed: () => void,
): Promise<ErasureResult> {
  assertTenantId(tenantId);
  checkErasure(subjectId, options);
  checkRedactionRequest(request);
  const redactedEvents = await eraseSubjectInChunks(database, {
    tenantId,
    subjectId,
    request,
    allowList: database.options.redactionMetadataAllowList,
    chunkSize: options.chunkSize ?? DEFAULT_ERASURE_CHUNK,
    onProgress: options.onProgress,
    committed,
  });
  return { subjectId, redactedEvents };
}

/** The erasure lookup key: tenant and subject, separated by a character neither may contain. */
export function subjectKey(tenantId: string, subjectId: string): string {
  return `${tenantId}\u001f${subjectId}`;
}

/** What eraseSubjectInChunks needs besides the database. */
export interface ErasureRun {
  tenantId: string;
  subjectId: string;
  request: RedactionRequest;
  allowList: string[];
  chunkSize: number;
  onProgress?: (progress: ErasureProgress) => void;
  /** Called after each committed chunk (wakes subscriptions, like an append). */
  committed: () => void;
}

/**
 * Redacts every not yet redacted event of a subject in short transactions of
 * at most `chunkSize` events, oldest first. The lookup is a read (no
 * transaction id, so it holds no reader back); each chunk is redacted, logged
 * and announced to read models in one short write transaction. Gap-safe
 * readers of the global order wait for the oldest running writer, so the
 * longest they wait for an erasure is one chunk, not the whole erasure.
 * Resumable: a crash leaves whole chunks redacted, and running it again
 * finds only what is left. Events appended while it runs are found by the
 * next lookup; it ends when a lookup finds nothing (each lookup's events are
 * redacted before the next, by this run or a concurrent one, so it ends).
 * @returns how many events this run redacted
 */
export async function eraseSubjectInChunks(database: EventStoreDatabase, run: ErasureRun): Promise<number> {
  const key = subjectKey(run.tenantId, run.subjectId);
  let redacted = 0;
  let chunks = 0;
  for (;;) {
    const found = await database.runInTenant(
      run.tenantId,
      async (q) =>
        (
          (await q.query(FIND_SUBJECT_EVENTS_SQL, [key, run.tenantId, run.chunkSize * CHUNKS_PER_LOOKUP])) as { global_position: string }[]
        ).map((r) => String(r.global_position)),
      'eraseSubject',
    );
    if (found.length === 0) break;
    for (let i = 0; i < found.length; i += run.chunkSize) {
      const positions = found.slice(i, i + run.chunkSize);
      // As the login: the chunk's marker event goes through the append function, which the tenant role may not call.
      const n = await database.runInTenantAsLogin(
        run.tenantId,
        (q) => redactAndAnnounce(q, run.tenantId, positions, run.request, run.allowList),
        'eraseSubject',
      );
      if (n > 0) run.committed();
      redacted += n;
      chunks++;
      run.onProgress?.({ subjectId: run.subjectId, chunks, redactedEvents: redacted, remaining: found.length - i - positions.length });
      if (chunks % LOG_EVERY_CHUNKS === 0)
        logger.log(`Erasure in tenant ${run.tenantId}: ${redacted} event(s) redacted in ${chunks} chunk(s) so far`);
    }
  }
  if (chunks >= LOG_EVERY_CHUNKS) logger.log(`Erasure in tenant ${run.tenantId} done: ${redacted} event(s) in ${chunks} chunk(s)`);
  return redacted;
}
