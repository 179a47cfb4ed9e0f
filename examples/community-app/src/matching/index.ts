/**
 * What the match job shares with the app (`community-app/matching`): the schema migrations and the
 * weekly matching, so both run the same SQL through the same DbPort.
 */
export { distanceMethod, type Migration, migrate } from '../db/migrate.js';
export { computeWeekMatches, type MatchOptions, type MatchRun } from './compute-matches.js';
export { weekOf } from './week.js';
