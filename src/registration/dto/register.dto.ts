import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';
import { RegistrantDto } from './registrant.dto';
import { SignedProfileDto } from './signed-profile.dto';

export class RegisterDto extends RegistrantDto {
  /** The `profile_summary` of the address check, as it came (the owner may correct consumption and PV). */
  @IsObject({ message: 'profile must be an object: the profile_summary of the address check' })
  @ValidateNested()
  @Type(() => SignedProfileDto)
  profile!: SignedProfileDto;
}
