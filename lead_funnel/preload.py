"""Import slow libraries in the background while a run waits on something else.

Great Expectations takes ~5 s to import. The nightly run spends most of its time
waiting on the dbt subprocess, so the import starts then, and the audit that follows
finds GX already loaded (Python's import lock makes a concurrent import wait, not
repeat).
"""

from __future__ import annotations

import importlib
import threading

_started: set[str] = set()
_lock = threading.Lock()


def preload(*modules: str) -> None:
    """Start importing `modules` in a daemon thread (once per process)."""
    with _lock:
        pending = [name for name in modules if name not in _started]
        _started.update(pending)
    if pending:
        threading.Thread(target=_import_all, args=(pending,), name="preload", daemon=True).start()


def _import_all(modules: list[str]) -> None:
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # the real import later raises the error where it is handled
            return
