import { z } from 'zod';
import { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { ToolContext } from '../tool-context';

/**
 * One MCP tool over the store: its contract (name without prefix, schemas,
 * description) and what it does for a caller. The same definitions serve
 * both transports.
 */
export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
  /** Strict object schema: an unknown argument is an error naming it, not silently dropped. */
  input: z.ZodObject;
  output: z.ZodObject;
  annotations: ToolAnnotations;
  run(ctx: ToolContext, args: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/** Declares a tool with its handler typed by its schemas. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(definition: {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  run(ctx: ToolContext, args: z.output<I>): Promise<z.input<O>>;
}): ToolDefinition {
  return definition as unknown as ToolDefinition;
}

/** Annotations of the read-only tools. */
export const READ_ONLY: ToolAnnotations = { readOnlyHint: true, openWorldHint: false };
