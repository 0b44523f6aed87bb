"""A poor man's sampling profiler for bench/chat.py's Daphne (CHAT_BENCH_PROFILE=<file>):
every 2 ms, the stacks of every thread of the process; at exit, the functions most often
on them ("inclusive") and at their top ("self"), written to <file>."""

import atexit
import collections
import signal
import sys
import threading
import time

INCLUSIVE: collections.Counter = collections.Counter()
SELF: collections.Counter = collections.Counter()
SAMPLES = [0]
# A thread whose top frame is one of these is waiting, not working.
IDLE = {"wait", "select", "poll", "epoll", "_wait", "get", "sleep", "_worker"}


def _sample(stop: threading.Event) -> None:
    me = threading.get_ident()
    while not stop.is_set():
        for ident, frame in sys._current_frames().items():
            if ident == me or frame.f_code.co_name in IDLE:
                continue
            top = True
            seen = set()
            while frame is not None:
                code = frame.f_code
                key = f"{code.co_filename.split('site-packages/')[-1]}:{code.co_name}"
                if top:
                    SELF[key] += 1
                    top = False
                if key not in seen:
                    INCLUSIVE[key] += 1
                    seen.add(key)
                frame = frame.f_back
        SAMPLES[0] += 1
        time.sleep(0.002)


def start(path: str) -> None:
    stop = threading.Event()
    threading.Thread(target=_sample, args=(stop,), daemon=True).start()

    def dump(*_):
        stop.set()
        with open(path, "w") as out:
            out.write(f"{SAMPLES[0]} samples\n\nself:\n")
            for key, count in SELF.most_common(40):
                out.write(f"{count:7} {key}\n")
            out.write("\ninclusive:\n")
            for key, count in INCLUSIVE.most_common(80):
                out.write(f"{count:7} {key}\n")

    atexit.register(dump)
    previous = signal.getsignal(signal.SIGTERM)

    def on_term(signum, frame):
        dump()
        if callable(previous):
            previous(signum, frame)
        else:
            sys.exit(0)

    signal.signal(signal.SIGTERM, on_term)
