"""Click's exception classes, found once for every module of the CLI that catches them."""

from __future__ import annotations

import importlib
import sys


def _click_classes(name: str) -> tuple[type[Exception], ...]:
    """Recent Typer vendors Click as `typer._click`, older Typer uses Click: catch both."""
    found: list[type[Exception]] = []
    for module_name in ("typer._click.exceptions", "typer.exceptions", "click.exceptions"):
        if module_name.startswith("click") and "typer._click" in sys.modules:
            continue  # Typer's own copy is the one it raises; Click itself costs 20 ms to import
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        cls = getattr(module, name, None)
        if isinstance(cls, type) and issubclass(cls, Exception) and cls not in found:
            found.append(cls)
    return tuple(found)


NO_ARGS = _click_classes("NoArgsIsHelpError")
USAGE_ERRORS = _click_classes("UsageError")
CLICK_ERRORS = _click_classes("ClickException")
ABORTS = _click_classes("Abort")
