/**
 * SQL that gives any PostgreSQL the pieces of a Supabase database that RLS policies rely on:
 * the roles `anon`, `authenticated` and `service_role`, and `auth.uid()`, `auth.role()`,
 * `auth.email()`, `auth.jwt()` reading the claims `asUser` sets. The functions follow Supabase's
 * own definitions (supabase/auth migration 20220224000811_update_auth_functions): the
 * single-claim setting first, then the `request.jwt.claims` JSON that PostgREST 9+ sets.
 * Idempotent, and safe to run concurrently from several databases of one cluster.
 */
export const SUPABASE_COMPAT_SQL = `
do $$
declare r text;
begin
  foreach r in array array['anon', 'authenticated', 'service_role'] loop
    begin
      if not exists (select 1 from pg_roles where rolname = r) then
        execute format('create role %I nologin noinherit', r);
      end if;
    exception when duplicate_object or unique_violation then null;
    end;
    begin
      -- The connecting role must be a member to SET ROLE (RDS master users are not superusers).
      execute format('grant %I to current_user', r);
    exception when others then null;
    end;
  end loop;
  -- Roles belong to the cluster: altering one that is already right would only race another
  -- database's installation ("tuple concurrently updated").
  if not (select rolbypassrls from pg_roles where rolname = 'service_role') then
    begin
      alter role service_role bypassrls;
    exception when insufficient_privilege then null;
    end;
  end if;
end
$$;

create schema if not exists auth;

create or replace function auth.uid() returns uuid language sql stable as $fn$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$fn$;

create or replace function auth.role() returns text language sql stable as $fn$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$fn$;

create or replace function auth.email() returns text language sql stable as $fn$
  select coalesce(
    nullif(current_setting('request.jwt.claim.email', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
  )::text
$fn$;

create or replace function auth.jwt() returns jsonb language sql stable as $fn$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$fn$;

grant usage on schema auth to anon, authenticated, service_role;
grant execute on all functions in schema auth to anon, authenticated, service_role;
grant usage on schema public to anon, authenticated, service_role;
`;
