import { MigrationInterface, QueryRunner } from 'typeorm';

/** Directory answers (suggestions, resolved addresses and buildings) kept until they expire. */
export class AddressCache1795750300000 implements MigrationInterface {
  name = 'AddressCache1795750300000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "address_cache" ("cache_key" character varying(100) NOT NULL, "value" jsonb NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_address_cache" PRIMARY KEY ("cache_key"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_address_cache_expiry" ON "address_cache" ("expires_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_address_cache_expiry"`);
    await queryRunner.query(`DROP TABLE "address_cache"`);
  }
}
