"""Notifications: written to an outbox with the change that causes them, delivered by a job.

The database is the source of truth: a Redis outage or a crashed worker delays a message,
never loses it, and the idempotency key keeps a retry from sending it twice.
"""
