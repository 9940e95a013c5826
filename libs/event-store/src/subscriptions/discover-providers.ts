import { Logger } from '@nestjs/common';
import { DiscoverableDecorator, DiscoveryService } from '@nestjs/core';

/** A provider found at startup by its decorator. */
export interface DiscoveredProvider<O> {
  options: O;
  instance: object;
  /** Provider name, for messages. */
  provider: string;
}

/**
 * Finds the providers carrying `decorator` through Nest's DiscoveryService
 * (only providers carrying the decorator's key, no scan of every class).
 * Request-scoped providers cannot back a long-running subscription and are
 * skipped with a warning.
 */
export function discoverProviders<O>(
  discovery: DiscoveryService,
  decorator: DiscoverableDecorator<O>,
  logger: Logger,
): DiscoveredProvider<O>[] {
  const found: DiscoveredProvider<O>[] = [];
  for (const wrapper of discovery.getProviders({ metadataKey: decorator.KEY })) {
    const options = discovery.getMetadataByDecorator(decorator, wrapper) as O | undefined;
    if (!wrapper.isDependencyTreeStatic() || !wrapper.instance) {
      logger.warn(`${String(wrapper.name)} is not a singleton provider; subscribers and projections must be, so it is ignored`);
      continue;
    }
    if (options) found.push({ options, instance: wrapper.instance as object, provider: String(wrapper.name) });
  }
  return found;
}
