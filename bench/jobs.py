"""Jobs the benchmark queues: the smallest job there is, so that the queue's own cost is what
is measured."""


def noop(n: int) -> int:
    """Return its argument."""
    return n
