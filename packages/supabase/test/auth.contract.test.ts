import { describeAuthPort } from '@switchyard/contract-tests';
import { supabaseAuthContractFixture } from './auth-contract-fixture.js';

// supabase-js against the fake GoTrue through a FaultProxy; key-set faults on a key-set server in
// front of the fake's JWKS.
describeAuthPort('SupabaseAuth (supabase-js against the fake GoTrue)', supabaseAuthContractFixture);
