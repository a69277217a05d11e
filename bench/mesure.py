"""Wall and CPU seconds of a block of work, counting this process, the children it started and waited for
(`soffice` runs), and those still running (the persistent converter and its LibreOffice): a busy machine stretches
wall time, not CPU time, so a ratio in CPU time cannot come out below what the work contains."""

import resource
import time
from dataclasses import dataclass, field

import psutil


def _descendants_vivants() -> dict[int, float]:
    secondes = {}
    for p in psutil.Process().children(recursive=True):
        try:
            t = p.cpu_times()
        except psutil.Error:  # ended between the listing and the reading: counted among the ended ones
            continue
        secondes[p.pid] = t.user + t.system
    return secondes


def _enfants_termines() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


@dataclass
class Mesure:
    mur: float = 0.0
    cpu: float = 0.0
    _debut: tuple = field(default=(), repr=False)

    def __enter__(self) -> "Mesure":
        self._debut = (time.perf_counter(), time.process_time(), _enfants_termines(), _descendants_vivants())
        return self

    def __exit__(self, *exc) -> None:
        mur, soi, termines, vivants = self._debut
        fin = _descendants_vivants()
        self.mur = time.perf_counter() - mur
        # A process running at the start and ended since is in the ended children's total for its whole life:
        # what it had spent before the block is taken off.
        avant = sum(vivants.get(pid, 0.0) for pid in fin) + sum(s for pid, s in vivants.items() if pid not in fin)
        self.cpu = (time.process_time() - soi) + (_enfants_termines() - termines) + sum(fin.values()) - avant
