import { type Attributes, CognitoFault, type Json, TARGET_PREFIX } from './wire.js';

/** The cognito-local behind the proxy, called directly. */
export class Upstream {
  constructor(private readonly options: { readonly upstream: string; readonly userPoolId: string }) {}

  async call(target: string, input: Json): Promise<Json> {
    const response = await fetch(this.options.upstream, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${TARGET_PREFIX}${target}` },
      body: JSON.stringify(input),
    });
    const json = (await response.json()) as Json;
    if (!response.ok) throw new CognitoFault(String(json.__type ?? 'InternalErrorException'), String(json.message ?? ''));
    return json;
  }

  async user(username: string): Promise<{ Username: string; attributes: Record<string, string> }> {
    try {
      const found = await this.call('AdminGetUser', { UserPoolId: this.options.userPoolId, Username: username });
      const attributes = Object.fromEntries(((found.UserAttributes ?? []) as Attributes).map((a) => [a.Name, a.Value]));
      return { Username: String(found.Username), attributes };
    } catch (error) {
      if (error instanceof CognitoFault && error.type === 'UserNotFoundException')
        throw new CognitoFault(error.type, 'User does not exist.');
      throw error;
    }
  }
}
