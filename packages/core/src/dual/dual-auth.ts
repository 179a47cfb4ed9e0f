import { normalizeEmail } from '../auth/email.js';
import type { AuthCapabilities, AuthPort, AuthUser, SendSignInEmailOptions, Session, SignInProof, SignOutOptions } from '../auth/port.js';
import { SwitchyardError } from '../errors.js';
import type { ReadMode } from '../providers/config.js';
import { printsAs } from '../redact.js';
import { DualAuthAdmin } from './dual-auth-admin.js';
import { BackgroundWork, closeBoth, type DualContext, dualContext, reportDivergence, type ShadowOptions, shadowCall } from './shadow.js';
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
export class DualAuth implements AuthPort {
  readonly provider: string;
  readonly capabilities: AuthCapabilities;
  readonly primary: AuthPort;
  readonly shadow: AuthPort;
  readonly admin: DualAuthAdmin;
  private readonly context: DualContext;
  private readonly issuers: { primary: string; shadow: string };
  private readonly background = new BackgroundWork();

  constructor(options: DualAuthOptions) {
    const { primary, shadow } = options;
    this.primary = primary;
    this.shadow = shadow;
    this.issuers = options.issuers;
    this.provider = `${primary.provider}+${shadow.provider}`;
    this.context = dualContext('auth', options, options);
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
    // Its sides hold credentials: printing it shows which providers it joins, nothing more.
    printsAs(this, { provider: this.provider, primary: primary.provider, shadow: shadow.provider });
  }

  async sendSignInEmail(email: string, options?: SendSignInEmailOptions): Promise<void> {
    const address = normalizeEmail(email, { provider: this.provider, operation: 'sendSignInEmail' });
    await this.migrateFromShadow(address);
    await this.primary.sendSignInEmail(address, options);
  }

  /**
   * Creates a shadow-only user at the primary with the same id, so their data stays theirs. Fails
   * closed (UNAVAILABLE, nothing created) when the shadow cannot answer; see `shadowUserByEmail`.
   */
  private async migrateFromShadow(email: string): Promise<void> {
    if (await this.primary.admin.getUserByEmail(email)) return;
    const user = await this.admin.shadowUserByEmail('sendSignInEmail', email);
    if (!user) return;
    if (!this.primary.capabilities.customUserId) {
      reportDivergence(
        this.context,
        'sendSignInEmail',
        `the user exists only in the shadow and ${this.primary.provider} cannot keep their id; migrate them with the bulk import instead`,
      );
      return;
    }
    try {
      await this.primary.admin.createUser({ id: user.id, email: user.email, emailVerified: user.emailVerified, metadata: user.metadata });
      reportDivergence(this.context, 'sendSignInEmail', 'the user existed only in the shadow; created at the primary with the same id');
    } catch (error) {
      // Two sign-ins racing: the other one created the user already.
      if (!SwitchyardError.hasCode(error, 'CONFLICT')) throw error;
    }
  }

  verifySignIn(proof: SignInProof): Promise<Session> {
    return this.primary.verifySignIn(proof);
  }

  /** Refresh tokens are opaque, so one the primary does not know is offered to the shadow that may have issued it. */
  async refresh(refreshToken: string): Promise<Session> {
    try {
      return await this.primary.refresh(refreshToken);
    } catch (error) {
      if (!(SwitchyardError.hasCode(error, 'UNAUTHENTICATED') && error.reason === 'invalid')) throw error;
      try {
        return await shadowCall(this.context, 'refresh', () => this.shadow.refresh(refreshToken));
      } catch (shadowError) {
        if (SwitchyardError.hasCode(shadowError, 'UNAUTHENTICATED') && shadowError.reason !== 'invalid') throw shadowError;
        throw error;
      }
    }
  }

  /** The side whose issuer the token names; the primary for anything else, which then refuses it. */
  private issuerOf(token: string): AuthPort {
    return unverifiedIssuer(token) === this.issuers.shadow && this.issuers.shadow !== this.issuers.primary ? this.shadow : this.primary;
  }

  signOut(session: Pick<Session, 'accessToken' | 'refreshToken'>, options?: SignOutOptions): Promise<void> {
    return this.issuerOf(session.accessToken).signOut(session, options);
  }

  verifyAccessToken(token: string): Promise<AuthUser> {
    return this.issuerOf(token).verifyAccessToken(token);
  }

  async close(): Promise<void> {
    await this.background.settled();
    await closeBoth([() => this.primary.close(), () => this.shadow.close()]);
  }
}
