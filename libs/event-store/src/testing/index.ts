// Test helpers: a separate entry point (`@nest-event-store/core/testing`), never part of the library's index.
export { createTestDatabase, serverReachable, DatabaseMode, TestDatabase, TEST_SERVER_URL, SERVER_MODE } from './test-database';
export { describeEachBackend } from './describe-each-backend';
export { openTestStore, TestStore } from './test-store';
export { given, ExpectedEvent, AggregateOutcome, AggregateSpecificationOptions } from './aggregate-specification';
export { GivenEvent, SpecificationEvent } from './specification-events';
export { projectionSpecification, ProjectionSpecificationOptions, ProjectionOutcome } from './projection-specification';
export { givenStoredEvent, UpcasterUnderTest, ExpectedUpcast, UpcastOutcome } from './upcaster-specification';
export { waitForHorizon } from './wait-for-horizon';
export { eventually } from './eventually';
export { createProductionRolesDatabase, ProductionRolesDatabase } from './production-roles';
// The store's database (pool, raw DataSource, tenant transactions), for tests that look underneath the public API.
export { EventStoreDatabase } from '../database/event-store-database';
