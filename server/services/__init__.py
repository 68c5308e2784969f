"""The steps of a request that span repos or must happen together: create a project with
its files, save a sync batch, restore a revision, publish a share link... Each opens its
own transaction. No Starlette types: they take a connection and plain values, and raise
ApiError for what the caller may not do. Routes parse and shape; SQL stays in repo/."""
