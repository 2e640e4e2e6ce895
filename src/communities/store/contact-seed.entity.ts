import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Sets of members already told about each other elsewhere (the previous version, or the contact
 * states of before per-recipient lists): the next full pass turns them into contact-list digests,
 * so nobody is told again what they were told, then drops them.
 */
@Entity({ name: 'community_contact_seeds' })
export class ContactSeed {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ name: 'building_ids', type: 'text', array: true })
  buildingIds!: string[];
}
