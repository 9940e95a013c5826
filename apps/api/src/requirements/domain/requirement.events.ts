/** Priorities a requirement can have. */
export const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
/** A requirement's priority. */
export type Priority = (typeof PRIORITIES)[number];

/** Roles that can approve (v2 of RequirementApproved added it; older approvals were by a reviewer). */
export const APPROVER_ROLES = ['REVIEWER', 'QA_LEAD', 'PRODUCT_OWNER'] as const;
/** An approver's role. */
export type ApproverRole = (typeof APPROVER_ROLES)[number];

/** Current schema version of RequirementApproved: v1 {approvedBy?}, v2 +approverRole, v3 +approvalTimestamp. */
export const REQUIREMENT_APPROVED_VERSION = 3;

/** The events of a Requirement, at their current schema versions. */
export type RequirementEvents = {
  RequirementCreated: { title: string; description?: string; priority?: Priority };
  RequirementUpdated: { title?: string; description?: string; priority?: Priority };
  RequirementApproved: { approvedBy?: string; approverRole: ApproverRole; approvalTimestamp: string };
  RequirementRejected: { reason: string; rejectedBy?: string };
};

/** Event types of a Requirement (the status board projection listens to these). */
export const REQUIREMENT_EVENT_TYPES: (keyof RequirementEvents)[] = [
  'RequirementCreated',
  'RequirementUpdated',
  'RequirementApproved',
  'RequirementRejected',
];
