import { ConfigService } from '@nestjs/config';
import { durationToMs, Env } from '../config/env.validation';
import { parseAddressArea } from '../config/address-area';
import { AddressCacheStore } from './address-cache.store';
import { AddressDirectory } from './address-directory';
import { GeoadminAddressDirectory } from './geoadmin/geoadmin-directory';
import { GeoadminClient } from './geoadmin/geoadmin.client';
import { OfflineAddressDirectory } from './offline/offline-directory';

/** The directory ADDRESS_DIRECTORY names, for the area ADDRESS_AREA describes. */
export function createAddressDirectory(config: ConfigService<Env, true>, cache: AddressCacheStore): AddressDirectory {
  const area = parseAddressArea(config.get('ADDRESS_AREA', { infer: true }));
  if (config.get('ADDRESS_DIRECTORY', { infer: true }) === 'offline') return new OfflineAddressDirectory(area);
  const baseUrl = config.get('GEOADMIN_API_URL', { infer: true });
  const client = new GeoadminClient({ baseUrl, timeoutMs: config.get('GEOADMIN_TIMEOUT_MS', { infer: true }) });
  return new GeoadminAddressDirectory({ baseUrl, area, cacheTtlMs: durationToMs(config.get('ADDRESS_CACHE_TTL', { infer: true })) }, client, cache);
}
