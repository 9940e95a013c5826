import { EventData, EventMetadata, StoredDomainEvent } from '../types/stored-domain-event';
import { EventMigrationHandler } from '../upcasting/event-migration.handler';

/** A past event of the aggregate under test. */
export interface GivenEvent {
  eventType: string;
  data: EventData;
  /** @default 1 */
  eventVersion?: number;
  /** @default 2026-01-01T00:00:00.000Z plus one second per event */
  occurredAt?: Date;
}

/** An event as a projection or an upcaster sees it; what is left out gets a fixed, deterministic value. */
export interface SpecificationEvent extends GivenEvent {
  /** @default 'Test' (projections), the aggregate class's type (aggregates) */
  aggregateType?: string;
  /** @default 'aggregate-under-test' */
  aggregateId?: string;
  /** @default 'test-tenant' */
  tenantId?: string;
  /** @default a fixed uuid numbered by the event's place (…000000000001 for the first) */
  eventId?: string;
  /** @default {} */
  metadata?: EventMetadata;
}

/** Defaults of one specification's events. */
export interface SpecificationDefaults {
  aggregateType: string;
  aggregateId: string;
  tenantId?: string;
}

const BASE_TIME = Date.UTC(2026, 0, 1);

/**
 * The stored form of the `index`-th (0-based) event of a specification:
 * positions, versions, ids and times follow the index, so every run builds
 * the same events. With `migrations`, the event is upcast as a read would.
 */
export function toSpecificationEvent(
  e: SpecificationEvent,
  index: number,
  defaults: SpecificationDefaults,
  migrations?: EventMigrationHandler,
): StoredDomainEvent {
  const occurredAt = e.occurredAt ?? new Date(BASE_TIME + index * 1000);
  const stored: StoredDomainEvent = {
    globalPosition: String(index + 1),
    eventId: e.eventId ?? `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`,
    tenantId: e.tenantId ?? defaults.tenantId ?? 'test-tenant',
    aggregateType: e.aggregateType ?? defaults.aggregateType,
    aggregateId: e.aggregateId ?? defaults.aggregateId,
    aggregateVersion: index + 1,
    eventType: e.eventType,
    eventVersion: e.eventVersion ?? 1,
    occurredAt,
    storedAt: occurredAt,
    data: e.data,
    metadata: e.metadata ?? {},
    transactionId: String(index + 1),
    isRedacted: false,
    redactedAt: null,
  };
  return migrations ? migrations.migrateIfNeeded(stored) : stored;
}

/** A thrown value checked against an expected error class and message. @returns what is wrong, or undefined */
export function errorMismatch(
  error: unknown,
  errorClass: abstract new (...args: never[]) => Error,
  message?: string | RegExp,
): string | undefined {
  if (!(error instanceof errorClass)) return `expected ${errorClass.name}, got ${String(error)}`;
  if (typeof message === 'string' && error.message !== message) return `expected message '${message}', got '${error.message}'`;
  if (message instanceof RegExp && !message.test(error.message))
    return `expected message matching ${String(message)}, got '${error.message}'`;
  return undefined;
}
