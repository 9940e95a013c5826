import { Injectable, Logger } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { discoverProviders } from '../subscriptions/discover-providers';
import { EventProjection, EventProjectionOptions } from './event-projection.decorator';
import { ProjectionHandler } from './projection-handler';

/** An `@EventProjection` provider found at startup. */
export interface DiscoveredProjection {
  options: EventProjectionOptions;
  instance: ProjectionHandler;
  provider: string;
}

/**
 * Finds the `@EventProjection` providers once, for both ways they run:
 * async (ProjectionManager, on subscriptions) and inline (InlineProjections).
 */
@Injectable()
export class ProjectionExplorer {
  private readonly logger = new Logger('EventStore:delivery');
  private found?: DiscoveredProjection[];

  constructor(private readonly discovery: DiscoveryService) {}

  /** The decorated singleton providers (request-scoped ones are skipped with a warning). */
  explore(): DiscoveredProjection[] {
    this.found ??= discoverProviders(this.discovery, EventProjection, this.logger).map((p) => ({
      ...p,
      instance: p.instance as ProjectionHandler,
    }));
    return this.found;
  }
}
