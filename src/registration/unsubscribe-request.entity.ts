import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A request for unsubscribe links by e-mail address, handled after the answer: the answer then
 * takes the same time whether or not the address is registered. Deleted once handled.
 */
@Entity({ name: 'unsubscribe_requests' })
export class UnsubscribeRequest {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', primaryKeyConstraintName: 'PK_unsubscribe_requests' })
  id!: string;

  @Column({ type: 'varchar', length: 320 })
  email!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
