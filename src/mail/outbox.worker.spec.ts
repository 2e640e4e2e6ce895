import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { Env } from '../config/env.validation';
import { MailTransport } from './mail-transport';
import { MailComposers } from './mail-composers';
import { OutboxCipher } from './outbox-crypto';
import { backoffSeconds, messageIdDomain, messageIdFor, OutboxWorker } from './outbox.worker';

const config = (values: Partial<Env>) => ({ get: (key: keyof Env) => values[key] }) as unknown as ConfigService<Env, true>;

describe(OutboxWorker.name, () => {
  it('should back off exponentially from 30 s, capped at one hour', () => {
    expect([1, 2, 3, 4, 7, 8, 20].map(backoffSeconds)).toEqual([30, 60, 120, 240, 1920, 3600, 3600]);
  });

  it('should derive a stable Message-ID from the idempotency key and the MAIL_FROM domain', () => {
    expect(messageIdDomain('LEG Match <noreply@Leg.Example.ch>')).toBe('leg.example.ch');
    expect(messageIdDomain('broken')).toBe('leg-match');
    expect(messageIdFor('k', 'x.ch')).toBe(messageIdFor('k', 'x.ch'));
    expect(messageIdFor('k', 'x.ch')).toMatch(/^<[0-9a-f]{32}@x\.ch>$/);
    expect(messageIdFor('k', 'x.ch')).not.toBe(messageIdFor('l', 'x.ch'));
  });

  it('should warn once per database outage, keep polling, and say when it works again', async () => {
    let down = true;
    const dataSource = {
      query: jest.fn(() =>
        down ? Promise.reject(Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:5432'), { code: 'ECONNREFUSED' })) : Promise.resolve([[], 0]),
      ),
    } as unknown as DataSource;
    const transport = { description: 'test', send: jest.fn(), close: jest.fn() } as unknown as MailTransport;
    const settings = config({ MAIL_POLL_INTERVAL_MS: 50, MAIL_WORKER_ENABLED: true, MAIL_FROM: 'x <a@b.ch>', APP_SECRET: 'a'.repeat(32) });
    const sut = new OutboxWorker(dataSource, transport, new OutboxCipher(settings), new MailComposers(), settings);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    try {
      sut.onApplicationBootstrap();
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect((dataSource.query as jest.Mock).mock.calls.length).toBeGreaterThan(3);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0][0]).toContain('database unavailable');
      down = false;
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(log).toHaveBeenCalledWith('Mail outbox polling works again');
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      await sut.beforeApplicationShutdown();
      warn.mockRestore();
      log.mockRestore();
    }
  });
});
