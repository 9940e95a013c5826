import 'reflect-metadata';
import { Injectable, Module, Scope, Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { IsString } from 'class-validator';
import { EventData, StoredDomainEvent } from '../types/stored-domain-event';
import { EventMigrationRegistrationError } from './event-migration.error';
import { EventMigrationHandler } from './event-migration.handler';
import { EventSchema } from './event-schema.decorator';
import { EventStoreFeatureOptions, createEventStoreFeatureProviders } from './event-store-feature';
import { EventUpcaster, EventUpcasterHandler } from './event-upcaster.decorator';
import { EventUpcasterExplorer } from './event-upcaster.explorer';

@EventUpcaster({ eventType: 'RequirementApproved', fromVersion: 1, toVersion: 2 })
class ApprovedV1ToV2 implements EventUpcasterHandler {
  upcast(data: EventData): EventData {
    return { ...data, approverRole: 'REVIEWER' };
  }
}

@EventUpcaster({ eventType: 'RequirementApproved', fromVersion: 'v2', toVersion: 'v3' })
class ApprovedV2ToV3 implements EventUpcasterHandler {
  upcast(data: EventData, event: Readonly<StoredDomainEvent>): EventData {
    return { ...data, approvalTimestamp: event.occurredAt.toISOString() };
  }
}

@EventSchema({ eventType: 'RequirementApproved', version: 3 })
class ApprovedV3 {
  @IsString() approvedBy!: string;
  @IsString() approverRole!: string;
  @IsString() approvalTimestamp!: string;
}

/** Boots the handler and explorer with the given feature modules, as the core module would, without a database. */
async function boot(...features: EventStoreFeatureOptions[]): Promise<EventMigrationHandler> {
  @Module({ imports: [DiscoveryModule], providers: [EventMigrationHandler, EventUpcasterExplorer], exports: [EventMigrationHandler] })
  class CoreStub {}
  const featureModules = features.map((options) => ({
    module: FeatureStub,
    imports: [CoreStub],
    providers: createEventStoreFeatureProviders(options),
  }));
  const moduleRef = await Test.createTestingModule({ imports: [CoreStub, ...featureModules] }).compile();
  const app = await moduleRef.init();
  const handler = app.get(EventMigrationHandler);
  await app.close();
  return handler;
}

@Module({})
class FeatureStub {}

const upcasters = (...classes: Type<EventUpcasterHandler>[]) => classes;

describe('EventUpcasterExplorer and forFeature providers', () => {
  it('registers @EventUpcaster providers and @EventSchema classes found at start', async () => {
    const handler = await boot({ upcasters: upcasters(ApprovedV2ToV3, ApprovedV1ToV2), schemas: [ApprovedV3] });
    expect(handler.listEventTypes()).toEqual([
      {
        eventType: 'RequirementApproved',
        latestVersion: 3,
        migrations: [
          { from: 1, to: 2 },
          { from: 2, to: 3 },
        ],
        hasSchema: true,
        schemaVersions: [3],
      },
    ]);
  });

  it('counts a class provided by two feature modules once', async () => {
    const handler = await boot({ upcasters: upcasters(ApprovedV1ToV2) }, { upcasters: upcasters(ApprovedV1ToV2, ApprovedV2ToV3) });
    expect(handler.getLatestVersion('RequirementApproved')).toBe(3);
  });

  it('fails start on a chain with a hole, naming the missing step', async () => {
    await expect(boot({ upcasters: upcasters(ApprovedV2ToV3) })).rejects.toThrow(/'RequirementApproved': missing step v1 → v2/);
  });

  it('fails start on two classes claiming the same step', async () => {
    @EventUpcaster({ eventType: 'RequirementApproved', fromVersion: 1, toVersion: 2 })
    class AnotherV1ToV2 implements EventUpcasterHandler {
      upcast(data: EventData): EventData {
        return data;
      }
    }
    await expect(boot({ upcasters: upcasters(ApprovedV1ToV2, AnotherV1ToV2) })).rejects.toThrow(/v1 → v2 is already registered/);
  });

  it('refuses a schema class without @EventSchema', async () => {
    class Plain {}
    await expect(boot({ schemas: [Plain] })).rejects.toBeInstanceOf(EventMigrationRegistrationError);
  });

  it('refuses a request-scoped upcaster', async () => {
    @Injectable({ scope: Scope.REQUEST })
    @EventUpcaster({ eventType: 'RequirementApproved', fromVersion: 1, toVersion: 2 })
    class ScopedV1ToV2 implements EventUpcasterHandler {
      upcast(data: EventData): EventData {
        return data;
      }
    }
    await expect(boot({ upcasters: upcasters(ScopedV1ToV2) })).rejects.toThrow(/must not be request-scoped/);
  });
});
