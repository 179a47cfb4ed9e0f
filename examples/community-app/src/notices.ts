import type { Json } from '@switchyard/core';
import type { App } from './router.js';

/** A user's own channel: what their open pages hear about (a match accepted, the account deleted). */
export function userChannel(userId: string): string {
  return `user:${userId}`;
}

/** Tells a user's open pages, on every instance, that something changed; a lost notice only delays a refresh. */
export async function notify(app: App, userId: string, notice: { type: string } & Record<string, Json>): Promise<void> {
  try {
    await app.pubsub.publish(userChannel(userId), notice);
  } catch (error) {
    app.log(`could not notify ${userId}`, error);
  }
}
