import { EventMigrationRegistrationError } from './event-migration.error';

/** Versions may be given as 2 or 'v2'. */
export type EventVersionInput = number | `v${number}`;

/**
 * Reads a version given as 2 or 'v2'.
 * @throws EventMigrationRegistrationError for anything else (0, 1.5, '2', 'v0', 'version2')
 */
export function parseEventVersion(eventType: string, version: EventVersionInput): number {
  const n = typeof version === 'string' && /^v\d+$/.test(version) ? Number(version.slice(1)) : version;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) {
    throw new EventMigrationRegistrationError(eventType, `'${String(version)}' is not a version (1, 2, … or 'v1', 'v2', …)`);
  }
  return n;
}
