import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { EventStoreModuleNotConfiguredError } from './errors/module-not-configured.error';
import { InvalidEventStoreOptionsError } from './errors/invalid-options.error';
import { EventStoreModule } from './event-store.module';
import { EventStoreModuleOptions } from './event-store.options';

// No database is needed: each of these fails before a connection is attempted.
describe('EventStoreModule', () => {
  it('rejects a misspelt forRoot option at startup with InvalidEventStoreOptionsError, not a silent embedded fallback', async () => {
    const options = { databaseURL: 'postgres://localhost:5432/events' } as unknown as EventStoreModuleOptions;
    const start = Test.createTestingModule({ imports: [EventStoreModule.forRoot(options)] }).compile();
    await expect(start).rejects.toThrow(InvalidEventStoreOptionsError);
    await expect(start).rejects.toThrow("did you mean 'databaseUrl'?");
  });

  it('rejects an out-of-range option given through forRootAsync at startup', async () => {
    const start = Test.createTestingModule({ imports: [EventStoreModule.forRootAsync({ useFactory: () => ({ poolSize: 0 }) })] }).compile();
    await expect(start).rejects.toMatchObject({ name: 'InvalidEventStoreOptionsError', option: 'poolSize' });
  });

  it('rejects forFeature without forRoot with EventStoreModuleNotConfiguredError saying to import forRoot', async () => {
    @Injectable()
    class Upcaster {
      upcast(data: Record<string, unknown>) {
        return data;
      }
    }
    @Module({ imports: [EventStoreModule.forFeature({ upcasters: [Upcaster] })] })
    class FeatureModule {}
    const start = Test.createTestingModule({ imports: [FeatureModule] }).compile();
    await expect(start).rejects.toThrow(EventStoreModuleNotConfiguredError);
    await expect(start).rejects.toThrow(/import EventStoreModule\.forRoot/);
  });

  it('rejects the bare module class without forRoot with EventStoreModuleNotConfiguredError', async () => {
    await expect(Test.createTestingModule({ imports: [EventStoreModule] }).compile()).rejects.toThrow(EventStoreModuleNotConfiguredError);
  });
});
