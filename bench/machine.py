"""Describe the machine a benchmark ran on, so figures are read in context."""

from __future__ import annotations

import os
import platform


def machine() -> dict:
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as info:
            model = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), model)
    except OSError:
        pass
    memory = None
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        memory = round(pages * size / 2**30, 1)
    except (ValueError, OSError):
        pass
    return {"cpus": os.cpu_count(), "cpu": model, "memory_gib": memory, "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}"}
