import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { EventValidationError, FieldViolation } from '../errors/event-validation.error';
import { EventData, NewDomainEvent, StoredDomainEvent } from '../types/stored-domain-event';
import { EventMigrationFailedError, EventMigrationRegistrationError } from './event-migration.error';
import { EventTypeInfo } from './event-type-info';
import { EventVersionInput, parseEventVersion } from './event-version';
import { EventSchemaClass, collectSchemaViolations } from './validate-event-schema';
import { typeNameProblem } from '../validation/rules';

export type { EventVersionInput } from './event-version';

/**
 * Lifts a payload from one schema version to the next. Must be pure and
 * deterministic: it gets its own copy of the payload and a read-only view of
 * the event, and derives defaults from the event's own fields (e.g. its
 * occurredAt), never from the clock or randomness, so every replay yields the
 * same result.
 */
export type EventMigrationFn = (data: EventData, event: Readonly<StoredDomainEvent>) => EventData;

interface MigrationStep {
  fromVersion: number;
  toVersion: number;
  migrate: EventMigrationFn;
}

/**
 * Upcasts stored events on read and validates payloads on append.
 *
 * Stored rows keep the version they were written with; reads compose the
 * registered one-version steps (v1 → v2 → v3) up to the latest version of the
 * type. Each registration fails fast on a downgrade, a skipped version or a
 * duplicate step (which together rule out cycles). Steps may be registered in
 * any order until the application has started; at start `validateChains()`
 * requires every chain to be whole from v1 to its top, and from then on each
 * registration must keep its chain whole.
 */
@Injectable()
export class EventMigrationHandler implements OnApplicationBootstrap {
  private readonly steps = new Map<string, Map<number, MigrationStep>>();
  private readonly schemas = new Map<string, Map<number, EventSchemaClass>>();
  private started = false;

  /**
   * Registers the step `fromVersion → toVersion` of `eventType`.
   * @throws EventMigrationRegistrationError on a bad version, a downgrade, a skip or a duplicate,
   *   and after start on a step that leaves a hole in the chain
   */
  registerMigration(eventType: string, fromVersion: EventVersionInput, toVersion: EventVersionInput, migrate: EventMigrationFn): void {
    assertEventType(eventType);
    const from = parseEventVersion(eventType, fromVersion);
    const to = parseEventVersion(eventType, toVersion);
    if (typeof migrate !== 'function') throw new EventMigrationRegistrationError(eventType, 'migrate must be a function');
    if (to <= from) throw new EventMigrationRegistrationError(eventType, `v${from} → v${to} is not an upgrade`);
    if (to !== from + 1)
      throw new EventMigrationRegistrationError(eventType, `v${from} → v${to} skips a version; register one step per version`);
    const chain = this.steps.get(eventType) ?? new Map<number, MigrationStep>();
    if (chain.has(from)) throw new EventMigrationRegistrationError(eventType, `a migration v${from} → v${to} is already registered`);
    chain.set(from, { fromVersion: from, toVersion: to, migrate });
    this.steps.set(eventType, chain);
    if (this.started) this.validateOrUndo(eventType, () => chain.delete(from));
  }

  /**
   * Registers the payload schema (a class-validator class) of one version of
   * `eventType`; appends of that type and version are validated against it.
   * Registering the same class again is a no-op.
   * @throws EventMigrationRegistrationError on a bad version, another class for the same version,
   *   or after start a version above the type's migration chain
   */
  registerSchema(eventType: string, version: EventVersionInput, schema: EventSchemaClass): void {
    assertEventType(eventType);
    const v = parseEventVersion(eventType, version);
    if (typeof schema !== 'function') throw new EventMigrationRegistrationError(eventType, 'a schema must be a class');
    const byVersion = this.schemas.get(eventType) ?? new Map<number, EventSchemaClass>();
    const existing = byVersion.get(v);
    if (existing === schema) return;
    if (existing) throw new EventMigrationRegistrationError(eventType, `a schema for v${v} is already registered (${existing.name})`);
    byVersion.set(v, schema);
    this.schemas.set(eventType, byVersion);
    if (this.started) this.validateOrUndo(eventType, () => byVersion.delete(v));
  }

  /** Validates every chain once all modules have registered theirs. */
  onApplicationBootstrap(): void {
    this.validateChains();
    this.started = true;
  }

  /**
   * Checks that every type's chain is whole: a step from each version from v1
   * up to its top, and no payload schema above the top (appends at a version
   * that older events could never be upcast to).
   * @throws EventMigrationRegistrationError naming the type and each missing step
   */
  validateChains(): void {
    for (const eventType of this.knownTypes()) {
      const missing = this.missingSteps(eventType);
      if (missing.length) {
        const registered = this.listSteps(eventType).map((s) => `v${s.from} → v${s.to}`);
        throw new EventMigrationRegistrationError(
          eventType,
          `missing step ${missing.join(', ')} (registered: ${registered.join(', ') || 'none'}); every version from v1 up needs its own step`,
        );
      }
    }
  }

  /** Latest known version of the type (1 when it has no migrations). */
  getLatestVersion(eventType: string): number {
    const chain = this.steps.get(eventType);
    if (!chain?.size) return 1;
    return Math.max(...[...chain.values()].map((s) => s.toVersion));
  }

  /** True when the event is below its type's latest version and not redacted. */
  isMigrationNeeded(event: Pick<StoredDomainEvent, 'eventType' | 'eventVersion' | 'isRedacted'>): boolean {
    return !event.isRedacted && event.eventVersion < this.getLatestVersion(event.eventType);
  }

  /**
   * Returns the event upcast to the latest version of its type, or the same
   * object when nothing applies. Redacted events pass through untouched: their
   * payload is `{ redacted: true }` and no migration could make sense of it.
   * Each step gets its own copy of the payload and a frozen copy of the event,
   * so a step cannot change what the next read or the next step sees.
   * @throws EventMigrationFailedError when a step throws, returns no object, or the chain has a hole
   */
  migrateIfNeeded<T extends StoredDomainEvent>(event: T): T {
    if (!this.isMigrationNeeded(event)) return event;
    const chain = this.steps.get(event.eventType)!;
    const view = deepFreeze(structuredClone(event));
    let data = event.data;
    let version = event.eventVersion;
    const latest = this.getLatestVersion(event.eventType);
    while (version < latest) {
      const step = chain.get(version);
      if (!step) throw new EventMigrationFailedError(event.eventId, event.eventType, version, new Error(`no migration from v${version}`));
      try {
        data = step.migrate(structuredClone(data), view);
      } catch (error) {
        throw new EventMigrationFailedError(event.eventId, event.eventType, version, error);
      }
      if (typeof data !== 'object' || data === null || Array.isArray(data)) {
        throw new EventMigrationFailedError(event.eventId, event.eventType, version, new Error('the migration did not return an object'));
      }
      version = step.toVersion;
    }
    return { ...event, data, eventVersion: version };
  }

  /**
   * Validates the payloads of a batch to append against the schemas registered
   * for their (eventType, eventVersion); events without a schema pass.
   * @throws EventValidationError naming every bad field as `events[i].data.<path>`
   */
  async validatePayloads(events: readonly NewDomainEvent[]): Promise<void> {
    if (!this.schemas.size) return;
    const violations: FieldViolation[] = [];
    for (const [i, event] of events.entries()) {
      const schema = this.schemas.get(event.eventType)?.get(event.eventVersion ?? 1);
      if (schema) violations.push(...(await collectSchemaViolations(event.data, schema, `events[${i}].data`)));
    }
    if (violations.length) throw new EventValidationError(violations);
  }

  /** Every type with a migration or a schema: its latest version, its chain and its schemas, by name. */
  listEventTypes(): EventTypeInfo[] {
    return this.knownTypes().map((eventType) => {
      const latestVersion = this.getLatestVersion(eventType);
      const schemaVersions = [...(this.schemas.get(eventType)?.keys() ?? [])].sort((a, b) => a - b);
      return {
        eventType,
        latestVersion,
        migrations: this.listSteps(eventType),
        hasSchema: schemaVersions.includes(latestVersion),
        schemaVersions,
      };
    });
  }

  private knownTypes(): string[] {
    return [...new Set([...this.steps.keys(), ...this.schemas.keys()])].sort();
  }

  private listSteps(eventType: string): { from: number; to: number }[] {
    return [...(this.steps.get(eventType)?.values() ?? [])]
      .map((s) => ({ from: s.fromVersion, to: s.toVersion }))
      .sort((a, b) => a.from - b.from);
  }

  private missingSteps(eventType: string): string[] {
    const chain = this.steps.get(eventType);
    const top = Math.max(this.getLatestVersion(eventType), ...(this.schemas.get(eventType)?.keys() ?? []));
    const missing: string[] = [];
    for (let v = 1; v < top; v++) if (!chain?.has(v)) missing.push(`v${v} → v${v + 1}`);
    return missing;
  }

  // After start, reads may hit a chain at any moment: a registration that
  // leaves a hole is refused (and undone) instead of failing reads later.
  private validateOrUndo(eventType: string, undo: () => void): void {
    const missing = this.missingSteps(eventType);
    if (!missing.length) return;
    undo();
    throw new EventMigrationRegistrationError(eventType, `missing step ${missing.join(', ')}; after start, register steps in order`);
  }
}

function assertEventType(eventType: unknown): asserts eventType is string {
  const problem = typeNameProblem(eventType);
  if (problem) throw new EventMigrationRegistrationError(String(eventType), `eventType ${problem}`);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
