import { ConfigService } from '@nestjs/config';
import { Env } from '../config/env.validation';
import { DirectoryBuilding } from './address-directory';
import { buildGazetteer } from './offline/gazetteer';
import { demoBuilding } from './offline/demo-building';
import { ProfileSigner } from './profile-signer.service';

describe(ProfileSigner.name, () => {
  const config = (secret: string) => new ConfigService<Env, true>({ APP_SECRET: secret });
  const sut = new ProfileSigner(config('test-secret-0123456789abcdef0123456789abcdef'));
  const building: DirectoryBuilding = demoBuilding(buildGazetteer().byId.get('demo-baden-badstrasse-12')!);

  it('should sign for one day and accept its own token', () => {
    const now = new Date('2027-03-01T10:00:00Z');

    const { profile_token, expires_at } = sut.sign(building, now);

    expect(expires_at).toBe('2027-03-02T10:00:00.000Z');
    expect(sut.verify({ profile_token, lat: building.lat }, now)).toMatchObject({ ok: true, signed: { building_id: 'demo-baden-badstrasse-12', source: 'offline-demo' } });
  });

  it('should refuse tokens of a service with another secret', () => {
    const other = new ProfileSigner(config('another-secret-0123456789abcdef0123456789ab'));

    expect(sut.verify(other.sign(building))).toMatchObject({ ok: false, field: 'profile.profile_token', reason: 'tampered' });
  });

  it('should not start without a secret', () => {
    expect(() => new ProfileSigner(config(''))).toThrow('APP_SECRET');
  });
});
