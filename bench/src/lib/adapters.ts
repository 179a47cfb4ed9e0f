import type { AuthPort, StoragePort } from '@switchyard/core';

// Adapters other work streams are still writing are loaded by name at run time, so a missing or
// older build turns into a "not measured" row instead of a link error for the whole bench.

export interface S3Options {
  bucket: string;
  region: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  checksums?: 'when_supported' | 'when_required';
  presign?: 'post' | 'put';
  limits?: {
    postPolicy?: 'enforced' | 'not-enforced';
    signatures?: 'verified' | 'not-verified';
    conditionalWrites?: 'enforced' | 'put-only' | 'not-enforced';
  };
}

export interface CognitoOptions {
  region: string;
  userPoolId: string;
  clientId: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  signIn: 'email-otp' | 'magic-link';
}

export interface SupabaseAuthOptions {
  url: string;
  anonKey: string;
  serviceRoleKey: string;
  jwtSecret?: string;
}

async function factory<O, P>(specifier: string, name: string): Promise<((options: O) => Promise<P>) | string> {
  let module: Record<string, unknown>;
  try {
    module = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    return `${specifier} does not load (${error instanceof Error ? error.message.split('\n')[0] : error})`;
  }
  const found = module[name];
  return typeof found === 'function' ? (found as (options: O) => Promise<P>) : `${specifier} does not export ${name} yet (dist not built)`;
}

/** The factory, or the reason it is unavailable. */
export const loadS3 = () => factory<S3Options, StoragePort>('@switchyard/aws/s3', 'createS3Storage');
export const loadCognito = () => factory<CognitoOptions, AuthPort>('@switchyard/aws/cognito', 'createCognitoAuth');
export const loadSupabaseAuth = () => factory<SupabaseAuthOptions, AuthPort>('@switchyard/supabase/auth', 'createSupabaseAuth');
