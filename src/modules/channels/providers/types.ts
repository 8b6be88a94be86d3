import type { Rendered } from '../../notifications/index.js';

export type OutChannel = 'email' | 'sms' | 'whatsapp' | 'telegram';

export type SendRequest = {
  /** The outbox message id: the idempotency key wherever the provider has one. */
  id: string;
  channel: OutChannel;
  to: string;
  type: string;
  rendered: Rendered;
  /** WhatsApp: the customer wrote to us in the last 24 hours, so free text is allowed. */
  sessionOpen: boolean;
};
export type SendResult = { providerId: string; status?: string };

/** The provider refused the message for good (bad address, blocked bot): retrying cannot help. */
export class PermanentSendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentSendError';
  }
}

/** One channel's sender. Implementations wrap the official client; they never touch the database. */
export interface MessageProvider {
  send(m: SendRequest): Promise<SendResult>;
  close?(): Promise<void>;
}

export type Providers = Partial<Record<OutChannel, MessageProvider>>;
