import { Injectable } from '@nestjs/common';
import { SubscriptionLag, SubscriptionStatus } from '../subscriptions/dead-letter';
import { SubscriptionManager } from '../subscriptions/subscription-manager';
import { SubscriptionNotFoundError } from '../subscriptions/subscription.errors';
import { DeliveryProgress } from '../subscriptions/subscription-worker';

/** Options of `ProjectionManager.rebuild`. */
export interface RebuildOptions {
  /** Called after each applied chunk. @default progress is only logged */
  onProgress?: (progress: DeliveryProgress) => void;
}

/**
 * Operations on the `@EventProjection` providers of this process: rebuild a
 * read model from the whole log, and measure how far one is behind.
 */
@Injectable()
export class ProjectionManager {
  constructor(private readonly subscriptions: SubscriptionManager) {}

  /** Names of the projections registered in this process. */
  names(): string[] {
    return this.subscriptions.names().filter((name) => this.subscriptions.worker(name).definition.target.kind === 'projection');
  }

  /**
   * Empties the read model (`reset`) and replays the whole log into it, in
   * batches (bounded memory), then resumes following live. Takes the
   * projection's lease from whichever process holds it: that process stops
   * delivering (its next checkpoint write is fenced out) and stands by.
   * @throws SubscriptionNotFoundError when no projection of that name is registered here
   */
  async rebuild(name: string, options: RebuildOptions = {}): Promise<{ processed: number }> {
    return this.projection(name).rebuild(options.onProgress);
  }

  /**
   * Head of the log against the projection's checkpoint, and matching events not applied yet.
   * @throws SubscriptionNotFoundError
   */
  getLag(name: string): Promise<SubscriptionLag> {
    this.projection(name);
    return this.subscriptions.getLag(name);
  }

  /** Checkpoint and lease of the projection. @throws SubscriptionNotFoundError */
  getStatus(name: string): Promise<SubscriptionStatus> {
    this.projection(name);
    return this.subscriptions.getStatus(name);
  }

  /** Resolves once the projection has applied every event committed before the call. */
  waitUntilCaughtUp(name: string, timeoutMs?: number): Promise<void> {
    this.projection(name);
    return this.subscriptions.waitUntilCaughtUp(name, timeoutMs);
  }

  private projection(name: string) {
    const worker = this.subscriptions.worker(name);
    if (worker.definition.target.kind !== 'projection') throw new SubscriptionNotFoundError(name);
    return worker;
  }
}
