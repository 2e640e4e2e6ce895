import { OpenAPIObject } from '@nestjs/swagger';
import { ProfileSummaryDto } from './addresses/dto/profile-summary.dto';
import { withExampleProfile } from './openapi-examples';

describe(withExampleProfile.name, () => {
  const profile = {
    building_id: 'demo-baden-badstrasse-12',
    address: 'Badstrasse 12, 5400 Baden',
    plz: 5400,
    municipality: 'Baden',
    lat: 47.4749123,
    lon: 8.3079456,
    building_type: 'MFH',
    annual_consumption_kwh: 9000,
    potential_pv_kwp: 12.5,
    roof_area_m2: 80,
    source: 'offline-demo',
    demo: true,
    correction_bounds: { annual_consumption_kwh: { min: 2250, max: 36000 }, potential_pv_kwp: { min: 0, max: 17.6 } },
    profile_token: 'v1.payload.signature',
    profile_expires_at: '2027-03-02T10:00:00.000Z',
  } satisfies ProfileSummaryDto;

  const document = (): OpenAPIObject => ({
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {
      '/api/admin/records/{buildingId}': {
        get: { parameters: [{ name: 'buildingId', in: 'path', required: true, example: 'b08f389fab' }], responses: {} },
        delete: { parameters: [{ name: 'buildingId', in: 'path', required: true, example: 'b08f389fab' }], responses: {} },
      },
      '/api/addresses': { get: { parameters: [{ name: 'q', in: 'query', example: 'Badstr 1' }], responses: {} } },
      '/api/interest-pool': { post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/RegisterDto' } } } }, responses: {} } },
      '/api/register_full': { post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/RegisterDto' } } } }, responses: {} } },
    },
    components: {
      schemas: {
        RegisterDto: {
          type: 'object',
          properties: { email: { type: 'string', example: 'anna.muster@example.ch' }, phone: { type: 'string', example: '+41791234567' }, profile: { allOf: [] } },
        },
        SignedProfileDto: {
          type: 'object',
          properties: {
            profile_token: { type: 'string', example: 'v1.eyJidWlsZGluZ19pZCI6…' },
            lat: { type: 'number', example: 47.4731 },
            building_id: { type: 'string', example: 'made-up' },
            roof_area_m2: { type: 'object' },
          },
        },
      },
    },
  });

  it('should put the signed profile into the registration example and leave echoed fields alone', () => {
    const sut = withExampleProfile(document(), profile);

    expect(sut.components!.schemas!.SignedProfileDto).toMatchObject({
      properties: {
        profile_token: { example: 'v1.payload.signature' },
        lat: { example: 47.4749123 },
        building_id: { example: 'demo-baden-badstrasse-12' },
        roof_area_m2: { type: 'object' },
      },
    });
    expect(sut.components!.schemas!.SignedProfileDto).not.toHaveProperty('properties.roof_area_m2.example');
  });

  it('should make the admin examples name the building the registration example creates', () => {
    const sut = withExampleProfile(document(), profile);

    const record = sut.paths['/api/admin/records/{buildingId}'];
    expect(record.get!.parameters).toEqual([expect.objectContaining({ example: 'demo-baden-badstrasse-12' })]);
    expect(record.delete!.parameters).toEqual([expect.objectContaining({ example: 'demo-baden-badstrasse-12' })]);
    expect(sut.paths['/api/addresses'].get!.parameters).toEqual([expect.objectContaining({ example: 'Badstr 1' })]);
  });

  it('should give each registration route a mailbox of its own, with the signed profile', () => {
    const sut = withExampleProfile(document(), profile);

    const example = (path: string) => (sut.paths[path].post!.requestBody as { content: Record<string, { example?: unknown }> }).content['application/json'].example;
    expect(example('/api/interest-pool')).toEqual({
      email: 'owner.interest.pool@example.ch',
      phone: '+41791234567',
      profile: { profile_token: 'v1.payload.signature', lat: 47.4749123, building_id: 'demo-baden-badstrasse-12' },
    });
    expect(example('/api/register_full')).toMatchObject({ email: 'owner.register.full@example.ch' });
  });

  it('should leave the document it was given unchanged (it is served to every request)', () => {
    const given = document();

    withExampleProfile(given, profile);

    expect(given).toEqual(document());
  });
});
