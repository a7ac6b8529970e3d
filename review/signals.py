"""One signal for every step of the workflows, sent once the step is committed.

`workflow_step.send(sender=<model>, instance=<row>, step=<name>, acting_user=<user>)`. The
steps of reviewed rows are named in `review.services.ReviewStep`; other workflows name theirs
(an extension requested or decided, a finding recorded, an explanation requested or answered).
The notices listen here, so no workflow knows who is told.
"""

from django.dispatch import Signal

workflow_step = Signal()
