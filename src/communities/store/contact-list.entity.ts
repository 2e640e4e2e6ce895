import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The contact list a confirmed full registration last received, as a digest: a new overview goes
 * out when its list (its nearest confirmed neighbours, and who holds them) differs. Kept in the
 * database so that a restart sends nothing again.
 */
@Entity({ name: 'community_contact_lists' })
export class ContactList {
  @PrimaryColumn({ name: 'building_id', type: 'varchar', length: 100 })
  buildingId!: string;

  @Column({ type: 'varchar', length: 32 })
  digest!: string;

  @Column({ name: 'notified_at', type: 'timestamptz' })
  notifiedAt!: Date;
}
