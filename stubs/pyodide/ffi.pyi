# The part of Pyodide's `pyodide.ffi` this project uses (Pyodide 314).
from collections.abc import Awaitable, Callable, Iterable, Iterator
from typing import Any, Final, TypeVar

_T = TypeVar("_T")

class JsProxy:
    """A JS object seen from Python; its attributes are JS properties."""

    typeof: str
    def to_py(
        self, *, depth: int = -1, default_converter: Callable[..., Any] | None = None
    ) -> Any: ...
    def __getattr__(self, name: str) -> Any: ...

class JsArray(JsProxy):
    """A JS array: iterable, indexable, sized."""

    def __iter__(self) -> Iterator[Any]: ...
    def __len__(self) -> int: ...
    def __getitem__(self, index: int) -> Any: ...

class JsNull:
    """JS `null`; JS `undefined` comes through as None."""

jsnull: Final[JsNull]

class JsException(JsProxy, Exception):
    """A JS error raised into Python."""

    name: str
    message: str

class JsCallable(JsProxy):
    def __call__(self, *args: Any) -> Any: ...

class JsDoubleProxy(JsCallable):
    """A JS handle on a Python object; it holds the object until destroyed."""

    def destroy(self) -> None: ...
    def unwrap(self) -> Any: ...

class JsOnceCallable(JsCallable):
    def destroy(self) -> None: ...

def create_proxy(
    obj: Any, /, *, capture_this: bool = False, roundtrip: bool = True
) -> JsDoubleProxy: ...
def create_once_callable(
    obj: Callable[..., Any], /, *, _may_syncify: bool = False
) -> JsOnceCallable: ...
def to_js(
    obj: Any,
    /,
    *,
    depth: int = -1,
    pyproxies: JsProxy | None = None,
    create_pyproxies: bool = True,
    dict_converter: Callable[[Iterable[Any]], Any] | None = None,
    default_converter: Callable[[Any, Callable[[Any], Any], Callable[[Any, Any], None]], Any]
    | None = None,
    eager_converter: Callable[[Any, Callable[[Any], Any], Callable[[Any, Any], None]], Any]
    | None = None,
) -> Any: ...
def run_sync(x: Awaitable[_T], /) -> _T: ...
