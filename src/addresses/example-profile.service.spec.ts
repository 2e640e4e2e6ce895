import { ConfigService } from '@nestjs/config';
import { ServiceUnavailableException } from '@nestjs/common';
import { parseAddressArea } from '../config/address-area';
import { Env } from '../config/env.validation';
import { AddressDirectory } from './address-directory';
import { EXAMPLE_ADDRESS, ExampleProfileService } from './example-profile.service';
import { OfflineAddressDirectory } from './offline/offline-directory';
import { ProfileSigner } from './profile-signer.service';

describe(ExampleProfileService.name, () => {
  const signer = new ProfileSigner(new ConfigService<Env, true>({ APP_SECRET: 'test-secret-0123456789abcdef0123456789abcdef' }));
  const offline = new OfflineAddressDirectory(parseAddressArea('5000-5999'));

  it('should give the directory profile of the example address, signed at the moment asked, which registration accepts', async () => {
    const sut = new ExampleProfileService(offline, signer);
    const now = new Date('2027-03-01T10:00:00Z');

    const profile = await sut.current(now);

    expect(profile).toMatchObject({ address: EXAMPLE_ADDRESS, building_id: 'demo-baden-badstrasse-12', profile_expires_at: '2027-03-02T10:00:00.000Z' });
    expect(signer.verify({ ...profile }, now)).toMatchObject({ ok: true });
  });

  it('should sign anew on each call, so the example never carries an expired signature', async () => {
    const sut = new ExampleProfileService(offline, signer);

    const first = await sut.current(new Date('2027-03-01T10:00:00Z'));
    const later = await sut.current(new Date('2027-03-05T10:00:00Z'));

    expect(later!.profile_token).not.toBe(first!.profile_token);
    expect(signer.verify({ ...later }, new Date('2027-03-05T10:00:01Z'))).toMatchObject({ ok: true });
  });

  it('should give nothing, and not ask again at once, when the directory cannot answer', async () => {
    const resolveAddress = jest.fn().mockRejectedValue(new ServiceUnavailableException('geo.admin.ch is not answering'));
    const sut = new ExampleProfileService({ resolveAddress } as unknown as AddressDirectory, signer);

    await expect(sut.current(new Date('2027-03-01T10:00:00Z'))).resolves.toBeUndefined();
    await expect(sut.current(new Date('2027-03-01T10:01:00Z'))).resolves.toBeUndefined();
    expect(resolveAddress).toHaveBeenCalledTimes(1);

    await sut.current(new Date('2027-03-01T10:06:00Z'));
    expect(resolveAddress).toHaveBeenCalledTimes(2);
  });
});
