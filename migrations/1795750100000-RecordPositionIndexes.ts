import { MigrationInterface, QueryRunner } from 'typeorm';

/** Neighbour look-ups (address check, new-neighbour e-mails) search a small box of lat/lon. */
export class RecordPositionIndexes1795750100000 implements MigrationInterface {
  name = 'RecordPositionIndexes1795750100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "idx_buildings_position" ON "buildings" ("lat", "lon")`);
    await queryRunner.query(`CREATE INDEX "idx_interest_pool_position" ON "interest_pool" ("lat", "lon")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_interest_pool_position"`);
    await queryRunner.query(`DROP INDEX "public"."idx_buildings_position"`);
  }
}
