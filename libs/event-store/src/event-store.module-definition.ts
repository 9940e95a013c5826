import { ConfigurableModuleBuilder } from '@nestjs/common';
import { EventStoreModuleOptions } from './event-store.options';

/** Generates the options token and the forRoot / forRootAsync pair of the core module. */
export const {
  ConfigurableModuleClass: ConfigurableEventStoreModule,
  MODULE_OPTIONS_TOKEN: EVENT_STORE_OPTIONS,
  OPTIONS_TYPE: EVENT_STORE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: EVENT_STORE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<EventStoreModuleOptions>().setClassMethodName('forRoot').build();
