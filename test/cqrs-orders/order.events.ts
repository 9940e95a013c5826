// Plain @nestjs/cqrs events: their own fields are the stored payload, their
// class name the stored event type.

/** An order was placed. */
export class OrderPlaced {
  constructor(
    readonly orderId: string,
    readonly customer: string,
    readonly total: number,
  ) {}
}

/** An order left the warehouse. */
export class OrderShipped {
  constructor(
    readonly orderId: string,
    readonly carrier: string,
  ) {}
}
