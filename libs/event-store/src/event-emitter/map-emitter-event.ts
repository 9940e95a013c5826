import { NewDomainEvent } from '../types/stored-domain-event';
import { isPlainObject } from '../validation/rules';
import { EmitterCaptureMappingError } from './emitter-capture.error';
import { EmitterEventMapping } from './event-emitter-capture.options';

/** What one emitted payload is stored as. */
export interface MappedEmitterEvent {
  tenantId: string;
  event: NewDomainEvent;
}

/** The parts of the capture options the mapping reads. */
export interface MappingSettings {
  tenantIdField: string;
  defaultTenantId?: string;
  source: string;
}

/**
 * Maps an emitted payload to the event to append: aggregate id from the
 * mapping's payload fields, tenant from the payload (removed from the stored
 * data, as tenancy is the envelope's) or the default.
 * @throws EmitterCaptureMappingError naming the payload field that is missing or wrong
 */
export function mapEmitterEvent(
  eventName: string,
  payload: unknown,
  mapping: EmitterEventMapping,
  settings: MappingSettings,
  eventId: string,
): MappedEmitterEvent {
  if (!isPlainObject(payload)) throw new EmitterCaptureMappingError(eventName, '', 'must be a JSON object');
  const { [settings.tenantIdField]: tenantValue, ...data } = payload;
  const tenantId = tenantValue ?? settings.defaultTenantId;
  if (typeof tenantId !== 'string' || !tenantId)
    throw new EmitterCaptureMappingError(eventName, settings.tenantIdField, 'is missing and no defaultTenantId is configured');
  const aggregateId = pickAggregateId(payload, mapping) ?? mapping.defaultAggregateId;
  if (aggregateId === undefined)
    throw new EmitterCaptureMappingError(eventName, mapping.aggregateIdFields.join('|'), 'is missing (a non-empty string or a number)');
  return {
    tenantId,
    event: {
      eventId,
      aggregateType: mapping.aggregateType,
      aggregateId,
      eventType: mapping.eventType,
      eventVersion: mapping.eventVersion ?? 1,
      data,
      metadata: { source: settings.source, emitterEvent: eventName },
    },
  };
}

function pickAggregateId(payload: Record<string, unknown>, mapping: EmitterEventMapping): string | undefined {
  for (const field of mapping.aggregateIdFields) {
    const value = payload[field];
    if (typeof value === 'string' && value.length > 0) return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return undefined;
}
