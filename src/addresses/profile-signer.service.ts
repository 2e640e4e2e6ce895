import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { deriveKey } from '../config/app-secret';
import { Env } from '../config/env.validation';
import { DirectoryBuilding } from './address-directory';
import { ProfileSummaryDto } from './dto/profile-summary.dto';
import { correctionBounds, PROFILE_VALIDITY_MS, profileFieldsOf, ProfileVerification, signProfile, SubmittedProfile, verifyProfile } from './profile-signature';

/** Signs the directory's profiles and checks them when they come back, with a key of its own. */
@Injectable()
export class ProfileSigner {
  private readonly key: Buffer;

  constructor(config: ConfigService<Env, true>) {
    const secret = config.get('APP_SECRET', { infer: true });
    if (!secret) throw new Error('APP_SECRET is not resolved; profiles cannot be signed');
    this.key = deriveKey(secret, 'profile-signature');
  }

  /** A token for the building, valid for PROFILE_VALIDITY_MS (one day) from `now`. */
  sign(building: DirectoryBuilding, now = new Date()): { profile_token: string; expires_at: string } {
    const expiresAt = new Date(now.getTime() + PROFILE_VALIDITY_MS);
    return { profile_token: signProfile(this.key, building, expiresAt), expires_at: expiresAt.toISOString() };
  }

  /** The profile an address check answers with: the directory's figures, the bounds of corrections, the signature. */
  summary(building: DirectoryBuilding, now = new Date()): ProfileSummaryDto {
    const { profile_token, expires_at } = this.sign(building, now);
    const bounds = correctionBounds(building);
    return {
      ...profileFieldsOf(building),
      demo: building.demo,
      correction_bounds: { annual_consumption_kwh: bounds.consumption, potential_pv_kwp: bounds.pv },
      profile_token,
      profile_expires_at: expires_at,
    };
  }

  verify(submitted: SubmittedProfile, now = new Date()): ProfileVerification {
    return verifyProfile(this.key, submitted, now);
  }
}
