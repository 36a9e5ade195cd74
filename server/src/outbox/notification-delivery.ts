import type { ActivityNotification, GraphApi } from "../graph/graph-api";
import type { Tx } from "../store/unit-of-work";
import type { OutboxMessage } from "./outbox.repository";
import { PermanentDeliveryError, type DeliveryContext, type DeliveryHandler } from "./worker";

export interface NotificationPayload {
  userId: string;
  /** The outcome the notification is about (absent from messages written before it was kept). */
  outcomeId?: string;
  notification: ActivityNotification;
}

/**
 * Sends a Teams activity-feed notification (app-only). The reminder it belongs to was recorded,
 * audited, when the message was written; a crash between Graph's answer and marking the message
 * done can send it twice, never lose it.
 */
export class NotificationDelivery implements DeliveryHandler {
  constructor(private readonly deps: { graph: GraphApi; timeoutMs: number }) {}

  async deliver(msg: OutboxMessage, ctx: DeliveryContext): Promise<null> {
    const p = msg.payload as unknown as Partial<NotificationPayload>;
    if (!p.userId || !p.notification) throw new PermanentDeliveryError("The notification message has no recipient or content.");
    await this.deps.graph.sendActivityNotification({ tenantId: msg.tenantId }, p.userId, p.notification, { retry: false, signal: ctx.signal, timeoutMs: this.deps.timeoutMs });
    return null;
  }

  /**
   * Given up: the trail says so, so that a reminder or a nudge recorded as sent but never shown to
   * its owner is on the record as such.
   */
  async failed(tx: Tx, msg: OutboxMessage, error: string): Promise<void> {
    const p = msg.payload as unknown as Partial<NotificationPayload>;
    tx.audit({
      action: "notification.failed",
      entity: p.outcomeId ? "outcome" : "outbox_message",
      entityId: p.outcomeId ?? msg.id,
      changes: { recipientId: { after: p.userId ?? null }, activityType: { after: p.notification?.activityType ?? null }, outboxMessageId: { after: msg.id } },
      reason: `after ${msg.attempts} attempt(s): ${error}`.slice(0, 1000),
    });
  }
}
