"""Runs a command and measures its whole process tree: wall and CPU time, peak RSS, and when each stderr line came."""

from __future__ import annotations

import resource
import subprocess
import threading
import time
from dataclasses import dataclass, field

import psutil

POLL_SECONDS = 0.1


@dataclass
class Line:
    """One stderr line, the tree's elapsed wall and CPU time when it arrived, and its peak RSS since the line before."""

    text: str
    wall_seconds: float
    cpu_seconds: float
    peak_rss_mb: float


@dataclass
class Measurement:
    command: list[str]
    returncode: int = 0
    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_rss_mb: float = 0.0
    stdout: str = ""
    lines: list[Line] = field(default_factory=list)


class _TreeSampler:
    """Sums CPU time and RSS over a process and all its descendants, live or already waited for."""

    def __init__(self, pid: int):
        self.root = psutil.Process(pid)
        self.cpu_seconds = 0.0
        self.rss_mb = 0.0
        self.peak_rss_mb = 0.0
        self.window_peak_rss_mb = 0.0  # since the last stderr line

    def sample(self) -> None:
        try:
            processes = [self.root, *self.root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return
        rss = 0
        cpu = 0.0
        for process in processes:
            try:
                times = process.cpu_times()
                rss += process.memory_info().rss
            except psutil.NoSuchProcess:
                continue
            # children_* hold descendants already waited for, so exited pool workers still count (once:
            # a worker that exited is no longer in the tree). Between its exit and its wait the sum dips.
            cpu += times.user + times.system + times.children_user + times.children_system
        self.cpu_seconds = max(self.cpu_seconds, cpu)
        self.rss_mb = rss / 2**20
        self.peak_rss_mb = max(self.peak_rss_mb, self.rss_mb)
        self.window_peak_rss_mb = max(self.window_peak_rss_mb, self.rss_mb)


def measure(command: list[str], env: dict[str, str] | None = None, cwd: str | None = None) -> Measurement:
    """Run `command` to the end, sampling its process tree every POLL_SECONDS.

    The final CPU time is the children's rusage (exact, includes every descendant that was waited for);
    per-line CPU times come from the samples.
    """
    result = Measurement(command=command)
    rusage_before = _children_cpu()
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=cwd)
    sampler = _TreeSampler(process.pid)
    lock = threading.Lock()

    def read_stderr() -> None:
        for text in process.stderr:
            with lock:
                sampler.sample()
                result.lines.append(
                    Line(text.rstrip("\n"), time.perf_counter() - started, sampler.cpu_seconds, sampler.window_peak_rss_mb)
                )
                sampler.window_peak_rss_mb = sampler.rss_mb

    def read_stdout() -> None:
        result.stdout = process.stdout.read()

    readers = [threading.Thread(target=read_stderr), threading.Thread(target=read_stdout)]
    for reader in readers:
        reader.start()
    while process.poll() is None:
        with lock:
            sampler.sample()
        time.sleep(POLL_SECONDS)
    for reader in readers:
        reader.join()
    result.returncode = process.returncode
    result.wall_seconds = time.perf_counter() - started
    result.cpu_seconds = _children_cpu() - rusage_before
    result.peak_rss_mb = sampler.peak_rss_mb
    return result


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
