import { invalid, withErrors } from '../../../../lib/errors';
import { appOrigin, getProviders } from '../../../../lib/providers';

/** Sends the sign-in email (a code, and a link); the answer is the same whether or not the address had an account. */
export const POST = withErrors(async (request: Request) => {
  const body = (await request.json().catch(() => null)) as { email?: unknown } | null;
  if (typeof body?.email !== 'string') throw invalid('Send {"email": "you@example.com"}.');
  const { auth } = await getProviders();
  await auth.sendSignInEmail(body.email, { redirectTo: `${appOrigin()}/sign-in` });
  return Response.json({ sent: true }, { status: 202 });
});
