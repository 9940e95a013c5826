import { EventStoreDatabase, Queryable } from '../database/event-store-database';

/** The database as a `Queryable` whose every statement commits on its own (no transaction held). */
export function autocommit(database: EventStoreDatabase, operation: string): Queryable {
  return { query: (sql, parameters) => database.query(sql, parameters ?? [], operation) };
}
