import { redirect } from 'next/navigation';
import { loadProfile } from '../lib/profile';
import { currentUser } from '../lib/session';

// Reads the session cookie: rendered for each request.
export const dynamic = 'force-dynamic';

/** The signed-in member's profile, read through the DbPort, with a photo URL signed by the StoragePort. */
export default async function Home() {
  const user = await currentUser();
  if (!user) redirect('/sign-in');
  const profile = await loadProfile(user);
  return (
    <section className="card">
      {/* biome-ignore lint/performance/noImgElement: a signed URL of any storage provider; next/image would need each host allow-listed. */}
      {profile.photoUrl ? <img className="avatar" src={profile.photoUrl} alt="" id="photo" /> : null}
      <h1 id="display-name">{profile.displayName ?? 'No name yet'}</h1>
      <p className="muted">
        {user.email}
        {profile.place ? ` · ${profile.place}` : ''}
      </p>
      {profile.bio ? <p>{profile.bio}</p> : null}
      <p id="hobbies">{profile.hobbies.length > 0 ? profile.hobbies.join(', ') : 'No hobbies yet: add them in the community app.'}</p>
    </section>
  );
}
