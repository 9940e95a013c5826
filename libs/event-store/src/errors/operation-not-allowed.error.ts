import { EventStoreError } from './event-store.error';

/** The operation is switched off by configuration (e.g. purging a tenant). */
export class OperationNotAllowedError extends EventStoreError {
  readonly code = 'OPERATION_NOT_ALLOWED';

  constructor(operation: string, howToEnable: string) {
    super(`${operation} is disabled: ${howToEnable}`);
  }
}
