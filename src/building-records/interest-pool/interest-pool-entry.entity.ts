import { Check, Entity, Index } from 'typeorm';
import { BuildingRecord } from '../building-record';

/** Anonymous registrations: owners who want to know whether a community forms, without being listed. */
@Entity({ name: 'interest_pool' })
@Index('idx_interest_pool_email', ['email'])
@Index('idx_interest_pool_position', ['lat', 'lon'])
@Index('idx_interest_pool_unconfirmed', ['registeredAt'], { where: 'verified = false' })
// The mailbox of email (common/mailbox.ts): registrations are counted per mailbox (an expression index TypeORM cannot declare).
@Index('idx_interest_pool_mailbox', { synchronize: false })
@Check('chk_interest_pool_lat', 'lat BETWEEN 45 AND 48')
@Check('chk_interest_pool_lon', 'lon BETWEEN 5 AND 11')
@Check('chk_interest_pool_energy', 'annual_consumption_kwh >= 0 AND potential_pv_kwp >= 0')
@Check('chk_interest_pool_plz', 'plz IS NULL OR plz BETWEEN 1000 AND 9999')
@Check('chk_interest_pool_verified_at', 'verified = (verified_at IS NOT NULL)')
export class InterestPoolEntry extends BuildingRecord {}
