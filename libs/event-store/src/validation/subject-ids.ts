import { Violations, idProblem } from './rules';

/** Most data subjects one event may name in `metadata.subjectIds`. */
export const MAX_SUBJECT_IDS = 100;

/**
 * Checks the data-subject links of an event's metadata, the keys GDPR
 * erasure matches on. Erasure looks for a JSON string, so a subject id stored
 * as a number, array or object would never be found and its data would stay:
 * such values are rejected here instead.
 *
 * - `subjectId`: a subject id (non-empty, at most 200 characters, no control
 *   characters, valid Unicode: the rule of every free-form id).
 * - `subjectIds`: an array of at most MAX_SUBJECT_IDS such ids.
 */
export function checkSubjectIds(v: Violations, field: string, metadata: Record<string, unknown>): void {
  const { subjectId, subjectIds } = metadata;
  if (subjectId !== undefined) {
    const problem = idProblem(subjectId);
    if (problem) v.add(`${field}.subjectId`, problem);
  }
  if (subjectIds === undefined) return;
  if (!Array.isArray(subjectIds) || subjectIds.length > MAX_SUBJECT_IDS) {
    v.add(`${field}.subjectIds`, `must be an array of at most ${MAX_SUBJECT_IDS} subject ids`);
    return;
  }
  subjectIds.forEach((id: unknown, i) => {
    const problem = idProblem(id);
    if (problem) v.add(`${field}.subjectIds[${i}]`, problem);
  });
}
