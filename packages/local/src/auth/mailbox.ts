import { printsAs } from '@switchyard/core/adapter';

/** A sign-in email as the dev mailbox keeps it. */
export interface DevMail {
  to: string;
  subject: string;
  text: string;
  /** The one-time code in the email. */
  code: string;
  /** The magic link, and the token it carries. */
  link: string;
  tokenHash: string;
  sentAt: Date;
}

export interface DevMailboxOptions {
  /** Print each email to stdout (what `npm start` shows a developer). Default false. */
  print?: boolean;
  /** How many emails to keep; older ones are dropped. Default 1,000. */
  keep?: number;
}

/** Keeps (and optionally prints) the sign-in emails LocalAuth "sends", instead of sending them. */
export class DevMailbox {
  readonly messages: DevMail[] = [];
  private readonly listeners = new Set<(mail: DevMail) => void>();
  private readonly print: boolean;
  private readonly keep: number;

  constructor(options: DevMailboxOptions = {}) {
    this.print = options.print ?? false;
    this.keep = options.keep ?? 1000;
    // Its emails carry live sign-in codes and links: read them with `last`, never through a log.
    printsAs(this, () => ({ messages: this.messages.length }));
  }

  /** @internal Called by LocalAuth. */
  deliver(mail: DevMail): void {
    this.messages.push(mail);
    if (this.messages.length > this.keep) this.messages.shift();
    if (this.print) {
      process.stdout.write(`\n📬 Sign-in email for ${mail.to}\n   code: ${mail.code}\n   link: ${mail.link}\n\n`);
    }
    for (const listener of this.listeners) listener(mail);
  }

  /** The most recent email to `to` (case-insensitive). */
  last(to: string): DevMail | undefined {
    const address = to.trim().toLowerCase();
    return this.messages.findLast((mail) => mail.to === address);
  }

  /** Calls `listener` for every new email; returns a function that stops it. */
  onMessage(listener: (mail: DevMail) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
