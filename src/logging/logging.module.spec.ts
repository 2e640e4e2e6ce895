import pino from 'pino';
import { loggerOptions, prettyLines, usesPrettyLines } from './logging.module';

/** A destination that keeps what it is given. */
function capture(): { lines: string[]; write: (line: string) => void } {
  const lines: string[] = [];
  return { lines, write: (line: string) => void lines.push(line) };
}

describe(usesPrettyLines.name, () => {
  it.each([
    ['auto', true, true],
    ['auto', false, false],
    ['pretty', false, true],
    ['json', true, false],
  ] as const)('should, with LOG_FORMAT=%s and a terminal %p, write pretty lines: %p', (format, terminal, expected) => {
    expect(usesPrettyLines(format, terminal)).toBe(expected);
  });
});

describe(prettyLines.name, () => {
  it('should write one readable line per entry, with the context and no JSON', () => {
    const output = capture();
    const sut = pino(loggerOptions('info'), prettyLines(output, false));

    sut.info({ context: 'Bootstrap' }, 'Listening on 127.0.0.1:3000');

    expect(output.lines).toHaveLength(1);
    expect(output.lines[0]).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: \[Bootstrap\] Listening on 127\.0\.0\.1:3000\n$/);
  });

  it('should summarise a request log as method, path, status and duration', () => {
    const output = capture();
    const sut = pino(loggerOptions('info'), prettyLines(output, false));

    sut.info({ context: 'HTTP', req: { id: 'r1', method: 'POST', url: '/api/buildings' }, res: { statusCode: 201 }, responseTime: 12 }, 'request completed');

    expect(output.lines[0]).toContain('[HTTP] request completed POST /api/buildings → 201 in 12 ms');
  });

  it('should still scrub e-mails, phones and link tokens from every message', () => {
    const output = capture();
    const sut = pino(loggerOptions('info'), prettyLines(output, false));

    sut.info('Sent to anna.muster@example.ch, +41 79 123 45 67, /confirm/q3Xz0bJt1mYxG8n2lq7QhZxv0uJ3o5m8Jc1kR2sT4wE');
    sut.error(new Error('no mailbox for anna.muster@example.ch'));

    const text = output.lines.join('');
    expect(text).toContain('Sent to [email], [phone], /confirm/[token]');
    expect(text).not.toMatch(/anna\.muster|79 123|q3Xz0b/);
  });

  it('should colour the level only when asked to', () => {
    const plain = capture();
    const coloured = capture();
    pino(loggerOptions('info'), prettyLines(plain, false)).warn('careful');
    pino(loggerOptions('info'), prettyLines(coloured, true)).warn('careful');

    expect(plain.lines[0]).not.toContain('\u001b[');
    expect(coloured.lines[0]).toContain('\u001b[');
  });
});
