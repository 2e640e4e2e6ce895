import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsEmailAddress } from '../../building-records/record-rules';
import { normaliseEmail } from '../../registration/dto/normalise';

export class RecordQueryDto {
  /** 1-based page number. */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1_000_000, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page = 1;

  /** Records per page (at most 100). */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit = 50;

  /** Only confirmed (`true`) or unconfirmed (`false`) records. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'verified must be true or false' })
  verified?: boolean;

  /** Only records of this e-mail address. */
  @IsOptional()
  @Transform(({ value }) => normaliseEmail(value))
  @IsEmailAddress()
  email?: string;
}
