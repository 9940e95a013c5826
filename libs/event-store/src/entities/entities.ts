import { EventStreamEntity } from './event-stream.entity';
import { RedactionLogEntity } from './redaction-log.entity';
import { SnapshotEntity } from './snapshot.entity';
import { StoredDomainEventEntity } from './stored-domain-event.entity';

/** Every entity of the event store (for a DataSource's `entities`). */
export const EVENT_STORE_ENTITIES = [StoredDomainEventEntity, EventStreamEntity, SnapshotEntity, RedactionLogEntity];
