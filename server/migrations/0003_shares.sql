-- Share links: a public, read-only URL (/s/<token>/ on the share origin) for one saved
-- revision of a project's files. The token is the whole secret; deleting the row revokes it.
CREATE TABLE shares (
    token       text PRIMARY KEY CHECK (length(token) BETWEEN 32 AND 64),
    project_id  uuid NOT NULL REFERENCES projects ON DELETE CASCADE,
    -- The snapshot served: later edits change nothing until the owner publishes again.
    revision_id bigint NOT NULL REFERENCES revisions ON DELETE CASCADE,
    -- The folder served as the site's root ('' = the project's root), e.g. 'public'.
    root        text NOT NULL DEFAULT '',
    created_by  uuid REFERENCES users ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX shares_project ON shares (project_id, created_at DESC);
CREATE INDEX shares_revision ON shares (revision_id);
