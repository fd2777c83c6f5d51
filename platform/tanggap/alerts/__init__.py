"""The deadline sweep: alerts before and after a complaint's deadline, and escalation."""
