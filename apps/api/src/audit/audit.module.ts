import { Module } from '@nestjs/common';
import { AggregatesController } from './aggregates.controller';
import { EventTypesController } from './event-types.controller';
import { EventsController } from './events.controller';

/** Generic stream append/read and the audit query API. */
@Module({ controllers: [AggregatesController, EventsController, EventTypesController] })
export class AuditModule {}
