import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches } from 'class-validator';
import { IsEmailAddress } from '../../building-records/record-rules';
import { normaliseEmail, normalisePhone } from './normalise';

/** Who registers: the contact details every kind of registration carries. */
export class RegistrantDto {
  /** Where the confirmation link is sent. Never shown publicly. @example "anna.muster@example.ch" */
  @Transform(({ value }) => normaliseEmail(value))
  @IsEmailAddress()
  email!: string;

  /** Optional Swiss phone number, shared only with confirmed neighbours. @example "+41791234567" */
  @Transform(({ value }) => normalisePhone(value))
  @IsOptional()
  @IsString({ message: 'phone must be a Swiss phone number' })
  @Matches(/^\+41\d{9}$/, { message: 'phone must be a Swiss number: +41…, 0041… or 0… followed by 9 digits' })
  phone?: string | null;
}
