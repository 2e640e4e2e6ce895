import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

function describe(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property) ? `${prefix ? prefix + '.' : ''}${message}` : `${path}: ${message}`,
    );
    return [...own, ...describe(error.children ?? [], path)];
  });
}

/** Deeper than any body we accept (the registration profile is two levels): beyond it the transform overflows the stack. */
export const MAX_BODY_DEPTH = 16;
/** Keys class-transformer drops silently, so the whitelist would never see (and refuse) them. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The first structural problem of a parsed body (too deep, or a prototype key), checked before any recursion of the transform. */
export function bodyStructureProblem(value: unknown, depth = 0): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= MAX_BODY_DEPTH) return `the request body is nested deeper than ${MAX_BODY_DEPTH} levels`;
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = bodyStructureProblem(item, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    if (FORBIDDEN_KEYS.has(key)) return `property ${key} should not exist`;
    const problem = bodyStructureProblem(item, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

class StructureCheckingValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body') {
      const problem = bodyStructureProblem(value);
      if (problem) throw new BadRequestException(problem);
    }
    return super.transform(value, metadata);
  }
}

/**
 * Whitelisting validation whose messages name the full path of each bad field (e.g. profile.lat);
 * bodies nested too deeply or carrying __proto__/constructor/prototype keys are refused first.
 */
export function createValidationPipe(): ValidationPipe {
  return new StructureCheckingValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => new BadRequestException(describe(errors).join('; ')),
  });
}
