import { randomUUID } from 'node:crypto';
import { ExpectedVersion } from '../errors/concurrency.error';
import { EventValidationError } from '../errors/event-validation.error';
import { NewDomainEvent } from '../types/stored-domain-event';
import { EventRow } from './event-row';
import { AppendOptions } from '../types/append-options';
import {
  INT4_MAX,
  Violations,
  assertKnownOptions,
  assertTenantId,
  containsEscapedNul,
  idProblem,
  isPlainObject,
  isUuid,
  typeNameProblem,
} from '../validation/rules';
import { MAX_JSON_DEPTH, checkJsonPayload, fieldPath } from '../validation/json-payload';
import { checkSubjectIds } from '../validation/subject-ids';

/** Limits an append is checked against. */
export interface AppendLimits {
  maxEventSizeBytes: number;
  maxEventsPerAppend: number;
}

/** The event types each registered aggregate type declares (see DeclaredEventTypes); undefined: not registered. */
export type EventTypesOf = (aggregateType: string) => ReadonlySet<string> | undefined;

/** The parameters of APPEND_EVENTS_SQL, validated and serialized. */
export interface PreparedAppend {
  tenantId: string;
  eventsJson: string;
  expectedJson: string;
  /** True when every event id came from the caller (a retry may then be idempotent). */
  clientIds: boolean;
  /**
   * The append function's `p_client_ids`: true when this is sent again
   * because it may be a retry, and the ids are looked up first (decision 0029).
   */
  retry: boolean;
  /** Event ids, payloads and metadata as sent, in batch order (the append returns rows without them). */
  eventIds: string[];
  dataJson: string[];
  metadataJson: string[];
}

const APPEND_OPTION_KEYS = ['expectedVersion'] as const;
const EVENT_KEYS = new Set(['eventId', 'aggregateType', 'aggregateId', 'eventType', 'eventVersion', 'occurredAt', 'data', 'metadata']);

/**
 * Validates a batch and serializes it for the append function: one JSON array
 * built from per-event JSON, so each payload is stringified exactly once and
 * its size checked from that same string.
 *
 * @throws EventValidationError naming every offending field
 */
export function prepareAppend(
  events: readonly NewDomainEvent[],
  tenantId: string,
  options: AppendOptions | undefined,
  limits: AppendLimits,
  eventTypesOf?: EventTypesOf,
): PreparedAppend {
  assertTenantId(tenantId);
  assertKnownOptions('options', options, APPEND_OPTION_KEYS);
  if (!Array.isArray(events) || events.length === 0) throw EventValidationError.of('events', 'must be a non-empty array');
  if (events.length > limits.maxEventsPerAppend)
    throw EventValidationError.of('events', `must hold at most ${limits.maxEventsPerAppend} events per append`);

  const v = new Violations();
  const now = new Date().toISOString();
  const parts: string[] = new Array(events.length);
  const seenIds = new Set<string>();
  // Each event's place in its stream within this batch (1, 2, …): the append
  // adds it to the stream's version, so the database needs no window sort.
  const perStream = new Map<unknown, number>();
  const eventIds: string[] = new Array(events.length);
  const dataJsons: string[] = new Array(events.length);
  const metadataJsons: string[] = new Array(events.length);
  let clientIds = true;
  // Field names are built only for violations: this loop runs once per event.
  events.forEach((candidate, i) => {
    const at = () => `events[${i}]`;
    if (!isPlainObject(candidate)) return v.add(at(), 'must be an object');
    const event = candidate as unknown as NewDomainEvent;
    let unknown: string[] | undefined;
    for (const key in event) if (!EVENT_KEYS.has(key)) (unknown ??= []).push(key);
    if (unknown) v.add(at(), `unknown field(s): ${unknown.join(', ')}`);
    let eventId = event.eventId;
    if (eventId === undefined) {
      eventId = randomUUID();
      clientIds = false;
    } else if (!isUuid(eventId)) v.add(`${at()}.eventId`, 'must be a UUID');
    else if (seenIds.has(eventId.toLowerCase())) v.add(`${at()}.eventId`, 'appears twice in this batch');
    else seenIds.add(eventId.toLowerCase());
    const aggregateTypeProblem = typeNameProblem(event.aggregateType);
    if (aggregateTypeProblem) v.add(`${at()}.aggregateType`, aggregateTypeProblem);
    const aggregateIdProblem = idProblem(event.aggregateId);
    if (aggregateIdProblem) v.add(`${at()}.aggregateId`, aggregateIdProblem);
    // `$…` streams are the store's own (e.g. `$redactions`, see REDACTION_MARKER).
    else if (event.aggregateId.startsWith('$'))
      v.add(`${at()}.aggregateId`, 'must not start with "$" (reserved for the store\'s own streams)');
    const eventTypeProblem = typeNameProblem(event.eventType);
    if (eventTypeProblem) v.add(`${at()}.eventType`, eventTypeProblem);
    else if (!aggregateTypeProblem) {
      // A registered aggregate could not load a stream holding a type it does not handle.
      const declared = eventTypesOf?.(event.aggregateType);
      if (declared && !declared.has(event.eventType)) {
        v.add(
          `${at()}.eventType`,
          `'${event.eventType}' is not an event type of aggregate type '${event.aggregateType}' (declared: ${[...declared].join(', ')})`,
        );
      }
    }
    const eventVersion = event.eventVersion ?? 1;
    if (!Number.isInteger(eventVersion) || eventVersion < 1 || eventVersion > 10_000)
      v.add(`${at()}.eventVersion`, 'must be an integer from 1 to 10000');
    const occurredAt = occurredAtOf(event.occurredAt, now);
    if (occurredAt === undefined) v.add(`${at()}.occurredAt`, 'must be a valid date or ISO-8601 timestamp');
    if (!isPlainObject(event.data)) v.add(`${at()}.data`, 'must be a JSON object');
    if (event.metadata !== undefined) {
      if (!isPlainObject(event.metadata)) v.add(`${at()}.metadata`, 'must be a JSON object');
      else checkSubjectIds(v, `${at()}.metadata`, event.metadata);
    }
    const dataJson = serialize(v, `${at()}.data`, event.data ?? {});
    const metadataJson = serialize(v, `${at()}.metadata`, event.metadata ?? {});
    if (dataJson === undefined || metadataJson === undefined) return;
    checkJsonPayload(v, `${at()}.data`, event.data, dataJson);
    checkJsonPayload(v, `${at()}.metadata`, event.metadata, metadataJson);
    // UTF-8 takes at most 3 bytes per UTF-16 code unit: count bytes only near the limit.
    if ((dataJson.length + metadataJson.length) * 3 > limits.maxEventSizeBytes) {
      const size = Buffer.byteLength(dataJson) + Buffer.byteLength(metadataJson);
      if (size > limits.maxEventSizeBytes)
        v.add(at(), `is ${size} bytes; the limit is ${limits.maxEventSizeBytes} bytes (payload and metadata as JSON)`);
    }
    if (containsEscapedNul(dataJson)) v.add(`${at()}.data`, 'must not contain NUL characters (\\u0000)');
    if (containsEscapedNul(metadataJson)) v.add(`${at()}.metadata`, 'must not contain NUL characters (\\u0000)');
    if (v.list.length) return;
    // Everything below is valid: UUIDs, type names and ISO timestamps need no JSON escaping.
    eventIds[i] = eventId.toLowerCase();
    dataJsons[i] = dataJson;
    metadataJsons[i] = metadataJson;
    const k = (perStream.get(event.aggregateId) ?? 0) + 1;
    perStream.set(event.aggregateId, k);
    parts[i] =
      `{"i":${i},"k":${k},"event_id":"${eventId}","aggregate_type":"${event.aggregateType}",` +
      `"aggregate_id":${JSON.stringify(event.aggregateId)},"event_type":"${event.eventType}",` +
      `"event_version":${eventVersion},"occurred_at":"${occurredAt}","data":${dataJson},"metadata":${metadataJson}}`;
  });
  const expectedJson = expectedVersionJson(v, options?.expectedVersion);
  v.throwIfAny();
  return {
    tenantId,
    eventsJson: `[${parts.join(',')}]`,
    expectedJson,
    clientIds,
    retry: false,
    eventIds,
    dataJson: dataJsons,
    metadataJson: metadataJsons,
  };
}

// JSON.stringify throws on cycles and BigInt, and overflows the stack on absurd nesting.
function serialize(v: Violations, field: string, value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    v.add(field, `must be serializable as JSON, at most ${MAX_JSON_DEPTH} levels deep`);
    return undefined;
  }
}

function occurredAtOf(value: unknown, now: string): string | undefined {
  if (value === undefined || value === null) return now;
  if (typeof value !== 'string' && !(value instanceof Date)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function checkExpected(v: Violations, field: string, expected: unknown): void {
  const ok =
    expected === 'any' ||
    expected === 'no_stream' ||
    expected === 'stream_exists' ||
    (typeof expected === 'number' && Number.isInteger(expected) && expected >= 0 && expected <= INT4_MAX);
  if (!ok) v.add(field, 'must be a non-negative integer, "any", "no_stream" or "stream_exists"');
}

function expectedVersionJson(v: Violations, expected: AppendOptions['expectedVersion']): string {
  if (expected === undefined) return '{}';
  if (isPlainObject(expected)) {
    for (const [aggregateId, value] of Object.entries(expected)) {
      const problem = idProblem(aggregateId);
      if (problem) v.add(fieldPath('options.expectedVersion', aggregateId), `key ${problem}`);
      else checkExpected(v, `options.expectedVersion.${aggregateId}`, value);
    }
    return JSON.stringify(expected);
  }
  checkExpected(v, 'options.expectedVersion', expected);
  return JSON.stringify({ '*': expected as ExpectedVersion });
}

/**
 * Fresh appends return rows without payload and metadata (the function does
 * not send back what the caller just sent); they are parsed from the JSON
 * that was stored, so the result equals what a read returns. Rows of an
 * idempotent retry come with the stored payloads.
 */
export function withPayloads(rows: EventRow[], prepared: PreparedAppend): EventRow[] {
  let index: Map<string, number> | undefined;
  for (const row of rows) {
    if (row.data !== null) continue;
    index ??= new Map(prepared.eventIds.map((id, i) => [id, i]));
    const i = index.get(row.event_id)!;
    row.data = JSON.parse(prepared.dataJson[i]) as EventRow['data'];
    row.metadata = JSON.parse(prepared.metadataJson[i]) as EventRow['metadata'];
  }
  return rows;
}
