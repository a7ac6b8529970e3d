"""The desk (bàn làm việc): each person's home page, with the queue of every role they hold.

It reads from the apps below it (tasks, indicators, reports) through their selectors and
permission policies, and writes nothing of theirs: only when a person last looked at it."""
