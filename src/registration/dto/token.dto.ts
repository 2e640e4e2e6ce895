import { IsString, MaxLength } from 'class-validator';

export class TokenDto {
  /** The token from the e-mail link. @example "q3Xz0bJt1mYxG8n2lq7QhZxv0uJ3o5m8Jc1kR2sT4wE" */
  @IsString({ message: 'token must be a string' })
  @MaxLength(100, { message: 'token is malformed' })
  token!: string;
}
