import { Injectable } from '@nestjs/common';
import { StoredDomainEvent } from '@nest-event-store/core';

/** Folds one event into the state replayed so far (pure: return the new state). */
export type ReplayFold = (state: Record<string, unknown>, event: StoredDomainEvent) => Record<string, unknown>;

/**
 * The default fold of `replay_events`: a shallow merge of each event's
 * payload over the state, in version order (later keys win; a redacted
 * event's payload is empty and changes nothing).
 */
export const shallowMergeFold: ReplayFold = (state, event) => ({ ...state, ...event.data });

/**
 * How `replay_events` rebuilds the state of an aggregate type: a registered
 * fold per aggregate type, the shallow merge for every other type.
 */
@Injectable()
export class ReplayFolds {
  private readonly folds = new Map<string, ReplayFold>();

  /** Registers (or replaces) the fold of one aggregate type. */
  register(aggregateType: string, fold: ReplayFold): void {
    this.folds.set(aggregateType, fold);
  }

  /** The fold of an aggregate type: the registered one or the shallow merge. */
  forType(aggregateType: string): ReplayFold {
    return this.folds.get(aggregateType) ?? shallowMergeFold;
  }
}
