import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino, { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import { isColorSupported, prettyFactory } from 'pino-pretty';
import { Env, LogFormat } from '../config/env.validation';
import { redactPersonalData, redactUrl } from '../common/personal-data';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** `[Context] message`, and for a request log `GET /path → 200 in 3 ms`: one line a person can scan. */
const PRETTY_MESSAGE =
  '{if context}[{context}] {end}{msg}{if req.method} {req.method} {req.url}{end}' +
  '{if res.statusCode} → {res.statusCode}{end}{if responseTime} in {responseTime} ms{end}';

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

/** Pretty lines for a person at a terminal; JSON lines for whatever reads a pipe or a file. */
export function usesPrettyLines(format: LogFormat, stdoutIsTerminal: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && stdoutIsTerminal);
}

/**
 * Turns each JSON line into a readable one with pino-pretty before it reaches `destination`. Formatting
 * in the logging call (rather than in a pino-pretty transport thread, which pino cannot flush) hands
 * finished lines to the same asynchronous destination as JSON, and so to the same flush at exit.
 */
export function prettyLines(destination: DestinationStream, colorize: boolean): DestinationStream {
  const prettify = prettyFactory({
    colorize,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,context,req,res,responseTime',
    messageFormat: PRETTY_MESSAGE,
  });
  return { write: (line: string) => destination.write(prettify(line)) };
}

/** Lines are gathered up to this many bytes before a write, so that a busy service does not pay a write per request. */
const LOG_BUFFER_BYTES = 4096;
/** The longest a line waits in the buffer when the service is quiet. */
const LOG_FLUSH_MS = 200;

/**
 * Standard output, written asynchronously and in batches: a synchronous write per line cost about a
 * quarter of a registration's time, and even an asynchronous write per line (one system call per
 * request) a few per cent. Lines are written once LOG_BUFFER_BYTES have gathered, and at the latest
 * LOG_FLUSH_MS after they were logged. pino flushes this destination synchronously on process exit,
 * which main.ts reaches on SIGTERM/SIGINT through process.exit, so the last lines are kept.
 */
export function logDestination(format: LogFormat): DestinationStream {
  const stdout = pino.destination({ dest: 1, sync: false, minLength: LOG_BUFFER_BYTES });
  let waiting = false;
  setInterval(() => {
    if (!waiting) return;
    waiting = false;
    try {
      stdout.flush();
    } catch {
      // Destroyed (stdout closed): there is nowhere left to write to.
    }
  }, LOG_FLUSH_MS).unref();
  const buffered: DestinationStream = {
    write: (line: string) => {
      waiting = true;
      stdout.write(line);
    },
  };
  return usesPrettyLines(format, Boolean(process.stdout.isTTY)) ? prettyLines(buffered, isColorSupported) : buffered;
}

/** pino-http options: request ids, redacting serializers, and a hook that scrubs personal data from every message. */
export function loggerOptions(level: Env['LOG_LEVEL']): Options {
  return {
    level,
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
  };
}

/** Structured logs with a request id, as JSON lines or pretty lines (LOG_FORMAT); personal data is scrubbed from every line. */
@Module({})
export class LoggingModule {
  static forEnv(env: Env): DynamicModule {
    return {
      module: LoggingModule,
      imports: [LoggerModule.forRoot({ pinoHttp: [loggerOptions(env.LOG_LEVEL), logDestination(env.LOG_FORMAT)] })],
    };
  }
}
