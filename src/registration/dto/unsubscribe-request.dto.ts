import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength } from 'class-validator';
import { normaliseEmail } from './normalise';

export class UnsubscribeRequestDto {
  /** The address the registration was made with. @example "anna.muster@example.ch" */
  @Transform(({ value }) => normaliseEmail(value))
  @IsString({ message: 'email must be an e-mail address' })
  @MaxLength(320, { message: 'email must be at most 320 characters' })
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  email!: string;
}
