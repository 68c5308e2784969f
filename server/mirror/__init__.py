"""The package mirror: npm and PyPI, served from the server's storage and filled from an
upstream named by configuration (never by a host written here) or by `cospai mirror seed`.

config.py its settings · upstreams.py where the upstreams are · names.py what a request
may name · integrity.py hashes · fetcher.py the upstream over HTTP · npm_docs.py and
pypi_docs.py the metadata documents · seeds.py reading tarballs and wheels · flights.py
one fetch for many askers · context.py what a request needs. The steps that touch the
database are server/services/mirror_*.py; the SQL is server/repo/mirror_*.py.
"""
