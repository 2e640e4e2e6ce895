import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One word for a community throughout the code: the tables, their key columns and constraints
 * move from "cluster" to "community". Renamed in place, so stored communities and contact states
 * (who was already told about whom) are kept.
 */
export class CommunityNames1795750200000 implements MigrationInterface {
  name = 'CommunityNames1795750200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "clusters" RENAME TO "communities"`);
    await queryRunner.query(`ALTER TABLE "communities" RENAME CONSTRAINT "PK_56c8e201f375e1e961dcdd6831c" TO "PK_fea1fe83c86ccde9d0a089e7ea2"`);
    await queryRunner.query(`ALTER TABLE "cluster_members" RENAME TO "community_members"`);
    await queryRunner.query(`ALTER TABLE "community_members" RENAME COLUMN "cluster_id" TO "community_id"`);
    await queryRunner.query(`ALTER TABLE "community_members" RENAME CONSTRAINT "PK_4c1adbf08969cb9edfae40a8946" TO "PK_cee14b3bece0e3c2786df7cd688"`);
    await queryRunner.query(`ALTER TABLE "community_members" RENAME CONSTRAINT "FK_bd9ded267bd628dc6dd779fb566" TO "FK_46eb2c3e2d8b84acbd9a78974ab"`);
    await queryRunner.query(`ALTER INDEX "uq_cluster_members_building" RENAME TO "uq_community_members_building"`);
    await queryRunner.query(`ALTER TABLE "cluster_contact_state" RENAME TO "community_contact_state"`);
    await queryRunner.query(`ALTER TABLE "community_contact_state" RENAME COLUMN "cluster_id" TO "community_id"`);
    await queryRunner.query(`ALTER TABLE "community_contact_state" RENAME CONSTRAINT "PK_020b27f42fdf31b4f3427c0397a" TO "PK_9790bae4a185fa70ca69a0f17d6"`);
    await queryRunner.query(`ALTER TABLE "cluster_recomputation" RENAME TO "community_recomputation"`);
    await queryRunner.query(`ALTER TABLE "community_recomputation" RENAME CONSTRAINT "PK_46b13ea182a5a83d6533c728223" TO "PK_2483b1917026afaed4b5dd6dfd2"`);
    await queryRunner.query(
      `ALTER TABLE "community_recomputation" RENAME CONSTRAINT "chk_cluster_recomputation_singleton" TO "chk_community_recomputation_singleton"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "community_recomputation" RENAME CONSTRAINT "chk_community_recomputation_singleton" TO "chk_cluster_recomputation_singleton"`,
    );
    await queryRunner.query(`ALTER TABLE "community_recomputation" RENAME CONSTRAINT "PK_2483b1917026afaed4b5dd6dfd2" TO "PK_46b13ea182a5a83d6533c728223"`);
    await queryRunner.query(`ALTER TABLE "community_recomputation" RENAME TO "cluster_recomputation"`);
    await queryRunner.query(`ALTER TABLE "community_contact_state" RENAME CONSTRAINT "PK_9790bae4a185fa70ca69a0f17d6" TO "PK_020b27f42fdf31b4f3427c0397a"`);
    await queryRunner.query(`ALTER TABLE "community_contact_state" RENAME COLUMN "community_id" TO "cluster_id"`);
    await queryRunner.query(`ALTER TABLE "community_contact_state" RENAME TO "cluster_contact_state"`);
    await queryRunner.query(`ALTER INDEX "uq_community_members_building" RENAME TO "uq_cluster_members_building"`);
    await queryRunner.query(`ALTER TABLE "community_members" RENAME CONSTRAINT "FK_46eb2c3e2d8b84acbd9a78974ab" TO "FK_bd9ded267bd628dc6dd779fb566"`);
    await queryRunner.query(`ALTER TABLE "community_members" RENAME CONSTRAINT "PK_cee14b3bece0e3c2786df7cd688" TO "PK_4c1adbf08969cb9edfae40a8946"`);
    await queryRunner.query(`ALTER TABLE "community_members" RENAME COLUMN "community_id" TO "cluster_id"`);
    await queryRunner.query(`ALTER TABLE "community_members" RENAME TO "cluster_members"`);
    await queryRunner.query(`ALTER TABLE "communities" RENAME CONSTRAINT "PK_fea1fe83c86ccde9d0a089e7ea2" TO "PK_56c8e201f375e1e961dcdd6831c"`);
    await queryRunner.query(`ALTER TABLE "communities" RENAME TO "clusters"`);
  }
}
