"""What the browser and the server must agree on, in one place both import: the sync rules
(rules.py, sync_rules.json), the media types a project's files are served with, the
headers that make a page cross-origin isolated, and the app's own routes. Standard library
only: the browser runs it under Pyodide (build.py packs this folder beside client/), and
rule 3 still holds, since neither side imports the other."""
