import { Injectable } from '@nestjs/common';
import { DeferredMessage, OutboxPayloadError, RenderedMessage } from './outbox-crypto';

/** A queued mail as its composer sees it: the building it is addressed to, the ones it may name (in order), its data. */
export type QueuedMailContext = { buildingId: string | null; mentions: readonly string[]; data: Record<string, unknown> };

/** A composed mail and the buildings whose details it really names: the row records them as its mentions once sent. */
export type ComposedMail = { message: RenderedMessage; mentions: string[] };

/** Renders a mail at send time from current records; null when it is no longer due (its recipient has left). */
export type MailComposer = (mail: QueuedMailContext) => Promise<ComposedMail | null>;

/**
 * The composers of mails that wait in the outbox unrendered. The feature that queues such a mail
 * registers its composer (the mail module knows no feature), and the outbox worker asks for it
 * when the mail is due.
 */
@Injectable()
export class MailComposers {
  private readonly composers = new Map<string, MailComposer>();

  register(name: string, composer: MailComposer): void {
    if (this.composers.has(name)) throw new Error(`A mail composer named "${name}" is registered already`);
    this.composers.set(name, composer);
  }

  /**
   * Composes a queued mail of its row (addressed to `row.buildingId`). Throws OutboxPayloadError (a
   * permanent failure) for an unknown composer or data it refuses.
   */
  compose(message: DeferredMessage, row: { buildingId: string | null; mentions: readonly string[] }): Promise<ComposedMail | null> {
    const composer = this.composers.get(message.composer);
    if (!composer) throw new OutboxPayloadError(`no composer "${message.composer}"`);
    return composer({ buildingId: row.buildingId, mentions: message.mentions ?? row.mentions, data: message.data });
  }
}
