import type { Upstream } from './upstream.js';
import { type Attributes, CognitoFault, type Json } from './wire.js';

/** ListUsers with the Filter, Limit and PaginationToken that cognito-local ignores. */
export async function listUsers(upstream: Upstream, input: Json): Promise<Json> {
  const limit = Number(input.Limit ?? 60);
  if (!Number.isInteger(limit) || limit < 1 || limit > 60)
    throw new CognitoFault('InvalidParameterException', 'Limit must be between 1 and 60.');
  const all = ((await upstream.call('ListUsers', { UserPoolId: input.UserPoolId })).Users ?? []) as Json[];
  const filter = typeof input.Filter === 'string' ? parseFilter(input.Filter) : undefined;
  const matching = all.filter((user) => !filter || filter(user)).sort((a, b) => String(a.Username).localeCompare(String(b.Username)));
  // The token names the last username returned, so deletions between pages skip nobody.
  const after = typeof input.PaginationToken === 'string' ? Buffer.from(input.PaginationToken, 'base64url').toString('utf8') : undefined;
  const start = after === undefined ? 0 : matching.findIndex((user) => String(user.Username) > after);
  const rest = start === -1 ? [] : matching.slice(start);
  const page = rest.slice(0, limit);
  const last = page.at(-1);
  return {
    Users: page,
    ...(rest.length > limit && last ? { PaginationToken: Buffer.from(String(last.Username)).toString('base64url') } : {}),
  };
}

/** `attribute = "value"` (exact) or `attribute ^= "value"` (prefix), the two forms ListUsers accepts. */
function parseFilter(filter: string): (user: Json) => boolean {
  const match = /^\s*([\w:]+)\s*(\^?=)\s*"([^"]*)"\s*$/.exec(filter);
  if (!match) throw new CognitoFault('InvalidParameterException', 'Error while parsing filter.');
  const [, name, operator, value] = match as unknown as [string, string, string, string];
  return (user) => {
    const actual =
      name === 'username' ? String(user.Username) : ((user.Attributes ?? []) as Attributes).find((a) => a.Name === name)?.Value;
    if (actual === undefined) return false;
    return operator === '=' ? actual === value : actual.startsWith(value);
  };
}
