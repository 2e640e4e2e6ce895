import { ConfigService } from '@nestjs/config';
import { deriveKey } from '../../config/app-secret';
import { Env } from '../../config/env.validation';
import { LatLon } from '../../geo/geo';
import { jitterPosition } from '../engine/jitter';

export type PublicPosition = (building: { building_id: string; lat: number; lon: number }) => LatLon;

/** Where a building is shown publicly: its jittered position, stable per building, keyed by the server secret. */
export function publicPositionFor(config: ConfigService<Env, true>): PublicPosition {
  const key = deriveKey(config.get('APP_SECRET', { infer: true }) ?? '', 'map-jitter');
  const radius = config.get('ANONYMITY_RADIUS_M', { infer: true });
  return (b) => jitterPosition(b.building_id, b.lat, b.lon, key, radius);
}
