/**
 * A command broke a rule of the domain (approving a rejected requirement,
 * shipping an empty release, …). Answered as 409 Conflict with
 * `error: 'DomainRuleViolation'` and the `rule` that was broken: the request
 * was well-formed, but the aggregate's current state does not allow it.
 */
export class DomainRuleViolationError extends Error {
  readonly code = 'DOMAIN_RULE_VIOLATION';

  /**
   * @param rule stable kebab-case name of the broken rule, e.g. `rejected-cannot-be-approved`
   * @param detail the sentence shown to the client
   */
  constructor(
    readonly rule: string,
    detail: string,
  ) {
    super(detail);
    this.name = 'DomainRuleViolationError';
  }
}
