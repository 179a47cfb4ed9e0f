import type { CreateAuthChallengeEvent, DefineAuthChallengeEvent, VerifyAuthChallengeEvent } from './events.js';
import type { MagicLinkStore } from './link-store.js';
import { createLinkToken, type LinkSigner, readLinkToken } from './link-token.js';

/** The email the CreateAuthChallenge trigger sends. */
export interface MagicLinkEmail {
  to: string;
  /** The whole link; it signs the user in, so never log it. */
  link: string;
  expiresAt: Date;
  userName: string;
}

/**
 * Delivers the link. SES recipe: `new SESv2Client({}).send(new SendEmailCommand({FromEmailAddress,
 * Destination: {ToAddresses: [to]}, Content: {Simple: {Subject: {Data: 'Sign in'}, Body: {Text: {Data: link}}}}}))`.
 */
export interface MagicLinkSender {
  send(email: MagicLinkEmail): Promise<void>;
}

export interface MagicLinkTriggerOptions {
  signer: LinkSigner;
  store: MagicLinkStore;
  sender: MagicLinkSender;
  /**
   * Where links may land: absolute URLs; a redirect is allowed when its origin and path equal one
   * of them (its query string may differ). An open redirect would hand the token to anyone.
   */
  allowedRedirects: readonly string[];
  /** Link lifetime in seconds. Default 900 (15 minutes). */
  linkTtlSeconds?: number;
  /** Least time between two links for one user, in seconds. Default 60. */
  minIntervalSeconds?: number;
  /** The query parameter carrying the token. Default `token_hash`, as Supabase links. */
  tokenParameter?: string;
  /** Clock in ms, for tests. */
  now?: () => number;
}

export interface MagicLinkTriggers {
  defineAuthChallenge(event: DefineAuthChallengeEvent): Promise<DefineAuthChallengeEvent>;
  createAuthChallenge(event: CreateAuthChallengeEvent): Promise<CreateAuthChallengeEvent>;
  verifyAuthChallenge(event: VerifyAuthChallengeEvent): Promise<VerifyAuthChallengeEvent>;
}

// The first challenge only collects ClientMetadata: InitiateAuth's ClientMetadata does not reach
// CreateAuthChallenge, RespondToAuthChallenge's does (the aws-samples passwordless design).
const PROVIDE = 'PROVIDE_AUTH_PARAMETERS';
const MAGIC_LINK = 'MAGIC_LINK';
const CLOCK_SKEW_S = 60;

/**
 * Cognito passes a trigger's error message on as "<Trigger> failed with error <message>."; the
 * marker lets `@switchyard/aws/cognito` tell an expired link from a used or forged one.
 */
function linkError(marker: string, text: string): Error {
  return new Error(`SWITCHYARD_LINK_${marker}: ${text}`);
}

function allowed(redirect: string | undefined, allowList: readonly URL[]): URL | undefined {
  if (!redirect || !URL.canParse(redirect)) return undefined;
  const url = new URL(redirect);
  return allowList.some((entry) => entry.origin === url.origin && entry.pathname === url.pathname) ? url : undefined;
}

/** The Define/Create/VerifyAuthChallenge handlers for signed, single-use, expiring magic links. */
export function createMagicLinkTriggers(options: MagicLinkTriggerOptions): MagicLinkTriggers {
  const now = options.now ?? Date.now;
  const ttlMs = (options.linkTtlSeconds ?? 900) * 1000;
  const minIntervalMs = (options.minIntervalSeconds ?? 60) * 1000;
  const parameter = options.tokenParameter ?? 'token_hash';
  const allowList = options.allowedRedirects.map((entry) => new URL(entry));

  async function sendLink(event: CreateAuthChallengeEvent, redirectUri: string | undefined): Promise<void> {
    const to = event.request.userAttributes.email;
    if (!to) throw linkError('NO_EMAIL', 'the user has no email attribute');
    const target = allowed(redirectUri, allowList);
    if (!target) throw linkError('REDIRECT_NOT_ALLOWED', 'the redirect is not on the allow-list');
    const issuedAt = now();
    if (!(await options.store.recordIssue(event.userName, issuedAt, issuedAt - minIntervalMs))) {
      throw linkError('TOO_SOON', 'a link was sent to this user moments ago');
    }
    const expiresAt = issuedAt + ttlMs;
    const { token } = await createLinkToken(options.signer, {
      userName: event.userName,
      iat: Math.floor(issuedAt / 1000),
      exp: Math.floor(expiresAt / 1000),
    });
    target.searchParams.set(parameter, token);
    await options.sender.send({ to, link: target.toString(), expiresAt: new Date(expiresAt), userName: event.userName });
  }

  return {
    async defineAuthChallenge(event) {
      const session = event.request.session ?? [];
      const last = session.at(-1);
      const custom = last?.challengeName === 'CUSTOM_CHALLENGE';
      if (event.request.userNotFound) {
        event.response = { issueTokens: false, failAuthentication: true };
      } else if (session.length === 0 || (session.length === 1 && custom && last?.challengeMetadata === PROVIDE)) {
        event.response = { challengeName: 'CUSTOM_CHALLENGE', issueTokens: false, failAuthentication: false };
      } else if (session.length === 2 && custom && last?.challengeMetadata === MAGIC_LINK && last.challengeResult) {
        event.response = { issueTokens: true, failAuthentication: false };
      } else {
        event.response = { issueTokens: false, failAuthentication: true };
      }
      return event;
    },

    async createAuthChallenge(event) {
      if ((event.request.session ?? []).length === 0) {
        event.response = {
          publicChallengeParameters: { challenge: PROVIDE },
          privateChallengeParameters: { challenge: PROVIDE },
          challengeMetadata: PROVIDE,
        };
        return event;
      }
      const metadata = event.request.clientMetadata ?? {};
      if (metadata.signInMethod !== MAGIC_LINK) throw linkError('INVALID', 'signInMethod must be MAGIC_LINK');
      if (metadata.alreadyHaveMagicLink !== 'yes') await sendLink(event, metadata.redirectUri);
      event.response = {
        publicChallengeParameters: { challenge: MAGIC_LINK },
        privateChallengeParameters: { challenge: MAGIC_LINK },
        challengeMetadata: MAGIC_LINK,
      };
      return event;
    },

    async verifyAuthChallenge(event) {
      if (event.request.privateChallengeParameters?.challenge !== MAGIC_LINK) {
        // The parameter round: its answer proves nothing.
        event.response = { answerCorrect: false };
        return event;
      }
      const claims = await readLinkToken(options.signer, event.request.challengeAnswer);
      const nowS = now() / 1000;
      if (!claims || claims.userName !== event.userName || claims.iat > nowS + CLOCK_SKEW_S) {
        throw linkError('INVALID', 'the link is not valid');
      }
      if (nowS > claims.exp) throw linkError('EXPIRED', 'the link has expired');
      if (!(await options.store.markUsed(claims.nonce, claims.exp * 1000))) throw linkError('USED', 'the link was already used');
      event.response = { answerCorrect: true };
      return event;
    },
  };
}
