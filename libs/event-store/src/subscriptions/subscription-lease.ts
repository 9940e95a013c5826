import { Logger } from '@nestjs/common';
import { describeError } from './dead-letter-store';
import { SubscriptionStore } from './subscription-store';

/**
 * This process's hold on a subscription's lease once taken: renews it on a
 * timer, notices when another process took it over, and releases it at the
 * end so that a standby takes over at once. Taking the lease is the
 * worker's business (it decides what to do while another process holds it).
 */
export class SubscriptionLease {
  private held = false;
  private lost = false;
  private renewTimer?: NodeJS.Timeout;

  constructor(
    private readonly store: SubscriptionStore,
    private readonly renewIntervalMs: number,
    private readonly logger: Logger,
    /** Called once when a renewal finds the lease taken by another process. */
    private readonly onLost: () => void,
  ) {}

  /** Whether this process holds the lease right now. */
  get isHeld(): boolean {
    return this.held && !this.lost;
  }

  /** Whether a renewal found the lease taken by another process (since the last `begin`). */
  get isLost(): boolean {
    return this.lost;
  }

  /** The lease was just taken: start renewing it. */
  begin(): void {
    this.held = true;
    this.lost = false;
    const renew = async () => {
      try {
        if (!(await this.store.renew())) {
          this.lost = true;
          this.onLost();
          return;
        }
      } catch (error) {
        // A blip: keep trying; if the lease really expires, the fenced checkpoint write notices.
        this.logger.warn(`Lease renewal failed: ${describeError(error)}`);
      }
      if (this.held) this.renewTimer = setTimeout(renew, this.renewIntervalMs);
    };
    this.renewTimer = setTimeout(renew, this.renewIntervalMs);
  }

  /** Stops renewing and releases the lease, unless it was lost already. */
  async end(): Promise<void> {
    this.held = false;
    clearTimeout(this.renewTimer);
    if (!this.lost) await this.store.release().catch((error) => this.logger.warn(`Lease release failed: ${describeError(error)}`));
  }
}
