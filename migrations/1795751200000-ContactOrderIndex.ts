import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * After a member more or less, the contact lists around it are read as a window of the community's
 * contact order (Z-order key), so that the work does not grow with the community: a town can be one
 * community of tens of thousands of confirmed buildings.
 */
export class ContactOrderIndex1795751200000 implements MigrationInterface {
  name = 'ContactOrderIndex1795751200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "idx_community_buildings_contact_order" ON "community_buildings" ("community_id", "z_key") WHERE registered`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_community_buildings_contact_order"`);
  }
}
