"""SQL per aggregate. No Starlette types here: repos take a connection and plain values."""
