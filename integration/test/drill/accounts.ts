import { type Session, SwitchyardError } from '@switchyard/core';
import type { Fleet, Instance } from './fleet.js';
import type { Phase } from './workload.js';

export interface IssuedSession {
  email: string;
  phase: Phase;
  issuer: 'supabase' | 'cognito';
  userId: string;
  session: Session;
}

/**
 * Passwordless sign-ins as users do them across instances: the email is sent by one instance and
 * the code entered at another (a rolling redeploy or a second instance behind the balancer). Keeps
 * each email's application id as first learned, and counts every sign-in that came back with
 * another id (a split identity) or failed.
 */
export class Accounts {
  readonly ids = new Map<string, string>();
  readonly sessions: IssuedSession[] = [];
  readonly splits: string[] = [];
  readonly failures: { email: string; phase: Phase; code: string; message: string }[] = [];

  constructor(private readonly mailbox: (issuer: 'supabase' | 'cognito', email: string) => string) {}

  /** Sends at `sender`, verifies at `verifier`; returns the error instead of throwing (the caller decides what is expected). */
  async signIn(sender: Instance, verifier: Instance, email: string): Promise<IssuedSession | SwitchyardError> {
    const issuer = sender.phase <= 2 ? 'supabase' : 'cognito';
    try {
      await sender.providers.auth.sendSignInEmail(email);
      const session = await verifier.providers.auth.verifySignIn({ email, code: this.mailbox(issuer, email) });
      const known = this.ids.get(email);
      if (known !== undefined && known !== session.user.id) this.splits.push(`${email}: ${known} then ${session.user.id}`);
      if (known === undefined) this.ids.set(email, session.user.id);
      const issued = { email, phase: sender.phase, issuer, userId: session.user.id, session } as IssuedSession;
      this.sessions.push(issued);
      return issued;
    } catch (error) {
      const e = SwitchyardError.isInstance(error)
        ? error
        : new SwitchyardError({ code: 'UNAVAILABLE', operation: 'signIn', message: String((error as Error)?.message ?? error) });
      return e;
    }
  }

  /** A sign-in that must succeed: a failure is recorded. */
  async mustSignIn(fleet: Fleet, email: string): Promise<void> {
    const [sender, verifier] = [fleet.live[0] as Instance, fleet.newest()];
    const result = await this.signIn(sender, verifier, email);
    if (SwitchyardError.isInstance(result))
      this.failures.push({ email, phase: sender.phase, code: result.code, message: result.message.slice(0, 300) });
  }

  /** Sessions that should still verify through `instance` but do not: sign-outs the runbook does not state. */
  async unexpectedSignOuts(instance: Instance, issuers: IssuedSession['issuer'][]): Promise<string[]> {
    const lost: string[] = [];
    for (const issued of this.sessions.filter((s) => issuers.includes(s.issuer))) {
      try {
        const user = await instance.providers.auth.verifyAccessToken(issued.session.accessToken);
        if (user.id !== issued.userId) lost.push(`${issued.email} (phase ${issued.phase}): verified as ${user.id}`);
      } catch (error) {
        lost.push(`${issued.email} (phase ${issued.phase}): ${(error as Error).message.slice(0, 120)}`);
      }
    }
    return lost;
  }
}
