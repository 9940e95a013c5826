import { Injectable, OnModuleInit } from '@nestjs/common';
import { SubscriptionLag, SubscriptionStatus } from '../subscriptions/subscription-status';
import { SubscriptionManager } from '../subscriptions/subscription-manager';
import { SubscriptionNotFoundError } from '../subscriptions/subscription.errors';
import { SubscriptionWorker } from '../subscriptions/subscription-worker';
import { ProjectionExplorer } from './projection-explorer';

import { RebuildOptions, RebuildResult } from './rebuild.options';

export { RebuildOptions, RebuildResult } from './rebuild.options';

/**
 * The async `@EventProjection` providers of this process, built on durable
 * subscriptions: registers each as a transactional subscription at module
 * start (SubscriptionManager runs it: lease, checkpoint, retries), and
 * offers the operations on them: rebuild a read model from the whole log,
 * and measure how far one is behind. Inline projections run in the append's
 * transaction instead (InlineProjections).
 */
@Injectable()
export class ProjectionManager implements OnModuleInit {
  private readonly registered = new Set<string>();

  constructor(
    private readonly subscriptions: SubscriptionManager,
    private readonly explorer: ProjectionExplorer,
  ) {}

  /**
   * Registers the async projections with the subscriptions, which start them on bootstrap.
   * @throws SubscriptionDefinitionError for a bad or duplicate name, bad event types or missing methods
   */
  onModuleInit(): void {
    for (const found of this.explorer.explore()) {
      if (found.options.mode === 'inline') continue;
      const worker = this.subscriptions.register(found.options, { kind: 'projection', handler: found.instance });
      this.registered.add(worker.name);
    }
  }

  /** Names of the projections registered in this process. */
  names(): string[] {
    return [...this.registered];
  }

  /**
   * Empties the read model (`reset`) and replays the whole log into it, in
   * batches (bounded memory), then resumes following live. Takes the
   * projection's lease from whichever process holds it: that process stops
   * delivering (its next checkpoint write is fenced out) and stands by
   * (`takeOver: false` refuses instead). Interrupted (`signal`, a crash), the
   * next rebuild resumes from the last applied chunk unless `restart`.
   * @throws SubscriptionNotFoundError when no projection of that name is registered here
   * @throws SubscriptionLeaseHeldError when another process holds the lease and `takeOver` is false
   */
  async rebuild(name: string, options: RebuildOptions = {}): Promise<RebuildResult> {
    return this.projection(name).rebuild(options);
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

  private projection(name: string): SubscriptionWorker {
    if (!this.registered.has(name)) throw new SubscriptionNotFoundError(name);
    return this.subscriptions.worker(name);
  }
}
