import { Module } from '@nestjs/common';
import { TokenPurgeService } from './token-purge.service';
import { TokensService } from './tokens.service';

@Module({
  providers: [TokensService, TokenPurgeService],
  exports: [TokensService, TokenPurgeService],
})
export class TokensModule {}
