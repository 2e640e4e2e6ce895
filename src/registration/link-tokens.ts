import { BadRequestException } from '@nestjs/common';
import { isWellFormedToken } from '../tokens/token-format';

/** Deliberately the same for every unknown token: a message must not reveal whose link it was. */
export const UNKNOWN_LINK = 'This link is unknown or has been replaced by a newer one';

export function assertWellFormedToken(token: unknown): asserts token is string {
  if (!isWellFormedToken(token)) throw new BadRequestException('token is malformed');
}
