import { Check, Entity, Index } from 'typeorm';
import { BuildingRecord } from '../building-record';

/** Full registrations: owners who want to be put in touch with their confirmed neighbours. */
@Entity({ name: 'buildings' })
@Index('idx_buildings_email', ['email'])
@Index('idx_buildings_position', ['lat', 'lon'])
@Index('idx_buildings_unconfirmed', ['registeredAt'], { where: 'verified = false' })
// The mailbox of email (common/mailbox.ts): registrations are counted per mailbox (an expression index TypeORM cannot declare).
@Index('idx_buildings_mailbox', { synchronize: false })
@Check('chk_buildings_lat', 'lat BETWEEN 45 AND 48')
@Check('chk_buildings_lon', 'lon BETWEEN 5 AND 11')
@Check('chk_buildings_energy', 'annual_consumption_kwh >= 0 AND potential_pv_kwp >= 0')
@Check('chk_buildings_plz', 'plz IS NULL OR plz BETWEEN 1000 AND 9999')
@Check('chk_buildings_verified_at', 'verified = (verified_at IS NOT NULL)')
export class Building extends BuildingRecord {}
