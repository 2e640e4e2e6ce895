import { Module } from '@nestjs/common';
import { InterestPoolService } from './interest-pool.service';

@Module({
  providers: [InterestPoolService],
  exports: [InterestPoolService],
})
export class InterestPoolModule {}
