import { EventSourcedAggregate, AppliedEventContext } from '@nest-event-store/core';
import { DomainRuleViolationError } from './domain-rule-violation.error';
import { ApproverRole, Priority, REQUIREMENT_APPROVED_VERSION, RequirementEvents } from './requirement.events';

/** Where a requirement is in its review. */
export type RequirementStatus = 'DRAFT' | 'APPROVED' | 'REJECTED';

/** The state of a requirement, as the API shows it. */
export interface RequirementState {
  title: string;
  description: string | null;
  priority: Priority | null;
  status: RequirementStatus;
  approverRole: ApproverRole | null;
  approvedBy: string | null;
  approvedAt: string | null;
  rejectionReason: string | null;
  createdAt: string | null;
  updatedAt: string | null;
}

/**
 * A requirement of the QA-management domain: drafted, edited while in
 * draft, then either approved or rejected (both final).
 */
export class Requirement extends EventSourcedAggregate<RequirementEvents, RequirementState> {
  static override aggregateType = 'Requirement';
  static override snapshotSchemaVersion = 1;

  private state: RequirementState = {
    title: '',
    description: null,
    priority: null,
    status: 'DRAFT',
    approverRole: null,
    approvedBy: null,
    approvedAt: null,
    rejectionReason: null,
    createdAt: null,
    updatedAt: null,
  };

  /** A copy of the current state. */
  get snapshot(): RequirementState {
    return { ...this.state };
  }

  get status(): RequirementStatus {
    return this.state.status;
  }

  /** Drafts the requirement. @throws DomainRuleViolationError when it already exists */
  create(input: RequirementEvents['RequirementCreated']): void {
    if (this.currentVersion > 0)
      throw new DomainRuleViolationError('requirement-already-exists', `Requirement '${this.aggregateId}' already exists`);
    this.apply('RequirementCreated', strip(input));
  }

  /** Edits a draft. @throws DomainRuleViolationError once approved or rejected, or when nothing changes */
  update(changes: RequirementEvents['RequirementUpdated']): void {
    this.assertDraft('update');
    const changed = strip(changes);
    const differs = (Object.keys(changed) as (keyof typeof changed)[]).some((k) => changed[k] !== this.state[k]);
    if (!differs) throw new DomainRuleViolationError('update-changes-nothing', 'The update changes nothing');
    this.apply('RequirementUpdated', changed);
  }

  /**
   * Approves a draft, as of now (the approval timestamp is the event's own occurredAt).
   * @throws DomainRuleViolationError when already approved or rejected
   */
  approve(approverRole: ApproverRole = 'REVIEWER', approvedBy?: string, at: Date = new Date()): void {
    this.assertDraft('approve');
    this.apply('RequirementApproved', strip({ approvedBy, approverRole, approvalTimestamp: at.toISOString() }), {
      occurredAt: at,
      eventVersion: REQUIREMENT_APPROVED_VERSION,
    });
  }

  /** Rejects a draft with a reason. @throws DomainRuleViolationError when already approved or rejected, or without a reason */
  reject(reason: string, rejectedBy?: string): void {
    this.assertDraft('reject');
    if (!reason.trim()) throw new DomainRuleViolationError('rejection-needs-reason', 'A rejection needs a reason');
    this.apply('RequirementRejected', strip({ reason, rejectedBy }));
  }

  override toSnapshot(): RequirementState {
    return this.snapshot;
  }

  protected override fromSnapshot(state: RequirementState): void {
    this.state = { ...state };
  }

  private assertDraft(action: string): void {
    if (this.currentVersion === 0)
      throw new DomainRuleViolationError('requirement-not-created', `Requirement '${this.aggregateId}' was never created`);
    if (this.state.status !== 'DRAFT') {
      throw new DomainRuleViolationError(
        `${this.state.status.toLowerCase()}-cannot-${action}`,
        `Cannot ${action} requirement '${this.aggregateId}': it is ${this.state.status.toLowerCase()}`,
      );
    }
  }

  protected onRequirementCreated(data: RequirementEvents['RequirementCreated'], context: AppliedEventContext): void {
    this.state.title = data.title;
    this.state.description = data.description ?? null;
    this.state.priority = data.priority ?? null;
    this.state.createdAt = context.occurredAt.toISOString();
    this.state.updatedAt = this.state.createdAt;
  }

  protected onRequirementUpdated(data: RequirementEvents['RequirementUpdated'], context: AppliedEventContext): void {
    if (data.title !== undefined) this.state.title = data.title;
    if (data.description !== undefined) this.state.description = data.description;
    if (data.priority !== undefined) this.state.priority = data.priority;
    this.state.updatedAt = context.occurredAt.toISOString();
  }

  protected onRequirementApproved(data: RequirementEvents['RequirementApproved'], context: AppliedEventContext): void {
    this.state.status = 'APPROVED';
    this.state.approverRole = data.approverRole;
    this.state.approvedBy = data.approvedBy ?? null;
    this.state.approvedAt = data.approvalTimestamp;
    this.state.updatedAt = context.occurredAt.toISOString();
  }

  protected onRequirementRejected(data: RequirementEvents['RequirementRejected'], context: AppliedEventContext): void {
    this.state.status = 'REJECTED';
    this.state.rejectionReason = data.reason;
    this.state.updatedAt = context.occurredAt.toISOString();
  }
}

// Payloads are JSON: leave absent fields out instead of storing `undefined`.
function strip<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
