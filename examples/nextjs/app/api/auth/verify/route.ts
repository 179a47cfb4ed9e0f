import { invalid, withErrors } from '../../../../lib/errors';
import { getProviders } from '../../../../lib/providers';
import { startSession } from '../../../../lib/session';

/** Exchanges the emailed code for a session, kept in an HttpOnly cookie. */
export const POST = withErrors(async (request: Request) => {
  const body = (await request.json().catch(() => null)) as { email?: unknown; code?: unknown } | null;
  if (typeof body?.email !== 'string' || typeof body.code !== 'string') throw invalid('Send {"email", "code"} from the sign-in email.');
  const session = await (await getProviders()).auth.verifySignIn({ email: body.email, code: body.code });
  await startSession(session);
  return Response.json({ user: { id: session.user.id, email: session.user.email } });
});
