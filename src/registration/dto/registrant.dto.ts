import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { normaliseEmail, normalisePhone } from './normalise';

/** Who registers: the contact details every kind of registration carries. */
export class RegistrantDto {
  /** Where the confirmation link is sent. Never shown publicly. @example "anna.muster@example.ch" */
  @Transform(({ value }) => normaliseEmail(value))
  @IsString({ message: 'email must be an e-mail address' })
  @MaxLength(320, { message: 'email must be at most 320 characters' })
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  email!: string;

  /** Optional Swiss phone number, shared only with confirmed neighbours. @example "+41791234567" */
  @Transform(({ value }) => normalisePhone(value))
  @IsOptional()
  @IsString({ message: 'phone must be a Swiss phone number' })
  @Matches(/^\+41\d{9}$/, { message: 'phone must be a Swiss number: +41…, 0041… or 0… followed by 9 digits' })
  phone?: string | null;
}
