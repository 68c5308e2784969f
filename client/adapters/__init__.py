"""Adapters over browser services (IndexedDB, the server API, runtime engines)."""
