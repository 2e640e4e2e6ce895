import { Transform } from 'class-transformer';
import { IsString, Matches } from 'class-validator';

/** Letters (with umlauts and accents), digits, spaces and , . - only. */
export const ADDRESS_QUERY_PATTERN = /^[\p{L}\p{M}\d ,.-]{2,100}$/u;

export class AddressQueryDto {
  /** What the owner typed so far: 2–100 letters, digits, spaces and , . - @example "Badstr 1" */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: 'q must be a single text' })
  @Matches(ADDRESS_QUERY_PATTERN, { message: 'q must be 2–100 characters: letters, digits, spaces and , . -' })
  q!: string;
}
