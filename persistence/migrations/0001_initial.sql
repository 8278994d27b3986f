-- The original Django models: auth user, DRF authtoken, posts, uploads,
-- TryOnSession and TryOnResult. Django indexes every foreign key; so do we.

create table users (
  id bigserial primary key,
  username varchar(150) not null unique check (username <> ''),
  is_staff boolean not null default false,
  is_active boolean not null default true,
  date_joined timestamptz not null default now()
);

-- DRF's authtoken_token: 40 lower-case hex characters.
create table api_tokens (
  key varchar(40) primary key check (key ~ '^[0-9a-f]{40}$'),
  user_id bigint not null references users (id) on delete cascade,
  created timestamptz not null default now()
);
create index api_tokens_user_id_idx on api_tokens (user_id);

create table posts (
  id bigserial primary key,
  title text not null default '',
  image_url text not null,
  created_at timestamptz not null default now()
);

create table uploads (
  id bigserial primary key,
  user_id bigint not null references users (id) on delete cascade,
  kind varchar(32) not null
    check (kind in ('nail_reference', 'source_image')),
  media_path text not null unique,
  url text not null,
  content_type text not null default '',
  size bigint not null default 0 check (size >= 0),
  created_at timestamptz not null default now()
);
create index uploads_user_id_url_idx on uploads (user_id, url);

create table tryon_sessions (
  id uuid primary key default gen_random_uuid(),
  user_id bigint not null references users (id) on delete cascade,
  nail_reference_post_id bigint references posts (id) on delete set null,
  nail_reference_url text not null,
  source_image_url text,
  mode varchar(16) not null check (mode in ('explore', 'upload')),
  status varchar(20) not null default 'initializing'
    check (status in ('initializing', 'active', 'paused', 'completed',
                      'error')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  expires_at timestamptz not null,
  stats jsonb not null default '{}'
);
create index tryon_sessions_user_created_idx
  on tryon_sessions (user_id, created_at desc);
create index tryon_sessions_status_idx on tryon_sessions (status);
-- The expiry sweep only ever looks at sessions that are still open.
create index tryon_sessions_open_expires_idx on tryon_sessions (expires_at)
  where status not in ('completed', 'error');
create index tryon_sessions_post_idx
  on tryon_sessions (nail_reference_post_id);

create table tryon_results (
  id bigserial primary key,
  session_id uuid not null references tryon_sessions (id) on delete cascade,
  user_id bigint not null references users (id) on delete cascade,
  nail_reference_post_id bigint references posts (id) on delete set null,
  processed_image text not null,
  thumbnail text,
  created_at timestamptz not null default now(),
  confidence_score double precision,
  metadata jsonb not null default '{}'
);
create index tryon_results_user_created_idx
  on tryon_results (user_id, created_at desc);
create index tryon_results_session_idx on tryon_results (session_id);
create index tryon_results_post_idx on tryon_results (nail_reference_post_id);
