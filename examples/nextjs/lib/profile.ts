import { type AuthUser, sql } from '@switchyard/core';
import { asDbUser, thumbnailUrl } from 'community-app/shared';
import { getProviders } from './providers';

export interface Profile {
  displayName: string | null;
  bio: string;
  hobbies: string[];
  place: string | null;
  /** A signed view URL of the profile photo's thumbnail (1 hour), or null. */
  photoUrl: string | null;
}

/** The caller's profile, read as the user (row-level security applies), with a signed photo URL. */
export async function loadProfile(user: AuthUser): Promise<Profile> {
  const { db, storage } = await getProviders();
  const row = await db.asUser(asDbUser(user), (tx) =>
    tx.maybeOne<{ display_name: string | null; bio: string; hobbies: string[]; place: string | null; photo: string | null }>(
      sql`select display_name, bio, hobbies, place, photo from profiles where id = ${user.id}`,
    ),
  );
  return {
    displayName: row?.display_name ?? null,
    bio: row?.bio ?? '',
    hobbies: row?.hobbies ?? [],
    place: row?.place ?? null,
    photoUrl: await thumbnailUrl(storage, user.id, row?.photo ?? null),
  };
}
