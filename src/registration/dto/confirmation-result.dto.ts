export class ConfirmationResultDto {
  /** @example "b08f389fab" */
  building_id!: string;

  /** @example true */
  verified!: true;

  /** True when the building had been confirmed before (people click twice). @example false */
  already_verified!: boolean;
}

export class UnsubscribeResultDto {
  /** The building and everything belonging to it has been deleted. @example true */
  deleted!: true;
}

export class AcceptedDto {
  /** @example "If this address is registered, an e-mail with an unsubscribe link is on its way." */
  message!: string;
}
