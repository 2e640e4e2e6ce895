export class AddressSuggestionDto {
  /** The address, without markup. @example "Badstrasse 12, 5400 Baden" */
  label!: string;
  /** Give it to the address check. The federal building identifier (EGID), or a demo id. @example "190365" */
  building_id!: string;
  /** @example 5400 */
  plz!: number;
  /** The postal locality of the address. @example "Baden" */
  municipality!: string;
}

export class AddressSuggestionsDto {
  /** At most 10, best first; only addresses inside the platform's area. */
  suggestions!: AddressSuggestionDto[];
  /** True when the answers come from the offline demo gazetteer, not from real data. @example false */
  demo!: boolean;
}
