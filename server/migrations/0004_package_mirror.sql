-- The package mirror (server/mirror/): npm and PyPI files kept by the sha256 of their bytes,
-- the metadata documents served for each package, and per-address request counters.

-- One row per distinct content; its bytes in chunks (a 200 MB file is never one value).
CREATE TABLE mirror_blobs (
    sha256     bytea PRIMARY KEY CHECK (length(sha256) = 32),
    size       bigint NOT NULL CHECK (size >= 0),
    chunks     integer NOT NULL CHECK (chunks >= 0),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE mirror_chunks (
    sha256 bytea NOT NULL REFERENCES mirror_blobs ON DELETE CASCADE,
    seq    integer NOT NULL CHECK (seq >= 0),
    data   bytea NOT NULL,
    PRIMARY KEY (sha256, seq)
);
-- Tarballs and wheels are compressed already: do not try again.
ALTER TABLE mirror_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

-- A file by the name a client asks for it (npm: package and tarball name; PyPI: project
-- and file name), verified against its metadata before it was kept.
CREATE TABLE mirror_files (
    ecosystem text NOT NULL CHECK (ecosystem IN ('npm', 'pypi')),
    package   text NOT NULL,
    filename  text NOT NULL,
    sha256    bytea NOT NULL REFERENCES mirror_blobs,
    size      bigint NOT NULL,
    kept_at   timestamptz NOT NULL DEFAULT now(),
    used_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (ecosystem, package, filename)
);
CREATE INDEX mirror_files_sha256 ON mirror_files (sha256);

-- Metadata as served (zlib-compressed JSON whose file URLs point at the mirror), one row
-- per form: npm 'full' and 'abbreviated', PyPI 'page'; 'seed' rows are what
-- `cospai mirror seed` loaded. `sources` maps each file name to its upstream URL and hashes.
CREATE TABLE mirror_meta (
    ecosystem  text NOT NULL CHECK (ecosystem IN ('npm', 'pypi')),
    name       text NOT NULL,
    form       text NOT NULL,
    origin     text NOT NULL CHECK (origin IN ('upstream', 'seed')),
    body       bytea NOT NULL,
    sources    bytea NOT NULL,
    etag       text,
    fetched_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (ecosystem, name, form)
);

-- Requests per client address in the current window (a fixed window), for every process.
CREATE TABLE rate_windows (
    key          text PRIMARY KEY,
    window_start timestamptz NOT NULL,
    count        integer NOT NULL
);
