import type { Migration } from '../migrate.js';
import { profilesAndChat } from './001-profiles-and-chat.js';
import { memberProfiles } from './002-member-profiles.js';
import { distance } from './003-distance.js';
import { conversationsAndMatches } from './004-conversations-and-matches.js';

/** Every migration, oldest first; append, never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [profilesAndChat, memberProfiles, distance, conversationsAndMatches];
