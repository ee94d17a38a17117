"""Small helpers shared by the bench scripts: seeded text, timing child processes, medians."""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import time
from collections.abc import Sequence

_WORD_TEXT = """
the of and to in that was he for it with as his on be at by had not are but from or
have an they which one you were her all she there would their we him been has when who
will more no if out so said what up its about into than them can only other new some
could time these two may then do first any my now such like our over man me even most
made after also did many before must through back years where much your way well down
should because each just those people how too little state good very make world still
own see men work long get here between both life being under never day same another
know while last might great old year off come since against came right used take three
himself few house use during without again place around however home small found
thought went say part once general high upon school every does got united left number
course war until always away something fact though water less public put think almost
hand enough far took head yet government system better set told nothing night end why
called eyes find going look asked later knew point next program city business give
group toward young days let room president side social given present several order
national possible rather second face per among form important often things looked early
white case john become large big need four within felt along children saw best church
ever least power development light thing seemed family interest want members mind
country area others done turned although open god service certain kind problem began
different door thus help sense means whole matter perhaps itself york times human law
line above name example action company hands local show whether five history gave today
either act feet across taken past quite anything seen having death week experience body
word half really field am car words already themselves information tell college shall
money period held keep sure probably free seems political real behind cannot miss hard
river mountain valley harbour lantern meadow orchard thunder whisper garden library
"""
WORDS = _WORD_TEXT.split()

CATEGORIES = ["Research", "Essays", "Notes", "History", "Science", "Travel", "Letters"]


def sentence(rng: random.Random, low: int = 8, high: int = 20) -> str:
    """One English-like sentence."""
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, sentences: int = 4) -> str:
    """A paragraph of a few sentences."""
    return " ".join(sentence(rng) for _ in range(sentences))


def run_timed(command: Sequence[str], **kwargs: object) -> tuple[float, int]:
    """Run a command; return wall seconds and the child's peak RSS in KiB."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise RuntimeError(f"{command[0]} exited with {process.returncode}")
    return elapsed, usage.ru_maxrss


def median(values: Sequence[float]) -> float:
    """Median of a non-empty sequence."""
    return statistics.median(values)
