-- Accounts, sessions, sign-in throttling, projects, content-addressed files, revisions.

CREATE TABLE users (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email         text NOT NULL,
    display_name  text NOT NULL DEFAULT '',
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_folded ON users (lower(email));

-- Only a hash of the session token is kept: a database leak does not leak sessions.
CREATE TABLE sessions (
    token_hash   bytea PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users ON DELETE CASCADE,
    csrf_token   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    user_agent   text NOT NULL DEFAULT '',
    address      text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Failed sign-ins per account and per address; shared by every server process.
CREATE TABLE auth_failures (
    key          text PRIMARY KEY,
    failures     integer NOT NULL,
    last_failure timestamptz NOT NULL
);

CREATE TABLE blobs (
    sha256     bytea PRIMARY KEY CHECK (length(sha256) = 32),
    size       bigint NOT NULL CHECK (size >= 0),
    compressed boolean NOT NULL,
    data       bytea NOT NULL
);

CREATE TABLE projects (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_id    uuid NOT NULL REFERENCES users ON DELETE CASCADE,
    name        text NOT NULL,
    description text NOT NULL DEFAULT '',
    template    text,
    -- Bumped once by every change; the files a change touches take it as their version.
    version     bigint NOT NULL DEFAULT 0,
    file_count  integer NOT NULL DEFAULT 0,
    total_bytes bigint NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    opened_at   timestamptz
);
CREATE INDEX projects_owner ON projects (owner_id, updated_at DESC);

CREATE TABLE files (
    project_id uuid NOT NULL REFERENCES projects ON DELETE CASCADE,
    path       text NOT NULL,
    -- Case-folded path, computed by the server (paths.folded), so that uniqueness does
    -- not depend on the database's collation.
    path_key   text NOT NULL,
    sha256     bytea NOT NULL REFERENCES blobs,
    size       bigint NOT NULL,
    is_binary  boolean NOT NULL,
    version    bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, path)
);
-- One spelling per file: `Readme.md` and `README.md` may not coexist.
CREATE UNIQUE INDEX files_path_key ON files (project_id, path_key);
CREATE INDEX files_sha256 ON files (sha256);

CREATE TABLE revisions (
    id              bigserial PRIMARY KEY,
    project_id      uuid NOT NULL REFERENCES projects ON DELETE CASCADE,
    number          integer NOT NULL,
    message         text NOT NULL DEFAULT '',
    project_version bigint NOT NULL,
    file_count      integer NOT NULL,
    total_bytes     bigint NOT NULL,
    created_by      uuid REFERENCES users ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, number)
);

CREATE TABLE revision_files (
    revision_id bigint NOT NULL REFERENCES revisions ON DELETE CASCADE,
    path        text NOT NULL,
    sha256      bytea NOT NULL REFERENCES blobs,
    size        bigint NOT NULL,
    is_binary   boolean NOT NULL,
    PRIMARY KEY (revision_id, path)
);
CREATE INDEX revision_files_sha256 ON revision_files (sha256);
