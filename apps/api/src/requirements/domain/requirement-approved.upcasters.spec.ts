import 'reflect-metadata';
import { givenStoredEvent } from '@nest-event-store/core/testing';
import { RequirementApprovedV1ToV2, RequirementApprovedV2ToV3 } from './requirement-approved.upcasters';

const approvedV1 = {
  eventType: 'RequirementApproved',
  eventVersion: 1,
  data: { approvedBy: 'alice' },
  occurredAt: new Date('2025-06-01T08:30:00.000Z'),
};

describe('RequirementApproved upcasters', () => {
  it('lifts a v1 approval to v3: made by a reviewer, at the time the event occurred', () => {
    givenStoredEvent(approvedV1)
      .whenUpcast(RequirementApprovedV1ToV2, RequirementApprovedV2ToV3)
      .then({
        eventVersion: 3,
        data: { approvedBy: 'alice', approverRole: 'REVIEWER', approvalTimestamp: '2025-06-01T08:30:00.000Z' },
      });
  });

  it('keeps a role and a timestamp the event already carries', () => {
    givenStoredEvent({
      ...approvedV1,
      eventVersion: 2,
      data: { approvedBy: 'bob', approverRole: 'QA_LEAD', approvalTimestamp: '2025-05-31T00:00:00.000Z' },
    })
      .whenUpcast(RequirementApprovedV1ToV2, RequirementApprovedV2ToV3)
      .then({ eventVersion: 3, data: { approvedBy: 'bob', approverRole: 'QA_LEAD', approvalTimestamp: '2025-05-31T00:00:00.000Z' } });
  });
});
