import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ScheduleModule } from '@nestjs/schedule';
import { JobCoordinator } from './job-coordinator.service';
import { JobRun } from './job-run.entity';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([JobRun]), ScheduleModule.forRoot()],
  providers: [JobCoordinator],
  exports: [JobCoordinator],
})
export class SchedulingModule {}
