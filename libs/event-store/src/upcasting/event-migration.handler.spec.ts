import 'reflect-metadata';
import { IsIn, IsISO8601, IsString } from 'class-validator';
import { EventValidationError } from '../errors/event-validation.error';
import { EventData, StoredDomainEvent } from '../types/stored-domain-event';
import { EventMigrationFailedError, EventMigrationRegistrationError } from './event-migration.error';
import { EventMigrationFn, EventMigrationHandler } from './event-migration.handler';

const toV2: EventMigrationFn = (data) => ({ ...data, approverRole: data.approverRole ?? 'REVIEWER' });
const toV3: EventMigrationFn = (data, event) => ({ ...data, approvalTimestamp: event.occurredAt.toISOString() });

function stored(overrides: Partial<StoredDomainEvent> = {}): StoredDomainEvent {
  return {
    globalPosition: '1',
    eventId: '6f1c2a64-1d0b-4a53-9a59-2f7f3e0e9b10',
    tenantId: 'acme',
    aggregateType: 'Requirement',
    aggregateId: 'req-1',
    aggregateVersion: 2,
    eventType: 'RequirementApproved',
    eventVersion: 1,
    occurredAt: new Date('2026-01-01T10:00:00.000Z'),
    storedAt: new Date('2026-01-01T10:00:00.012Z'),
    data: { approvedBy: 'alice' },
    metadata: {},
    transactionId: '900',
    isRedacted: false,
    redactedAt: null,
    ...overrides,
  };
}

function referenceHandler(): EventMigrationHandler {
  const handler = new EventMigrationHandler();
  handler.registerMigration('RequirementApproved', 1, 2, toV2);
  handler.registerMigration('RequirementApproved', 2, 3, toV3);
  return handler;
}

class RequirementApprovedV3 {
  @IsString() approvedBy!: string;
  @IsIn(['REVIEWER', 'OWNER']) approverRole!: string;
  @IsISO8601() approvalTimestamp!: string;
}

describe('EventMigrationHandler', () => {
  describe('migrateIfNeeded', () => {
    it('composes v1 → v2 → v3 and reports the latest version', () => {
      const upcast = referenceHandler().migrateIfNeeded(stored());
      expect(upcast.eventVersion).toBe(3);
      expect(upcast.data).toEqual({ approvedBy: 'alice', approverRole: 'REVIEWER', approvalTimestamp: '2026-01-01T10:00:00.000Z' });
    });

    it('starts from the stored version (a v2 event only runs v2 → v3)', () => {
      const upcast = referenceHandler().migrateIfNeeded(stored({ eventVersion: 2, data: { approvedBy: 'bob', approverRole: 'OWNER' } }));
      expect(upcast.data).toEqual({ approvedBy: 'bob', approverRole: 'OWNER', approvalTimestamp: '2026-01-01T10:00:00.000Z' });
    });

    it('returns the same object for an event already at the latest version or of an unknown type', () => {
      const handler = referenceHandler();
      const latest = stored({ eventVersion: 3 });
      const other = stored({ eventType: 'RequirementCreated' });
      expect(handler.migrateIfNeeded(latest)).toBe(latest);
      expect(handler.migrateIfNeeded(other)).toBe(other);
    });

    it('passes redacted events through without calling any migration', () => {
      const handler = new EventMigrationHandler();
      const migrate = jest.fn((data: EventData) => {
        if (data.redacted) throw new Error('cannot upcast a redacted payload');
        return data;
      });
      handler.registerMigration('RequirementApproved', 1, 2, migrate);
      const redacted = stored({ data: { redacted: true }, isRedacted: true, redactedAt: new Date() });
      expect(handler.migrateIfNeeded(redacted)).toBe(redacted);
      expect(migrate).not.toHaveBeenCalled();
      expect(handler.isMigrationNeeded(redacted)).toBe(false);
    });

    it('wraps a throwing step in EventMigrationFailedError naming the event and version', () => {
      const handler = new EventMigrationHandler();
      handler.registerMigration('RequirementApproved', 1, 2, () => {
        throw new Error('boom');
      });
      const attempt = () => handler.migrateIfNeeded(stored());
      expect(attempt).toThrow(EventMigrationFailedError);
      expect(attempt).toThrow(/6f1c2a64.*RequirementApproved.*v1.*boom/);
    });

    it('rejects a step that returns no object', () => {
      const handler = new EventMigrationHandler();
      handler.registerMigration('RequirementApproved', 1, 2, () => null as unknown as EventData);
      expect(() => handler.migrateIfNeeded(stored())).toThrow(/did not return an object/);
    });
  });

  describe('determinism', () => {
    it('replays to deep-equal results, with defaults taken from the event (occurredAt), not the clock', () => {
      const handler = referenceHandler();
      const event = stored();
      const first = handler.migrateIfNeeded(event);
      jest.useFakeTimers({ now: new Date('2030-06-01T00:00:00Z') });
      try {
        const second = handler.migrateIfNeeded(event);
        expect(second).toEqual(first);
        expect(second.data.approvalTimestamp).toBe('2026-01-01T10:00:00.000Z');
      } finally {
        jest.useRealTimers();
      }
    });

    it('gives each step its own copy of the payload, so mutations never leak into the stored event or the next read', () => {
      const handler = new EventMigrationHandler();
      handler.registerMigration('RequirementApproved', 1, 2, (data) => {
        (data.tags as string[]).push('migrated');
        return data;
      });
      const event = stored({ data: { approvedBy: 'alice', tags: ['a'] } });
      expect(handler.migrateIfNeeded(event).data.tags).toEqual(['a', 'migrated']);
      expect(handler.migrateIfNeeded(event).data.tags).toEqual(['a', 'migrated']);
      expect(event.data.tags).toEqual(['a']);
    });

    it('hands migrations a read-only event', () => {
      const handler = new EventMigrationHandler();
      handler.registerMigration('RequirementApproved', 1, 2, (data, event) => {
        (event as StoredDomainEvent).aggregateId = 'changed';
        return data;
      });
      expect(() => handler.migrateIfNeeded(stored())).toThrow(EventMigrationFailedError);
    });
  });

  describe('registerMigration', () => {
    it("accepts versions written as 'v2'", () => {
      const handler = new EventMigrationHandler();
      handler.registerMigration('RequirementApproved', 'v1', 'v2', toV2);
      handler.registerMigration('RequirementApproved', 'v2', 3, toV3);
      expect(handler.getLatestVersion('RequirementApproved')).toBe(3);
      expect(handler.migrateIfNeeded(stored()).eventVersion).toBe(3);
    });

    it.each([
      ['a downgrade', 2, 1, /not an upgrade/],
      ['the same version', 2, 2, /not an upgrade/],
      ['a skipped version', 1, 3, /skips a version/],
      ['version 0', 0, 1, /not a version/],
      ['a fraction', 1.5, 2, /not a version/],
      ["'2' without the v", '2', 3, /not a version/],
      ["'v0'", 'v0', 'v1', /not a version/],
      ["'version2'", 'version2', 3, /not a version/],
    ])('fails fast on %s', (_, from, to, message) => {
      const handler = new EventMigrationHandler();
      const attempt = () => handler.registerMigration('RequirementApproved', from as never, to as never, toV2);
      expect(attempt).toThrow(EventMigrationRegistrationError);
      expect(attempt).toThrow(message);
    });

    it('fails fast on a duplicate step', () => {
      const handler = referenceHandler();
      expect(() => handler.registerMigration('RequirementApproved', 'v1', 'v2', toV2)).toThrow(/v1 → v2 is already registered/);
    });

    it('fails fast on a bad event type or a non-function', () => {
      const handler = new EventMigrationHandler();
      expect(() => handler.registerMigration('', 1, 2, toV2)).toThrow(EventMigrationRegistrationError);
      expect(() => handler.registerMigration('RequirementApproved', 1, 2, 'nope' as never)).toThrow(/must be a function/);
    });
  });

  describe('validateChains', () => {
    it('accepts steps registered out of order', () => {
      const handler = new EventMigrationHandler();
      handler.registerMigration('RequirementApproved', 2, 3, toV3);
      handler.registerMigration('RequirementApproved', 1, 2, toV2);
      expect(() => handler.validateChains()).not.toThrow();
    });

    it('names the missing step of a chain with a hole (v1 → v2 and v3 → v4 without v2 → v3)', () => {
      const handler = new EventMigrationHandler();
      handler.registerMigration('RequirementApproved', 1, 2, toV2);
      handler.registerMigration('RequirementApproved', 3, 4, toV2);
      expect(() => handler.validateChains()).toThrow(EventMigrationRegistrationError);
      expect(() => handler.validateChains()).toThrow(/'RequirementApproved': missing step v2 → v3 \(registered: v1 → v2, v3 → v4\)/);
    });

    it('requires a chain to start at v1', () => {
      const handler = new EventMigrationHandler();
      handler.registerMigration('RequirementApproved', 2, 3, toV3);
      expect(() => handler.validateChains()).toThrow(/missing step v1 → v2/);
    });

    it('rejects a schema above the top of the chain', () => {
      const handler = new EventMigrationHandler();
      handler.registerMigration('RequirementApproved', 1, 2, toV2);
      handler.registerSchema('RequirementApproved', 3, RequirementApprovedV3);
      expect(() => handler.validateChains()).toThrow(/missing step v2 → v3/);
    });

    it('runs at bootstrap; afterwards a registration that leaves a hole is refused and undone', () => {
      const handler = new EventMigrationHandler();
      handler.registerMigration('RequirementApproved', 1, 2, toV2);
      handler.onApplicationBootstrap();
      expect(() => handler.registerMigration('RequirementApproved', 3, 4, toV2)).toThrow(/missing step v2 → v3/);
      expect(handler.getLatestVersion('RequirementApproved')).toBe(2);
      handler.registerMigration('RequirementApproved', 2, 3, toV3);
      expect(handler.getLatestVersion('RequirementApproved')).toBe(3);
    });

    it('fails bootstrap on a broken chain', () => {
      const handler = new EventMigrationHandler();
      handler.registerMigration('RequirementApproved', 3, 4, toV2);
      expect(() => handler.onApplicationBootstrap()).toThrow(/missing step v1 → v2, v2 → v3/);
    });
  });

  describe('payload schemas', () => {
    it('validates appends of a registered (eventType, eventVersion) with field paths per event', async () => {
      const handler = referenceHandler();
      handler.registerSchema('RequirementApproved', 'v3', RequirementApprovedV3);
      const good = {
        aggregateType: 'Requirement',
        aggregateId: 'r',
        eventType: 'RequirementApproved',
        eventVersion: 3,
        data: { approvedBy: 'a', approverRole: 'OWNER', approvalTimestamp: '2026-01-01T10:00:00Z' },
      };
      const bad = { ...good, data: { approvedBy: 7, approverRole: 'OWNER', approvalTimestamp: 'yesterday', extra: true } };
      await expect(handler.validatePayloads([good])).resolves.toBeUndefined();
      const error = await handler.validatePayloads([good, bad]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EventValidationError);
      const fields = (error as EventValidationError).violations.map((v) => v.field).sort();
      expect(fields).toEqual(['events[1].data.approvalTimestamp', 'events[1].data.approvedBy', 'events[1].data.extra']);
    });

    it('leaves other versions and types alone', async () => {
      const handler = referenceHandler();
      handler.registerSchema('RequirementApproved', 3, RequirementApprovedV3);
      const v1 = { aggregateType: 'Requirement', aggregateId: 'r', eventType: 'RequirementApproved', data: { anything: true } };
      await expect(handler.validatePayloads([v1, { ...v1, eventType: 'RequirementCreated', eventVersion: 3 }])).resolves.toBeUndefined();
    });

    it('accepts the same class twice and refuses another class for the same version', () => {
      const handler = referenceHandler();
      handler.registerSchema('RequirementApproved', 3, RequirementApprovedV3);
      handler.registerSchema('RequirementApproved', 3, RequirementApprovedV3);
      class Other {}
      expect(() => handler.registerSchema('RequirementApproved', 'v3', Other)).toThrow(
        /schema for v3 is already registered \(RequirementApprovedV3\)/,
      );
      expect(() => handler.registerSchema('RequirementApproved', 'three' as never, Other)).toThrow(/not a version/);
    });
  });

  describe('listEventTypes', () => {
    it('lists every type from migrations and schemas with its latest version, chain and schema coverage', () => {
      const handler = new EventMigrationHandler();
      handler.registerMigration('RequirementApproved', 2, 3, toV3);
      handler.registerMigration('RequirementApproved', 1, 2, toV2);
      handler.registerSchema('RequirementApproved', 3, RequirementApprovedV3);
      handler.registerSchema('RequirementApproved', 1, class V1 {});
      handler.registerSchema('RequirementCreated', 1, class Created {});
      handler.registerMigration('RequirementRejected', 1, 2, toV2);
      expect(handler.listEventTypes()).toEqual([
        {
          eventType: 'RequirementApproved',
          latestVersion: 3,
          migrations: [
            { from: 1, to: 2 },
            { from: 2, to: 3 },
          ],
          hasSchema: true,
          schemaVersions: [1, 3],
        },
        { eventType: 'RequirementCreated', latestVersion: 1, migrations: [], hasSchema: true, schemaVersions: [1] },
        { eventType: 'RequirementRejected', latestVersion: 2, migrations: [{ from: 1, to: 2 }], hasSchema: false, schemaVersions: [] },
      ]);
    });

    it('is empty without registrations', () => {
      expect(new EventMigrationHandler().listEventTypes()).toEqual([]);
    });
  });
});
