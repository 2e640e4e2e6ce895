import { IsIn } from 'class-validator';
import { TokenDto } from './token.dto';

export class HandoverDecisionDto extends TokenDto {
  /** `agree`: the registration passes to the other person now; `object`: everything stays as it is. @example "object" */
  @IsIn(['agree', 'object'], { message: 'decision must be agree or object' })
  decision!: 'agree' | 'object';
}
