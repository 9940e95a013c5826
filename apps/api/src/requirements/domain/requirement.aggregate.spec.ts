import { given } from '@nest-event-store/core/testing';
import { DomainRuleViolationError } from './domain-rule-violation.error';
import { Release } from './release.aggregate';
import { Requirement } from './requirement.aggregate';

const created = { eventType: 'RequirementCreated', data: { title: 'Login' } };
const approved = {
  eventType: 'RequirementApproved',
  data: { approverRole: 'QA_LEAD', approvalTimestamp: '2026-01-01T00:00:00.000Z' },
  eventVersion: 3,
};
const rejected = { eventType: 'RequirementRejected', data: { reason: 'vague' } };

describe('Requirement', () => {
  it('is created as a draft', () => {
    const r = given(Requirement, [])
      .when((r) => r.create({ title: 'Login', priority: 'HIGH' }))
      .then([{ eventType: 'RequirementCreated', data: { title: 'Login', priority: 'HIGH' } }]);
    expect(r.status).toBe('DRAFT');
  });

  it('approves a draft with a v3 event whose timestamp is its occurredAt', () => {
    const at = new Date('2026-03-01T12:00:00.000Z');
    const r = given(Requirement, [created])
      .when((r) => r.approve('QA_LEAD', 'alice', at))
      .then([
        {
          eventType: 'RequirementApproved',
          data: { approvedBy: 'alice', approverRole: 'QA_LEAD', approvalTimestamp: at.toISOString() },
          eventVersion: 3,
        },
      ]);
    expect(r.getUncommittedEvents()[0].occurredAt).toEqual(at);
    expect(r.snapshot).toMatchObject({ status: 'APPROVED', approvedAt: at.toISOString() });
  });

  it('cannot approve a rejected requirement, nor reject an approved one, nor edit a decided one', () => {
    given(Requirement, [created, rejected])
      .when((r) => r.approve())
      .thenThrows(DomainRuleViolationError, /it is rejected/);
    given(Requirement, [created, approved])
      .when((r) => r.reject('late'))
      .thenThrows(DomainRuleViolationError);
    given(Requirement, [created, approved])
      .when((r) => r.approve())
      .thenThrows(DomainRuleViolationError);
    given(Requirement, [created, approved])
      .when((r) => r.update({ title: 'x' }))
      .thenThrows(DomainRuleViolationError);
  });

  it('refuses commands before creation, double creation, empty reasons and no-op updates', () => {
    given(Requirement, [])
      .when((r) => r.approve())
      .thenThrows(DomainRuleViolationError);
    given(Requirement, [created])
      .when((r) => r.create({ title: 'again' }))
      .thenThrows(DomainRuleViolationError);
    given(Requirement, [created])
      .when((r) => r.reject('  '))
      .thenThrows(DomainRuleViolationError);
    given(Requirement, [created])
      .when((r) => r.update({ title: 'Login' }))
      .thenThrows(DomainRuleViolationError);
  });
});

describe('Release', () => {
  const planned = { eventType: 'ReleasePlanned', data: { name: '1.0' } };
  const added = { eventType: 'RequirementAddedToRelease', data: { requirementId: 'req-1' } };

  it('takes approved requirements once and ships when not empty', () => {
    given(Release, [planned])
      .when((r) => r.addRequirement('req-1', 'APPROVED'))
      .then([added]);
    given(Release, [planned])
      .when((r) => r.addRequirement('req-1', 'DRAFT'))
      .thenThrows(DomainRuleViolationError);
    given(Release, [planned, added])
      .when((r) => r.addRequirement('req-1', 'APPROVED'))
      .thenThrows(DomainRuleViolationError);
    given(Release, [planned])
      .when((r) => r.ship())
      .thenThrows(DomainRuleViolationError);
    given(Release, [planned, added])
      .when((r) => r.ship('bob'))
      .then([{ eventType: 'ReleaseShipped', data: { shippedBy: 'bob' } }]);
    given(Release, [planned, added, { eventType: 'ReleaseShipped', data: {} }])
      .when((r) => r.ship())
      .thenThrows(DomainRuleViolationError);
  });
});
