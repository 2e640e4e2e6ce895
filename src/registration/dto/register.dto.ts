import { plainToInstance, Transform } from 'class-transformer';
import { IsEmail, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { normaliseEmail, normalisePhone } from './normalise';
import { collectProfileExtras, ProfileDto } from './profile.dto';

export class RegisterDto {
  /** Where the confirmation link is sent. Never shown publicly. @example "anna.muster@example.ch" */
  @Transform(({ value }) => normaliseEmail(value))
  @IsString({ message: 'email must be an e-mail address' })
  @MaxLength(320, { message: 'email must be at most 320 characters' })
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  email!: string;

  /**
   * Optional Swiss phone number, shared only with confirmed neighbours. Usual notations (079 123 45 67,
   * 0041 79 …) are accepted and stored as +41 followed by 9 digits. @example "+41791234567"
   */
  @Transform(({ value }) => normalisePhone(value))
  @IsOptional()
  @IsString({ message: 'phone must be a Swiss phone number' })
  @Matches(/^\+41\d{9}$/, { message: 'phone must be a Swiss number: +41…, 0041… or 0… followed by 9 digits' })
  phone?: string | null;

  /**
   * The building profile as returned by the address check. Further fields (a name of letters, digits and _,
   * a plain value) are kept as submitted, at most 30.
   */
  @Transform(({ value }) => {
    const collected = collectProfileExtras(value);
    return collected && typeof collected === 'object' ? plainToInstance(ProfileDto, collected) : collected;
  })
  @IsObject({ message: 'profile must be an object' })
  @ValidateNested()
  profile!: ProfileDto;
}
