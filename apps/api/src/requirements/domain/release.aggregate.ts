import { EventSourcedAggregate, AppliedEventContext } from '@nest-event-store/core';
import { DomainRuleViolationError } from './domain-rule-violation.error';
import { RequirementStatus } from './requirement.aggregate';

/** The events of a Release. */
export type ReleaseEvents = {
  ReleasePlanned: { name: string; plannedFor?: string };
  RequirementAddedToRelease: { requirementId: string };
  ReleaseShipped: { shippedBy?: string };
};

/** The state of a release, as the API shows it. */
export interface ReleaseState {
  name: string;
  plannedFor: string | null;
  requirementIds: string[];
  status: 'PLANNED' | 'SHIPPED';
  shippedAt: string | null;
}

/** A release: planned, filled with approved requirements, shipped once. */
export class Release extends EventSourcedAggregate<ReleaseEvents, ReleaseState> {
  static override aggregateType = 'Release';

  private state: ReleaseState = { name: '', plannedFor: null, requirementIds: [], status: 'PLANNED', shippedAt: null };

  /** A copy of the current state. */
  get snapshot(): ReleaseState {
    return { ...this.state, requirementIds: [...this.state.requirementIds] };
  }

  /** Plans the release. @throws DomainRuleViolationError when it already exists */
  plan(name: string, plannedFor?: string): void {
    if (this.currentVersion > 0)
      throw new DomainRuleViolationError('release-already-exists', `Release '${this.aggregateId}' already exists`);
    this.apply('ReleasePlanned', plannedFor === undefined ? { name } : { name, plannedFor });
  }

  /**
   * Adds an approved requirement (its status is checked by the caller, who loaded it).
   * @throws DomainRuleViolationError when shipped, already included, or the requirement is not approved
   */
  addRequirement(requirementId: string, requirementStatus: RequirementStatus): void {
    this.assertPlanned('add requirements to');
    if (requirementStatus !== 'APPROVED')
      throw new DomainRuleViolationError('only-approved-requirements', `Requirement '${requirementId}' is not approved`);
    if (this.state.requirementIds.includes(requirementId))
      throw new DomainRuleViolationError(
        'requirement-already-in-release',
        `Requirement '${requirementId}' is already in release '${this.aggregateId}'`,
      );
    this.apply('RequirementAddedToRelease', { requirementId });
  }

  /** Ships the release. @throws DomainRuleViolationError when shipped already or empty */
  ship(shippedBy?: string): void {
    this.assertPlanned('ship');
    if (this.state.requirementIds.length === 0)
      throw new DomainRuleViolationError('release-empty', `Release '${this.aggregateId}' has no requirements`);
    this.apply('ReleaseShipped', shippedBy === undefined ? {} : { shippedBy });
  }

  private assertPlanned(action: string): void {
    if (this.currentVersion === 0)
      throw new DomainRuleViolationError('release-not-planned', `Release '${this.aggregateId}' was never planned`);
    if (this.state.status === 'SHIPPED')
      throw new DomainRuleViolationError('release-shipped', `Cannot ${action} release '${this.aggregateId}': it has shipped`);
  }

  protected onReleasePlanned(data: ReleaseEvents['ReleasePlanned']): void {
    this.state.name = data.name;
    this.state.plannedFor = data.plannedFor ?? null;
  }

  protected onRequirementAddedToRelease(data: ReleaseEvents['RequirementAddedToRelease']): void {
    this.state.requirementIds.push(data.requirementId);
  }

  protected onReleaseShipped(_: ReleaseEvents['ReleaseShipped'], context: AppliedEventContext): void {
    this.state.status = 'SHIPPED';
    this.state.shippedAt = context.occurredAt.toISOString();
  }
}
