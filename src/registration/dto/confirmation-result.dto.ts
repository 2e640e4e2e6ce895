export class ConfirmationResultDto {
  /** @example "b08f389fab" */
  building_id!: string;

  /** @example true */
  verified!: true;

  /** True when the building had been confirmed before (people click twice). @example false */
  already_verified!: boolean;

  /**
   * Only for a registration of a building someone else held: whether it applied now, or waits for
   * the current holder (who can agree or object) until `applies_at`.
   */
  handover?: HandoverStatusDto;
}

export class HandoverStatusDto {
  /** @example "waiting" */
  status!: 'applied' | 'waiting';

  /** When the registration passes to you unless the current holder objects; null once applied. @example "2026-12-16T08:00:00.000Z" */
  applies_at!: string | null;
}

export class HandoverResultDto {
  /** Whether the registration has passed to the other person. @example false */
  transferred!: boolean;
}

export class DisclosureDto {
  /** The address of the neighbour who received your contact details; null if they have since left. @example "Badstrasse 14, 5400 Baden" */
  recipient_address!: string | null;

  /** When the e-mail with your details was sent. @example "2026-11-30T10:15:00.000Z" */
  sent_at!: string;
}

export class DisclosuresDto {
  /** Newest first, at most 500. */
  disclosures!: DisclosureDto[];
}

export class UnsubscribeResultDto {
  /** The building and everything belonging to it has been deleted. @example true */
  deleted!: true;
}

export class AcceptedDto {
  /** @example "If this address is registered, an e-mail with an unsubscribe link is on its way." */
  message!: string;
}
