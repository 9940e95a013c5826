import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeEachBackend } from '../testing/describe-each-backend';
import { TestStore, openTestStore } from '../testing/test-store';
import { CatalogSnapshot, catalogSnapshot } from './testing-fixtures/catalog-snapshot';

// The catalog a fresh install had before the functions' SQL moved beside its
// callers (decision 0018), one file per backend (PGlite is PostgreSQL 18 and
// prints some definitions differently). A deliberate schema change rewrites
// it: UPDATE_CATALOG_FIXTURE=1 npm test -- migrations/schema, then review the diff.
const fixture = (mode: string) => join(__dirname, 'testing-fixtures', `catalog.${mode}.json`);

describeEachBackend('the migrations on an empty database', (mode) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(mode);
  });
  afterAll(() => t?.close());

  const snapshot = () => catalogSnapshot(t.database.dataSource);

  it('leave the catalog of the reference install: tables, indexes, functions, policies, grants, memberships', async () => {
    const actual = await snapshot();
    if (process.env.UPDATE_CATALOG_FIXTURE === '1') writeFileSync(fixture(mode), `${JSON.stringify(actual, null, 2)}\n`);
    const expected = JSON.parse(readFileSync(fixture(mode), 'utf8')) as CatalogSnapshot;
    for (const part of Object.keys(expected)) expect({ [part]: actual[part] }).toEqual({ [part]: expected[part] });
    expect(Object.keys(actual)).toEqual(Object.keys(expected));
  });

  it('are undone to nothing but the migrations table, and applied again to the same catalog', async () => {
    const first = await snapshot();
    const { dataSource } = t.database;
    const applied = (await dataSource.query(`SELECT count(*)::int AS n FROM event_store_migrations`))[0].n as number;
    expect(applied).toBeGreaterThan(0);
    for (let i = 0; i < applied; i++) await dataSource.undoLastMigration({ transaction: 'each' });

    const empty = await snapshot();
    expect(empty.relations.map((r) => r.name)).toEqual(['event_store_migrations', 'event_store_migrations_id_seq']);
    expect(empty.functions).toEqual([]);
    expect(empty.policies).toEqual([]);
    expect(empty.triggers).toEqual([]);

    await dataSource.runMigrations({ transaction: 'each' });
    expect(await snapshot()).toEqual(first);
  });
});
