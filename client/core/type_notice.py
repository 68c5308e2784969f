"""What the editor says when a project's packages have no types yet, and which of
TypeScript's diagnostics it holds back meanwhile.

Before `npm install` a create-vite project would show a wall of squiggles, none of them
about the user's code: every bare import "Cannot find module" (2307), every JSX tag
"requires the module path 'react/jsx-runtime'" (2875) or "implicitly has type 'any'"
(7026), and so on. The policy: while the project imports packages and node_modules has
none of them (or there is no node_modules at all), the editor says once, in the status
bar, that `npm install` brings the types, and these codes are not shown. Once any
imported package has types, every diagnostic shows again: a missing module among
installed ones is a real error then.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

# Diagnostics that only say "this package's types are not here".
MISSING_TYPE_CODES = (
    2307,  # Cannot find module 'x' or its corresponding type declarations
    2875,  # This JSX tag requires the module path 'react/jsx-runtime' to exist
    7016,  # Could not find a declaration file for module 'x'
    7026,  # JSX element implicitly has type 'any' (no JSX.IntrinsicElements)
    2688,  # Cannot find type definition file for 'x'
    2882,  # Cannot find module or type declarations for side-effect import
)


def types_missing(imported: Collection[str], found: Mapping[str, str]) -> bool:
    """True when the project imports packages and none of them has types here."""
    return bool(imported) and not any(name in found for name in imported)


def notice(imported: Collection[str]) -> str:
    names = sorted(imported)
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return (
        f"No types for {shown} yet: run npm install in the terminal to bring them "
        "(until then the editor does not flag the missing modules)."
    )
