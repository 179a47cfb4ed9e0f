import { randomBytes } from 'node:crypto';
import type { Upstream } from './upstream.js';
import { CognitoFault, type Json } from './wire.js';

/** The refresh tokens handed out per user, so that a global sign-out can revoke them. */
export class IssuedTokens {
  private readonly refreshTokens = new Map<string, Set<string>>();
  private readonly revoked = new Set<string>();

  constructor(
    private readonly upstream: Upstream,
    private readonly options: { readonly userPoolId: string },
  ) {}

  async issueTokens(username: string, clientId: string): Promise<Json> {
    const password = `Aa1!${randomBytes(24).toString('hex')}`;
    await this.upstream.call('AdminSetUserPassword', {
      UserPoolId: this.options.userPoolId,
      Username: username,
      Password: password,
      Permanent: true,
    });
    const result = await this.upstream.call('InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    });
    const refresh = (result.AuthenticationResult as Json | undefined)?.RefreshToken;
    if (typeof refresh === 'string') {
      const tokens = this.refreshTokens.get(username) ?? new Set();
      tokens.add(refresh);
      this.refreshTokens.set(username, tokens);
    }
    return { ChallengeParameters: {}, AuthenticationResult: result.AuthenticationResult };
  }

  async refresh(input: Json, parameters: Record<string, string>): Promise<Json> {
    const token = parameters.REFRESH_TOKEN ?? '';
    if (this.revoked.has(token)) throw new CognitoFault('NotAuthorizedException', 'Refresh Token has been revoked');
    try {
      return await this.upstream.call('InitiateAuth', input);
    } catch (error) {
      if (error instanceof CognitoFault && error.type === 'NotAuthorizedException') {
        throw new CognitoFault('NotAuthorizedException', 'Invalid Refresh Token');
      }
      throw error;
    }
  }

  async revoke(input: Json): Promise<Json> {
    const result = await this.upstream.call('RevokeToken', input);
    this.revoked.add(String(input.Token));
    return result;
  }

  async globalSignOut(input: Json): Promise<Json> {
    await this.upstream.call('AdminGetUser', { UserPoolId: this.options.userPoolId, Username: input.Username });
    for (const token of this.refreshTokens.get(String(input.Username)) ?? []) this.revoked.add(token);
    return {};
  }
}
