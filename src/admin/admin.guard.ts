import { CanActivate, ExecutionContext, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { Env } from '../config/env.validation';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** `Authorization: Bearer $ADMIN_API_KEY`, compared in constant time; without a key the admin API is off. */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(private readonly config: ConfigService<Env, true>) {}

  canActivate(context: ExecutionContext): boolean {
    const key = this.config.get('ADMIN_API_KEY', { infer: true });
    if (!key) throw new NotFoundException('The admin API is turned off (ADMIN_API_KEY is not set)');
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    if (!match || !timingSafeEqual(digest(match[1]), digest(key))) {
      throw new UnauthorizedException('A valid admin API key is required');
    }
    return true;
  }
}
