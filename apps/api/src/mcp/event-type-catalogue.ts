import { Injectable } from '@nestjs/common';

/** One documented event type, as the app's domain modules describe them. */
export interface CatalogueEntry {
  eventType: string;
  /** Group an agent can filter by, e.g. `agent`, `task`, `memory`. */
  category: string;
  description: string;
  /** Schema version of the payload the app writes. */
  version: number;
}

/** Category of event types nobody described: stored or upcaster-registered types. */
export const OTHER_CATEGORY = 'other';

/**
 * The event types the MCP tool `list_event_types` describes. Domain modules
 * add their catalogue at startup (`catalogue.add(entries)` in
 * `onModuleInit`); every other type the tenant stored or an upcaster knows is
 * listed under category `other`. A type added twice keeps its last entry.
 */
@Injectable()
export class EventTypeCatalogue {
  private readonly entries = new Map<string, CatalogueEntry>();

  /** Adds or replaces the entries of these event types. */
  add(entries: Iterable<CatalogueEntry>): void {
    for (const entry of entries) this.entries.set(entry.eventType, { ...entry });
  }

  /** The described entry of a type, if any. */
  get(eventType: string): CatalogueEntry | undefined {
    return this.entries.get(eventType);
  }

  /** Every described entry, by event type. */
  list(): CatalogueEntry[] {
    return [...this.entries.values()].sort((a, b) => a.eventType.localeCompare(b.eventType));
  }
}
