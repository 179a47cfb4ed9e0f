import { normalizeEmail } from '../auth/email.js';
import type { AuthCapabilities, AuthPort, AuthUser, SendSignInEmailOptions, Session, SignInProof, SignOutOptions } from '../auth/port.js';
import { SwitchyardError } from '../errors.js';
import type { ReadMode } from '../providers/config.js';
import { DualAuthAdmin } from './dual-auth-admin.js';
import { type DualScope, dualCall } from './dual-call.js';
import { DualSides } from './dual-sides.js';
import { BackgroundWork, closeBoth, reportDivergence, type ShadowOptions, shadowCall } from './shadow.js';
import { unverifiedIssuer } from './token-issuer.js';

export interface DualAuthOptions extends ShadowOptions {
  primary: AuthPort;
  shadow: AuthPort;
  /** The `iss` each side writes into its access tokens; tokens are routed to the side that issued them. */
  issuers: { primary: string; shadow: string };
  /** `fallback` or `compare` apply to admin user look-ups. Default `primary`. */
  reads?: ReadMode;
}

/**
 * An AuthPort during a migration. New sign-ins happen at the primary; access tokens verify at
 * whichever side issued them, so sessions from before the switch stay valid until they expire.
 * A user known only to the shadow is created at the primary, with the same application id, when
 * they ask to sign in (lazy migration; Cognito's migration trigger does not run for passwordless
 * sign-in, so this is the only point where it can happen). Admin writes reach both sides.
 */
export class DualAuth extends DualSides<AuthPort> implements AuthPort {
  readonly capabilities: AuthCapabilities;
  readonly admin: DualAuthAdmin;
  private readonly issuers: { primary: string; shadow: string };
  private readonly background = new BackgroundWork();

  constructor(options: DualAuthOptions) {
    super('auth', options);
    const { primary, shadow } = options;
    this.issuers = options.issuers;
    const a = primary.capabilities;
    const b = shadow.capabilities;
    this.capabilities = {
      magicLink: a.magicLink && b.magicLink,
      emailCode: a.emailCode && b.emailCode,
      refreshTokenRotation: a.refreshTokenRotation && b.refreshTokenRotation,
      customUserId: a.customUserId && b.customUserId,
      globalSignOut: a.globalSignOut && b.globalSignOut,
      immediateRevocation: a.immediateRevocation && b.immediateRevocation,
      distinctRefusalReasons: a.distinctRefusalReasons && b.distinctRefusalReasons,
    };
    this.admin = new DualAuthAdmin(primary, shadow, this.context, options.reads ?? 'primary', this.background);
  }

  sendSignInEmail(email: string, options?: SendSignInEmailOptions): Promise<void> {
    return dualCall(this.context, this.provider, 'sendSignInEmail', async (scope) => {
      const address = normalizeEmail(email, { provider: this.provider, operation: 'sendSignInEmail' });
      await this.migrateFromShadow(scope, address);
      await scope.primary(() => this.primary.sendSignInEmail(address, options));
    });
  }

  /**
   * Creates a shadow-only user at the primary with the same id, so their data stays theirs. Fails
   * closed (UNAVAILABLE, nothing created) when the shadow cannot answer; see `shadowUserByEmail`.
   */
  private async migrateFromShadow(scope: DualScope, email: string): Promise<void> {
    if (await scope.primary(() => this.primary.admin.getUserByEmail(email))) return;
    const user = await this.admin.shadowUserByEmail('sendSignInEmail', email, scope);
    if (!user) return;
    if (!this.primary.capabilities.customUserId) {
      reportDivergence(
        this.context,
        'sendSignInEmail',
        `the user exists only in the shadow and ${this.primary.provider} cannot keep their id; migrate them with the bulk import instead`,
        { kind: 'unsupported' },
      );
      return;
    }
    try {
      await scope.primary(() =>
        this.primary.admin.createUser({ id: user.id, email: user.email, emailVerified: user.emailVerified, metadata: user.metadata }),
      );
      reportDivergence(this.context, 'sendSignInEmail', 'the user existed only in the shadow; created at the primary with the same id', {
        kind: 'missing',
      });
    } catch (error) {
      // Two sign-ins racing: the other one created the user already.
      if (!SwitchyardError.hasCode(error, 'CONFLICT')) throw error;
    }
  }

  /**
   * Verifies at the primary. A code or link the primary provably did not issue (it has no sign-in
   * waiting for that address, or the link token is unknown to it) was sent by the shadow before the
   * switch, during a rolling redeploy: it is offered to the shadow, which issued it, and the session
   * it gives verifies by its issuer like any other shadow session.
   */
  verifySignIn(proof: SignInProof): Promise<Session> {
    return dualCall(this.context, this.provider, 'verifySignIn', async (scope) => {
      try {
        return await scope.primary(() => this.primary.verifySignIn(proof));
      } catch (error) {
        if (!issuedElsewhere(error, proof)) throw error;
        try {
          return await shadowCall(
            this.context,
            'verifySignIn',
            scope.shadow(() => this.shadow.verifySignIn(proof)),
          );
        } catch {
          throw error;
        }
      }
    });
  }

  /** Refresh tokens are opaque, so one the primary does not know is offered to the shadow that may have issued it. */
  refresh(refreshToken: string): Promise<Session> {
    return dualCall(this.context, this.provider, 'refresh', async (scope) => {
      try {
        return await scope.primary(() => this.primary.refresh(refreshToken));
      } catch (error) {
        if (!(SwitchyardError.hasCode(error, 'UNAUTHENTICATED') && error.reason === 'invalid')) throw error;
        try {
          return await shadowCall(
            this.context,
            'refresh',
            scope.shadow(() => this.shadow.refresh(refreshToken)),
          );
        } catch (shadowError) {
          if (SwitchyardError.hasCode(shadowError, 'UNAUTHENTICATED') && shadowError.reason !== 'invalid') throw shadowError;
          throw error;
        }
      }
    });
  }

  /** The side whose issuer the token names; the primary for anything else, which then refuses it. */
  private issuerOf(token: string): { port: AuthPort; role: 'primary' | 'shadow' } {
    return unverifiedIssuer(token) === this.issuers.shadow && this.issuers.shadow !== this.issuers.primary
      ? { port: this.shadow, role: 'shadow' }
      : { port: this.primary, role: 'primary' };
  }

  signOut(session: Pick<Session, 'accessToken' | 'refreshToken'>, options?: SignOutOptions): Promise<void> {
    return dualCall(this.context, this.provider, 'signOut', (scope) => {
      const { port, role } = this.issuerOf(session.accessToken);
      const start = () => port.signOut(session, options);
      return role === 'primary' ? scope.primary(start) : scope.shadow(start)();
    });
  }

  verifyAccessToken(token: string): Promise<AuthUser> {
    // The hot path of every request: no composite event of its own, only the side's.
    return this.issuerOf(token).port.verifyAccessToken(token);
  }

  async close(): Promise<void> {
    await this.background.settled();
    await closeBoth([() => this.primary.close(), () => this.shadow.close()]);
  }
}

/**
 * True when the primary's refusal shows the proof is not its own: no sign-in was waiting for the
 * address (`details.pending === false`, as Cognito reports it), or an unknown link token.
 */
function issuedElsewhere(error: unknown, proof: SignInProof): boolean {
  if (!SwitchyardError.hasCode(error, 'UNAUTHENTICATED') || error.reason !== 'invalid') return false;
  return 'tokenHash' in proof || error.details?.pending === false;
}
