import { cognitoAdapter } from '@switchyard/aws/adapters';
import { supabaseAuth as supabaseAuthAdapter } from '@switchyard/supabase/adapters';
import { defineTarget } from './definition.js';

const ADMIN = 'admin cases only';

export const awsCognito = defineTarget({
  name: 'aws-cognito',
  port: 'auth',
  descriptor: cognitoAdapter,
  scope: ADMIN,
  notes: { COGNITO_USER_POOL_ID: 'listed in SWITCHYARD_LIVE_ALLOW' },
  containers: (options) => [
    {
      variable: 'COGNITO_USER_POOL_ID',
      kind: 'user pool',
      // A pool id is `<region>_<random>`, and the pool's name can only be read over the network:
      // nothing checkable before I/O can carry the prefix, so the id must be allowed by name.
      name: '',
      id: options.userPoolId,
      unprefixable: 'a user pool id cannot carry the prefix',
    },
  ],
});

export const supabaseAuth = defineTarget({
  name: 'supabase-auth',
  port: 'auth',
  descriptor: supabaseAuthAdapter,
  scope: ADMIN,
  notes: { SUPABASE_URL: 'its host listed in SWITCHYARD_LIVE_ALLOW' },
  containers(options) {
    const host = URL.canParse(options.url) ? new URL(options.url).host : '';
    return [{ variable: 'SUPABASE_URL', kind: 'Supabase project', name: '', id: host, unprefixable: "a project's host is its random ref" }];
  },
});
