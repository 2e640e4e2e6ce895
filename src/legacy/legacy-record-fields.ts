import { BuildingProfile } from '../building-records/building-record';
import { RecordInput } from '../building-records/record.repository';
import { LegacyRegistrationDto } from './dto/legacy-profile.dto';

/** The stored columns of a validated record of the previous version; the profile is kept as plain JSON, extras included. */
export function recordFieldsOf(dto: LegacyRegistrationDto): RecordInput {
  const { extras, ...profile } = dto.profile;
  return {
    buildingId: profile.building_id,
    email: dto.email,
    phone: dto.phone ?? null,
    address: profile.address ?? null,
    plz: profile.plz ?? null,
    lat: profile.lat,
    lon: profile.lon,
    buildingType: profile.building_type ?? null,
    annualConsumptionKwh: profile.annual_consumption_kwh ?? 0,
    potentialPvKwp: profile.potential_pv_kwp ?? 0,
    profile: JSON.parse(JSON.stringify({ ...extras, ...profile })) as BuildingProfile,
  };
}
