// Helpers of the plan tests (plans.int-spec.ts, erasure-plan.int-spec.ts):
// reading EXPLAIN (FORMAT JSON) output and the plans auto_explain reports for
// statements inside the store's functions.
import { Client } from 'pg';

/** One node of an EXPLAIN (FORMAT JSON) plan. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  'Recheck Cond'?: string;
  Filter?: string;
  'Conflict Arbiter Indexes'?: string[];
  Plans?: PlanNode[];
}

/** How one table is read in a plan. */
export interface TableAccess {
  node: string;
  index?: string;
  condition?: string;
  filter?: string;
}

/** What a hot statement must look like, whatever the statistics say. */
export interface IntendedAccess {
  table: string;
  /** The index every read of `table` must go through. */
  index: string | RegExp;
  /** Columns that must all appear in the index condition (the statement's key). */
  keys: string[];
}

function walk(node: PlanNode, visit: (node: PlanNode, parent: PlanNode | undefined) => void, parent?: PlanNode): void {
  visit(node, parent);
  for (const child of node.Plans ?? []) walk(child, visit, node);
}

/**
 * Every read of `table` in the plan. A bitmap scan is reported once, with
 * the bitmap index's name and condition and the heap scan's filter.
 */
export function tableAccesses(plan: PlanNode, table: string): TableAccess[] {
  const accesses: TableAccess[] = [];
  walk(plan, (node) => {
    if (node['Relation Name'] !== table) return;
    const type = node['Node Type'];
    if (type === 'Bitmap Heap Scan') {
      walk(node, (inner) => {
        if (inner['Node Type'] === 'Bitmap Index Scan')
          accesses.push({ node: type, index: inner['Index Name'], condition: inner['Index Cond'], filter: node.Filter });
      });
    } else if (type === 'ModifyTable') {
      // An INSERT … ON CONFLICT finds its conflicting row through the arbiter index, by the full key.
      for (const index of node['Conflict Arbiter Indexes'] ?? []) accesses.push({ node: 'Conflict Arbiter', index, condition: 'arbiter' });
    } else {
      accesses.push({ node: type, index: node['Index Name'], condition: node['Index Cond'], filter: node.Filter });
    }
  });
  return accesses;
}

/**
 * Problems of a plan against its intended access (empty when right): a read
 * of the table that is a sequential scan, goes through another index, lacks
 * part of the key in its index condition, or filters on a key column (a
 * scan of more rows than the key selects: a tenant's whole log, typically).
 */
export function planProblems(plan: PlanNode, intended: IntendedAccess): string[] {
  const accesses = tableAccesses(plan, intended.table);
  if (accesses.length === 0) return [`no read of ${intended.table}`];
  const problems: string[] = [];
  const matches = (name: string | undefined) =>
    typeof intended.index === 'string' ? name === intended.index : name !== undefined && intended.index.test(name);
  for (const access of accesses) {
    const where = `${access.node} using ${access.index ?? '(no index)'} [cond: ${access.condition ?? '-'}; filter: ${access.filter ?? '-'}]`;
    if (!matches(access.index)) problems.push(`${where}: expected index ${String(intended.index)}`);
    if (access.condition !== 'arbiter') {
      const missing = intended.keys.filter((key) => !access.condition?.includes(key));
      if (missing.length) problems.push(`${where}: index condition lacks ${missing.join(', ')}`);
      const filtered = intended.keys.filter((key) => access.filter?.includes(key));
      if (filtered.length) problems.push(`${where}: filters on ${filtered.join(', ')}`);
    }
  }
  return problems;
}

/** The plan out of one auto_explain message ("duration: … ms  plan:\n{json}"). */
export function parseAutoExplain(message: string): { queryText: string; plan: PlanNode } | undefined {
  const start = message.indexOf('{');
  if (!message.includes('plan:') || start < 0) return undefined;
  const parsed = JSON.parse(message.slice(start)) as { 'Query Text': string; Plan: PlanNode };
  return { queryText: parsed['Query Text'], plan: parsed.Plan };
}

/**
 * A connection on which auto_explain reports the plan of every statement,
 * nested ones (inside the store's functions) included, as notices pushed to
 * `messages` (JSON plans when `json`).
 */
export async function openExplainer(url: string, messages: string[], options: { json?: boolean } = {}): Promise<Client> {
  const explainer = new Client({ connectionString: url });
  await explainer.connect();
  explainer.on('notice', (notice) => messages.push(notice.message ?? ''));
  const settings = [
    "LOAD 'auto_explain'",
    'SET auto_explain.log_min_duration = 0',
    'SET auto_explain.log_nested_statements = on',
    ...(options.json ? ['SET auto_explain.log_format = json'] : []),
    'SET client_min_messages = log',
  ];
  for (const setting of settings) await explainer.query(setting);
  return explainer;
}
