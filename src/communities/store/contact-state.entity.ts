import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Which confirmed members of a community last received the contact overview. Kept in the
 * database (the previous version kept it in memory and re-sent every overview after a restart).
 */
@Entity({ name: 'community_contact_state' })
export class ContactState {
  @PrimaryColumn({ name: 'community_id', type: 'varchar', length: 40 })
  communityId!: string;

  @Column({ name: 'building_ids', type: 'text', array: true })
  buildingIds!: string[];

  @Column({ name: 'notified_at', type: 'timestamptz' })
  notifiedAt!: Date;
}
