import { withErrors } from '../../../lib/errors';
import { loadProfile } from '../../../lib/profile';
import { requireUser } from '../../../lib/session';

/** The signed-in user and their profile, with a signed photo URL; 401 when signed out. */
export const GET = withErrors(async () => {
  const user = await requireUser();
  return Response.json({ user: { id: user.id, email: user.email }, profile: await loadProfile(user) });
});
