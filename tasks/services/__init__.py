"""Writes to the tracking data. Each service is atomic, takes the acting user, checks the
permission policy, records a history reason, and leaves follow-up work to on_commit."""
