import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TokenPurgeService } from './token-purge.service';
import { Token } from './token.entity';
import { TokensService } from './tokens.service';

/** Owns the `tokens` table: hashed link tokens and their scheduled purge. */
@Module({
  imports: [TypeOrmModule.forFeature([Token])],
  providers: [TokensService, TokenPurgeService],
  exports: [TokensService, TokenPurgeService],
})
export class TokensModule {}
