import { DataSource } from 'typeorm';
import {
  HANDOVER_DECLINED_SUBJECT,
  HANDOVER_DONE_SUBJECT,
  HANDOVER_REQUEST_SUBJECT,
  MAILBOX_LIMIT_SUBJECT,
  REGISTRATION_ACTIVE_SUBJECT,
  UNSUBSCRIBE_LINK_SUBJECT,
  VERIFICATION_SUBJECT,
} from '../src/mail/mail-templates';
import { HousekeepingService } from '../src/registration/housekeeping.service';
import { registrationBody, uniqueBuildingId } from './helpers/factories';
import { readOutbox } from './helpers/outbox';
import { AppWithSmtp, linkIn, startAppWithSmtp } from './helpers/app-with-smtp';
import { ReceivedMail, SmtpTestServer } from './helpers/smtp-test-server';
import { settle, TestApp } from './helpers/test-app';

type Row = Record<string, unknown>;

/** The mails delivered to one address (over real SMTP), oldest first, optionally of one subject. */
async function mailsTo(sut: TestApp, smtp: SmtpTestServer, to: string, subject?: string): Promise<ReceivedMail[]> {
  await settle(sut);
  return smtp.received.filter((mail) => mail.envelopeTo.includes(to) && (subject === undefined || mail.header('subject') === subject));
}

async function lastMailTo(sut: TestApp, smtp: SmtpTestServer, to: string, subject: string): Promise<ReceivedMail> {
  const mail = (await mailsTo(sut, smtp, to, subject)).at(-1);
  if (!mail) throw new Error(`no mail "${subject}" to ${to}`);
  return mail;
}

describe('Who a registration belongs to (e2e)', () => {
  let context: AppWithSmtp;
  let sut: TestApp;
  let dataSource: DataSource;
  const mail = (to: string, subject: string) => lastMailTo(sut, context.smtp, to, subject);

  beforeAll(async () => {
    context = await startAppWithSmtp({ HANDOVER_WAIT: '2s' });
    sut = context.sut;
    dataSource = sut.dataSource;
  });

  afterAll(async () => {
    await context?.close();
  });

  const recordOf = async (buildingId: string): Promise<Row | undefined> => {
    const [row] = await dataSource.query<Row[]>(
      'SELECT building_id, email, phone, verified FROM buildings WHERE building_id = $1 UNION ALL SELECT building_id, email, phone, verified FROM interest_pool WHERE building_id = $1',
      [buildingId],
    );
    return row;
  };
  const confirm = (token: string) => sut.http().post('/api/verification/confirm').send({ token });

  /** A confirmed full registration, with the holder's own unsubscribe token. */
  async function confirmedHolder() {
    const body = registrationBody({ email: `holder.${uniqueBuildingId()}@example.ch` });
    await sut.http().post('/api/buildings').send(body).expect(201);
    const verification = await mail(body.email, VERIFICATION_SUBJECT);
    await confirm(linkIn(verification, 'confirm')).expect(200);
    return { id: body.profile.building_id, email: body.email, unsubscribe: linkIn(verification, 'unsubscribe') };
  }

  /** Someone else registers the held building and confirms their own mailbox. */
  async function claimAndConfirm(buildingId: string, email: string) {
    await sut.http().post('/api/buildings').send(registrationBody({ buildingId, email, phone: null })).expect(201);
    const verification = await mail(email, VERIFICATION_SUBJECT);
    const confirmed = await confirm(linkIn(verification, 'confirm')).expect(200);
    return { confirmed: confirmed.body as { handover?: { status: string; applies_at: string | null } }, unsubscribe: linkIn(verification, 'unsubscribe') };
  }

  it('should not let a stranger take over a confirmed registration when its holder objects', async () => {
    const holder = await confirmedHolder();
    const before = await recordOf(holder.id);
    const attackerEmail = `mallory.${uniqueBuildingId()}@example.ch`;

    const attacker = await claimAndConfirm(holder.id, attackerEmail);
    expect(attacker.confirmed.handover).toEqual({ status: 'waiting', applies_at: expect.any(String) });
    expect(await recordOf(holder.id)).toEqual(before);

    const request = await mail(holder.email, HANDOVER_REQUEST_SUBJECT);
    await sut.http().post('/api/handover').send({ token: linkIn(request, 'handover'), decision: 'object' }).expect(200, { transferred: false });

    expect(await recordOf(holder.id)).toEqual(before);
    await mail(attackerEmail, HANDOVER_DECLINED_SUBJECT);
    // The question is answered; the attacker's claim link is dead; the holder's own unsubscribe link still works.
    await sut.http().post('/api/handover').send({ token: linkIn(request, 'handover'), decision: 'agree' }).expect(404);
    await sut.http().post('/api/unsubscribe').send({ token: attacker.unsubscribe }).expect(404);
    await sut.http().post('/api/unsubscribe').send({ token: holder.unsubscribe }).expect(200);
    expect(await recordOf(holder.id)).toBeUndefined();
  });

  it('should let the holder answer on the page behind the mailed link, the GET deciding nothing', async () => {
    const holder = await confirmedHolder();
    const before = await recordOf(holder.id);
    await claimAndConfirm(holder.id, `page.claimant.${uniqueBuildingId()}@example.ch`);
    const token = linkIn(await mail(holder.email, HANDOVER_REQUEST_SUBJECT), 'handover');

    const page = await sut.http().get(`/handover/${token}`).expect(200).expect('Content-Type', /html/);
    expect(page.text).toContain(`action="/handover/${token}/object"`);
    expect(page.text).toContain(`action="/handover/${token}/agree"`);
    await sut.http().post(`/handover/${token}/maybe`).expect(400);
    expect(await recordOf(holder.id)).toEqual(before);

    const decided = await sut.http().post(`/handover/${token}/object`).expect(200).expect('Content-Type', /html/);
    expect(decided.text).toContain('</html>');
    expect(await recordOf(holder.id)).toEqual(before);
    await sut.http().post(`/handover/${token}/agree`).expect(404);
  });

  it('should hand over when the holder agrees, and the previous holder’s links then erase nothing', async () => {
    const holder = await confirmedHolder();
    const newOwner = `buyer.${uniqueBuildingId()}@example.ch`;
    await claimAndConfirm(holder.id, newOwner);
    const request = await mail(holder.email, HANDOVER_REQUEST_SUBJECT);

    await sut.http().post('/api/handover').send({ token: linkIn(request, 'handover'), decision: 'agree' }).expect(200, { transferred: true });

    expect(await recordOf(holder.id)).toMatchObject({ email: newOwner, phone: null, verified: true });
    await mail(holder.email, HANDOVER_DONE_SUBJECT);
    await sut.http().post('/api/unsubscribe').send({ token: holder.unsubscribe }).expect(404);
    expect(await recordOf(holder.id)).toMatchObject({ email: newOwner });

    const active = await mail(newOwner, REGISTRATION_ACTIVE_SUBJECT);
    await sut.http().post('/api/unsubscribe').send({ token: linkIn(active, 'unsubscribe') }).expect(200);
    expect(await recordOf(holder.id)).toBeUndefined();
  });

  it('should hand over after the waiting period when the holder does not answer', async () => {
    const holder = await confirmedHolder();
    const newOwner = `heir.${uniqueBuildingId()}@example.ch`;
    const { confirmed } = await claimAndConfirm(holder.id, newOwner);

    expect((await sut.app.get(HousekeepingService).runNow()).handoversApplied).toBe(0);
    expect(await recordOf(holder.id)).toMatchObject({ email: holder.email });

    await new Promise((resolve) => setTimeout(resolve, Date.parse(confirmed.handover!.applies_at!) - Date.now() + 50));
    expect((await sut.app.get(HousekeepingService).runNow()).handoversApplied).toBe(1);
    expect(await recordOf(holder.id)).toMatchObject({ email: newOwner, verified: true });
  });

  it('should let one claim per building wait for its holder, and the claimant withdraw it', async () => {
    const holder = await confirmedHolder();
    const first = await claimAndConfirm(holder.id, `first.${uniqueBuildingId()}@example.ch`);
    const secondEmail = `second.${uniqueBuildingId()}@example.ch`;
    await sut.http().post('/api/buildings').send(registrationBody({ buildingId: holder.id, email: secondEmail })).expect(201);
    const secondLink = linkIn(await mail(secondEmail, VERIFICATION_SUBJECT), 'confirm');
    await confirm(secondLink).expect(409);

    await sut.http().post('/api/unsubscribe').send({ token: first.unsubscribe }).expect(200);
    const second = await confirm(secondLink).expect(200);
    expect(second.body.handover).toEqual({ status: 'waiting', applies_at: expect.any(String) });
    expect(await recordOf(holder.id)).toMatchObject({ email: holder.email, verified: true });
  });

  it('should ask a holder at most MAIL_LIMIT_HANDOVER times, however often a stranger claims and withdraws', async () => {
    const holder = await confirmedHolder();
    for (let i = 0; i < 3; i++) {
      const claim = await claimAndConfirm(holder.id, `pest${i}.${uniqueBuildingId()}@example.ch`);
      expect(claim.confirmed.handover?.status).toBe('waiting');
      await sut.http().post('/api/unsubscribe').send({ token: claim.unsubscribe }).expect(200);
    }
    const email = `pest3.${uniqueBuildingId()}@example.ch`;
    await sut.http().post('/api/buildings').send(registrationBody({ buildingId: holder.id, email })).expect(201);
    await confirm(linkIn(await mail(email, VERIFICATION_SUBJECT), 'confirm')).expect(429);

    expect(await mailsTo(sut, context.smtp, holder.email, HANDOVER_REQUEST_SUBJECT)).toHaveLength(3);
    expect(await recordOf(holder.id)).toMatchObject({ email: holder.email, verified: true });
  });

  it('should keep the holder’s confirmed record until the holder confirms a re-registration from the same address', async () => {
    const holder = await confirmedHolder();
    const before = await recordOf(holder.id);
    await sut.http().post('/api/buildings').send(registrationBody({ buildingId: holder.id, email: holder.email, phone: '+41 79 765 43 21' })).expect(201);
    expect(await recordOf(holder.id)).toEqual(before);

    const confirmed = await confirm(linkIn(await mail(holder.email, VERIFICATION_SUBJECT), 'confirm')).expect(200);
    expect(confirmed.body.handover).toEqual({ status: 'applied', applies_at: null });
    expect(await recordOf(holder.id)).toMatchObject({ email: holder.email, phone: '+41797654321', verified: true });
    // Same holder: the unsubscribe link from the first registration still belongs to them.
    await sut.http().post('/api/unsubscribe').send({ token: holder.unsubscribe }).expect(200);
  });
});

describe('Asking for unsubscribe links (e2e)', () => {
  let context: AppWithSmtp;
  let sut: TestApp;

  beforeAll(async () => {
    // A PostgreSQL server even in an embedded run: the proof locks tables while other sessions go on.
    context = await startAppWithSmtp({}, 'server');
    sut = context.sut;
  });

  afterAll(async () => {
    await context?.close();
  });

  it('should answer before looking the address up, so the answer’s timing cannot tell a registered address', async () => {
    const body = registrationBody({ email: `timed.${uniqueBuildingId()}@example.ch` });
    await sut.http().post('/api/buildings').send(body).expect(201);
    await settle(sut);
    const lock = sut.dataSource.createQueryRunner();
    await lock.connect();
    await lock.startTransaction();
    try {
      // With both record tables locked, any lookup on the request path would wait for this transaction.
      await lock.query('LOCK TABLE buildings, interest_pool IN ACCESS EXCLUSIVE MODE');
      await sut.http().post('/api/unsubscribe/request').timeout(10_000).send({ email: body.email }).expect(202);
      await sut.http().post('/api/unsubscribe/request').timeout(10_000).send({ email: 'nobody.here@example.ch' }).expect(202);
    } finally {
      await lock.rollbackTransaction();
      await lock.release();
    }
    const link = await lastMailTo(sut, context.smtp, body.email, UNSUBSCRIBE_LINK_SUBJECT);
    await sut.http().post('/api/unsubscribe').send({ token: linkIn(link, 'unsubscribe') }).expect(200);
    expect(await mailsTo(sut, context.smtp, 'nobody.here@example.ch')).toEqual([]);
  });
});

describe('Limits per mailbox (e2e)', () => {
  let context: AppWithSmtp;
  let sut: TestApp;

  beforeAll(async () => {
    context = await startAppWithSmtp({ MAX_REGISTRATIONS_PER_MAILBOX: '2', MAIL_LIMIT_LINKS: '4/1d' });
    sut = context.sut;
  });

  afterAll(async () => {
    await context?.close();
  });

  it('should store at most MAX_REGISTRATIONS_PER_MAILBOX registrations of one mailbox, answering the same and telling the mailbox', async () => {
    const email = `collector.${uniqueBuildingId()}@example.ch`;
    const answers = [];
    const ids = [];
    for (let i = 0; i < 3; i++) {
      const body = registrationBody({ email });
      ids.push(body.profile.building_id);
      answers.push((await sut.http().post('/api/interest-pool').send(body).expect(201)).body as Record<string, unknown>);
    }
    expect(Object.keys(answers[2]).sort()).toEqual(Object.keys(answers[0]).sort());
    const stored = await sut.dataSource.query<Row[]>('SELECT building_id FROM interest_pool WHERE building_id = ANY($1)', [ids]);
    expect(stored.map((row) => row.building_id).sort()).toEqual(ids.slice(0, 2).sort());
    expect((await mailsTo(sut, context.smtp, email)).map((mail) => mail.header('subject'))).toEqual([VERIFICATION_SUBJECT, VERIFICATION_SUBJECT, MAILBOX_LIMIT_SUBJECT]);

    // Other capitals or a +tag reach the same mailbox, so they share its limit.
    const [local, domain] = email.split('@');
    const variant = `${local.toUpperCase()}+x@${domain}`;
    await sut.http().post('/api/interest-pool').send(registrationBody({ email: variant })).expect(201);
    expect((await mailsTo(sut, context.smtp, variant)).map((mail) => mail.header('subject'))).toEqual([MAILBOX_LIMIT_SUBJECT]);
  });

  it('should refuse with 429 a registration beyond the mailbox’s daily link mails, sending nothing more', async () => {
    const email = `victim.${uniqueBuildingId()}@example.ch`;
    const body = registrationBody({ email });
    for (let i = 0; i < 4; i++) await sut.http().post('/api/interest-pool').send(body).expect(201);
    const delivered = (await mailsTo(sut, context.smtp, email)).length;
    const refused = await sut.http().post('/api/buildings').send(body).expect(429);
    expect(refused.body.message).toMatch(/too many e-mails/i);
    await sut.http().post('/api/unsubscribe/request').send({ email }).expect(202);
    expect(await mailsTo(sut, context.smtp, email)).toHaveLength(delivered);
  });
});

describe('Unconfirmed registrations expire (e2e)', () => {
  let context: AppWithSmtp;
  let sut: TestApp;

  beforeAll(async () => {
    context = await startAppWithSmtp({ VERIFICATION_TOKEN_TTL: '1s' });
    sut = context.sut;
  });

  afterAll(async () => {
    await context?.close();
  });

  it('should erase a registration whose confirmation link expired unused, and keep confirmed ones', async () => {
    const unconfirmed = registrationBody();
    const confirmed = registrationBody();
    await sut.http().post('/api/interest-pool').send(unconfirmed).expect(201);
    await sut.http().post('/api/buildings').send(confirmed).expect(201);
    const link = linkIn(await lastMailTo(sut, context.smtp, confirmed.email, VERIFICATION_SUBJECT), 'confirm');
    await sut.http().post('/api/verification/confirm').send({ token: link }).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1_200));

    expect((await sut.app.get(HousekeepingService).runNow()).unconfirmedErased).toBe(1);
    const left = await sut.dataSource.query<Row[]>('SELECT building_id FROM interest_pool UNION ALL SELECT building_id FROM buildings');
    expect(left.map((row) => row.building_id)).toEqual([confirmed.profile.building_id]);
    expect((await readOutbox(sut.dataSource)).filter((mail) => mail.buildingId === unconfirmed.profile.building_id)).toEqual([]);
  });
});

describe('What an owner can learn about their disclosures (e2e)', () => {
  let context: AppWithSmtp;
  let sut: TestApp;

  beforeAll(async () => {
    context = await startAppWithSmtp();
    sut = context.sut;
  });

  afterAll(async () => {
    await context?.close();
  });

  it('should list which neighbours received one’s contact details, through one’s own unsubscribe link only', async () => {
    const owners = [registrationBody({ lat: 47.4731, lon: 8.3066 }), registrationBody({ lat: 47.4732, lon: 8.3067, address: 'Badstrasse 14, 5400 Baden' })];
    const links = [];
    for (const body of owners) {
      await sut.http().post('/api/buildings').send(body).expect(201);
      const verification = await lastMailTo(sut, context.smtp, body.email, VERIFICATION_SUBJECT);
      await sut.http().post('/api/verification/confirm').send({ token: linkIn(verification, 'confirm') }).expect(200);
      links.push(linkIn(verification, 'unsubscribe'));
    }
    await settle(sut);
    await settle(sut);

    const answer = await sut.http().post('/api/unsubscribe/disclosures').send({ token: links[0] }).expect(200);
    expect(answer.body.disclosures.length).toBeGreaterThanOrEqual(1);
    expect(answer.body.disclosures[0]).toEqual({ recipient_address: owners[1].profile.address, sent_at: expect.any(String) });
    const page = await sut.http().get(`/unsubscribe/${links[0]}`).expect(200);
    expect(page.text).toContain(owners[1].profile.address);
    await sut.http().post('/api/unsubscribe/disclosures').send({ token: 'A'.repeat(43) }).expect(404);
  });
});
