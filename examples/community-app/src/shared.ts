/**
 * What the match job and the Next.js example share with the app (`community-app/shared`): the
 * schema migrations, the weekly matching, where photos live and how errors become HTTP statuses,
 * so every host runs the same SQL and keys through the same ports.
 */
export { distanceMethod, type Migration, migrate } from './db/migrate.js';
export { computeWeekMatches, type MatchOptions, type MatchRun } from './matching/compute-matches.js';
export { weekOf } from './matching/week.js';
export { asDbUser } from './members/db-user.js';
export { photoKey, thumbnailKey, thumbnailUrl, VIEW_URL_SECONDS } from './photos/keys.js';
export { statusFor } from './status.js';
