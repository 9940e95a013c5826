import { EventVersionInput } from './event-version';

/** Which payload an `@EventSchema` class describes. */
export interface EventSchemaOptions {
  eventType: string;
  /** @default 1 */
  version?: EventVersionInput;
}

const EVENT_SCHEMA_METADATA = 'event-store:event-schema';

/**
 * Marks a class-validator class as the payload schema of one version of an
 * event type. Register it with `EventStoreModule.forFeature({ schemas: [...] })`;
 * appends of that type and version are then validated against it.
 *
 * ```ts
 * @EventSchema({ eventType: 'RequirementApproved', version: 3 })
 * export class RequirementApprovedV3 { @IsString() approvedBy!: string; ... }
 * ```
 */
export function EventSchema(options: EventSchemaOptions): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(EVENT_SCHEMA_METADATA, options, target);
  };
}

/** The `@EventSchema` options of a class, or undefined when it has none. */
export function getEventSchemaOptions(target: object): EventSchemaOptions | undefined {
  return Reflect.getMetadata(EVENT_SCHEMA_METADATA, target);
}
