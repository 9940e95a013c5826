/** The roles a token can carry. */
export const ROLES = ['auditor', 'writer', 'dpo'] as const;

/**
 * `auditor` reads the log, `writer` appends, `dpo` (data protection officer)
 * redacts and erases personal data.
 */
export type Role = (typeof ROLES)[number];
