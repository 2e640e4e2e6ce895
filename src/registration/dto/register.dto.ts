import { plainToInstance, Transform } from 'class-transformer';
import { IsObject, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { IsEmailAddress } from '../../building-records/record-rules';
import { normaliseEmail, normalisePhone } from './normalise';
import { collectProfileExtras, ProfileDto } from './profile.dto';

export class RegisterDto {
  /** Where the confirmation link is sent. Never shown publicly. @example "anna.muster@example.ch" */
  @Transform(({ value }) => normaliseEmail(value))
  @IsEmailAddress()
  email!: string;

  /** Optional Swiss phone number, shared only with confirmed neighbours. @example "+41 79 123 45 67" */
  @Transform(({ value }) => normalisePhone(value))
  @IsOptional()
  @IsString({ message: 'phone must be a Swiss phone number' })
  @Matches(/^\+41\d{9}$/, { message: 'phone must be a Swiss number: +41…, 0041… or 0… followed by 9 digits' })
  phone?: string | null;

  /** The building profile as returned by the address check. */
  @Transform(({ value }) => {
    const collected = collectProfileExtras(value);
    return collected && typeof collected === 'object' ? plainToInstance(ProfileDto, collected) : collected;
  })
  @IsObject({ message: 'profile must be an object' })
  @ValidateNested()
  profile!: ProfileDto;
}
