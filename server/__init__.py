"""CosPAI IDE server: a thin Starlette app for accounts and persistence, serving dist/."""
