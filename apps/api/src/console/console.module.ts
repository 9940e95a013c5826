import { DynamicModule, Module } from '@nestjs/common';
import { DeliveryController } from './delivery.controller';
import { DevTokenController } from './dev-token.controller';
import { StoredEventController } from './stored-event.controller';

/**
 * The API routes the audit console needs beyond the audit and GDPR ones
 * (its static files are served by serveConsole). The development sign-in
 * route exists only when asked for: never in production.
 */
@Module({})
export class ConsoleModule {
  /** @param options.devTokens register POST /api/console/dev-token (NODE_ENV is not production) */
  static forRoot(options: { devTokens: boolean }): DynamicModule {
    return {
      module: ConsoleModule,
      controllers: [DeliveryController, StoredEventController, ...(options.devTokens ? [DevTokenController] : [])],
    };
  }
}
