import { EventSourcedAggregate } from '../aggregate-root';

/** Events of the test aggregate. */
export type TicketEvents = {
  TicketOpened: { title: string };
  TicketCommented: { text: string };
  TicketClosed: Record<string, never>;
};

/** Snapshot shape of the test aggregate. */
export interface TicketSnapshot {
  title: string;
  comments: string[];
  closed: boolean;
}

/** Thrown by the test aggregate when a rule is broken. */
export class TicketClosedError extends Error {
  constructor(id: string) {
    super(`Ticket '${id}' is closed`);
  }
}

/** A minimal aggregate for the library's own tests. */
export class Ticket extends EventSourcedAggregate<TicketEvents, TicketSnapshot> {
  static override aggregateType = 'Ticket';
  static override snapshotSchemaVersion = 1;

  title = '';
  comments: string[] = [];
  closed = false;
  /** How many events were replayed or applied (to see whether a snapshot was used). */
  handled = 0;
  openedAt?: Date;

  open(title: string): void {
    this.apply('TicketOpened', { title });
  }

  comment(text: string, occurredAt?: Date): void {
    if (this.closed) throw new TicketClosedError(this.aggregateId);
    this.apply('TicketCommented', { text }, { occurredAt });
  }

  close(): void {
    if (this.closed) throw new TicketClosedError(this.aggregateId);
    this.apply('TicketClosed', {});
  }

  protected onTicketOpened(data: TicketEvents['TicketOpened'], context: { occurredAt: Date }): void {
    this.title = data.title;
    this.openedAt = context.occurredAt;
    this.handled++;
  }

  protected onTicketCommented(data: TicketEvents['TicketCommented']): void {
    this.comments.push(data.text);
    this.handled++;
  }

  protected onTicketClosed(): void {
    this.closed = true;
    this.handled++;
  }

  override toSnapshot(): TicketSnapshot {
    return { title: this.title, comments: [...this.comments], closed: this.closed };
  }

  protected override fromSnapshot(state: TicketSnapshot): void {
    this.title = state.title;
    this.comments = [...state.comments];
    this.closed = state.closed;
  }
}

/** The same stream type with a new snapshot shape (version 2). */
export class TicketV2 extends Ticket {
  static override snapshotSchemaVersion = 2;
}

/** An aggregate without handlers for its event. */
export class Broken extends EventSourcedAggregate<{ Happened: { n: number } }> {
  static override aggregateType = 'Broken';

  happen(): void {
    this.apply('Happened', { n: 1 });
  }
}
