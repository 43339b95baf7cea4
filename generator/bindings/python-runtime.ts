/**
 * `_runtime.py`: the checks every generated `from_json` uses. Python's json module gives plain
 * dicts and lists, so types and required properties are checked here, each failure naming the
 * JSON pointer of the offending value.
 */
export const pythonRuntime = `from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any, Callable, TypeVar

T = TypeVar("T")
E = TypeVar("E", bound=Enum)


class InvalidEvent(ValueError):
    """The input is not a valid event of a known type; the message names where and why."""


def at(path: str, key: str | int) -> str:
    """The JSON pointer of a member (RFC 6901 escaping)."""
    return f"{path}/{str(key).replace('~', '~0').replace('/', '~1')}"


def obj(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidEvent(f"{path or '/'}: expected an object, got {type(value).__name__}")
    return value


def required(o: dict[str, Any], key: str, path: str) -> Any:
    if key not in o:
        raise InvalidEvent(f"{at(path, key)}: required property is missing")
    return o[key]


def string(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise InvalidEvent(f"{path}: expected a string, got {type(value).__name__}")
    return value


def date_time(value: Any, path: str) -> datetime:
    text = string(value, path)
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise InvalidEvent(f"{path}: expected an RFC 3339 date-time, got {text!r}") from None


def integer(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidEvent(f"{path}: expected an integer, got {type(value).__name__}")
    return value


def number(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidEvent(f"{path}: expected a number, got {type(value).__name__}")
    return float(value)


def boolean(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidEvent(f"{path}: expected a boolean, got {type(value).__name__}")
    return value


def enum(kind: type[E], value: Any, path: str) -> E:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(repr(m.value) for m in kind)
        raise InvalidEvent(f"{path}: {value!r} is not one of {allowed}") from None


def array(value: Any, path: str, item: Callable[[Any, str], T]) -> list[T]:
    if not isinstance(value, list):
        raise InvalidEvent(f"{path}: expected an array, got {type(value).__name__}")
    return [item(v, at(path, i)) for i, v in enumerate(value)]


def mapping(value: Any, path: str, item: Callable[[Any, str], T]) -> dict[str, T]:
    return {k: item(v, at(path, k)) for k, v in obj(value, path).items()}


def nullable(value: Any, path: str, inner: Callable[[Any, str], T]) -> T | None:
    return None if value is None else inner(value, path)


def anything(value: Any, path: str) -> Any:
    return value
`;
