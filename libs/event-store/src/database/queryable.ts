/** Something that runs parameterized SQL: a QueryRunner inside a transaction, or the DataSource. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<any>;
}
