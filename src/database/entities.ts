import { AddressCacheEntry } from '../addresses/address-cache.entity';
import { Building } from '../buildings/building.entity';
import { CommunityMember } from '../clusters/community-member.entity';
import { Community } from '../clusters/community.entity';
import { ContactState } from '../clusters/contact-state.entity';
import { Recomputation } from '../clusters/recomputation.entity';
import { InterestPoolEntry } from '../interest-pool/interest-pool-entry.entity';
import { OutboxMessage } from '../mail/outbox-message.entity';
import { JobRun } from '../scheduling/job-run.entity';
import { Token } from '../tokens/token.entity';

/** Every entity of the schema, listed once for the app and the migration CLI alike. */
export const ENTITIES = [
  Building,
  InterestPoolEntry,
  Token,
  Community,
  CommunityMember,
  ContactState,
  Recomputation,
  OutboxMessage,
  JobRun,
  AddressCacheEntry,
];
