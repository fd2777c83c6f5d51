"""People: accounts, their roles in offices, log-in and the permission rules."""
