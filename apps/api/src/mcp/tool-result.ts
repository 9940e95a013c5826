import { Logger } from '@nestjs/common';
import {
  ConcurrencyError,
  DuplicateEventError,
  NotFoundError,
  EventValidationError,
  FieldViolation,
  OperationNotAllowedError,
  StoreUnavailableError,
} from '@nest-event-store/core';
import { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Role } from '../common/auth/role';
import { ToolContext } from './tool-context';

/** A failure a tool reports to the agent as it is (wrong role, an argument the schema cannot express). */
export class ToolFailure extends Error {}

/** A successful result: the structured content and its JSON as text, for clients that read only text. */
export function toolResult(structured: Record<string, unknown>): CallToolResult {
  return { structuredContent: structured, content: [{ type: 'text', text: JSON.stringify(structured) }] };
}

/** @throws ToolFailure when the caller lacks the role */
export function requireRole(ctx: ToolContext, role: Role, tool: string): void {
  if (!ctx.principal.roles.includes(role)) throw new ToolFailure(`Forbidden: ${tool} requires the ${role} role`);
}

const logger = new Logger('McpTools');

/**
 * Maps what a tool handler threw to an MCP tool error (`isError: true`) whose
 * text names the reason, as the REST API's error filter does for HTTP:
 * validation names each field (in the tools' snake_case), conflicts give both
 * versions, another tenant's ids are "not found". Anything else is a bug: logged, and
 * reported without internals.
 */
export function toolError(error: unknown, tool: string): CallToolResult {
  const text = (message: string): CallToolResult => ({ isError: true, content: [{ type: 'text', text: message }] });
  if (error instanceof ToolFailure) return text(error.message);
  if (error instanceof EventValidationError) return text(`Invalid arguments: ${error.violations.map(describeViolation).join('; ')}`);
  if (error instanceof ConcurrencyError) {
    return text(
      `Concurrency conflict (${error.code}): ${error.message}. expected_version ${String(error.expectedVersion)}, actual version ${error.actualVersion}`,
    );
  }
  if (error instanceof NotFoundError) return text(`Not found (${error.code}): ${error.message}`);
  if (error instanceof DuplicateEventError) return text(`Duplicate event (${error.code}): ${error.message}`);
  if (error instanceof StoreUnavailableError) return text(`${error.message} (retry after ${error.retryAfterSeconds} s)`);
  if (error instanceof OperationNotAllowedError) return text(`Not allowed (${error.code}): ${error.message}`);
  logger.error(`${tool} failed`, error instanceof Error ? error.stack : String(error));
  return text(`Internal error in ${tool}`);
}

// The library names the fields of its own input (events[0].eventType,
// options.expectedVersion, filter.keyword); the agent sent snake_case arguments.
function describeViolation(v: FieldViolation): string {
  return `${toArgumentName(v.field)}: ${v.reason}`;
}

/** `events[0].aggregateId` → `aggregate_id`, `events[0].data.title` → `data.title`, `options.expectedVersion` → `expected_version`. */
export function toArgumentName(field: string): string {
  const stripped = field.replace(/^(events\[\d+\]|options|filter|page)\./, '');
  const [head, ...rest] = stripped.split('.');
  const snake = head.replace(/\[(\d+)\]$/, '.$1').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return [snake.replace(/\.(\d+)$/, '[$1]'), ...rest].join('.');
}
