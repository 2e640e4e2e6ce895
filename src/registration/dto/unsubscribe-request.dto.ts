import { Transform } from 'class-transformer';
import { IsEmailAddress } from '../../building-records/record-rules';
import { normaliseEmail } from './normalise';

export class UnsubscribeRequestDto {
  /** The address the registration was made with. @example "anna.muster@example.ch" */
  @Transform(({ value }) => normaliseEmail(value))
  @IsEmailAddress()
  email!: string;
}
