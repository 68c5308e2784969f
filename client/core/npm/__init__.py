"""npm's install semantics in pure Python, for `npm` in the browser runtime: semver ranges,
package specs, version picking, the hoisted ideal tree (arborist's algorithm), the v3
lockfile, the install plan, `npm ls` and package.json edits. No I/O: the worker fetches
packuments and unpacks tarballs."""
