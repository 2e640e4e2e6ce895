import { Global, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { JobCoordinator } from './job-coordinator.service';

@Global()
@Module({
  imports: [ScheduleModule.forRoot()],
  providers: [JobCoordinator],
  exports: [JobCoordinator],
})
export class SchedulingModule {}
