import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { Env } from '../config/env.validation';
import { redactPersonalData, redactUrl } from '../common/personal-data';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

function requestId(request: IncomingMessage, response: ServerResponse): string {
  const given = request.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  response.setHeader('X-Request-Id', id);
  return id;
}

function redactArgument(argument: unknown): unknown {
  if (typeof argument === 'string') return redactPersonalData(argument);
  if (argument instanceof Error) return { type: argument.name, message: redactPersonalData(argument.message) };
  return argument;
}

/** Structured JSON logs with a request id; personal data is scrubbed from every line. */
@Module({})
export class LoggingModule {
  static forEnv(env: Env): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: env.LOG_LEVEL,
            genReqId: requestId,
            customProps: () => ({ context: 'HTTP' }),
            serializers: {
              req: (request: { id: string; method: string; url: string }) => ({
                id: request.id,
                method: request.method,
                url: redactUrl(request.url),
              }),
              res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
              err: (error: Error) => ({ type: error.name, message: redactPersonalData(error.message) }),
            },
            hooks: {
              logMethod(args, method) {
                method.apply(this, args.map(redactArgument) as Parameters<typeof method>);
              },
            },
            autoLogging: { ignore: (request) => request.url === '/health' },
          },
        }),
      ],
    };
  }
}
